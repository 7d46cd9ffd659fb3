#include "verifier.h"

#include "database.h"
#include "error.h"
#include "imagedecoder.h"
#include "project.h"
#include "types.h"

#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <limits>

namespace facet {

namespace {

struct Job
{
    ItemId id = 0;
    QString extId;
    QString image;
    ImageLocation where;
    ImageState state = ImageState::None;
    QString error;
};

// Items whose image can be looked at: a resolved file, or a tar member. Tar members read from the
// shard's path; image_abs is the fallback for importers that store the shard path there.
constexpr const char* kCountSql = "SELECT count(*) FROM items WHERE image_abs IS NOT NULL OR shard_id IS NOT NULL";
constexpr const char* kChunkSql = "SELECT i.id, i.ext_id, i.image, i.image_abs, s.path, i.member_offset, i.member_size "
                                  "FROM items i LEFT JOIN shards s ON s.id = i.shard_id "
                                  "WHERE (i.image_abs IS NOT NULL OR i.shard_id IS NOT NULL) AND i.id > ?1 "
                                  "ORDER BY i.id LIMIT ?2";
// Unchanged rows are left alone so that re-verifying a clean project writes nothing.
constexpr const char* kUpdateSql = "UPDATE items SET image_state = ?1, image_error = ?2 "
                                   "WHERE id = ?3 AND (image_state IS NOT ?1 OR image_error IS NOT ?2)";

} // namespace

Verifier::Verifier(int threads, int chunkSize)
    : m_threads(threads > 0 ? threads : std::max(1, QThread::idealThreadCount()))
    , m_chunkSize(std::max(1, chunkSize))
{
}

VerifyReport Verifier::run(Project& project, const Progress& progress)
{
    if (project.isReadOnly())
        throw Error(tr("%1 is open read-only, so verify cannot record which images are broken").arg(project.path()));
    Database& db = project.db();

    Statement count = db.prepare(kCountSql);
    count.step();
    const std::int64_t total = count.int64(0);
    count.reset();

    const QString what = tr("Verifying images");
    progress(0, total, what);

    // A pool of our own: the global one serves thumbnails in the GUI, which must not queue
    // behind a million verify jobs.
    QThreadPool pool;
    pool.setMaxThreadCount(m_threads);

    Statement select = db.prepare(kChunkSql);
    Statement update = db.prepare(kUpdateSql);
    VerifyReport report;
    ItemId after = std::numeric_limits<ItemId>::min();
    QList<Job> jobs;
    while (true) {
        if (progress.cancelled())
            throw Cancelled();

        jobs.clear();
        select.reset();
        select.bind(1, after).bind(2, m_chunkSize);
        while (select.step()) {
            Job job;
            job.id = select.int64(0);
            job.extId = select.text(1);
            job.image = select.isNull(2) ? select.text(3) : select.text(2);
            if (!select.isNull(5)) {
                job.where.path = select.isNull(4) ? select.text(3) : select.text(4);
                job.where.offset = select.int64(5);
                job.where.size = select.isNull(6) ? -1 : select.int64(6);
            } else {
                job.where.path = select.text(3);
            }
            jobs.append(std::move(job));
        }
        select.reset();
        if (jobs.isEmpty())
            break;
        after = jobs.constLast().id;

        // check() catches everything itself, so nothing can escape into QtConcurrent.
        QtConcurrent::blockingMap(&pool, jobs,
                                  [](Job& job) { job.state = ImageDecoder::check(job.where, &job.error); });

        Transaction tx(db);
        for (const Job& job : std::as_const(jobs)) {
            update.reset();
            update.bind(1, static_cast<int>(job.state))
                .bind(2, job.state == ImageState::Ok ? QString() : job.error)
                .bind(3, job.id)
                .run();
        }
        tx.commit();

        for (const Job& job : std::as_const(jobs)) {
            ++report.checked;
            switch (job.state) {
            case ImageState::Ok:
                ++report.ok;
                break;
            case ImageState::Missing:
                ++report.missing;
                break;
            case ImageState::Broken:
            case ImageState::None:
                ++report.broken;
                if (report.brokenItems.size() < MaxListed)
                    report.brokenItems.append({job.extId, job.image, job.error});
                break;
            }
        }
        progress(report.checked, total, what);
    }
    return report;
}

} // namespace facet
