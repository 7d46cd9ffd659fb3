#pragma once

#include <QByteArrayView>
#include <QString>

#include <cstdint>

namespace facet {

enum class ImageFormat
{
    Unknown,
    Jpeg,
    Png,
    WebP,
    Gif,
    Bmp,
    Tiff
};

/**
 * What an image file declares about itself, read from its first bytes without decoding. The
 * decoder checks this before handing bytes to OpenCV, so that a file declaring 50000x50000 pixels
 * is refused before anything that size is allocated.
 */
struct ImageHeader
{
    ImageFormat format = ImageFormat::Unknown;
    std::int64_t width = 0; ///< 0 when the header is cut off or damaged
    std::int64_t height = 0;
    /** JPEG: an end-of-image marker follows the scan data (libjpeg pads a cut-off file with grey
        and reports success, so this is how truncation is noticed). PNG: the chunks reach IEND. */
    bool complete = true;

    bool hasSize() const { return width > 0 && height > 0; }
    std::int64_t pixels() const { return width * height; }
};

/** Reads the format and declared size. Never throws, never reads outside `bytes`. */
ImageHeader sniffImageHeader(QByteArrayView bytes);

/** "JPEG", "PNG", ... for messages. */
QString imageFormatName(ImageFormat format);

/**
 * The largest JPEG scale denominator (1, 2, 4 or 8) whose reduced decode still has a longest side
 * of at least `side`, so the final resize only ever shrinks.
 */
int jpegReduction(std::int64_t longestSide, int side);

} // namespace facet
