#include "imagedecoder.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
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
constexpr qint64 kRefreshAfterSeconds = 24 * 60 * 60;

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
    : m_folder(folder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/thumbnails"
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
    hash.addData(QStringLiteral("\n%1\n%2\n%3")
                     .arg(side)
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
        if (plausible(hit, side)) {
            // trim() removes the oldest files first; a hit makes this one young again. Once a day
            // is enough for that and spares a metadata write on every hit.
            const QDateTime now = QDateTime::currentDateTimeUtc();
            if (cached.fileTime(QFileDevice::FileModificationTime).secsTo(now) > kRefreshAfterSeconds)
                cached.setFileTime(now, QFileDevice::FileModificationTime);
            return hit;
        }
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

ThumbnailCache::TrimResult ThumbnailCache::trim(qint64 maxBytes, const std::atomic<bool>* stop) const
{
    const auto stopping = [stop] { return stop && stop->load(std::memory_order_relaxed); };
    struct Entry
    {
        qint64 modified;
        qint64 size;
        QString path;
    };
    std::vector<Entry> entries;
    TrimResult result;
    // Only the cache's own files: <folder>/<2 hex digits>/<40 hex digits>.jpg.
    QDirIterator it(m_folder, {QStringLiteral("*.jpg")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (stopping()) {
            result.stopped = true;
            result.bytesAfter = result.bytesBefore;
            return result; // an incomplete walk cannot tell which files are the oldest
        }
        it.next();
        const QFileInfo info = it.fileInfo();
        entries.push_back({info.lastModified().toMSecsSinceEpoch(), info.size(), info.filePath()});
        result.bytesBefore += info.size();
    }
    result.bytesAfter = result.bytesBefore;
    if (result.bytesBefore <= maxBytes)
        return result;
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.modified < b.modified; });
    const qint64 target = maxBytes / 10 * 9;
    for (const Entry& e : entries) {
        if (result.bytesAfter <= target)
            break;
        if (stopping()) {
            result.stopped = true;
            break;
        }
        if (QFile::remove(e.path)) {
            result.bytesAfter -= e.size;
            ++result.removed;
        }
    }
    return result;
}

} // namespace facet
