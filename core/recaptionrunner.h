#pragma once

#include "recaption.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace facet {

/**
 * Runs one recaption job: loads its unfinished items from the project, prepares their images on a
 * thread pool (decode, scale to the longest side, JPEG), sends them through one libcurl connection
 * pool with bounded concurrency, retries transient failures with exponential backoff and jitter
 * (honouring Retry-After / retry-after-ms), and commits every result as a new caption version
 * together with the job's record of it. A killed process loses nothing that was committed and a
 * resumed job never sends a finished item again; same image bytes and request → the earlier result
 * is reused instead of paid for twice.
 *
 * The runner opens its own connection to the project, so it can run on any thread. run() blocks;
 * start() runs it on a thread of its own and wait() joins. pause(), resume(), stop(), cancel() and
 * setConcurrency() may be called from any thread while it runs. Callbacks run on the runner's
 * thread: a GUI forwards them with QMetaObject::invokeMethod(..., Qt::QueuedConnection).
 *
 * The API key is held in memory only, sent only in the Authorization header, and removed from every
 * message the runner produces (redactSecrets).
 */
class RecaptionRunner final
{
    Q_DECLARE_TR_FUNCTIONS(facet::RecaptionRunner)

public:
    struct Callbacks
    {
        /** Live numbers, at most five times a second and once at the end. */
        std::function<void(const JobProgress&)> progress;
        /** Each item outcome of this run (done, reused, failed, refused), after it was committed. */
        std::function<void(const JobItemInfo&)> itemFinished;
        /** Notes for a log: retries, waits, why the job stopped. Already free of secrets. */
        std::function<void(const QString&)> message;
    };

    RecaptionRunner(const QString& projectPath, std::int64_t jobId, const QString& apiKey, Callbacks callbacks = {});
    /** Stops a running job (it stays resumable) and waits for its thread. */
    ~RecaptionRunner();
    RecaptionRunner(const RecaptionRunner&) = delete;
    RecaptionRunner& operator=(const RecaptionRunner&) = delete;

    /**
     * Runs the job until every item has an outcome, a final error stops it, or it is stopped or
     * cancelled; returns the final numbers. Throws facet::Error when the job cannot start (no such
     * job, project read-only, job running elsewhere) or the project cannot be written.
     */
    JobProgress run();
    /** run() on a new thread. */
    void start();
    /** Joins the thread of start(); returns the final numbers or rethrows what run() threw. */
    JobProgress wait();
    bool isRunning() const;

    /** Sends no new requests (those in flight finish); the job shows as paused. */
    void pause();
    void resume();
    bool isPaused() const;
    /** Aborts requests in flight and ends the run; the job is interrupted and resumable. */
    void stop();
    /** Like stop(), and the job is marked cancelled (resumed only when asked for by id). */
    void cancel();
    /** A flag the runner polls as if stop() had been called (the CLI's SIGINT handler sets it). */
    void setInterruptFlag(const std::atomic_bool* flag);
    /** Requests in flight at most, from now on (1..256). */
    void setConcurrency(int concurrency);

    /** The latest numbers; thread-safe. */
    JobProgress progress() const;
    std::int64_t jobId() const;

    /** A span of a caption and its primary facet. */
    struct LabelledSpan
    {
        int start = 0;
        int end = 0;
        QString facet;
    };
    /**
     * "Regenerate one facet": replaces the sentences of `caption` whose primary facet is `facet` by
     * `replacement` (at the place of the first of them; the others are removed with the space after
     * them). A caption without such sentences gets the replacement appended.
     */
    static QString spliceFacet(const QString& caption, const QList<LabelledSpan>& spans, const QString& facet,
                               const QString& replacement);

    struct Impl; ///< implementation detail, public only so the .cpp's helpers can name it

private:
    std::unique_ptr<Impl> d;
};

} // namespace facet
