#pragma once

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <vector>

namespace facet {

/** The first frame of a GIF on its logical screen, as 8-bit BGR rows (the layout OpenCV decodes to). */
struct GifFrame
{
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> bgr; ///< width * 3 bytes per row, no padding; empty when decoding failed
    QString error;                 ///< why decoding failed, user-facing
};

/**
 * Decodes the first frame of a GIF with giflib (OpenCV 4.6, Debian 12's, has no GIF decoder). What a
 * dataset means by an animated GIF is its first frame, as img2dataset's resizer keeps it. The frame
 * is drawn at its position on the logical screen; pixels it does not cover and transparent pixels
 * are white, as transparency is composited over white for every other format. Interlaced frames
 * are put back in row order.
 *
 * The bytes are hostile: the logical screen and the frame are each refused above `maxPixels` before
 * any pixel buffer is allocated, a frame that reaches outside the screen is clipped, a colour index
 * outside the colour table is black, and a frame cut off before its last row is an error (like a
 * truncated JPEG or PNG), not a half-grey image.
 */
GifFrame decodeGifFirstFrame(QByteArrayView bytes, std::int64_t maxPixels);

} // namespace facet
