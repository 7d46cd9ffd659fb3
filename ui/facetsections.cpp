#include "facetsections.h"

#include "facetcolors.h"
#include "plaintext.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPlainTextEdit>
#include <QResizeEvent>
#include <QSet>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace facet {

namespace {

constexpr int kSegmentRole = Qt::UserRole + 1; ///< segment index; absent on section and empty rows
constexpr int kFacetRole = Qt::UserRole + 2;   ///< the facet key of the section a row is in

QIcon swatch(const QColor& color)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawRoundedRect(QRectF(1, 1, 10, 10), 3, 3);
    return QIcon(pm);
}

// QTreeView sizes wrapped rows for the full column width, but paints them indented, so long
// sentences lose their last line. This measures the text at the width it is painted at.
class WrappingDelegate final : public QStyledItemDelegate
{
public:
    explicit WrappingDelegate(QTreeWidget* tree)
        : QStyledItemDelegate(tree)
        , m_tree(tree)
    {
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        int depth = 0;
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            ++depth;
        const int width = m_tree->viewport()->width() - m_tree->indentation() * (depth + 1) - 8;
        if (width <= 0)
            return size;
        QFont font = option.font;
        if (const QVariant f = index.data(Qt::FontRole); f.isValid())
            font = f.value<QFont>();
        const QRect r = QFontMetrics(font).boundingRect(QRect(0, 0, width, 1 << 20), Qt::TextWordWrap,
                                                        index.data(Qt::DisplayRole).toString());
        size.setHeight(std::max(size.height(), r.height() + 4));
        return size;
    }

private:
    QTreeWidget* m_tree;
};

} // namespace

FacetSections::FacetSections(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("facetSections"));
    m_tree->setHeaderHidden(true);
    m_tree->setColumnCount(1);
    m_tree->setWordWrap(true);
    m_tree->setUniformRowHeights(false);
    m_tree->setTextElideMode(Qt::ElideNone);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setAccessibleName(tr("Caption by facet"));
    m_tree->setToolTip(tr("F2 edit the sentence, M move it to another facet, Del delete it"));
    m_tree->header()->setSectionResizeMode(QHeaderView::Stretch);
    m_tree->setItemDelegate(new WrappingDelegate(m_tree));
    m_tree->installEventFilter(this);
    // Row heights of wrapped sentences depend on the width; the view caches them, so lay the rows
    // out again when the width changes.
    m_tree->viewport()->installEventFilter(this);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &FacetSections::showContextMenu);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        if (item && item->data(0, kSegmentRole).isValid())
            beginEdit();
    });
    layout->addWidget(m_tree, 1);

    m_editLabel = new QLabel(this);
    m_editLabel->setVisible(false);
    layout->addWidget(m_editLabel);
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("segmentEditor"));
    m_editor->setAccessibleName(tr("Edit sentence"));
    m_editor->setMaximumHeight(110);
    m_editor->setVisible(false);
    m_editor->installEventFilter(this);
    layout->addWidget(m_editor);
}

void FacetSections::setDetail(const ItemDetail& detail)
{
    // A refresh of the same caption version (another window, the poll) keeps the sentence being
    // edited; anything else makes its index meaningless.
    const bool sameVersion = m_detail && m_detail->summary.id == detail.summary.id &&
                             m_detail->currentVersion == detail.currentVersion;
    if (isEditing() && !sameVersion)
        cancelEdit();
    m_detail = detail;
    rebuild();
}

void FacetSections::clear()
{
    if (isEditing())
        cancelEdit();
    m_detail.reset();
    m_tree->clear();
}

void FacetSections::setEditable(bool editable)
{
    m_editable = editable;
    if (!editable && isEditing())
        cancelEdit();
}

QString FacetSections::segmentText(int index) const
{
    if (!m_detail || index < 0 || index >= m_detail->segments.size())
        return {};
    const Segment& s = m_detail->segments.at(index);
    return m_detail->caption.mid(s.start, s.end - s.start);
}

void FacetSections::rebuild()
{
    // Keep the user's place: which sections are collapsed and which sentence is selected.
    QSet<QString> collapsed;
    for (int k = 0; k < m_tree->topLevelItemCount(); ++k) {
        QTreeWidgetItem* top = m_tree->topLevelItem(k);
        if (!top->isExpanded())
            collapsed.insert(top->data(0, kFacetRole).toString());
    }
    QString selectedFacet;
    int selectedSegment = -1;
    if (QTreeWidgetItem* cur = m_tree->currentItem()) {
        selectedFacet = cur->data(0, kFacetRole).toString();
        selectedSegment = cur->data(0, kSegmentRole).isValid() ? cur->data(0, kSegmentRole).toInt() : -1;
    }
    m_tree->clear();
    if (!m_detail)
        return;

    QStringList order = FacetColors::keys();
    for (const Segment& s : m_detail->segments) {
        for (const QString& f : s.facets) {
            if (!order.contains(f))
                order.append(f); // a project's own facet, after the built-in ones
        }
    }
    const QColor muted = palette().color(QPalette::Disabled, QPalette::Text);
    QTreeWidgetItem* restore = nullptr;
    for (const QString& key : order) {
        auto* section = new QTreeWidgetItem(m_tree);
        section->setData(0, kFacetRole, key);
        section->setIcon(0, swatch(FacetColors::color(key)));
        QFont bold = section->font(0);
        bold.setBold(true);
        section->setFont(0, bold);
        section->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        int count = 0;
        for (qsizetype k = 0; k < m_detail->segments.size(); ++k) {
            const Segment& s = m_detail->segments.at(k);
            if (!s.facets.contains(key))
                continue;
            ++count;
            auto* row = new QTreeWidgetItem(section);
            // Plain text: QTreeWidgetItem never interprets markup.
            QString text = segmentText(int(k)).simplified();
            if (s.facets.first() != key)
                text = tr("%1 (also %2)", "sentence text, then its primary facet")
                           .arg(text, FacetColors::label(s.facets.first()));
            row->setText(0, text);
            row->setData(0, kSegmentRole, int(k));
            row->setData(0, kFacetRole, key);
            QString tip = tr("Sentence %1 · facets: %2").arg(k + 1).arg(s.facets.join(QStringLiteral(", ")));
            if (s.byReviewer)
                tip += u'\n' + tr("Labelled by a reviewer");
            row->setToolTip(0, plainToolTip(tip));
            if (s.byReviewer) {
                QFont f = row->font(0);
                f.setItalic(true);
                row->setFont(0, f);
            }
            if (key == selectedFacet && int(k) == selectedSegment)
                restore = row;
        }
        section->setText(0, tr("%1 (%2)", "facet name, sentence count").arg(FacetColors::label(key)).arg(count));
        section->setData(0, Qt::AccessibleTextRole,
                         tr("%1: %n sentence(s)", nullptr, count).arg(FacetColors::label(key)));
        if (count == 0) {
            auto* empty = new QTreeWidgetItem(section);
            empty->setText(0, tr("No %1 sentences").arg(FacetColors::label(key).toLower()));
            empty->setData(0, kFacetRole, key);
            empty->setForeground(0, muted);
            QFont f = empty->font(0);
            f.setItalic(true);
            empty->setFont(0, f);
            empty->setFlags(Qt::ItemIsEnabled);
        }
        section->setExpanded(!collapsed.contains(key));
        if (!restore && selectedSegment < 0 && key == selectedFacet)
            restore = section;
    }
    if (restore)
        m_tree->setCurrentItem(restore);
    m_tree->doItemsLayout();
}

int FacetSections::currentSegment() const
{
    const QTreeWidgetItem* cur = m_tree->currentItem();
    if (!cur || !cur->data(0, kSegmentRole).isValid())
        return -1;
    return cur->data(0, kSegmentRole).toInt();
}

bool FacetSections::beginEdit()
{
    const int index = currentSegment();
    if (!m_editable || index < 0 || !m_detail)
        return false;
    m_editIndex = index;
    m_editLabel->setText(tr("Sentence %1 — Ctrl+Enter saves, Esc cancels").arg(index + 1));
    m_editLabel->setVisible(true);
    m_editor->setPlainText(segmentText(index));
    m_editor->setVisible(true);
    m_editor->setFocus(Qt::OtherFocusReason);
    m_editor->selectAll();
    return true;
}

void FacetSections::commitEdit()
{
    if (!isEditing() || !m_detail)
        return;
    const int index = m_editIndex;
    const QString text = m_editor->toPlainText().trimmed();
    const QString before = segmentText(index);
    cancelEdit();
    if (text.isEmpty())
        Q_EMIT deleteRequested(m_detail->summary.id, index);
    else if (text != before)
        Q_EMIT editRequested(m_detail->summary.id, index, text);
}

void FacetSections::cancelEdit()
{
    m_editIndex = -1;
    m_editor->setVisible(false);
    m_editLabel->setVisible(false);
    m_tree->setFocus(Qt::OtherFocusReason);
}

void FacetSections::moveCurrentTo(const QString& facet)
{
    const int index = currentSegment();
    if (!m_editable || index < 0 || !m_detail)
        return;
    const QTreeWidgetItem* cur = m_tree->currentItem();
    const QString from = cur->data(0, kFacetRole).toString();
    // The target becomes the primary facet; the facet it was moved away from is dropped, the
    // others stay as secondary facets.
    QStringList facets{facet};
    for (const QString& f : m_detail->segments.at(index).facets) {
        if (f != from && f != facet)
            facets.append(f);
    }
    if (facets == m_detail->segments.at(index).facets && m_detail->segments.at(index).byReviewer)
        return;
    Q_EMIT relabelRequested(m_detail->summary.id, index, facets);
}

void FacetSections::showMoveMenu()
{
    const int index = currentSegment();
    if (!m_editable || index < 0 || !m_detail)
        return;
    QMenu menu(this);
    menu.setTitle(tr("Move to facet"));
    const QString from = m_tree->currentItem()->data(0, kFacetRole).toString();
    for (const QString& key : FacetColors::keys()) {
        QAction* a = menu.addAction(swatch(FacetColors::color(key)), FacetColors::label(key));
        a->setEnabled(key != from);
        connect(a, &QAction::triggered, this, [this, key] { moveCurrentTo(key); });
    }
    const QRect r = m_tree->visualItemRect(m_tree->currentItem());
    menu.exec(m_tree->viewport()->mapToGlobal(r.bottomLeft()));
}

void FacetSections::deleteCurrent()
{
    const int index = currentSegment();
    if (!m_editable || index < 0 || !m_detail)
        return;
    Q_EMIT deleteRequested(m_detail->summary.id, index);
}

void FacetSections::showContextMenu(const QPoint& pos)
{
    QTreeWidgetItem* item = m_tree->itemAt(pos);
    if (!item || !item->data(0, kSegmentRole).isValid())
        return;
    m_tree->setCurrentItem(item);
    QMenu menu(this);
    QAction* edit = menu.addAction(tr("Edit sentence"), this, [this] { beginEdit(); });
    edit->setShortcut(QKeySequence(Qt::Key_F2));
    QMenu* move = menu.addMenu(tr("Move to facet"));
    const QString from = item->data(0, kFacetRole).toString();
    for (const QString& key : FacetColors::keys()) {
        QAction* a = move->addAction(swatch(FacetColors::color(key)), FacetColors::label(key));
        a->setEnabled(key != from);
        connect(a, &QAction::triggered, this, [this, key] { moveCurrentTo(key); });
    }
    QAction* del = menu.addAction(tr("Delete sentence"), this, [this] { deleteCurrent(); });
    del->setShortcut(QKeySequence::Delete);
    for (QAction* a : menu.actions())
        a->setEnabled(m_editable);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

bool FacetSections::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_tree->viewport() && event->type() == QEvent::Resize) {
        auto* resize = static_cast<QResizeEvent*>(event);
        if (resize->size().width() != resize->oldSize().width())
            QMetaObject::invokeMethod(m_tree, &QTreeView::doItemsLayout, Qt::QueuedConnection);
        return false;
    }
    if (event->type() == QEvent::ShortcutOverride) {
        // The window's single-key shortcuts (review keys) must not take the sentence keys, nor the
        // keys typed into the sentence editor.
        auto* key = static_cast<QKeyEvent*>(event);
        const bool sentenceKey = key->modifiers() == Qt::NoModifier &&
                                 (key->key() == Qt::Key_F2 || key->key() == Qt::Key_M || key->key() == Qt::Key_Delete);
        if ((watched == m_tree && sentenceKey && currentSegment() >= 0) ||
            (watched == m_editor && !(key->modifiers() & Qt::ControlModifier))) {
            event->accept();
            return true;
        }
    }
    if (event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (watched == m_editor) {
            if (key->key() == Qt::Key_Escape) {
                cancelEdit();
                return true;
            }
            if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
                (key->modifiers() & Qt::ControlModifier)) {
                commitEdit();
                return true;
            }
        } else if (watched == m_tree && key->modifiers() == Qt::NoModifier && currentSegment() >= 0) {
            switch (key->key()) {
            case Qt::Key_F2:
                beginEdit();
                return true;
            case Qt::Key_M:
                showMoveMenu();
                return true;
            case Qt::Key_Delete:
                deleteCurrent();
                return true;
            default:
                break;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace facet
