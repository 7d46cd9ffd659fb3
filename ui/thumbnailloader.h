#pragma once

#include "imagedecoder.h"

#include <QCache>
#include <QHash>
#include <QImage>
#include <QList>
#include <QObject>
#include <QPixmap>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace facet {

class ThumbnailJob;

/**
 * Decodes thumbnails and previews on a thread pool, never on the GUI thread. Thumbnails go through
 * the core ThumbnailCache (a disk cache) and are kept as pixmaps in a memory cache bounded by
 * size; the grid delegate only ever reads that cache. request() replaces the wanted list, so work
 * queued for rows that scrolled away is dropped before it starts.
 */
class ThumbnailLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThumbnailLoader)

public:
    struct Request
    {
        ImageLocation location;
        int side = 0; ///< longest side in device pixels
    };

    /** `cacheFolder` empty: the ThumbnailCache default (the user's cache folder). */
    explicit ThumbnailLoader(const QString& cacheFolder = {}, QObject* parent = nullptr);
    ~ThumbnailLoader() override;

    static QString key(const ImageLocation& location, int side);
    /** Wraps decoded RGB rows in a QImage that owns its pixels; null for a failed decode. */
    static QImage toImage(const DecodedImage& decoded);

    /** The cached thumbnail, or a null pixmap. Never decodes. */
    QPixmap thumbnail(const QString& key) const;
    /** Why a thumbnail could not be made, or empty. */
    QString failure(const QString& key) const;
    bool isPending(const QString& key) const { return m_pending.contains(key); }

    /** The thumbnails wanted now, most important first; drops queued work not in the list. */
    void request(const QList<Request>& wanted);
    /**
     * Decodes an image for the preview (not disk-cached); previewReady carries `token`. A newer
     * preview request replaces an older one that has not started.
     */
    void requestPreview(const ImageLocation& location, int maxSide, quint64 token);

    /** Forgets failed decodes so they are tried again (after images were fixed or re-verified). */
    void forgetFailures() { m_failures.clear(); }

    /** Blocks until queued work is done; for tests and shutdown. */
    void waitForDone();

Q_SIGNALS:
    void thumbnailReady(const QString& key);
    void previewReady(quint64 token, const QImage& image, const QString& error);

private:
    friend class ThumbnailJob;
    void finished(const QString& key, const QImage& image, const QString& error);

    std::shared_ptr<ThumbnailCache> m_diskCache;
    QThreadPool m_pool;
    QCache<QString, QPixmap> m_pixmaps;
    QHash<QString, QString> m_failures;
    struct Pending
    {
        ThumbnailJob* job = nullptr; ///< owned by the pool; only dereferenced through `started`
        std::shared_ptr<std::atomic_bool> started;
    };
    QHash<QString, Pending> m_pending; ///< queued or running
    /** The newest preview token; older preview jobs that have not started skip their work. */
    std::shared_ptr<std::atomic<quint64>> m_latestPreview;
    /** Set when the loader goes away: the disk-cache trim stops instead of holding up the close. */
    std::shared_ptr<std::atomic<bool>> m_closing;
};

} // namespace facet
