#pragma once

#include "types.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <atomic>
#include <cstdint>

namespace facet {

/** Where an item's image bytes are: a file, or a member of a tar shard at a byte offset. */
struct ImageLocation
{
    QString path;             ///< absolute file path (the shard's path for tar members)
    std::int64_t offset = -1; ///< >= 0: read `size` bytes at this offset of `path`
    std::int64_t size = -1;

    bool isValid() const { return !path.isEmpty(); }
    /** Stable key for caches: path, plus offset for tar members. */
    QString cacheKey() const;
};

/** A decoded image as 8-bit RGB rows; the UI wraps it in a QImage. Null when decoding failed. */
struct DecodedImage
{
    int width = 0;
    int height = 0;
    int stride = 0; ///< bytes per row
    QByteArray rgb; ///< height * stride bytes
    QString error;  ///< why decoding failed, user-facing
    /** Ok when decoded; Missing when there is no such file; Broken for every other failure. */
    ImageState state = ImageState::None;

    bool isNull() const { return rgb.isEmpty(); }
};

/**
 * Decodes images with OpenCV under hard limits: file size, pixel count (a PNG that declares
 * 50000x50000 is refused before allocation), and EXIF orientation applied. Thread-safe; meant to run
 * on a thread pool, never on the GUI thread.
 */
class ImageDecoder final
{
    Q_DECLARE_TR_FUNCTIONS(facet::ImageDecoder)

public:
    static constexpr std::int64_t MaxFileBytes = 256ll * 1024 * 1024;
    static constexpr std::int64_t MaxPixels = 100ll * 1000 * 1000;

    /**
     * Reads the bytes of an image; sets *error and returns empty on failure. `state`, when given,
     * tells a missing file (ImageState::Missing) from any other failure (Broken); Ok on success.
     */
    static QByteArray readBytes(const ImageLocation& where, QString* error, ImageState* state = nullptr);

    /**
     * Decodes and scales so that the longest side is at most `maxSide` (0: full size), using the
     * decoder's reduced-resolution modes for JPEG when they suffice. The format comes from the
     * content, never the file name. Grey, 16-bit and CMYK images become 8-bit RGB; transparent
     * pixels are composited over white (what img2dataset does before training sees them).
     */
    static DecodedImage decode(const ImageLocation& where, int maxSide = 0);
    static DecodedImage decodeBytes(const QByteArray& bytes, int maxSide = 0);

    /** Checks that an image decodes; returns an empty string when it does, else the reason. */
    static QString verify(const ImageLocation& where);
    /**
     * Like verify(), also telling a missing file from a broken one: returns Ok, Missing or Broken
     * and sets *error to the reason for the latter two. Decodes JPEG at 1/8 scale, which still
     * reads every byte of the compressed data but skips most of the pixel work.
     */
    static ImageState check(const ImageLocation& where, QString* error);
};

/**
 * Disk cache of thumbnails (JPEG files under the cache folder, keyed by a hash of the location, size
 * and the source file's mtime and size). Thread-safe: it holds no mutable state, files are written
 * atomically, and two threads making the same thumbnail both write the same content.
 */
class ThumbnailCache final
{
public:
    /** `folder` empty: QStandardPaths::CacheLocation/thumbnails. Tests pass a temporary folder. */
    explicit ThumbnailCache(const QString& folder = {});

    /**
     * Cached thumbnail, or decodes the image, stores the thumbnail and returns it. The longest side
     * is `side` (smaller images keep their size). A fresh thumbnail is returned as read back from
     * its cache file, so the first call and every later hit give the same pixels. Failures are not
     * cached; an unreadable cache file is ignored and rewritten.
     */
    DecodedImage thumbnail(const ImageLocation& where, int side);
    /** The cache file for a thumbnail; empty when the source does not exist. */
    QString cachePath(const ImageLocation& where, int side) const;
    const QString& folder() const { return m_folder; }

    /**
     * Room for about 100,000 thumbnails at the grid's size: far more than a session browses, far
     * less than a 1.2M-image dataset would fill if nothing were ever removed.
     */
    static constexpr qint64 DefaultMaxBytes = qint64(2) << 30;

    struct TrimResult
    {
        qint64 bytesBefore = 0;
        qint64 bytesAfter = 0;
        int removed = 0;
        bool stopped = false; ///< `stop` was set: the walk or the removal ended early
    };
    /**
     * Keeps the cache under `maxBytes`: when it is larger, removes the least recently used
     * thumbnails (a hit refreshes a file's modification time, at most once a day) until it is
     * under 90% of the limit, so that the next session does not trim again at once. Walks the
     * whole folder: run it off the GUI thread. Safe while other threads use the cache: a removed
     * thumbnail is a miss and is made again. When `stop` becomes true the trim ends at the next
     * file (a window that closes must not wait for a walk of a large cache); what it removed so
     * far stays removed, and the next trim finishes the job.
     */
    TrimResult trim(qint64 maxBytes = DefaultMaxBytes, const std::atomic<bool>* stop = nullptr) const;

private:
    QString m_folder;
};

} // namespace facet
