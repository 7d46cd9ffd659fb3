#include "recaptionrunner.h"

#include "curation.h"
#include "database.h"
#include "error.h"
#include "facetclassifier.h"
#include "facetindexer.h"
#include "jobstore.h"
#include "project.h"
#include "recaptionhttp.h"
#include "recaptionimage.h"
#include "recaptionkeys.h"
#include "recaptionprovider.h"
#include "segmenter.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QThread>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <queue>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

namespace facet {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kPageSize = 256;
constexpr int kMaxConsecutiveFailures = 5;
constexpr qint64 kProgressIntervalMs = 200;
constexpr qint64 kHeartbeatMs = 10'000;
constexpr qint64 kRateWindowMs = 30'000;
constexpr int kIdlePollMs = 200;

/** Jobs running in this process, so that the GUI cannot start one job twice. */
std::mutex g_runningMutex;
std::set<std::pair<QString, std::int64_t>> g_running;

/** One item travelling through a run. */
struct Work
{
    ItemId item = 0;
    QString extId;
    QString source;
    ImageLocation location;
    std::int64_t currentVersion = 0;
    QString caption;
    QString prompt;
    PreparedImage image;
    QString requestKey;
    int attempts = 0;        ///< requests completed for it in this run
    int unsavedAttempts = 0; ///< not yet added to job_items.attempts
    std::int64_t unsavedPromptTokens = 0;
    std::int64_t unsavedCompletionTokens = 0;
    QString lastError;
};
using WorkPtr = std::shared_ptr<Work>;

/** A finished item waiting to be committed. */
struct Outcome
{
    WorkPtr work;
    JobItemState state = JobItemState::Failed;
    QString error;
    QString raw;                                  ///< Done/Reused: the model's reply as written
    QString text;                                 ///< Done/Reused: the new caption
    QList<std::pair<QString, QString>> sentences; ///< structured output
    QString finishReason;
    bool truncated = false;
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
};

/** The image preparation pool: bounded input, results handed back to the runner thread. */
class PrepPool
{
public:
    PrepPool(int threads, int maxSide, int quality, std::function<void()> notify)
        : m_maxSide(maxSide)
        , m_quality(quality)
        , m_notify(std::move(notify))
    {
        for (int k = 0; k < threads; ++k)
            m_threads.emplace_back([this] { loop(); });
    }

    ~PrepPool()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_cv.notify_all();
        for (std::thread& t : m_threads)
            t.join();
    }

    void push(WorkPtr w)
    {
        {
            std::lock_guard lock(m_mutex);
            m_in.push_back(std::move(w));
        }
        m_cv.notify_one();
    }

    void take(std::deque<WorkPtr>& into)
    {
        std::lock_guard lock(m_mutex);
        while (!m_out.empty()) {
            into.push_back(std::move(m_out.front()));
            m_out.pop_front();
        }
    }

    /** Items queued, being prepared or prepared but not yet taken. */
    std::size_t load()
    {
        std::lock_guard lock(m_mutex);
        return m_in.size() + m_busy + m_out.size();
    }

private:
    void loop()
    {
        for (;;) {
            WorkPtr w;
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [this] { return m_quit || !m_in.empty(); });
                if (m_quit)
                    return;
                w = std::move(m_in.front());
                m_in.pop_front();
                ++m_busy;
            }
            w->image = RecaptionImage::prepare(w->location, m_maxSide, m_quality);
            {
                std::lock_guard lock(m_mutex);
                --m_busy;
                m_out.push_back(std::move(w));
            }
            m_notify();
        }
    }

    int m_maxSide;
    int m_quality;
    std::function<void()> m_notify;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<WorkPtr> m_in;
    std::deque<WorkPtr> m_out;
    std::size_t m_busy = 0;
    bool m_quit = false;
    std::vector<std::thread> m_threads;
};

QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

} // namespace

// ---- spliceFacet --------------------------------------------------------------------------------

QString RecaptionRunner::spliceFacet(const QString& caption, const QList<LabelledSpan>& spans, const QString& facet,
                                     const QString& replacement)
{
    const QString part = replacement.trimmed();
    QList<LabelledSpan> hits;
    for (const LabelledSpan& s : spans)
        if (s.facet == facet && s.start >= 0 && s.end <= caption.size() && s.start < s.end)
            hits.append(s);
    if (hits.isEmpty()) {
        const QString base = caption.trimmed();
        return base.isEmpty() ? part : base + u' ' + part;
    }
    std::sort(hits.begin(), hits.end(), [](const LabelledSpan& a, const LabelledSpan& b) { return a.start < b.start; });
    QString out;
    qsizetype pos = 0;
    bool placed = false;
    for (const LabelledSpan& s : hits) {
        if (s.start < pos)
            continue; // overlapping spans: already replaced
        out += QStringView(caption).mid(pos, s.start - pos);
        qsizetype end = s.end;
        if (!placed) {
            out += part;
            placed = true;
        } else {
            // Drop the removed sentence's trailing spaces so no double gaps remain.
            while (end < caption.size() && caption.at(end) == u' ')
                ++end;
        }
        pos = end;
    }
    out += QStringView(caption).mid(pos);
    return out.trimmed();
}

// ---- Impl ---------------------------------------------------------------------------------------

struct RecaptionRunner::Impl
{
    QString path;
    std::int64_t jobId = 0;
    QString key;
    Callbacks callbacks;

    std::atomic_bool pauseFlag{false};
    std::atomic_bool stopFlag{false};
    std::atomic_bool cancelFlag{false};
    std::atomic_bool running{false};
    std::atomic_int concurrency{0};
    std::atomic<const std::atomic_bool*> interrupt{nullptr};
    std::mutex httpMutex; ///< guards `http`: a wake-up must never reach a client being destroyed
    HttpClient* http = nullptr;

    mutable std::mutex progressMutex;
    JobProgress snapshot;

    std::thread thread;
    std::exception_ptr error;
    JobProgress result;

    JobProgress execute();
    void wake()
    {
        std::lock_guard lock(httpMutex);
        if (http)
            http->wakeup();
    }
    void setHttp(HttpClient* client)
    {
        std::lock_guard lock(httpMutex);
        http = client;
    }
};

namespace {

/** Everything one run holds; lives on the runner's thread. */
class Run
{
    Q_DECLARE_TR_FUNCTIONS(facet::RecaptionRunner)

public:
    Run(RecaptionRunner::Impl& owner, Project& project, const JobInfo& job)
        : m_owner(owner)
        , m_project(project)
        , m_db(project.db())
        , m_job(job)
        , m_settings(job.settings)
        , m_protocol(job.settings)
        , m_http(256) // the runner bounds what is in flight; this only caps libcurl's own pool
        , m_rng(std::random_device{}())
    {
        m_progress.jobId = job.id;
        m_progress.total = job.total;
        m_progress.done = job.done;
        m_progress.reused = job.reused;
        m_progress.failed = job.failed;
        m_progress.refused = job.refused;
        m_progress.truncated = job.truncated;
        m_progress.promptTokens = job.promptTokens;
        m_progress.completionTokens = job.completionTokens;
        m_price = JobStore(project).priceFor(m_settings.model);
        m_author = job.author;
        m_needCaption = !m_settings.facet.isEmpty() || promptUsesCaption(m_settings.prompt);
        for (const QString& t : m_settings.sourcePrompts)
            m_needCaption = m_needCaption || promptUsesCaption(t);
        // What else besides the image and the prompt decides the reply: part of the reuse key.
        m_requestSalt = (m_settings.model + u'\n' + QString::number(m_settings.maxTokens) + u'\n'
                         + (m_settings.provider == ProviderKind::OpenAi ? m_settings.detail : QString()) + u'\n'
                         + (m_settings.temperature ? QString::number(*m_settings.temperature) : QString()) + u'\n'
                         + QString::number(m_settings.maxSide) + u'\n' + (m_settings.structured ? u"s"_s : u""_s)
                         + u'\n' + m_settings.facet)
                            .toUtf8();
    }

    JobProgress run()
    {
        m_clock.start();
        {
            Statement st = m_db.prepare(
                "SELECT item_id FROM job_items WHERE job_id = ? AND state = ? ORDER BY item_id");
            st.bind(1, m_job.id).bind(2, static_cast<std::int64_t>(JobItemState::Failed));
            while (st.step())
                m_failedAtStart.push_back(st.int64(0));
        }
        m_owner.setHttp(&m_http);
        const int prepThreads = m_settings.prepThreads > 0 ? m_settings.prepThreads
                                                           : std::clamp(QThread::idealThreadCount(), 1, 16);
        PrepPool pool(prepThreads, m_settings.maxSide, m_settings.jpegQuality, [this] { m_http.wakeup(); });
        m_pool = &pool;
        setJobState(JobState::Running, true);
        note(tr("Job %1: %2 items to do with %3 at %4")
                 .arg(m_job.id)
                 .arg(m_job.remaining())
                 .arg(m_settings.model, m_settings.effectiveBaseUrl()));

        JobState endState = JobState::Done;
        try {
            loop(prepThreads);
            if (!m_fatal.isEmpty())
                endState = JobState::Failed;
            else if (m_owner.cancelFlag.load())
                endState = JobState::Cancelled;
            else if (stopRequested())
                endState = JobState::Interrupted;
        } catch (...) {
            m_http.abortAll();
            m_owner.setHttp(nullptr);
            m_pool = nullptr;
            // Record what can still be recorded; the job stays resumable.
            try {
                flush();
            } catch (...) {
            }
            try {
                setJobState(JobState::Interrupted, false);
            } catch (...) {
            }
            throw;
        }
        m_http.abortAll();
        m_owner.setHttp(nullptr);
        m_pool = nullptr;
        flush();
        if (endState == JobState::Failed)
            note(tr("Job %1 stopped: %2").arg(m_job.id).arg(m_fatal));
        m_progress.lastError = !m_fatal.isEmpty() ? m_fatal : m_lastItemError;
        setJobState(endState, false);
        m_progress.inFlight = 0;
        m_progress.paused = false;
        publish(true);
        return m_progress;
    }

private:
    bool stopRequested() const
    {
        const std::atomic_bool* flag = m_owner.interrupt.load();
        return m_owner.stopFlag.load() || m_owner.cancelFlag.load() || (flag && flag->load());
    }

    qint64 now() const { return m_clock.elapsed(); }

    int concurrency() const
    {
        const int c = m_owner.concurrency.load();
        return std::clamp(c > 0 ? c : m_settings.concurrency, 1, 256);
    }

    void note(const QString& text)
    {
        if (m_owner.callbacks.message)
            m_owner.callbacks.message(redactSecrets(text, m_owner.key));
    }

    void loop(int prepThreads)
    {
        bool wasPaused = false;
        qint64 lastBeat = now();
        for (;;) {
            if (stopRequested() || !m_fatal.isEmpty())
                break;
            const bool paused = m_owner.pauseFlag.load();
            if (paused != wasPaused) {
                wasPaused = paused;
                setJobState(paused ? JobState::Paused : JobState::Running, false);
                note(paused ? tr("Job %1 paused").arg(m_job.id) : tr("Job %1 resumed").arg(m_job.id));
                publish(true);
            }
            // Keep enough items prepared to fill every free slot, and no more: images are big.
            const std::size_t window = std::size_t(concurrency() * 2 + prepThreads * 2);
            for (std::size_t held = m_pool->load() + m_ready.size(); !m_loaderDone && held < window;
                 held = m_pool->load() + m_ready.size())
                loadPage(int(std::min<std::size_t>(window - held, kPageSize)));
            m_pool->take(m_ready);
            if (!paused)
                launch();

            int wait = kIdlePollMs;
            if (!paused) {
                if (!m_retries.empty())
                    wait = int(std::clamp<qint64>(m_retries.top().first - now(), 0, kIdlePollMs));
                if (m_holdUntil > now())
                    wait = int(std::clamp<qint64>(m_holdUntil - now(), 0, kIdlePollMs));
            }
            m_http.poll(std::max(wait, 1));
            flush();
            if (now() - lastBeat >= kHeartbeatMs) {
                heartbeat();
                lastBeat = now();
            }
            publish(false);
            if (m_loaderDone && m_pool->load() == 0 && m_ready.empty() && m_retries.empty() && m_http.active() == 0
                && m_waiters.empty() && m_outcomes.empty())
                break;
        }
    }

    // ---- loading ----

    void loadPage(int limit)
    {
        // Phase 0: pending items. Phase 1: the items that had failed before this run started (last,
        // so that one item the server keeps rejecting cannot block the rest of the job on every
        // resume; items failing in this run are not tried again until the next one).
        std::string sql =
            "SELECT ji.item_id, i.ext_id, s.name, i.image_abs, i.member_offset, i.member_size, i.image_state, "
            "i.current_version, v.text FROM job_items ji JOIN items i ON i.id = ji.item_id "
            "JOIN sources s ON s.id = i.source_id LEFT JOIN caption_versions v ON v.id = i.current_version "
            "WHERE ji.job_id = ? AND ji.state = ? AND ";
        sql += m_phase == 0 ? "ji.item_id > ?" : "ji.item_id IN (SELECT value FROM json_each(?))";
        sql += " ORDER BY ji.item_id LIMIT ?";
        Statement st = m_db.prepare(sql);
        st.bind(1, m_job.id);
        st.bind(2, static_cast<std::int64_t>(m_phase == 0 ? JobItemState::Pending : JobItemState::Failed));
        std::size_t pageEnd = m_failedPos;
        if (m_phase == 0) {
            st.bind(3, m_lastLoaded);
        } else {
            pageEnd = std::min(m_failedAtStart.size(), m_failedPos + std::size_t(limit));
            std::string ids = "[";
            // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict overlap for
            // `const char* + std::string` (GCC bug 105329), which fails a Release build.
            for (std::size_t k = m_failedPos; k < pageEnd; ++k) {
                if (k > m_failedPos)
                    ids += ',';
                ids += std::to_string(m_failedAtStart[k]);
            }
            ids += "]";
            st.bind(3, std::string_view(ids));
        }
        st.bind(4, static_cast<std::int64_t>(limit));
        int rows = 0;
        while (st.step()) {
            ++rows;
            auto w = std::make_shared<Work>();
            w->item = st.int64(0);
            w->extId = st.text(1);
            w->source = st.text(2);
            w->location.path = st.text(3);
            if (!st.isNull(4)) {
                w->location.offset = st.int64(4);
                w->location.size = st.int64(5);
            }
            w->currentVersion = st.isNull(7) ? 0 : st.int64(7);
            if (m_needCaption)
                w->caption = st.text(8);
            PromptVariables vars;
            vars.caption = w->caption;
            vars.source = w->source;
            vars.id = w->extId;
            vars.facet = m_settings.facet.isEmpty() ? QString() : facetDescription(m_settings.facet);
            w->prompt = renderPrompt(m_settings.promptFor(w->source), vars);
            m_lastLoaded = w->item;
            m_pool->push(std::move(w));
        }
        if (m_phase == 0) {
            if (rows < limit)
                m_phase = 1;
        } else {
            m_failedPos = pageEnd;
        }
        if (m_phase == 1 && m_failedPos >= m_failedAtStart.size())
            m_loaderDone = true;
    }

    // ---- sending ----

    void launch()
    {
        while (m_fatal.isEmpty() && m_http.active() < concurrency() && now() >= m_holdUntil) {
            WorkPtr w;
            if (!m_retries.empty() && m_retries.top().first <= now()) {
                w = m_retries.top().second;
                m_retries.pop();
            } else if (!m_ready.empty()) {
                w = std::move(m_ready.front());
                m_ready.pop_front();
            } else {
                break;
            }
            if (!w->image.ok()) {
                Outcome o;
                o.work = w;
                o.state = JobItemState::Failed;
                o.error = w->image.state == ImageState::Missing ? tr("image missing: %1").arg(w->image.error)
                                                                : tr("image unreadable: %1").arg(w->image.error);
                finishItem(std::move(o));
                continue;
            }
            if (w->requestKey.isEmpty())
                w->requestKey = sha256Hex(w->image.digest + '\n' + m_requestSalt + '\n' + w->prompt.toUtf8());
            if (reuseFromCache(w))
                continue;
            if (m_inFlightKeys.count(w->requestKey)) {
                // The same image and request is on its way: wait for that reply instead of paying twice.
                m_waiters[w->requestKey].push_back(w);
                continue;
            }
            send(w);
        }
    }

    void send(const WorkPtr& w)
    {
        ChatRequest chat = m_protocol.chatRequest(w->prompt, w->image.base64, w->image.mimeType);
        HttpRequest req;
        req.url = std::move(chat.url);
        req.body = std::move(chat.body);
        req.stream = chat.stream;
        req.bearer = m_owner.key;
        req.connectTimeoutSeconds = m_settings.connectTimeoutSeconds;
        if (chat.stream) {
            req.timeoutSeconds = 0;
            req.lowSpeedSeconds = m_settings.lowSpeedSeconds;
        } else {
            req.timeoutSeconds = m_settings.requestTimeoutSeconds;
        }
        req.proxy = m_settings.proxy.toStdString();
        std::shared_ptr<ChatExchange> exchange = m_protocol.exchange();
        m_inFlightKeys.insert(w->requestKey);
        ++m_requestsUnsaved;
        ++m_progress.requests;
        m_http.start(
            std::move(req), [exchange](std::string_view bytes) { return exchange->onData(bytes); },
            [this, w, exchange](HttpResult&& r) { onReply(w, *exchange, std::move(r)); });
    }

    bool reuseFromCache(const WorkPtr& w)
    {
        Statement st = m_db.prepare("SELECT text, finish_reason FROM recaption_cache WHERE image_sha = ? AND "
                                    "request_key = ?");
        st.bind(1, QString::fromLatin1(w->image.digest)).bind(2, w->requestKey);
        if (!st.step())
            return false;
        const QString raw = st.text(0);
        const QString finish = st.text(1);
        st.reset();
        Outcome o;
        o.work = w;
        o.state = JobItemState::Reused;
        o.finishReason = finish;
        o.truncated = finish == u"length"_s;
        if (!interpret(o, raw))
            return false; // an entry this run cannot use: ask the model
        finishItem(std::move(o));
        return true;
    }

    /** Fills o.text (and o.sentences) from the model's reply as this job uses it; false when it cannot. */
    bool interpret(Outcome& o, const QString& raw)
    {
        o.raw = raw;
        if (m_settings.structured)
            return parseFacetJson(raw.toStdString(), &o.text, &o.sentences) && !o.text.isEmpty();
        if (!m_settings.facet.isEmpty()) {
            o.text = RecaptionRunner::spliceFacet(o.work->caption, spansOf(*o.work), m_settings.facet, raw);
            return !o.text.isEmpty();
        }
        o.text = raw.trimmed();
        return !o.text.isEmpty();
    }

    QList<RecaptionRunner::LabelledSpan> spansOf(const Work& w)
    {
        QList<RecaptionRunner::LabelledSpan> spans;
        if (w.currentVersion > 0) {
            for (const StoredSegment& s : storedSegments(m_db, w.currentVersion))
                spans.append({s.start, s.end, s.facets.value(0)});
        }
        if (!spans.isEmpty())
            return spans;
        // No stored segments for this caption yet: split and classify it as `facet facets` would.
        if (!m_classifier)
            m_classifier = std::make_unique<FacetClassifier>(FacetModel::forProject(m_db));
        for (const TextSpan& s : Segmenter::split(w.caption)) {
            const QStringList facets = m_classifier->classify(QStringView(w.caption).mid(s.start, s.length()));
            spans.append({s.start, s.end, facets.isEmpty() ? u"other"_s : facets.first()});
        }
        return spans;
    }

    // ---- replies ----

    void onReply(const WorkPtr& w, ChatExchange& exchange, HttpResult&& r)
    {
        m_inFlightKeys.erase(w->requestKey);
        ChatOutcome o;
        if (r.overflow) {
            o.kind = ChatOutcome::Kind::ItemFailed;
            o.error = r.transportError;
        } else {
            o = exchange.finish(r.status, r.headers, r.transportError, r.retryable);
        }
        o.error = redactSecrets(o.error, m_owner.key);
        ++w->attempts;
        ++w->unsavedAttempts;
        if (o.promptTokens > 0)
            w->unsavedPromptTokens += o.promptTokens;
        if (o.completionTokens > 0)
            w->unsavedCompletionTokens += o.completionTokens;
        const std::string requestId = headerValue(r.headers, "x-request-id");

        using Kind = ChatOutcome::Kind;
        switch (o.kind) {
        case Kind::Ok: {
            m_consecutiveFailures = 0;
            Outcome out;
            out.work = w;
            out.state = JobItemState::Done;
            out.finishReason = o.finishReason;
            out.truncated = o.truncated;
            if (!interpret(out, o.raw)) {
                failItem(w, tr("the reply could not be used as a caption"), false);
                break;
            }
            const QString raw = out.raw;
            const QString finish = out.finishReason;
            finishItem(std::move(out));
            releaseWaiters(w->requestKey, &raw, &finish, nullptr);
            break;
        }
        case Kind::Retry:
            retryItem(w, o);
            break;
        case Kind::Refused: {
            Outcome out;
            out.work = w;
            out.state = JobItemState::Refused;
            out.error = o.error;
            out.finishReason = o.finishReason;
            finishItem(std::move(out));
            releaseWaiters(w->requestKey, nullptr, nullptr, &o.error);
            break;
        }
        case Kind::ItemFailed:
            failItem(w, o.error, true);
            break;
        case Kind::StopJob:
            w->lastError = o.error;
            if (o.httpStatus == 400) {
                // The request for this item was rejected: record it as failed so that a resume gets
                // past it (failed items are retried last), and stop as the server asks.
                Outcome out;
                out.work = w;
                out.state = JobItemState::Failed;
                out.error = o.error;
                finishItem(std::move(out));
                m_fatal = tr("%1 (item %2)").arg(o.error, w->extId);
            } else {
                m_fatal = o.error;
                m_touched.push_back(w);
            }
            if (!requestId.empty())
                m_fatal += tr(" [request %1]").arg(QString::fromStdString(requestId));
            m_http.abortAll();
            break;
        }
    }

    void retryItem(const WorkPtr& w, const ChatOutcome& o)
    {
        w->lastError = o.error;
        ++m_progress.retries;
        if (w->attempts >= m_settings.maxAttempts) {
            failItem(w, tr("gave up after %n attempt(s): %1", nullptr, w->attempts).arg(o.error), true);
            return;
        }
        qint64 delay = 0;
        if (o.retryAfterMs > 0) {
            delay = std::min<qint64>(o.retryAfterMs, qint64(m_settings.maxRetryAfterSeconds) * 1000);
        } else {
            // min(base * 2^n, max) with jitter in (0.75, 1], as OpenAI's own clients do.
            const double base = double(m_settings.backoffBaseMs) * std::pow(2.0, double(w->attempts - 1));
            std::uniform_real_distribution<double> jitter(0.75, 1.0);
            delay = qint64(std::min(base, double(m_settings.backoffMaxMs)) * jitter(m_rng));
        }
        if (o.rateLimited)
            m_holdUntil = std::max(m_holdUntil, now() + delay); // everyone waits, not just this item
        m_retries.push({now() + delay, w});
        m_touched.push_back(w);
        note(tr("%1: %2; retrying in %3 s (attempt %4 of %5)")
                 .arg(w->extId, o.error)
                 .arg(double(delay) / 1000.0, 0, 'f', 1)
                 .arg(w->attempts + 1)
                 .arg(m_settings.maxAttempts));
        // Items waiting for this reply send their own request now.
        releaseWaiters(w->requestKey, nullptr, nullptr, nullptr);
    }

    void failItem(const WorkPtr& w, const QString& error, bool remote)
    {
        Outcome out;
        out.work = w;
        out.state = JobItemState::Failed;
        out.error = error;
        finishItem(std::move(out));
        releaseWaiters(w->requestKey, nullptr, nullptr, nullptr);
        if (remote && ++m_consecutiveFailures >= kMaxConsecutiveFailures && m_fatal.isEmpty()) {
            m_fatal =
                tr("%1 items in a row could not be recaptioned; last error: %2").arg(m_consecutiveFailures).arg(error);
            m_http.abortAll();
        }
    }

    /**
     * Items that waited for a reply to the same image and request: with a caption (`raw`) they reuse
     * it, with a refusal they share it, otherwise they go back to the front of the queue.
     */
    void releaseWaiters(const QString& key, const QString* raw, const QString* finish, const QString* refusal)
    {
        const auto it = m_waiters.find(key);
        if (it == m_waiters.end())
            return;
        std::vector<WorkPtr> waiting = std::move(it->second);
        m_waiters.erase(it);
        for (auto k = waiting.rbegin(); k != waiting.rend(); ++k) {
            const WorkPtr& w = *k;
            if (raw) {
                Outcome o;
                o.work = w;
                o.state = JobItemState::Reused;
                o.finishReason = *finish;
                o.truncated = *finish == u"length"_s;
                if (interpret(o, *raw)) {
                    finishItem(std::move(o));
                    continue;
                }
            } else if (refusal) {
                Outcome o;
                o.work = w;
                o.state = JobItemState::Refused;
                o.error = *refusal;
                finishItem(std::move(o));
                continue;
            }
            m_ready.push_front(w);
        }
    }

    void finishItem(Outcome&& o)
    {
        if (o.state == JobItemState::Failed || o.state == JobItemState::Refused) {
            o.work->lastError = o.error;
            m_lastItemError = o.work->extId + u": "_s + o.error;
        }
        m_outcomes.push_back(std::move(o));
    }

    // ---- committing ----

    QString paramsFor(const Outcome& o) const
    {
        nlohmann::json p = {{"job", m_job.id},
                            {"provider", providerKey(m_settings.provider).toStdString()},
                            {"max_tokens", m_settings.maxTokens},
                            {"finish_reason", o.finishReason.toStdString()},
                            {"truncated", o.truncated},
                            {"reused", o.state == JobItemState::Reused}};
        if (m_settings.provider == ProviderKind::OpenAi)
            p["detail"] = m_settings.detail.toStdString();
        p["temperature"] = m_settings.temperature ? nlohmann::json(*m_settings.temperature) : nlohmann::json(nullptr);
        p["prompt_tokens"] = o.promptTokens;
        p["completion_tokens"] = o.completionTokens;
        if (m_settings.structured)
            p["structured"] = true;
        if (!m_settings.facet.isEmpty())
            p["facet"] = m_settings.facet.toStdString();
        return QString::fromStdString(p.dump());
    }

    void writeSegments(std::int64_t versionId, const Outcome& o)
    {
        // labelledBy 2: the model said which facet each sentence answers.
        QList<StoredSegment> segments;
        int pos = 0;
        for (const auto& [facet, sentence] : o.sentences) {
            const qsizetype at = o.text.indexOf(sentence, pos);
            if (at < 0)
                continue;
            pos = int(at + sentence.size());
            segments.append({int(at), pos, {facet}, 2});
        }
        storeSegments(m_db, versionId, segments);
    }

    void flush()
    {
        if (m_outcomes.empty() && m_touched.empty() && m_requestsUnsaved == 0)
            return;
        std::vector<Outcome> outcomes = std::move(m_outcomes);
        m_outcomes.clear();
        std::vector<WorkPtr> touched = std::move(m_touched);
        m_touched.clear();
        const QString now = nowIso();
        std::int64_t promptDelta = 0;
        std::int64_t completionDelta = 0;
        for (Outcome& o : outcomes) {
            o.promptTokens = o.work->unsavedPromptTokens;
            o.completionTokens = o.work->unsavedCompletionTokens;
        }

        // 1. Captions, each with its job record, in one transaction (one journalled action per item).
        QList<ModelCaption> captions;
        std::vector<Outcome*> captioned;
        for (Outcome& o : outcomes) {
            if (o.state != JobItemState::Done && o.state != JobItemState::Reused)
                continue;
            ModelCaption c;
            c.item = o.work->item;
            c.text = o.text;
            c.model = m_settings.model;
            c.prompt = o.work->prompt;
            c.params = paramsFor(o);
            captions.append(c);
            captioned.push_back(&o);
        }
        std::vector<std::int64_t> versions;
        if (!captions.isEmpty()) {
            Statement item = m_db.prepare(
                "UPDATE job_items SET state = ?, version_id = ?, image_sha = ?, attempts = attempts + ?, "
                "last_error = NULL, prompt_tokens = coalesce(prompt_tokens, 0) + ?, "
                "completion_tokens = coalesce(completion_tokens, 0) + ?, finish_reason = ?, truncated = ?, "
                "updated_at = ? WHERE job_id = ? AND item_id = ?");
            Statement cache = m_db.prepare(
                "INSERT OR REPLACE INTO recaption_cache(image_sha, request_key, text, finish_reason, prompt_tokens, "
                "completion_tokens, version_id, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
            Curation curation(m_project);
            versions = curation.addModelVersions(
                captions, m_author, [&](qsizetype k, std::int64_t versionId, bool added) {
                    const Outcome& o = *captioned[std::size_t(k)];
                    item.reset();
                    item.bind(1, static_cast<std::int64_t>(o.state)).bind(2, versionId);
                    item.bind(3, QString::fromLatin1(o.work->image.digest)).bind(4, o.work->unsavedAttempts);
                    item.bind(5, o.promptTokens).bind(6, o.completionTokens).bind(7, o.finishReason);
                    item.bind(8, o.truncated ? 1 : 0).bind(9, now).bind(10, m_job.id).bind(11, o.work->item).run();
                    if (o.state == JobItemState::Done) {
                        cache.reset();
                        cache.bind(1, QString::fromLatin1(o.work->image.digest)).bind(2, o.work->requestKey);
                        cache.bind(3, o.raw)
                            .bind(4, o.finishReason)
                            .bind(5, o.promptTokens)
                            .bind(6, o.completionTokens);
                        cache.bind(7, versionId).bind(8, now).run();
                    }
                    if (added && !o.sentences.isEmpty())
                        writeSegments(versionId, o); // structured output: the model labelled them
                    else if (added)
                        m_indexer.indexVersion(m_db, versionId, o.text); // as every new version is
                });
        }

        // 2. Everything else: failures, retries in progress, request and token counters, heartbeat.
        {
            Transaction tx(m_db);
            Statement item = m_db.prepare("UPDATE job_items SET state = ?, last_error = ?, attempts = attempts + ?, "
                                          "prompt_tokens = coalesce(prompt_tokens, 0) + ?, completion_tokens = "
                                          "coalesce(completion_tokens, 0) + ?, "
                                          "finish_reason = ?, image_sha = coalesce(?, image_sha), updated_at = ? WHERE "
                                          "job_id = ? AND item_id = ?");
            for (const Outcome& o : outcomes) {
                if (o.state == JobItemState::Done || o.state == JobItemState::Reused)
                    continue;
                item.reset();
                item.bind(1, static_cast<std::int64_t>(o.state)).bind(2, o.error).bind(3, o.work->unsavedAttempts);
                item.bind(4, o.promptTokens).bind(5, o.completionTokens).bind(6, o.finishReason);
                item.bind(7, o.work->image.digest.isEmpty() ? QString() : QString::fromLatin1(o.work->image.digest));
                item.bind(8, now).bind(9, m_job.id).bind(10, o.work->item).run();
            }
            Statement retry = m_db.prepare(
                "UPDATE job_items SET attempts = attempts + ?, last_error = ?, prompt_tokens = coalesce(prompt_tokens, "
                "0) "
                "+ ?, completion_tokens = coalesce(completion_tokens, 0) + ?, updated_at = ? "
                "WHERE job_id = ? AND item_id = ?");
            for (const WorkPtr& w : touched) {
                retry.reset();
                retry.bind(1, w->unsavedAttempts).bind(2, w->lastError).bind(3, w->unsavedPromptTokens);
                retry.bind(4, w->unsavedCompletionTokens).bind(5, now).bind(6, m_job.id).bind(7, w->item).run();
                promptDelta += w->unsavedPromptTokens;
                completionDelta += w->unsavedCompletionTokens;
                w->unsavedAttempts = 0;
                w->unsavedPromptTokens = 0;
                w->unsavedCompletionTokens = 0;
            }
            for (const Outcome& o : outcomes) {
                promptDelta += o.promptTokens;
                completionDelta += o.completionTokens;
            }
            Statement job = m_db.prepare("UPDATE jobs SET requests = requests + ?, prompt_tokens = prompt_tokens + ?, "
                                         "completion_tokens = completion_tokens + ?, updated_at = ? WHERE id = ?");
            job.bind(1, m_requestsUnsaved).bind(2, promptDelta).bind(3, completionDelta).bind(4, now);
            job.bind(5, m_job.id).run();
            tx.commit();
        }
        m_requestsUnsaved = 0;

        // 3. Numbers and callbacks, now that it is all on disk.
        m_progress.promptTokens += promptDelta;
        m_progress.completionTokens += completionDelta;
        std::size_t v = 0;
        for (Outcome& o : outcomes) {
            JobItemInfo info;
            info.item = o.work->item;
            info.extId = o.work->extId;
            info.state = o.state;
            info.attempts = o.work->attempts;
            info.lastError = o.error;
            info.finishReason = o.finishReason;
            info.truncated = o.truncated;
            info.promptTokens = o.promptTokens;
            info.completionTokens = o.completionTokens;
            info.updatedAt = now;
            switch (o.state) {
            case JobItemState::Done:
                ++m_progress.done;
                info.versionId = versions[v++];
                break;
            case JobItemState::Reused:
                ++m_progress.reused;
                info.versionId = versions[v++];
                break;
            case JobItemState::Refused:
                ++m_progress.refused;
                break;
            case JobItemState::Failed:
            case JobItemState::Pending:
                break;
            }
            if (o.state == JobItemState::Failed && !o.work->image.ok())
                note(tr("%1: %2").arg(o.work->extId, o.error));
            else if (o.state == JobItemState::Failed || o.state == JobItemState::Refused)
                note(tr("%1 %2: %3").arg(o.work->extId, jobItemStateKey(o.state), o.error));
            if (o.truncated)
                ++m_progress.truncated;
            o.work->unsavedAttempts = 0;
            o.work->unsavedPromptTokens = 0;
            o.work->unsavedCompletionTokens = 0;
            if (m_owner.callbacks.itemFinished)
                m_owner.callbacks.itemFinished(info);
        }
        recount();
    }

    /** The failed count comes from the table: an item failed in an earlier run may succeed now. */
    void recount()
    {
        Statement st = m_db.prepare("SELECT count(*) FROM job_items WHERE job_id = ? AND state = ?");
        st.bind(1, m_job.id).bind(2, static_cast<std::int64_t>(JobItemState::Failed));
        m_progress.failed = st.step() ? st.int64(0) : 0;
    }

    void heartbeat()
    {
        Statement st = m_db.prepare("UPDATE jobs SET updated_at = ? WHERE id = ?");
        st.bind(1, nowIso()).bind(2, m_job.id).run();
    }

    void setJobState(JobState state, bool starting)
    {
        const QString now = nowIso();
        const bool final = state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled;
        std::string sql = "UPDATE jobs SET state = ?, updated_at = ?, runner = ?";
        if (starting)
            sql += ", started_at = coalesce(started_at, ?), finished_at = NULL, last_error = NULL";
        else if (final || state == JobState::Interrupted)
            sql += ", finished_at = ?, last_error = ?";
        sql += " WHERE id = ?";
        Statement st = m_db.prepare(sql);
        int k = 1;
        st.bind(k++, static_cast<std::int64_t>(state));
        st.bind(k++, now);
        st.bind(k++, JobStore::runnerId());
        if (starting) {
            st.bind(k++, now);
        } else if (final || state == JobState::Interrupted) {
            if (final)
                st.bind(k++, now);
            else
                st.bindNull(k++);
            const QString error = redactSecrets(!m_fatal.isEmpty() ? m_fatal : m_lastItemError, m_owner.key);
            st.bind(k++, error.isEmpty() ? QString() : error);
        }
        st.bind(k++, m_job.id).run();
        m_progress.state = state;
    }

    void publish(bool force)
    {
        const qint64 t = now();
        if (!force && t - m_lastPublish < kProgressIntervalMs)
            return;
        m_lastPublish = t;
        m_progress.finished = m_progress.done + m_progress.reused + m_progress.failed + m_progress.refused;
        m_progress.inFlight = m_http.active();
        m_progress.paused = m_owner.pauseFlag.load();
        m_progress.lastError = !m_fatal.isEmpty() ? m_fatal : m_lastItemError;
        // Rate over a sliding window of this run's items.
        const std::int64_t finishedThisRun = m_progress.done + m_progress.reused + m_progress.refused - m_startFinished;
        m_samples.push_back({t, finishedThisRun});
        while (m_samples.size() > 2 && t - m_samples.front().first > kRateWindowMs)
            m_samples.pop_front();
        const auto& first = m_samples.front();
        const double seconds = double(t - first.first) / 1000.0;
        m_progress.rate = seconds >= 1.0 ? double(finishedThisRun - first.second) / seconds : 0.0;
        const std::int64_t remaining = std::max<std::int64_t>(0, m_progress.total - m_progress.finished);
        m_progress.etaSeconds = m_progress.rate > 0.0 ? double(remaining) / m_progress.rate : -1.0;
        if (m_price)
            m_progress.cost = costOf(*m_price, m_progress.promptTokens, m_progress.completionTokens);
        {
            std::lock_guard lock(m_owner.progressMutex);
            m_owner.snapshot = m_progress;
        }
        if (m_owner.callbacks.progress)
            m_owner.callbacks.progress(m_progress);
    }

public:
    void initStartCounts() { m_startFinished = m_progress.done + m_progress.reused + m_progress.refused; }

private:
    RecaptionRunner::Impl& m_owner;
    Project& m_project;
    Database& m_db;
    JobInfo m_job;
    RecaptionSettings m_settings;
    ProviderProtocol m_protocol;
    HttpClient m_http;
    std::mt19937 m_rng;
    std::optional<ModelPrice> m_price;
    QString m_author;
    bool m_needCaption = false;
    QByteArray m_requestSalt;
    std::unique_ptr<FacetClassifier> m_classifier;
    FacetIndexer m_indexer;

    QElapsedTimer m_clock;
    PrepPool* m_pool = nullptr;
    int m_phase = 0;
    std::vector<std::int64_t> m_failedAtStart;
    std::size_t m_failedPos = 0;
    std::int64_t m_lastLoaded = 0;
    bool m_loaderDone = false;
    std::deque<WorkPtr> m_ready;
    using Due = std::pair<qint64, WorkPtr>;
    struct Later
    {
        bool operator()(const Due& a, const Due& b) const { return a.first > b.first; }
    };
    std::priority_queue<Due, std::vector<Due>, Later> m_retries;
    qint64 m_holdUntil = 0;
    std::set<QString> m_inFlightKeys;
    std::map<QString, std::vector<WorkPtr>> m_waiters;
    std::vector<Outcome> m_outcomes;
    std::vector<WorkPtr> m_touched;
    std::int64_t m_requestsUnsaved = 0;
    int m_consecutiveFailures = 0;
    QString m_fatal;
    QString m_lastItemError;
    JobProgress m_progress;
    std::int64_t m_startFinished = 0;
    qint64 m_lastPublish = -1'000'000;
    std::deque<std::pair<qint64, std::int64_t>> m_samples;
};

} // namespace

JobProgress RecaptionRunner::Impl::execute()
{
    auto project = Project::open(path, Project::OpenMode::Existing);
    if (project->isReadOnly())
        throw Error(tr("Project %1 is read-only (%2); the job cannot run").arg(path, project->readOnlyReason()));
    const QString canonical = project->path();
    {
        std::lock_guard lock(g_runningMutex);
        if (g_running.count({canonical, jobId}))
            throw Error(tr("Job %1 is already running").arg(jobId));
        g_running.insert({canonical, jobId});
    }
    struct Release
    {
        QString path;
        std::int64_t id;
        ~Release()
        {
            std::lock_guard lock(g_runningMutex);
            g_running.erase({path, id});
        }
    } release{canonical, jobId};

    JobStore store(*project);
    const std::optional<JobInfo> job = store.job(jobId);
    if (!job)
        throw Error(tr("No job %1 in %2").arg(jobId).arg(path));
    if (job->runnerAlive && job->runner != JobStore::runnerId())
        throw Error(tr("Job %1 is running in process %2").arg(jobId).arg(job->runner));
    if (const QString problem = job->settings.validate(); !problem.isEmpty())
        throw Error(tr("Job %1 cannot run: %2").arg(jobId).arg(problem));

    Run run(*this, *project, *job);
    run.initStartCounts();
    return run.run();
}

// ---- RecaptionRunner ----------------------------------------------------------------------------

RecaptionRunner::RecaptionRunner(const QString& projectPath, std::int64_t jobId, const QString& apiKey,
                                 Callbacks callbacks)
    : d(std::make_unique<Impl>())
{
    d->path = projectPath;
    d->jobId = jobId;
    d->key = apiKey;
    d->callbacks = std::move(callbacks);
    d->snapshot.jobId = jobId;
}

RecaptionRunner::~RecaptionRunner()
{
    if (d->thread.joinable()) {
        stop();
        d->thread.join();
    }
    // The key leaves memory with the runner.
    d->key.fill(u'\0');
}

JobProgress RecaptionRunner::run()
{
    d->running.store(true);
    struct Reset
    {
        std::atomic_bool& flag;
        ~Reset() { flag.store(false); }
    } reset{d->running};
    return d->execute();
}

void RecaptionRunner::start()
{
    if (d->thread.joinable())
        throw Error(tr("The job runner was already started"));
    d->running.store(true);
    d->thread = std::thread([this] {
        try {
            d->result = d->execute();
        } catch (...) {
            d->error = std::current_exception();
        }
        d->running.store(false);
    });
}

JobProgress RecaptionRunner::wait()
{
    if (d->thread.joinable())
        d->thread.join();
    if (d->error) {
        std::exception_ptr e = d->error;
        d->error = nullptr;
        std::rethrow_exception(e);
    }
    return d->result;
}

bool RecaptionRunner::isRunning() const
{
    return d->running.load();
}

void RecaptionRunner::pause()
{
    d->pauseFlag.store(true);
    d->wake();
}

void RecaptionRunner::resume()
{
    d->pauseFlag.store(false);
    d->wake();
}

bool RecaptionRunner::isPaused() const
{
    return d->pauseFlag.load();
}

void RecaptionRunner::stop()
{
    d->stopFlag.store(true);
    d->wake();
}

void RecaptionRunner::cancel()
{
    d->cancelFlag.store(true);
    d->wake();
}

void RecaptionRunner::setInterruptFlag(const std::atomic_bool* flag)
{
    d->interrupt.store(flag);
}

void RecaptionRunner::setConcurrency(int concurrency)
{
    d->concurrency.store(std::clamp(concurrency, 1, 256));
    d->wake();
}

JobProgress RecaptionRunner::progress() const
{
    std::lock_guard lock(d->progressMutex);
    return d->snapshot;
}

std::int64_t RecaptionRunner::jobId() const
{
    return d->jobId;
}

} // namespace facet
