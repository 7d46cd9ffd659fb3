#include "detailpanel.h"

#include "facetcolors.h"
#include "facetsections.h"
#include "imagepreview.h"
#include "plaintext.h"
#include "statuscolors.h"
#include "thumbnailloader.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace facet {

namespace {

// Previews are decoded at most this many device pixels on the long side: enough for a large
// panel on a HiDPI screen without decoding 50-megapixel originals at full size.
constexpr int kMaxPreviewSide = 2400;

/** A label that never interprets its text: captions, ids, paths and reasons are user data. */
QLabel* plainLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QPixmap dot(const QColor& color, int diameter, qreal dpr)
{
    QPixmap pm(QSize(diameter, diameter) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(0.5, 0.5, diameter - 1, diameter - 1));
    return pm;
}

QString localTime(const QString& iso)
{
    if (iso.isEmpty())
        return {};
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : iso;
}

QString originLabel(const CaptionVersion& v)
{
    switch (v.origin) {
    case Origin::Imported:
        return DetailPanel::tr("imported");
    case Origin::Human:
        return DetailPanel::tr("human edit");
    case Origin::Model:
        return DetailPanel::tr("model");
    }
    return {};
}

} // namespace

DetailPanel::DetailPanel(ThumbnailLoader* loader, QWidget* parent)
    : QWidget(parent)
    , m_loader(loader)
{
    setObjectName(QStringLiteral("detailPanel"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("detailSplitter"));
    m_splitter->setChildrenCollapsible(false);
    outer->addWidget(m_splitter);

    m_preview = new ImagePreview(m_splitter);
    m_splitter->addWidget(m_preview);

    m_info = new QWidget(m_splitter);
    auto* info = new QVBoxLayout(m_info);
    info->setContentsMargins(10, 6, 10, 6);
    info->setSpacing(6);

    m_title = plainLabel(m_info);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    info->addWidget(m_title);

    m_subtitle = plainLabel(m_info);
    m_subtitle->setWordWrap(true);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    info->addWidget(m_subtitle);

    auto* statusRow = new QHBoxLayout;
    statusRow->setSpacing(6);
    m_statusDot = new QLabel(m_info);
    m_statusText = plainLabel(m_info);
    m_statusText->setObjectName(QStringLiteral("detailStatus"));
    m_statusText->setWordWrap(true);
    m_recaptioned = new QLabel(m_info);
    m_recaptioned->setTextFormat(Qt::PlainText);
    m_recaptioned->setText(tr("Recaptioned"));
    {
        QPalette pal = m_recaptioned->palette();
        pal.setColor(QPalette::WindowText, StatusColors::recaptioned());
        m_recaptioned->setPalette(pal);
    }
    m_recaptioned->hide();
    statusRow->addWidget(m_statusDot, 0, Qt::AlignTop);
    statusRow->addWidget(m_statusText, 1);
    statusRow->addWidget(m_recaptioned, 0, Qt::AlignTop);
    info->addLayout(statusRow);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    for (auto*& b : m_buttons) {
        b = new QToolButton(m_info);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setAutoRaise(true);
        b->setFocusPolicy(Qt::NoFocus); // the grid keeps the keyboard
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    info->addLayout(buttons);

    m_caption = new QPlainTextEdit(m_info);
    m_caption->setObjectName(QStringLiteral("captionView"));
    m_caption->setReadOnly(true);
    m_caption->setTabChangesFocus(true);
    m_caption->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_caption->setPlaceholderText(tr("No caption"));
    m_caption->installEventFilter(this);
    info->addWidget(m_caption, 3);

    m_note = new QLabel(m_info);
    m_note->setObjectName(QStringLiteral("detailNote"));
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    {
        QFont f = m_note->font();
        f.setBold(true); // says the caption is an editor now, or shows an old version
        m_note->setFont(f);
    }
    m_note->hide();
    info->addWidget(m_note);

    m_legend = new QWidget(m_info);
    auto* legend = new QHBoxLayout(m_legend);
    legend->setContentsMargins(0, 0, 0, 0);
    legend->setSpacing(4);
    refreshLegend();
    m_legend->setToolTip(tr("Facet colours: the caption's sentences are tinted by the facet they describe."));
    info->addWidget(m_legend);

    m_tabs = new QTabWidget(m_info);
    m_tabs->setDocumentMode(true);
    m_versions = new QTreeWidget(m_tabs);
    m_versions->setObjectName(QStringLiteral("versionsView"));
    m_versions->setRootIsDecorated(false);
    m_versions->setUniformRowHeights(true);
    m_versions->setHeaderLabels({tr("Version"), tr("Origin"), tr("Model / author"), tr("Created")});
    m_versions->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_versions->header()->setStretchLastSection(true);
    m_versions->setFocusPolicy(Qt::ClickFocus);
    connect(m_versions, &QTreeWidget::itemSelectionChanged, this, &DetailPanel::showVersion);
    // The caption grouped by facet comes first: it is what a reviewer works through.
    m_facets = new FacetSections(m_tabs);
    connect(m_facets, &FacetSections::editRequested, this, &DetailPanel::segmentEditRequested);
    connect(m_facets, &FacetSections::deleteRequested, this, &DetailPanel::segmentDeleteRequested);
    connect(m_facets, &FacetSections::relabelRequested, this, &DetailPanel::segmentRelabelRequested);
    m_tabs->addTab(m_facets, tr("By facet"));
    m_tabs->addTab(m_versions, tr("Versions"));
    m_history = new QTreeWidget(m_tabs);
    m_history->setObjectName(QStringLiteral("historyView"));
    m_history->setRootIsDecorated(false);
    m_history->setUniformRowHeights(true);
    m_history->setHeaderLabels({tr("When"), tr("Action"), tr("By")});
    m_history->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_history->header()->setStretchLastSection(true);
    m_history->setFocusPolicy(Qt::ClickFocus);
    m_tabs->addTab(m_history, tr("History"));
    info->addWidget(m_tabs, 2);
    // The "Why this facet?" explanation shares the tab with the sentence list; while it is open the
    // tab gets the larger share (the caption stays readable and scrolls), or both would be a few
    // lines high in a typical window.
    connect(m_facets, &FacetSections::explanationVisibilityChanged, this, [this, info](bool visible) {
        info->setStretchFactor(m_caption, visible ? 2 : 3);
        info->setStretchFactor(m_tabs, visible ? 4 : 2);
    });

    m_splitter->addWidget(m_info);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    connect(m_loader, &ThumbnailLoader::previewReady, this,
            [this](quint64 token, const QImage& image, const QString& error) {
                if (token != m_previewToken)
                    return;
                if (image.isNull())
                    m_preview->setMessage(error.isEmpty() ? tr("The image could not be decoded") : error);
                else
                    m_preview->setPixmap(QPixmap::fromImage(image));
            });

    showEmpty(QString());
}

void DetailPanel::setActions(QAction* accept, QAction* reject, QAction* reset, QAction* edit)
{
    QAction* actions[] = {accept, reject, reset, edit};
    for (int k = 0; k < 4; ++k)
        m_buttons[k]->setDefaultAction(actions[k]);
}

void DetailPanel::showEmpty(const QString& message)
{
    if (m_editing)
        leaveEditMode();
    m_id = 0;
    m_detail.reset();
    m_deferred.reset();
    m_facets->clear();
    ++m_previewToken;
    m_preview->setMessage(message, false);
    m_info->setVisible(false);
}

void DetailPanel::showLoading(ItemId id, const ImageLocation& location, const QPixmap& thumbnail)
{
    if (id == m_id)
        return;
    m_id = id;
    m_detail.reset();
    m_location = location;
    m_info->setVisible(true);
    if (!thumbnail.isNull())
        m_preview->setPixmap(thumbnail, false);
    else
        m_preview->clear();
    requestPreview();
}

void DetailPanel::requestPreview()
{
    ++m_previewToken;
    if (!m_location.isValid())
        return;
    const qreal dpr = devicePixelRatioF();
    const QSize area = m_preview->size() * dpr;
    // Decode for the largest the panel is likely to get on this screen, not its size right now,
    // so that dragging the splitter does not need a second decode.
    const QSize available = screen() ? screen()->availableSize() * dpr : area;
    const int side = std::min(kMaxPreviewSide, std::max({area.width(), area.height(), available.height() / 2}));
    m_loader->requestPreview(m_location, side, m_previewToken);
}

void DetailPanel::refreshLegend()
{
    auto* legend = static_cast<QHBoxLayout*>(m_legend->layout());
    while (QLayoutItem* item = legend->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    for (const QString& key : FacetColors::keys()) {
        auto* d = new QLabel(m_legend);
        d->setPixmap(dot(FacetColors::color(key), 9, devicePixelRatioF()));
        auto* l = new QLabel(FacetColors::label(key), m_legend);
        l->setTextFormat(Qt::PlainText);
        l->setFont(small);
        legend->addWidget(d);
        legend->addWidget(l);
        legend->addSpacing(6);
    }
    legend->addStretch(1);
}

void DetailPanel::setDetail(const ItemDetail& d)
{
    if (m_editing) {
        // Never replace what the user is typing; show the fresh data once editing ends.
        if (d.summary.id == m_id)
            m_deferred = d;
        return;
    }
    const bool newItem = d.summary.id != m_id || !m_location.isValid();
    m_id = d.summary.id;
    m_detail = d;
    m_info->setVisible(true);

    const ItemSummary& s = d.summary;
    m_title->setText(s.extId);
    QStringList sub{s.source};
    if (!s.image.isEmpty())
        sub << s.image;
    sub << tr("%n character(s)", nullptr, s.chars);
    QString subtitle = sub.join(QStringLiteral(" · "));
    if (s.imageState == ImageState::Missing)
        subtitle += u'\n' + tr("Image missing: %1").arg(d.imageError.isEmpty() ? s.image : d.imageError);
    else if (s.imageState == ImageState::Broken)
        subtitle += u'\n' + tr("Broken image: %1").arg(d.imageError);
    m_subtitle->setText(subtitle);

    m_statusDot->setPixmap(dot(StatusColors::color(s.status), 12, devicePixelRatioF()));
    QString status = StatusColors::label(s.status);
    if (s.status != Status::Pending) {
        if (!d.reviewer.isEmpty())
            status = tr("%1 by %2", "Accepted by alice").arg(status, d.reviewer);
        if (!d.reviewedAt.isEmpty())
            status += u" · " + localTime(d.reviewedAt);
        if (!d.reason.isEmpty())
            status += u" — " + d.reason;
    }
    m_statusText->setText(status);
    m_recaptioned->setVisible(s.recaptioned);

    if (newItem || m_location.cacheKey() != s.location.cacheKey()) {
        m_location = s.location;
        if (s.imageState == ImageState::None || !s.location.isValid()) {
            m_preview->setMessage(tr("This record has no image"));
            ++m_previewToken;
        } else if (s.imageState == ImageState::Missing) {
            m_preview->setMessage(tr("Image missing\n%1").arg(s.image));
            ++m_previewToken;
        } else if (m_preview->pixmap().isNull() || !m_preview->isSharp()) {
            requestPreview();
        }
    }

    // Versions, newest first: the current one is what the caption shows.
    m_versions->blockSignals(true);
    m_versions->clear();
    for (qsizetype k = d.versions.size() - 1; k >= 0; --k) {
        const CaptionVersion& v = d.versions.at(k);
        QString who = v.origin == Origin::Model ? v.model : v.author;
        if (v.origin == Origin::Model && !v.author.isEmpty())
            who = tr("%1 (run by %2)").arg(v.model, v.author);
        auto* item = new QTreeWidgetItem(m_versions,
                                         {tr("v%1").arg(k + 1), originLabel(v), who, localTime(v.createdAt)});
        item->setData(0, Qt::UserRole, static_cast<qlonglong>(k));
        item->setToolTip(0, plainToolTip(v.text.left(600)));
        if (v.undone) {
            item->setText(0, tr("v%1 (undone)").arg(k + 1));
            for (int c = 0; c < 4; ++c)
                item->setForeground(c, palette().brush(QPalette::PlaceholderText));
        }
        if (v.id == d.currentVersion) {
            QFont f = item->font(0);
            f.setBold(true);
            for (int c = 0; c < 4; ++c)
                item->setFont(c, f);
            item->setText(0, tr("v%1 (current)").arg(k + 1));
            item->setSelected(true);
        }
    }
    m_versions->blockSignals(false);

    m_history->clear();
    if (d.history.isEmpty()) {
        // An empty table reads as "not loaded"; say what will appear here.
        auto* none = new QTreeWidgetItem(m_history, {QString(), tr("No review actions on this record yet"), QString()});
        none->setForeground(1, palette().brush(QPalette::PlaceholderText));
        none->setFlags(Qt::NoItemFlags);
    }
    for (const ItemDetail::HistoryEntry& h : d.history) {
        QString what = h.summary.isEmpty() ? h.kind : h.summary;
        if (h.undone)
            what = tr("%1 (undone)").arg(what);
        auto* item = new QTreeWidgetItem(m_history, {localTime(h.at), what, h.author});
        if (h.undone)
            for (int c = 0; c < 3; ++c)
                item->setForeground(c, palette().brush(QPalette::PlaceholderText));
    }

    m_note->hide();
    showCaption(d.caption, true);
    m_facets->setDetail(d);
}

void DetailPanel::showCaption(const QString& text, bool highlight)
{
    // setPlainText: the caption is user data and is never interpreted as markup.
    m_caption->setPlainText(text);
    QList<QTextEdit::ExtraSelection> selections;
    if (highlight && m_detail) {
        const int length = static_cast<int>(text.size());
        for (const Segment& seg : m_detail->segments) {
            if (seg.facets.isEmpty() || seg.start < 0 || seg.end > length || seg.start >= seg.end)
                continue;
            QTextEdit::ExtraSelection sel;
            sel.cursor = QTextCursor(m_caption->document());
            sel.cursor.setPosition(seg.start);
            sel.cursor.setPosition(seg.end, QTextCursor::KeepAnchor);
            QColor tint = FacetColors::color(seg.facets.first());
            tint.setAlphaF(0.18f);
            sel.format.setBackground(tint);
            sel.format.setToolTip(FacetColors::label(seg.facets.first()));
            selections.append(sel);
        }
    }
    m_caption->setExtraSelections(selections);
    m_legend->setVisible(highlight && !selections.isEmpty());
}

void DetailPanel::showVersion()
{
    if (!m_detail || m_editing)
        return;
    const QList<QTreeWidgetItem*> selected = m_versions->selectedItems();
    if (selected.isEmpty())
        return;
    const auto k = static_cast<qsizetype>(selected.first()->data(0, Qt::UserRole).toLongLong());
    if (k < 0 || k >= m_detail->versions.size())
        return;
    const CaptionVersion& v = m_detail->versions.at(k);
    if (v.id == m_detail->currentVersion) {
        m_note->hide();
        showCaption(m_detail->caption, true);
    } else {
        m_note->setText(tr("Showing version %1 (%2), not the current caption.").arg(k + 1).arg(originLabel(v)));
        m_note->show();
        showCaption(v.text, false);
    }
}

void DetailPanel::setEditable(bool editable)
{
    m_editable = editable;
    m_facets->setEditable(editable);
    if (!editable && m_editing)
        cancelEdit();
}

bool DetailPanel::beginEdit()
{
    if (!m_editable || !m_detail || m_editing)
        return false;
    m_editing = true;
    m_editOriginal = m_detail->caption;
    showCaption(m_editOriginal, false);
    m_caption->setReadOnly(false);
    m_caption->moveCursor(QTextCursor::End);
    m_note->setText(tr("Editing: Ctrl+Enter saves a new version, Esc cancels."));
    m_note->show();
    m_versions->setEnabled(false);
    m_caption->setFocus(Qt::ShortcutFocusReason);
    return true;
}

void DetailPanel::leaveEditMode()
{
    m_editing = false;
    m_caption->setReadOnly(true);
    m_versions->setEnabled(true);
    m_note->hide();
}

void DetailPanel::commitEdit()
{
    if (!m_editing)
        return;
    const QString text = m_caption->toPlainText();
    const bool changed = text != m_editOriginal;
    leaveEditMode();
    if (changed && m_detail) {
        // Show the saved text at once; the worker's fresh detail replaces it when it arrives.
        m_detail->caption = text;
        m_detail->segments.clear();
        Q_EMIT saveRequested(m_id, text);
    }
    if (m_deferred) {
        ItemDetail d = *m_deferred;
        m_deferred.reset();
        if (!changed)
            setDetail(d);
    }
    if (m_detail)
        showCaption(m_detail->caption, !changed);
    Q_EMIT editFinished();
}

void DetailPanel::cancelEdit()
{
    if (!m_editing)
        return;
    leaveEditMode();
    if (m_deferred) {
        const ItemDetail d = *m_deferred;
        m_deferred.reset();
        setDetail(d);
    } else if (m_detail) {
        showCaption(m_detail->caption, true);
    }
    Q_EMIT editFinished();
}

bool DetailPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_caption && m_editing && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && (key->modifiers() & Qt::ControlModifier)) {
            commitEdit();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            cancelEdit();
            return true;
        }
    }
    if (watched == m_caption && m_editing && event->type() == QEvent::ShortcutOverride) {
        // Ctrl+Enter and Esc belong to the editor while editing, not to window shortcuts.
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape
            || ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
                && (key->modifiers() & Qt::ControlModifier))) {
            event->accept();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace facet
