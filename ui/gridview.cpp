#include "gridview.h"

#include "griddelegate.h"
#include "gridmodel.h"
#include "thumbnailloader.h"

#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyle>

#include <cmath>

namespace facet {

namespace {

// Long enough to skip the frames of a fling, short enough that thumbnails appear as scrolling stops.
constexpr int kDebounceMs = 40;
// Screens of thumbnails requested beyond the visible one, in scroll direction order.
constexpr int kAheadScreens = 1;

} // namespace

GridView::GridView(ThumbnailLoader* loader, QWidget* parent)
    : QListView(parent)
    , m_loader(loader)
    , m_delegate(new GridDelegate(loader, this))
{
    setObjectName(QStringLiteral("grid"));
    setViewMode(QListView::IconMode);
    setMovement(QListView::Static);
    setResizeMode(QListView::Adjust);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setUniformItemSizes(true);
    setLayoutMode(QListView::SinglePass);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setDragEnabled(false);
    setSpacing(0);
    setFrameShape(QFrame::NoFrame);
    setItemDelegate(m_delegate);
    setMouseTracking(true);
    updateGrid();

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &GridView::updateNeeded);
    connect(loader, &ThumbnailLoader::thumbnailReady, viewport(), qOverload<>(&QWidget::update));
}

void GridView::setGridModel(GridModel* model)
{
    m_model = model;
    setModel(model);
    connect(model, &GridModel::pageLoaded, this, &GridView::scheduleUpdate);
    connect(model, &QAbstractItemModel::modelReset, this, &GridView::scheduleUpdate);
}

void GridView::setEmptyText(const QString& text)
{
    m_emptyText = text;
    viewport()->update();
}

void GridView::setThumbnailSide(int side)
{
    m_delegate->setThumbnailSide(side);
    updateGrid();
    scheduleUpdate();
}

int GridView::thumbnailSide() const
{
    return m_delegate->thumbnailSide();
}

void GridView::updateGrid()
{
    // Spread the leftover width over the columns instead of leaving a gap on the right. The
    // scroll bar's width is always subtracted so that it appearing does not change the columns.
    QSize cell = m_delegate->cellSize(font());
    // The list view wraps a row once it reaches the viewport's last pixel, so keep a pixel spare.
    const int available = contentsRect().width() - style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, this) - 2;
    const int columns = std::max(1, available / cell.width());
    if (available > cell.width())
        cell.setWidth(available / columns);
    if (cell == gridSize())
        return;
    setGridSize(cell);
    // Scroll a fraction of a row per wheel step, not a whole row: rows are tall.
    verticalScrollBar()->setSingleStep(std::max(20, gridSize().height() / 4));
}

void GridView::changeEvent(QEvent* event)
{
    QListView::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateGrid();
}

void GridView::scheduleUpdate()
{
    if (!m_debounce.isActive())
        m_debounce.start();
}

void GridView::resizeEvent(QResizeEvent* event)
{
    QListView::resizeEvent(event);
    updateGrid();
    scheduleUpdate();
}

void GridView::scrollContentsBy(int dx, int dy)
{
    QListView::scrollContentsBy(dx, dy);
    scheduleUpdate();
}

QPair<int, int> GridView::visibleRows() const
{
    if (!m_model || m_model->rowCount() == 0)
        return {-1, -1};
    const QSize cell = gridSize();
    const int columns = std::max(1, viewport()->width() / std::max(1, cell.width()));
    // Find the first visible row by probing the top band of the viewport: the top edge may fall
    // between two rows of cells.
    int first = -1;
    for (int y : {1, cell.height() / 2, cell.height() - 1, cell.height() + cell.height() / 2}) {
        for (int x : {cell.width() / 2, cell.width() + cell.width() / 2}) {
            const QModelIndex idx = indexAt(QPoint(x, y));
            if (idx.isValid()) {
                first = idx.row() - idx.row() % columns;
                break;
            }
        }
        if (first >= 0)
            break;
    }
    if (first < 0)
        first = 0;
    const int lines = viewport()->height() / std::max(1, cell.height()) + 2;
    const int last = std::min(m_model->rowCount() - 1, first + lines * columns - 1);
    return {first, last};
}

void GridView::updateNeeded()
{
    if (!m_model)
        return;
    const auto [first, last] = visibleRows();
    if (first < 0)
        return;
    const int span = last - first + 1;
    const int aheadLast = std::min(m_model->rowCount() - 1, last + span * kAheadScreens);
    m_model->setViewport(first, aheadLast);

    const qreal dpr = devicePixelRatioF();
    const int side = static_cast<int>(std::lround(thumbnailSide() * dpr));
    QList<ThumbnailLoader::Request> wanted;
    wanted.reserve(aheadLast - first + 1);
    // Visible rows first, starting with the current item's neighbourhood, then the next screen.
    const int currentRow = currentIndex().isValid() ? currentIndex().row() : first;
    auto add = [&](int row) {
        const ItemSummary* s = m_model->summaryAt(row);
        if (!s || !s->location.isValid() || s->imageState == ImageState::Missing || s->imageState == ImageState::Broken)
            return;
        wanted.append({s->location, side});
    };
    if (currentRow >= first && currentRow <= last) {
        for (int d = 0; currentRow - d >= first || currentRow + d <= last; ++d) {
            if (currentRow + d <= last)
                add(currentRow + d);
            if (d > 0 && currentRow - d >= first)
                add(currentRow - d);
        }
    } else {
        for (int row = first; row <= last; ++row)
            add(row);
    }
    for (int row = last + 1; row <= aheadLast; ++row)
        add(row);
    m_loader->request(wanted);
}

void GridView::paintEvent(QPaintEvent* event)
{
    if (model() && model()->rowCount() > 0) {
        QListView::paintEvent(event);
        return;
    }
    QPainter p(viewport());
    if (m_emptyText.isEmpty())
        return;
    QColor color = palette().color(QPalette::Text);
    color.setAlphaF(0.6f);
    p.setPen(color);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    p.setFont(f);
    const QRect r = viewport()->rect().adjusted(32, 32, -32, -32);
    p.drawText(r, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
}

} // namespace facet
