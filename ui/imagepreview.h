#pragma once

#include <QPixmap>
#include <QWidget>

namespace facet {

/**
 * The large image in the detail panel: scaled to fit, aspect ratio kept, never upscaled past
 * twice its size, crisp at any device pixel ratio. Shows a message instead when there is no image.
 */
class ImagePreview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImagePreview)

public:
    explicit ImagePreview(QWidget* parent = nullptr);

    /** `pixmap` in device pixels; `sharp` false marks a stand-in (the grid thumbnail) while decoding. */
    void setPixmap(const QPixmap& pixmap, bool sharp = true);
    /** A message instead of an image; `framed` draws the image area behind it (an item without image). */
    void setMessage(const QString& message, bool framed = true);
    void clear();
    const QPixmap& pixmap() const { return m_pixmap; }
    bool isSharp() const { return m_sharp; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QPixmap m_pixmap;
    QString m_message;
    bool m_sharp = false;
    bool m_framed = true;
};

} // namespace facet
