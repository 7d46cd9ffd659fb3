#pragma once

#include "imagedecoder.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace facet {

/** An image ready to send: JPEG bytes as base64, and the SHA-256 of the original file bytes. */
struct PreparedImage
{
    QByteArray base64;
    QByteArray mimeType;  ///< "image/jpeg"
    QByteArray sha256;    ///< hex digest of the bytes as stored (the reuse key), not of what is sent
    int width = 0;        ///< of the image sent
    int height = 0;
    bool passedThrough = false; ///< the original JPEG was sent unchanged
    QString error;        ///< why the image cannot be sent (missing, broken), user-facing
    ImageState state = ImageState::None;

    bool ok() const { return error.isEmpty(); }
};

/**
 * Turns an item's image into what a vision model receives: decoded (EXIF orientation applied,
 * transparency over white), scaled with INTER_AREA so the longest side is at most `maxSide`, and
 * JPEG-encoded at `quality`. A JPEG that already fits and has no rotation in its EXIF data is sent
 * as it is once a reduced-resolution decode has read all of its compressed data without error: that
 * saves the full decode and re-encode (most of the client's CPU time) and still never sends a server
 * bytes it cannot read. Thread-safe; meant for a thread pool.
 */
class RecaptionImage final
{
    Q_DECLARE_TR_FUNCTIONS(facet::RecaptionImage)

public:
    static PreparedImage prepare(const ImageLocation& where, int maxSide, int quality);
    static PreparedImage prepareBytes(const QByteArray& bytes, int maxSide, int quality);

    /** The EXIF orientation of a JPEG (1..8), 1 when it has none or it cannot be read. */
    static int jpegOrientation(QByteArrayView bytes);
};

} // namespace facet
