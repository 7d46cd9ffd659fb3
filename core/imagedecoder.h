#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <cstdint>

namespace facet {

/** Where an item's image bytes are: a file, or a member of a tar shard at a byte offset. */
struct ImageLocation
{
    QString path;              ///< absolute file path (the shard's path for tar members)
    std::int64_t offset = -1;  ///< >= 0: read `size` bytes at this offset of `path`
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
    int stride = 0;       ///< bytes per row
    QByteArray rgb;       ///< height * stride bytes
    QString error;        ///< why decoding failed, user-facing

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

    /** Reads the bytes of an image; sets *error and returns empty on failure. */
    static QByteArray readBytes(const ImageLocation& where, QString* error);

    /**
     * Decodes and scales so that the longest side is at most `maxSide` (0: full size), using the
     * decoder's reduced-resolution modes for JPEG when they suffice.
     */
    static DecodedImage decode(const ImageLocation& where, int maxSide = 0);
    static DecodedImage decodeBytes(const QByteArray& bytes, int maxSide = 0);

    /** Checks that an image decodes; returns an empty string when it does, else the reason. */
    static QString verify(const ImageLocation& where);
};

/**
 * Disk cache of thumbnails (JPEG files under the cache folder, keyed by a hash of the location, size
 * and the source file's mtime). Thread-safe.
 */
class ThumbnailCache final
{
public:
    /** `folder` empty: QStandardPaths::CacheLocation/thumbnails. Tests pass a temporary folder. */
    explicit ThumbnailCache(const QString& folder = {});

    /** Cached thumbnail, or decodes the image, stores the thumbnail and returns it. */
    DecodedImage thumbnail(const ImageLocation& where, int side);
    const QString& folder() const { return m_folder; }

private:
    QString m_folder;
};

} // namespace facet
