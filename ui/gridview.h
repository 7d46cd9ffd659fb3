#pragma once

#include <QListView>
#include <QTimer>

namespace facet {

class GridDelegate;
class GridModel;
class ThumbnailLoader;

/**
 * The thumbnail grid: a QListView in icon mode with uniform cells. After scrolling or resizing
 * settles it tells the model which rows are visible (so their pages load) and asks the loader for
 * their thumbnails, visible rows first, then the next screen. It looks only at rows near the
 * viewport, never at every row, so it stays fast with a million items. With no rows it paints an
 * empty-state message saying what to do next.
 */
class GridView final : public QListView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GridView)

public:
    GridView(ThumbnailLoader* loader, QWidget* parent = nullptr);

    void setGridModel(GridModel* model);
    GridModel* gridModel() const { return m_model; }

    /** Text shown centred when there are no rows ("Import a ShareGPT4V file… (Ctrl+I)"). */
    void setEmptyText(const QString& text);
    QString emptyText() const { return m_emptyText; }

    void setThumbnailSide(int side);
    int thumbnailSide() const;

    /** First and last row intersecting the viewport (-1, -1 when empty). */
    QPair<int, int> visibleRows() const;

public Q_SLOTS:
    /** Re-evaluates which thumbnails and pages are needed, after a short delay. */
    void scheduleUpdate();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void changeEvent(QEvent* event) override;

private:
    void updateNeeded();
    void updateGrid();

    ThumbnailLoader* m_loader;
    GridDelegate* m_delegate;
    GridModel* m_model = nullptr;
    QTimer m_debounce;
    QString m_emptyText;
};

} // namespace facet
