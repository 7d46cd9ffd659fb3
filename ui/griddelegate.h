#pragma once

#include <QStyledItemDelegate>

namespace facet {

class GridModel;
class ThumbnailLoader;

/**
 * Paints one grid cell: the thumbnail (only from the loader's memory cache; it never decodes), the
 * status badge in the fixed status colours, a blue mark for recaptioned items, one dot per facet
 * the caption covers, and the record id.
 */
class GridDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GridDelegate)

public:
    GridDelegate(ThumbnailLoader* loader, QObject* parent = nullptr);

    /** Logical size of the square thumbnail area. */
    void setThumbnailSide(int side) { m_side = side; }
    int thumbnailSide() const { return m_side; }
    /** The whole cell: thumbnail area, padding and one text line. */
    QSize cellSize(const QFont& font) const;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static constexpr int Padding = 6;

private:
    ThumbnailLoader* m_loader;
    int m_side = 160;
};

} // namespace facet
