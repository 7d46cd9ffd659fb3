#pragma once

#include "itemstore.h"

#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTabWidget;
class QToolButton;
class QTreeWidget;

namespace facet {

class FacetSections;
class ImagePreview;
class ThumbnailLoader;

/**
 * The right-hand panel: the large preview, the record's identity and review status, the caption
 * as plain text (never rich text) with its facet spans highlighted in the facet colours, the
 * caption versions with their provenance, and the record's history. E turns the caption into an
 * editor in place; Ctrl+Enter asks to save it as a new human version, Esc cancels.
 */
class DetailPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailPanel)

public:
    DetailPanel(ThumbnailLoader* loader, QWidget* parent = nullptr);

    /** Buttons under the status line trigger these actions (accept, reject, reset, edit). */
    void setActions(QAction* accept, QAction* reject, QAction* reset, QAction* edit);

    /** No item: shows `message` (what to do next) instead of a blank panel. */
    void showEmpty(const QString& message);
    /** The user moved to `id`; its detail is on its way. Shows the grid thumbnail meanwhile. */
    void showLoading(ItemId id, const ImageLocation& location, const QPixmap& thumbnail);
    void setDetail(const ItemDetail& detail);
    ItemId itemId() const { return m_id; }
    bool hasDetail() const { return m_detail.has_value(); }
    const ItemDetail* detail() const { return m_detail ? &*m_detail : nullptr; }

    void setEditable(bool editable);
    /** Starts editing the caption; false when there is nothing to edit or the project is read-only. */
    bool beginEdit();
    bool isEditing() const { return m_editing; }
    /** Saves the edit if the text changed (emits saveRequested), then leaves edit mode. */
    void commitEdit();
    void cancelEdit();

    QPlainTextEdit* captionView() const { return m_caption; }
    QTreeWidget* versionsView() const { return m_versions; }
    QSplitter* splitter() const { return m_splitter; }
    FacetSections* facetSections() const { return m_facets; }
    /** Rebuilds the facet legend from FacetColors (after the open project's own facets changed). */
    void refreshLegend();
    QTabWidget* tabs() const { return m_tabs; }

Q_SIGNALS:
    void saveRequested(facet::ItemId id, const QString& text);
    /** From the "By facet" tab: replace, delete or relabel one sentence of the current caption. */
    void segmentEditRequested(facet::ItemId id, int segment, const QString& text);
    void segmentDeleteRequested(facet::ItemId id, int segment);
    void segmentRelabelRequested(facet::ItemId id, int segment, const QStringList& facets);
    /** Editing ended (saved or cancelled): the grid takes the focus back. */
    void editFinished();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showCaption(const QString& text, bool highlight);
    void showVersion();
    void requestPreview();
    void leaveEditMode();

    ThumbnailLoader* m_loader;
    ImagePreview* m_preview;
    QSplitter* m_splitter;
    QWidget* m_info;
    QLabel* m_title;
    QLabel* m_subtitle;
    QLabel* m_statusDot;
    QLabel* m_statusText;
    QLabel* m_recaptioned;
    QToolButton* m_buttons[4] = {};
    QPlainTextEdit* m_caption;
    QLabel* m_note;
    QWidget* m_legend;
    QTabWidget* m_tabs;
    FacetSections* m_facets;
    QTreeWidget* m_versions;
    QTreeWidget* m_history;

    ItemId m_id = 0;
    std::optional<ItemDetail> m_detail;
    std::optional<ItemDetail> m_deferred; ///< arrived while editing; applied afterwards
    ImageLocation m_location;
    quint64 m_previewToken = 0;
    bool m_editable = true;
    bool m_editing = false;
    QString m_editOriginal;
};

} // namespace facet
