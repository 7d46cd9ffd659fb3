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
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <utility>

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

// Cues listed per facet in the explanation; the rest add little and would bury the strong ones.
constexpr int kCuesShown = 6;
constexpr QStringView kIndent = u"  ";
constexpr QStringView kGap = u"  ";

QString signedWeight(double w)
{
    // U+2212: a real minus lines up with the plus sign in a proportional font.
    return (w < 0 ? QStringLiteral("\u2212") : QStringLiteral("+")) + QString::number(std::abs(w), 'f', 2);
}

QString percent(double p)
{
    const int rounded = qRound(p * 100);
    return rounded == 0 && p > 0 ? QStringLiteral("<1%") : QString::number(rounded) + u'%';
}

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
    m_tree->setToolTip(
        tr("F2 edit the sentence, M move it to another facet, Del delete it, W show why it has its facet"));
    m_tree->header()->setSectionResizeMode(QHeaderView::Stretch);
    m_tree->setItemDelegate(new WrappingDelegate(m_tree));
    // Wrapped sentences are rows several lines tall: scrolling by pixel keeps them readable, and
    // scrollToItem() then shows a row whole (per item, a half-visible row counts as visible).
    m_tree->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_tree->installEventFilter(this);
    // Row heights of wrapped sentences depend on the width; the view caches them, so lay the rows
    // out again when the width changes.
    m_tree->viewport()->installEventFilter(this);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &FacetSections::showContextMenu);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        if (item && item->data(0, kSegmentRole).isValid())
            beginEdit();
    });
    // The explanation shares the list's height through a splitter: the tab is short in a typical
    // window, and a fixed-height panel would leave the list two rows or the explanation a few lines.
    m_split = new QSplitter(Qt::Vertical, this);
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(m_tree);
    layout->addWidget(m_split, 1);

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

    m_whyBox = new QWidget(m_split);
    auto* whyLayout = new QVBoxLayout(m_whyBox);
    whyLayout->setContentsMargins(0, 4, 0, 0);
    whyLayout->setSpacing(2);
    m_whyLabel = new QLabel(m_whyBox);
    whyLayout->addWidget(m_whyLabel);
    m_why = new QPlainTextEdit(m_whyBox);
    m_why->setObjectName(QStringLiteral("facetExplanation"));
    m_why->setAccessibleName(tr("Why this facet"));
    m_why->setReadOnly(true);
    // Plain text: the sentence and the matched cue text are caption data, never markup.
    m_why->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    // Showing the explanation must leave the keyboard in the tree (W again, arrows to the next
    // sentence); a click still focuses it to select and copy text.
    m_why->setFocusPolicy(Qt::ClickFocus);
    m_why->setMinimumHeight(m_why->fontMetrics().lineSpacing() * 4);
    m_why->installEventFilter(this);
    whyLayout->addWidget(m_why, 1);
    m_split->addWidget(m_whyBox);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 1);
    m_whyBox->setVisible(false);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] { updateExplanation(); });
}

void FacetSections::setDetail(const ItemDetail& detail)
{
    // A refresh of the same caption version (another window, the poll) keeps the sentence being
    // edited; anything else makes its index meaningless.
    const bool sameVersion = m_detail && m_detail->summary.id == detail.summary.id
                             && m_detail->currentVersion == detail.currentVersion;
    if (isEditing() && !sameVersion)
        cancelEdit();
    m_detail = detail;
    rebuild();
    updateExplanation(); // a relabelled sentence now says who labelled it
}

void FacetSections::clear()
{
    if (isEditing())
        cancelEdit();
    m_detail.reset();
    m_tree->clear();
    updateExplanation();
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
    QTreeWidgetItem* sameSentence = nullptr; // a moved sentence is found under its new primary facet
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
            // Under its primary facet if it has one there (a move makes the target the primary),
            // else under the first facet it is listed under.
            if (int(k) == selectedSegment && (!sameSentence || key == s.facets.first()))
                sameSentence = row;
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
    if (!restore)
        restore = sameSentence;
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
    menu.addSeparator();
    // Reading the explanation changes nothing, so it stays available in a read-only project.
    QAction* why = menu.addAction(tr("Why this facet?"), this, [this] {
        m_whyOpen = true;
        updateExplanation();
    });
    why->setShortcut(QKeySequence(Qt::Key_W));
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

void FacetSections::setFacetModel(const FacetModel& model)
{
    m_classifier.emplace(model);
    m_modelError.clear();
    updateExplanation();
}

void FacetSections::setFacetModelError(const QString& message)
{
    m_classifier.reset();
    m_modelError = message;
    updateExplanation();
}

void FacetSections::clearFacetModel()
{
    m_classifier.reset();
    m_modelError.clear();
    updateExplanation();
}

void FacetSections::toggleExplanation()
{
    if (m_whyOpen) {
        hideExplanation();
        return;
    }
    if (currentSegment() < 0)
        return;
    m_whyOpen = true;
    updateExplanation();
}

void FacetSections::hideExplanation()
{
    m_whyOpen = false;
    updateExplanation();
}

// While open, the panel follows the selection: it explains the selected sentence and hides itself
// on rows that are not sentences (a section, "No … sentences"), coming back on the next sentence.
void FacetSections::updateExplanation()
{
    const int index = currentSegment();
    const bool show = m_whyOpen && m_detail && index >= 0;
    if (show) {
        m_whyLabel->setText(tr("Why this facet? Sentence %1 — W or Esc hides").arg(index + 1));
        const QString text = explanationText(index);
        if (m_why->toPlainText() != text)
            m_why->setPlainText(text);
        m_why->setAccessibleDescription(tr("Explanation of sentence %1").arg(index + 1));
    }
    if (show != m_whyBox->isVisibleTo(this)) {
        m_whyBox->setVisible(show);
        Q_EMIT explanationVisibilityChanged(show);
    }
    if (show && !m_whySized) {
        // First opening: half the height each; later the splitter keeps what the user chose.
        m_whySized = true;
        const int h = m_split->height();
        m_split->setSizes({h - h / 2, h / 2});
    }
}

QString FacetSections::explanationText(int index) const
{
    if (!m_classifier) {
        return m_modelError.isEmpty() ? tr("Loading the project's facet model…")
                                      : tr("The project's facet model could not be loaded: %1").arg(m_modelError);
    }
    const Segment& segment = m_detail->segments.at(index);
    const QString sentence = segmentText(index);
    const Classification c = m_classifier->explain(sentence);
    // Translated names for the built-in facets, declared names for the project's own.
    const auto label = &FacetColors::label;
    // The primary's figure is its share of the softmax; a secondary facet's is what its yes/no head
    // says (the probability that the sentence carries it), which is what decided it.
    const auto probability = [&c](const QString& key, bool primary) {
        const FacetScore* s = c.score(key);
        if (!s)
            return 0.0;
        return !primary && s->carries >= 0.0 ? s->carries : s->probability;
    };

    QStringList said;
    for (qsizetype k = 0; k < c.facets.size(); ++k)
        said << tr("%1 %2", "facet name, its probability")
                    .arg(label(c.facets[k]), percent(probability(c.facets[k], k == 0)));
    const QString classifierSays = said.join(QStringLiteral(", "));

    QStringList lines;
    if (segment.facets != c.facets) {
        QStringList stored;
        for (const QString& f : segment.facets)
            stored << label(f);
        if (segment.byReviewer)
            lines << tr("Labelled by a reviewer as %1; the classifier says: %2")
                         .arg(stored.join(QStringLiteral(", ")), classifierSays);
        else // classified with an earlier model or cues: a re-index would store what it says now
            lines << tr("Stored as %1 when the caption was indexed; the classifier now says: %2")
                         .arg(stored.join(QStringLiteral(", ")), classifierSays);
    } else {
        lines << tr("The classifier says: %1 (primary first)").arg(classifierSays);
    }

    bool anyCue = false;
    for (const FacetScore& s : c.scores)
        anyCue = anyCue || !s.cues.isEmpty();
    if (!anyCue) {
        lines << tr("The sentence matched no cue, hence %1.").arg(label(QStringLiteral("other")));
        return lines.join(u'\n');
    }

    // Which facets to explain: the classifier's primary and every facet the sentence is stored
    // under; when the classifier fell back to "other" because it was unsure, also the facet that
    // came closest, which is what the cues were pointing at.
    QStringList explained;
    if (!c.facets.isEmpty())
        explained << c.facets.first();
    if (!c.confident) {
        const FacetScore* best = nullptr;
        for (const FacetScore& s : c.scores) {
            if (!best || s.probability > best->probability)
                best = &s;
        }
        if (best) {
            lines << tr("No facet was likely enough (the most likely, %1, has %2), hence %3.")
                         .arg(label(best->facet), percent(best->probability), label(QStringLiteral("other")));
            if (!explained.contains(best->facet))
                explained << best->facet;
        }
    }
    const qsizetype bySoftmax = explained.size();
    for (const QString& f : segment.facets) {
        if (!explained.contains(f))
            explained << f;
    }

    for (qsizetype k = 0; k < explained.size(); ++k) {
        const QString& key = explained[k];
        const FacetScore* s = c.score(key);
        if (!s)
            continue; // a facet the project's model no longer has
        // The primary, and the facet "other" fell back from, are the softmax's; any other facet is
        // decided by its yes/no head, when it has one.
        const bool byHead = k >= bySoftmax && s->carries >= 0.0;
        lines << QString();
        if (byHead)
            lines << tr("%1 — carried with %2, needs %3 (score %4, bias %5)",
                        "facet name, probability, threshold, score, bias")
                         .arg(label(key), percent(s->carries), percent(s->carriesThreshold),
                              QString::number(s->carriesScore, 'f', 2), signedWeight(s->carriesBias));
        else
            lines << tr("%1 — %2 (score %3, bias %4)", "facet name, probability, score, bias")
                         .arg(label(key), percent(s->probability), QString::number(s->score, 'f', 2),
                              signedWeight(s->bias));
        const QList<CueContribution>& cues = byHead ? s->carriesCues : s->cues;
        // Returns QString, not auto: with QStringBuilder the expression would outlive its temporaries.
        const auto cueLine = [](const CueContribution& cue) -> QString {
            // The label usually quotes the cue ('word "red"'); the matched text is worth showing
            // only when it differs (case, a phrase matched by pattern, a pattern's span).
            // (Translated labels quote with “…”.)
            const bool quoted = cue.label.contains(QLatin1Char('"') + cue.text + QLatin1Char('"'), Qt::CaseInsensitive)
                                || cue.label.contains(u'“' + cue.text + u'”', Qt::CaseInsensitive);
            // The quoted-text pattern matches the quotation marks too: "OPEN", not “"OPEN"”.
            const QString text = cue.text.simplified();
            const bool ownQuotes = text.size() >= 2 && QStringView(u"\"“'‘「『《").contains(text.front())
                                   && QStringView(u"\"”'’」』》").contains(text.back());
            // Indented under the facet's line; the weight first so the column of numbers reads down.
            return kIndent + signedWeight(cue.weight) + kGap
                   + (quoted      ? cue.label
                      : ownQuotes ? tr("%1: %2", "cue, the quoted text of the sentence it matched").arg(cue.label, text)
                                  : tr("%1: “%2”", "cue, the text of the sentence it matched").arg(cue.label, text));
        };
        int shown = 0;
        for (const CueContribution& cue : cues) {
            if (cue.weight <= 0 || shown == kCuesShown)
                break;
            lines << cueLine(cue);
            ++shown;
        }
        const int positive = int(
            std::count_if(cues.cbegin(), cues.cend(), [](const CueContribution& cue) { return cue.weight > 0; }));
        if (positive > shown)
            lines << kIndent + tr("… %n more cue(s) for it", nullptr, positive - shown);
        if (positive == 0)
            lines << kIndent + tr("No cue for this facet");
        if (!cues.isEmpty() && cues.last().weight < 0)
            lines << kIndent + tr("Strongest cue against:") << cueLine(cues.last());
    }
    return lines.join(u'\n');
}

bool FacetSections::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_tree->viewport() && event->type() == QEvent::Resize) {
        auto* resize = static_cast<QResizeEvent*>(event);
        if (resize->size().width() != resize->oldSize().width())
            QMetaObject::invokeMethod(m_tree, &QTreeView::doItemsLayout, Qt::QueuedConnection);
        // The explanation panel takes height from the list: keep the sentence it explains in view
        // (after the relayout above; EnsureVisible leaves a visible row where it is).
        if (m_whyOpen && resize->size().height() != resize->oldSize().height()) {
            QMetaObject::invokeMethod(
                m_tree,
                [tree = m_tree] {
                    if (tree->currentItem())
                        tree->scrollToItem(tree->currentItem());
                },
                Qt::QueuedConnection);
        }
        return false;
    }
    if (event->type() == QEvent::ShortcutOverride) {
        // The window's single-key shortcuts (review keys) must not take the sentence keys, nor the
        // keys typed into the sentence editor.
        auto* key = static_cast<QKeyEvent*>(event);
        const bool sentenceKey = key->modifiers() == Qt::NoModifier
                                 && (key->key() == Qt::Key_F2 || key->key() == Qt::Key_M || key->key() == Qt::Key_Delete
                                     || key->key() == Qt::Key_W);
        const bool closesExplanation = m_whyOpen && key->modifiers() == Qt::NoModifier && key->key() == Qt::Key_Escape;
        if ((watched == m_tree && sentenceKey && currentSegment() >= 0)
            || ((watched == m_tree || watched == m_why) && closesExplanation)
            || (watched == m_editor && !(key->modifiers() & Qt::ControlModifier))) {
            event->accept();
            return true;
        }
    }
    if (event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (watched == m_why && key->key() == Qt::Key_Escape && m_whyOpen) {
            hideExplanation();
            m_tree->setFocus(Qt::OtherFocusReason);
            return true;
        }
        if (watched == m_tree && key->modifiers() == Qt::NoModifier && key->key() == Qt::Key_Escape && m_whyOpen) {
            hideExplanation();
            return true;
        }
        if (watched == m_editor) {
            if (key->key() == Qt::Key_Escape) {
                cancelEdit();
                return true;
            }
            if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
                && (key->modifiers() & Qt::ControlModifier)) {
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
            case Qt::Key_W:
                toggleExplanation();
                return true;
            default:
                break;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace facet
