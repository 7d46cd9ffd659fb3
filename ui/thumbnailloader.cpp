#include "thumbnailloader.h"

#include <QPointer>
#include <QRunnable>

#include <atomic>

namespace facet {

namespace {

// Thumbnails kept in memory, in KiB: about 700 thumbnails at 256 px, several screens of the grid.
constexpr int kPixmapCacheKiB = 128 * 1024;
// Previews outrank every thumbnail: the user is looking at that image.
constexpr int kPreviewPriority = 1 << 20;

} // namespace

class ThumbnailJob final : public QRunnable
{
public:
    ThumbnailJob(ThumbnailLoader* loader, std::shared_ptr<ThumbnailCache> cache,
                 std::shared_ptr<std::atomic_bool> started, const QString& key, const ImageLocation& location, int side)
        : m_loader(loader)
        , m_cache(std::move(cache))
        , m_started(std::move(started))
        , m_key(key)
        , m_location(location)
        , m_side(side)
    {
    }

    void run() override
    {
        m_started->store(true);
        const DecodedImage decoded = m_cache->thumbnail(m_location, m_side);
        const QImage image = ThumbnailLoader::toImage(decoded);
        const QString error = image.isNull() ? (decoded.error.isEmpty() ? ThumbnailLoader::tr("Cannot decode image")
                                                                        : decoded.error)
                                             : QString();
        // The loader waits for the pool before it is destroyed, so it outlives this call.
        ThumbnailLoader* loader = m_loader;
        const QString key = m_key;
        QMetaObject::invokeMethod(
            loader, [loader, key, image, error] { loader->finished(key, image, error); }, Qt::QueuedConnection);
    }

private:
    ThumbnailLoader* m_loader;
    std::shared_ptr<ThumbnailCache> m_cache;
    std::shared_ptr<std::atomic_bool> m_started;
    QString m_key;
    ImageLocation m_location;
    int m_side;
};

namespace {

class PreviewJob final : public QRunnable
{
public:
    PreviewJob(ThumbnailLoader* loader, const ImageLocation& location, int maxSide, quint64 token,
               std::shared_ptr<std::atomic<quint64>> latest)
        : m_loader(loader)
        , m_location(location)
        , m_maxSide(maxSide)
        , m_token(token)
        , m_latest(std::move(latest))
    {
    }

    void run() override
    {
        // Paging quickly through items queues previews; only the newest is worth decoding.
        if (m_latest->load() != m_token)
            return;
        const DecodedImage decoded = ImageDecoder::decode(m_location, m_maxSide);
        const QImage image = ThumbnailLoader::toImage(decoded);
        const QString error = image.isNull() ? decoded.error : QString();
        ThumbnailLoader* loader = m_loader;
        const quint64 token = m_token;
        QMetaObject::invokeMethod(
            loader, [loader, token, image, error] { Q_EMIT loader->previewReady(token, image, error); },
            Qt::QueuedConnection);
    }

private:
    ThumbnailLoader* m_loader;
    ImageLocation m_location;
    int m_maxSide;
    quint64 m_token;
    std::shared_ptr<std::atomic<quint64>> m_latest;
};

} // namespace

ThumbnailLoader::ThumbnailLoader(const QString& cacheFolder, QObject* parent)
    : QObject(parent)
    , m_diskCache(std::make_shared<ThumbnailCache>(cacheFolder))
    , m_pixmaps(kPixmapCacheKiB)
    , m_latestPreview(std::make_shared<std::atomic<quint64>>(0))
    , m_closing(std::make_shared<std::atomic<bool>>(false))
{
    m_pool.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    // Once per window, after the thumbnails already asked for (lower priority): keeps the disk
    // cache from growing with every image ever browsed.
    m_pool.start(
        [cache = m_diskCache, closing = m_closing] { cache->trim(ThumbnailCache::DefaultMaxBytes, closing.get()); },
        -1);
}

ThumbnailLoader::~ThumbnailLoader()
{
    // A trim still walking a large cache (about a second for 140,000 thumbnails) would otherwise
    // hold up closing the window; the next window's trim does the rest.
    m_closing->store(true);
    m_pool.clear();
    m_pool.waitForDone();
}

void ThumbnailLoader::waitForDone()
{
    m_pool.waitForDone();
}

QString ThumbnailLoader::key(const ImageLocation& location, int side)
{
    return location.cacheKey() + u'@' + QString::number(side);
}

QImage ThumbnailLoader::toImage(const DecodedImage& decoded)
{
    if (decoded.isNull() || decoded.width <= 0 || decoded.height <= 0
        || decoded.rgb.size() < static_cast<qsizetype>(decoded.stride) * decoded.height)
        return {};
    const QImage view(reinterpret_cast<const uchar*>(decoded.rgb.constData()), decoded.width, decoded.height,
                      decoded.stride, QImage::Format_RGB888);
    return view.copy(); // the decoded buffer goes away with the job
}

QPixmap ThumbnailLoader::thumbnail(const QString& key) const
{
    const QPixmap* p = m_pixmaps.object(key);
    return p ? *p : QPixmap();
}

QString ThumbnailLoader::failure(const QString& key) const
{
    return m_failures.value(key);
}

void ThumbnailLoader::request(const QList<Request>& wanted)
{
    QSet<QString> keys;
    keys.reserve(wanted.size());
    for (const Request& r : wanted)
        keys.insert(key(r.location, r.side));

    // Drop queued work for rows that are no longer wanted; running jobs finish and are cached.
    // A job that has started may already be deleted by the pool, so its pointer is used only while
    // `started` is false; new jobs are only created on this thread, so the address cannot be reused
    // between the check and tryTake().
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (!keys.contains(it.key()) && !it->started->load() && m_pool.tryTake(it->job)) {
            delete it->job;
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }

    int priority = static_cast<int>(wanted.size());
    for (const Request& r : wanted) {
        const QString k = key(r.location, r.side);
        --priority;
        if (!r.location.isValid() || m_pending.contains(k) || m_failures.contains(k) || m_pixmaps.contains(k))
            continue;
        auto started = std::make_shared<std::atomic_bool>(false);
        auto* job = new ThumbnailJob(this, m_diskCache, started, k, r.location, r.side);
        m_pending.insert(k, Pending{job, started});
        m_pool.start(job, priority);
    }
}

void ThumbnailLoader::requestPreview(const ImageLocation& location, int maxSide, quint64 token)
{
    m_latestPreview->store(token);
    m_pool.start(new PreviewJob(this, location, maxSide, token, m_latestPreview), kPreviewPriority);
}

void ThumbnailLoader::finished(const QString& key, const QImage& image, const QString& error)
{
    m_pending.remove(key);
    if (image.isNull()) {
        m_failures.insert(key, error);
    } else {
        auto* pixmap = new QPixmap(QPixmap::fromImage(image));
        const int cost = std::max<qsizetype>(1, image.sizeInBytes() / 1024);
        m_pixmaps.insert(key, pixmap, cost);
    }
    Q_EMIT thumbnailReady(key);
}

} // namespace facet
