#include "imagepreview.h"

#include <QPainter>

namespace facet {

ImagePreview::ImagePreview(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("imagePreview"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QSize ImagePreview::sizeHint() const
{
    return QSize(420, 320);
}

QSize ImagePreview::minimumSizeHint() const
{
    return QSize(120, 90);
}

void ImagePreview::setPixmap(const QPixmap& pixmap, bool sharp)
{
    m_pixmap = pixmap;
    m_sharp = sharp;
    m_message.clear();
    update();
}

void ImagePreview::setMessage(const QString& message, bool framed)
{
    m_pixmap = QPixmap();
    m_message = message;
    m_framed = framed;
    update();
}

void ImagePreview::clear()
{
    m_pixmap = QPixmap();
    m_message.clear();
    m_framed = true;
    update();
}

void ImagePreview::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRectF area = QRectF(rect()).adjusted(8, 8, -8, -8);
    if (!m_pixmap.isNull()) {
        const qreal dpr = devicePixelRatioF();
        const QSizeF natural = QSizeF(m_pixmap.size()) / dpr;
        QSizeF shown = natural.scaled(area.size(), Qt::KeepAspectRatio);
        // A small image shown at more than twice its size only shows its pixels bigger.
        if (shown.width() > natural.width() * 2)
            shown = natural * 2;
        QRectF target(QPointF(0, 0), shown);
        target.moveCenter(area.center());
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawPixmap(target, m_pixmap, QRectF(QPointF(0, 0), QSizeF(m_pixmap.size())));
        return;
    }
    if (m_framed) {
        QColor fill = palette().color(QPalette::Text);
        fill.setAlphaF(0.05f);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(area, 6, 6);
    }
    if (!m_message.isEmpty()) {
        QColor text = palette().color(QPalette::Text);
        text.setAlphaF(0.6f);
        p.setPen(text);
        p.drawText(area.adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap, m_message);
    }
}

} // namespace facet
