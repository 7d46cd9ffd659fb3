#include "griddelegate.h"

#include "facetcolors.h"
#include "gridmodel.h"
#include "statuscolors.h"
#include "thumbnailloader.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>

#include <cmath>

namespace facet {

namespace {

constexpr int kBadge = 20;   // status badge diameter
constexpr int kFacetDot = 8; // facet dot diameter
constexpr int kTextGap = 4;  // between thumbnail area and the text line

void paintStatusBadge(QPainter* p, const QRectF& r, Status status)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(Qt::white, 1.5));
    p->setBrush(StatusColors::color(status));
    p->drawEllipse(r);
    QPen mark(Qt::white, 2.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p->setPen(mark);
    p->setBrush(Qt::NoBrush);
    const QPointF c = r.center();
    const qreal u = r.width() / 20.0;
    if (status == Status::Accepted) {
        QPainterPath check;
        check.moveTo(c + QPointF(-5 * u, 0.5 * u));
        check.lineTo(c + QPointF(-1.5 * u, 4 * u));
        check.lineTo(c + QPointF(5 * u, -3.5 * u));
        p->drawPath(check);
    } else if (status == Status::Rejected) {
        p->drawLine(c + QPointF(-4 * u, -4 * u), c + QPointF(4 * u, 4 * u));
        p->drawLine(c + QPointF(-4 * u, 4 * u), c + QPointF(4 * u, -4 * u));
    }
    p->restore();
}

} // namespace

GridDelegate::GridDelegate(ThumbnailLoader* loader, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_loader(loader)
{
}

QSize GridDelegate::cellSize(const QFont& font) const
{
    const QFontMetrics fm(font);
    return QSize(m_side + 2 * Padding, m_side + 2 * Padding + kTextGap + std::max(fm.height(), kFacetDot));
}

QSize GridDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    // Every cell has the same size (the view uses uniform item sizes), so this never looks at data.
    return cellSize(option.font);
}

void GridDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const auto* model = qobject_cast<const GridModel*>(index.model());
    if (!model)
        return;
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool current = option.state & QStyle::State_HasFocus;
    const QRectF cell = QRectF(option.rect).adjusted(2, 2, -2, -2);

    if (selected) {
        QColor fill = pal.color(QPalette::Highlight);
        fill.setAlphaF(0.28f);
        p->setPen(Qt::NoPen);
        p->setBrush(fill);
        p->drawRoundedRect(cell, 6, 6);
    }
    if (current) {
        p->setPen(QPen(pal.color(QPalette::Highlight), 2));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(cell.adjusted(1, 1, -1, -1), 6, 6);
    }

    // The view stretches cells to fill its width; the thumbnail stays centred in its cell.
    const QRect thumbArea(option.rect.left() + (option.rect.width() - m_side) / 2, option.rect.top() + Padding, m_side,
                          m_side);
    const ItemSummary* s = model->summaryAt(index.row());
    QColor placeholder = pal.color(QPalette::Text);
    placeholder.setAlphaF(0.07f);

    QRectF imageRect = thumbArea;
    bool drewImage = false;
    QString problem;
    if (s && s->location.isValid() && s->imageState != ImageState::Missing && s->imageState != ImageState::Broken) {
        const qreal dpr = p->device()->devicePixelRatioF();
        const int side = static_cast<int>(std::lround(m_side * dpr));
        const QString key = ThumbnailLoader::key(s->location, side);
        QPixmap pm = m_loader->thumbnail(key);
        if (!pm.isNull()) {
            pm.setDevicePixelRatio(dpr);
            const QSizeF size = QSizeF(pm.size()) / dpr;
            const QSizeF fitted = size.scaled(QSizeF(thumbArea.size()), Qt::KeepAspectRatio);
            // Keep small images at their size: upscaling a 64 px image to the cell blurs it.
            const QSizeF shown = (size.width() <= fitted.width() && size.height() <= fitted.height()) ? size : fitted;
            imageRect = QRectF(QPointF(0, 0), shown);
            imageRect.moveCenter(QRectF(thumbArea).center());
            p->drawPixmap(imageRect, pm, QRectF(QPointF(0, 0), QSizeF(pm.size())));
            drewImage = true;
        } else {
            problem = m_loader->failure(key);
        }
    } else if (s) {
        switch (s->imageState) {
        case ImageState::Missing:
            problem = tr("Image missing");
            break;
        case ImageState::Broken:
            problem = tr("Broken image");
            break;
        default:
            problem = tr("No image");
            break;
        }
    }
    if (!drewImage) {
        p->setPen(Qt::NoPen);
        p->setBrush(placeholder);
        p->drawRoundedRect(QRectF(thumbArea), 4, 4);
        if (!problem.isEmpty()) {
            const QIcon icon = QApplication::style()->standardIcon(
                s && s->imageState == ImageState::None ? QStyle::SP_FileIcon : QStyle::SP_MessageBoxWarning);
            const int iconSide = std::min(32, m_side / 4);
            const QRect iconRect(thumbArea.center().x() - iconSide / 2, thumbArea.center().y() - iconSide, iconSide,
                                 iconSide);
            icon.paint(p, iconRect);
            QColor textColor = pal.color(QPalette::Text);
            textColor.setAlphaF(0.6f);
            p->setPen(textColor);
            const QRect textRect(thumbArea.left() + 4, iconRect.bottom() + 4, thumbArea.width() - 8,
                                 thumbArea.bottom() - iconRect.bottom() - 8);
            p->drawText(textRect, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, problem);
        }
    }

    if (s) {
        // Status badge on the image's top-right corner; pending gets no badge so that reviewed
        // items stand out when scanning a page.
        const QRectF area = drewImage ? imageRect : QRectF(thumbArea);
        if (s->status != Status::Pending)
            paintStatusBadge(p, QRectF(area.right() - kBadge - 3, area.top() + 3, kBadge, kBadge), s->status);
        if (s->recaptioned) {
            p->setPen(QPen(Qt::white, 1.5));
            p->setBrush(StatusColors::recaptioned());
            p->drawEllipse(QRectF(area.left() + 4, area.top() + 4, 12, 12));
        }

        // Text line: the record id, and on the right one dot per facet the caption covers. The
        // status needs no dot here: accepted and rejected have their badge, pending has none.
        const QFontMetrics fm(option.font);
        const int lineTop = thumbArea.bottom() + 1 + kTextGap;
        const int lineH = std::max(fm.height(), kFacetDot);
        const qreal cy = lineTop + lineH / 2.0;
        int dotsLeft = thumbArea.right() + 1;
        for (qsizetype k = FacetColors::keys().size() - 1; k >= 0; --k) {
            const QString& facetKey = FacetColors::keys().at(k);
            if (!s->facets.contains(facetKey))
                continue;
            dotsLeft -= kFacetDot;
            p->setPen(Qt::NoPen);
            p->setBrush(FacetColors::color(facetKey));
            p->drawEllipse(QPointF(dotsLeft + kFacetDot / 2.0, cy), kFacetDot / 2.0, kFacetDot / 2.0);
            dotsLeft -= 3;
        }
        const QRect textRect(thumbArea.left(), lineTop, dotsLeft - thumbArea.left() - 3, lineH);
        p->setPen(pal.color(selected ? QPalette::Text : QPalette::PlaceholderText));
        p->setFont(option.font);
        p->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                    fm.elidedText(s->extId, Qt::ElideMiddle, textRect.width()));
    }
    p->restore();
}

} // namespace facet
