#include "imagedecoder.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <new>
#include <vector>

namespace facet {

namespace {

constexpr int kJpegQuality = 90;

QByteArray encodeJpeg(const DecodedImage& image)
{
    try {
        const cv::Mat rgb(image.height, image.width, CV_8UC3,
                          const_cast<char*>(image.rgb.constData()), // cv::Mat has no const view
                          size_t(image.stride));
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        std::vector<uchar> out;
        if (!cv::imencode(".jpg", bgr, out, {cv::IMWRITE_JPEG_QUALITY, kJpegQuality}))
            return {};
        return QByteArray(reinterpret_cast<const char*>(out.data()), qsizetype(out.size()));
    } catch (const cv::Exception&) {
        return {};
    } catch (const std::bad_alloc&) {
        return {};
    }
}

// A cache file is only trusted if it decodes to something no bigger than asked for; anything else
// (a truncated write from another program, disk corruption) is treated as a miss.
bool plausible(const DecodedImage& image, int side)
{
    return !image.isNull() && std::max(image.width, image.height) <= side;
}

} // namespace

ThumbnailCache::ThumbnailCache(const QString& folder)
    : m_folder(folder.isEmpty()
                   ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/thumbnails"
                   : folder)
{
}

QString ThumbnailCache::cachePath(const ImageLocation& where, int side) const
{
    const QFileInfo source(where.path);
    if (!where.isValid() || !source.isFile())
        return {};
    // The source's mtime and size are part of the key, so an edited image gets a new thumbnail
    // without anyone having to invalidate the old one. For tar members they are the shard's.
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(QByteArrayView("facet-thumbnail-1\n"));
    hash.addData(where.cacheKey().toUtf8());
    hash.addData(QStringLiteral("\n%1\n%2\n%3").arg(side)
                     .arg(source.lastModified().toMSecsSinceEpoch())
                     .arg(source.size())
                     .toUtf8());
    const QString hex = QString::fromLatin1(hash.result().toHex());
    // Two-character subfolders keep any one folder small at a million thumbnails.
    return m_folder + u'/' + hex.left(2) + u'/' + hex + u".jpg";
}

DecodedImage ThumbnailCache::thumbnail(const ImageLocation& where, int side)
{
    const QString path = cachePath(where, side);
    if (path.isEmpty())
        return ImageDecoder::decode(where, side); // fails with the decoder's own reason

    QFile cached(path);
    if (cached.open(QIODevice::ReadOnly)) {
        const DecodedImage hit = ImageDecoder::decodeBytes(cached.readAll());
        if (plausible(hit, side))
            return hit;
    }

    DecodedImage fresh = ImageDecoder::decode(where, side);
    if (fresh.isNull())
        return fresh;
    const QByteArray jpeg = encodeJpeg(fresh);
    if (jpeg.isEmpty())
        return fresh;

    // QSaveFile writes a temporary file and renames it, so readers on other threads see either
    // no file or a whole one, never a partial write.
    if (QDir().mkpath(QFileInfo(path).absolutePath())) {
        QSaveFile out(path);
        if (out.open(QIODevice::WriteOnly) && out.write(jpeg) == jpeg.size())
            out.commit();
    }
    // Return what the cache holds, not the pre-compression pixels, so a later hit looks the same.
    DecodedImage stored = ImageDecoder::decodeBytes(jpeg);
    return stored.isNull() ? fresh : stored;
}

} // namespace facet
