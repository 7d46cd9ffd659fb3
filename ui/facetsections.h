#pragma once

#include "facetclassifier.h"
#include "itemstore.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTreeWidget;
class QTreeWidgetItem;

namespace facet {

/**
 * The caption grouped by facet: one collapsible section per facet in the fixed facet order, with
 * its colour, name and count, listing the sentences that carry the facet (a sentence with two
 * facets is listed under both). A facet the caption lacks still gets its section, saying so in a
 * muted style: a missing facet is a signal, not an absence.
 *
 * Sentence rows act on the sentence: F2 (or Edit) opens an editor below the list, Ctrl+Enter asks
 * to save the edited sentence, Esc cancels; M (or Move to) moves it to another facet; Del deletes
 * it. The widget only asks (signals); the owner runs the change and sends the fresh detail.
 * W (or "Why this facet?") opens a read-only panel below the list explaining the selected sentence
 * with the project's facet model: the facets the classifier gives with their probabilities and the
 * cues behind them; while open it follows the selection, W or Esc closes it. The tree keeps the
 * focus. Caption text is shown as plain text only.
 */
class FacetSections final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FacetSections)

public:
    explicit FacetSections(QWidget* parent = nullptr);

    void setDetail(const ItemDetail& detail);
    void clear();
    void setEditable(bool editable);

    QTreeWidget* tree() const { return m_tree; }
    QPlainTextEdit* editor() const { return m_editor; }
    /** The "Why this facet?" panel (read-only plain text). */
    QPlainTextEdit* explanationView() const { return m_why; }
    bool isExplaining() const { return m_whyOpen; }
    bool isEditing() const { return m_editIndex >= 0; }

    /** The segment index of the selected sentence row, or -1. */
    int currentSegment() const;
    /** Starts editing the selected sentence; false when none is selected or editing is off. */
    bool beginEdit();
    void commitEdit();
    void cancelEdit();
    /** Opens the "Move to facet" menu for the selected sentence. */
    void showMoveMenu();
    void deleteCurrent();
    /** Moves the selected sentence to `facet` (it becomes the primary facet). */
    void moveCurrentTo(const QString& facet);

    /**
     * The project's facet model, loaded by the worker thread: explanations never touch the
     * database, they only run the classifier (microseconds) on the selected sentence.
     */
    void setFacetModel(const facet::FacetModel& model);
    /** The project's model could not be loaded: explanations say so instead. */
    void setFacetModelError(const QString& message);
    /** No project: explanations wait for the next model. */
    void clearFacetModel();
    /** Shows the explanation of the selected sentence, or hides it when shown (W). */
    void toggleExplanation();
    void hideExplanation();

Q_SIGNALS:
    void editRequested(facet::ItemId id, int segment, const QString& text);
    void deleteRequested(facet::ItemId id, int segment);
    void relabelRequested(facet::ItemId id, int segment, const QStringList& facets);
    /** The explanation panel was shown or hidden (the owner may give the tab more room). */
    void explanationVisibilityChanged(bool visible);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void rebuild();
    void showContextMenu(const QPoint& pos);
    QString segmentText(int index) const;
    void updateExplanation();
    QString explanationText(int index) const;

    QTreeWidget* m_tree;
    QLabel* m_editLabel;
    QPlainTextEdit* m_editor;
    QSplitter* m_split;
    QWidget* m_whyBox;
    QLabel* m_whyLabel;
    QPlainTextEdit* m_why;
    std::optional<FacetClassifier> m_classifier;
    QString m_modelError;
    bool m_whyOpen = false;
    bool m_whySized = false;
    std::optional<ItemDetail> m_detail;
    bool m_editable = true;
    int m_editIndex = -1;
};

} // namespace facet
