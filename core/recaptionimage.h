#pragma once

#include "imagedecoder.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace facet {

/** An image ready to send: JPEG bytes as base64, and a digest of the original file bytes. */
struct PreparedImage
{
    QByteArray base64;
    QByteArray mimeType; ///< "image/jpeg"
    /**
     * BLAKE2b-256 of the bytes as stored, in hex: the reuse key (a cryptographic hash, and five
     * times faster than Qt's SHA-256, which matters at hundreds of images a second).
     */
    QByteArray digest;
    int width = 0; ///< of the image sent
    int height = 0;
    bool passedThrough = false; ///< the original JPEG was sent unchanged
    QString error;              ///< why the image cannot be sent (missing, broken), user-facing
    ImageState state = ImageState::None;

    bool ok() const { return error.isEmpty(); }
};

/**
 * Turns an item's image into what a vision model receives: decoded (EXIF orientation applied,
 * transparency over white), scaled with INTER_AREA so the longest side is at most `maxSide`, and
 * JPEG-encoded at `quality`. A JPEG that already fits is sent as it is when its structure says any
 * server reads it like we do: complete (its scan data ends in an end-of-image marker), 8-bit
 * baseline or progressive, grey or YCbCr, and no EXIF rotation (servers differ on applying it).
 * That skips the decode and re-encode, most of the client's CPU time per image. Thread-safe; meant
 * for a thread pool.
 */
class RecaptionImage final
{
    Q_DECLARE_TR_FUNCTIONS(facet::RecaptionImage)

public:
    static PreparedImage prepare(const ImageLocation& where, int maxSide, int quality);
    static PreparedImage prepareBytes(const QByteArray& bytes, int maxSide, int quality);

    /** What the marker segments before a JPEG's scan data say. */
    struct JpegInfo
    {
        int frameMarker = 0; ///< 0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...; 0 when none
        int precision = 0;   ///< bits per sample
        int components = 0;
        int orientation = 1; ///< EXIF orientation 1..8, 1 when absent
    };
    static JpegInfo jpegInfo(QByteArrayView bytes);
    /** The EXIF orientation of a JPEG (1..8), 1 when it has none or it cannot be read. */
    static int jpegOrientation(QByteArrayView bytes) { return jpegInfo(bytes).orientation; }
};

} // namespace facet
