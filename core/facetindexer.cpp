#include "facetindexer.h"

#include "database.h"
#include "error.h"
#include "project.h"
#include "query.h"
#include "segmenter.h"

#include <QHash>
#include <QThreadPool>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace facet {

namespace {

bool validFacetKey(const QString& key)
{
    if (key.isEmpty() || !(key[0] >= u'a' && key[0] <= u'z'))
        return false;
    for (const QChar c : key) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_'))
            return false;
    }
    return true;
}

quint64 spanKey(qint64 start, qint64 end)
{
    return (static_cast<quint64>(start) << 32) | static_cast<quint32>(end);
}

// The packed segment list (packSegments) is short text, readable in the sqlite3 shell:
//   keys "|" segments, keys = the distinct facet keys of the version joined by ",", and segments
//   joined by ";", each  gap "+" length ["@" labelledBy] [":" key index ("," key index)*]
// where gap is the start minus the previous segment's end (the first segment's: minus 0) and the
// key indexes point into keys, primary first. "attributes,spatial|0+64:0;1+80:1,0@1" is two
// sentences, [0, 64) attributes and [65, 145) spatial + attributes as a reviewer labelled it. A
// typical caption's 16 sentences take about 150 bytes, a tenth of the 16 rows they used to be.
void appendNumber(std::string& out, long long v)
{
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

/**
 * Builds a packed segment list. Used by the classifying threads for fresh versions (keys straight
 * from the model) and by packSegments() for everything else.
 */
class Packer
{
public:
    void addSegment(int start, int end, int labelledBy)
    {
        if (start < 0 || end < start || labelledBy < 0)
            throw Error(FacetIndexer::tr("A segment must satisfy 0 <= start <= end"));
        if (m_segments++ > 0)
            m_body.push_back(';');
        appendNumber(m_body, static_cast<long long>(start) - m_lastEnd);
        m_body.push_back('+');
        appendNumber(m_body, end - start);
        if (labelledBy != 0) {
            m_body.push_back('@');
            appendNumber(m_body, labelledBy);
        }
        m_lastEnd = end;
        m_firstFacet = true;
    }

    void addFacet(std::string_view key)
    {
        if (key.empty() || key.find_first_of(",|") != std::string_view::npos)
            throw Error(FacetIndexer::tr("'%1' cannot be stored as a facet key").arg(QString::fromUtf8(key)));
        std::size_t index = 0;
        while (index < m_keys.size() && m_keys[index] != key)
            ++index;
        if (index == m_keys.size())
            m_keys.emplace_back(key);
        m_body.push_back(m_firstFacet ? ':' : ',');
        m_firstFacet = false;
        appendNumber(m_body, static_cast<long long>(index));
    }

    std::string finish() const
    {
        std::string out;
        out.reserve(m_body.size() + 12 * m_keys.size() + 1);
        for (std::size_t k = 0; k < m_keys.size(); ++k) {
            if (k)
                out.push_back(',');
            out += m_keys[k];
        }
        out.push_back('|');
        out += m_body;
        return out;
    }

private:
    std::vector<std::string> m_keys;
    std::string m_body;
    long long m_lastEnd = 0;
    std::size_t m_segments = 0;
    bool m_firstFacet = true;
};

[[noreturn]] void damaged()
{
    throw Error(FacetIndexer::tr("The stored facet segments are damaged"));
}

/** Reads the segment part of a packed list. */
class Unpacker
{
public:
    explicit Unpacker(std::string_view text)
        : m_p(text.data())
        , m_end(text.data() + text.size())
    {
    }

    bool atEnd() const { return m_p == m_end; }
    char peek() const { return m_p == m_end ? '\0' : *m_p; }
    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_p;
        return true;
    }

    long long number()
    {
        long long v = 0;
        const auto [next, ec] = std::from_chars(m_p, m_end, v);
        if (ec != std::errc() || next == m_p)
            damaged();
        m_p = next;
        return v;
    }

private:
    const char* m_p;
    const char* m_end;
};

// Small per-version tally; a caption carries at most a handful of facets.
struct FacetCounts
{
    std::vector<std::pair<QString, int>> counts;

    void add(const QString& facet)
    {
        for (auto& [key, n] : counts) {
            if (key == facet) {
                ++n;
                return;
            }
        }
        counts.emplace_back(facet, 1);
    }
};

/** Appends "key:count" to the `facets` column text (facetindexer.h; parseFacetCounts() reads it). */
void appendFacetCount(std::string* out, std::string_view key, int count)
{
    if (!out->empty())
        *out += ',';
    *out += key;
    *out += ':';
    *out += std::to_string(count);
}

} // namespace

struct FacetIndexer::Connection
{
    Connection(Database& db, FacetModel model)
        : db(db)
        , handle(db.handle())
        , classifier(std::move(model))
        , select(db.prepare("SELECT data FROM version_segments WHERE version_id = ?"))
        , insertSegments(db.prepare("INSERT INTO version_segments(version_id, data, facets) VALUES(?, ?, ?)"))
    {
        for (const FacetInfo& f : classifier.model().facets())
            keys.push_back(f.key.toStdString());
    }

    Database& db;
    sqlite3* handle;
    FacetClassifier classifier;
    std::vector<std::string> keys; // UTF-8 facet keys of the classifier's model
    Statement select;
    Statement insertSegments;
};

FacetIndexer::FacetIndexer() = default;

FacetIndexer::FacetIndexer(FacetModel model)
    : m_model(std::move(model))
{
}

FacetIndexer::Connection& FacetIndexer::connectionFor(Database& db)
{
    // The handle, not the Database address, identifies the connection: a closed connection stays
    // allocated (sqlite3_close_v2) while our statements live, so a new one never reuses its address.
    if (!m_connection || m_connection->handle != db.handle()) {
        // A pending batch is being classified with this connection's classifier and must be written
        // to its database; switching under it would lose it (and free what its threads read).
        if (m_pending)
            throw Error(tr("Facets of a batch of captions are still pending for another project"));
        m_connection.reset();
        m_connection = std::make_unique<Connection>(db, m_model ? *m_model : FacetModel::forProject(db));
    }
    return *m_connection;
}

// A caption segmented, classified and packed but not stored yet: the part of indexing that needs no
// database, so it can run on any thread.
struct FacetIndexer::Analysis
{
    std::vector<TextSpan> spans;
    std::vector<int> facets;  // facet indexes of all segments, primary first within each
    std::vector<int> offsets; // segment k's facets are facets[offsets[k] .. offsets[k + 1])
    std::string packed;       // packSegments() of the classifier's segments
    std::vector<int> counts;  // per model facet: the segments that carry it
    std::string facetCounts;  // the `facets` column, made from `counts`
};

// A batch being classified on the pool. The caller's thread helps when it needs the results
// (finish()): it classifies whatever no pool thread has taken yet instead of waiting, so a batch is
// never held up by pool threads that a busy machine does not schedule, and no core idles while a
// batch has work left.
struct FacetIndexer::Pending
{
    // Shared with the pool's tasks, which may start after the batch is finished and gone: such a task
    // finds nothing left to take and ends without touching the connection.
    struct State
    {
        State(const Connection& c, std::vector<std::pair<std::int64_t, QString>> batch)
            : connection(c)
            , versions(std::move(batch))
            , results(versions.size())
        {
        }

        /** Classifies versions nobody has taken yet, until none are left. */
        void work() noexcept
        {
            const std::size_t n = versions.size();
            for (std::size_t k = next.fetch_add(1); k < n; k = next.fetch_add(1)) {
                std::exception_ptr failed;
                try {
                    results[k] = analyse(connection, versions[k].second);
                } catch (...) {
                    failed = std::current_exception();
                }
                const std::lock_guard lock(mutex);
                if (failed && !error)
                    error = failed;
                if (++completed == n)
                    allDone.notify_all();
            }
        }

        /** Waits until `count` taken versions are classified. */
        void waitFor(std::size_t count)
        {
            std::unique_lock lock(mutex);
            allDone.wait(lock, [&] { return completed >= count; });
        }

        const Connection& connection;
        std::vector<std::pair<std::int64_t, QString>> versions;
        std::vector<Analysis> results;
        std::atomic<std::size_t> next{0};
        // std:: primitives rather than QMutex/QWaitCondition: Debian's Qt is not built for
        // ThreadSanitizer, which then cannot see QWaitCondition::wait() release the mutex and
        // reports the next lock as a double lock (scripts/sanitize.sh runs test_crash under TSan).
        std::mutex mutex;
        std::condition_variable allDone;
        std::size_t completed = 0; ///< guarded by mutex
        std::exception_ptr error;  ///< guarded by mutex
    };

    /** `spareThreads`: pool threads left out, for a caller that has its own work meanwhile. */
    Pending(const Connection& c, std::vector<std::pair<std::int64_t, QString>> batch, int spareThreads = 0)
        : state(std::make_shared<State>(c, std::move(batch)))
    {
        QThreadPool* pool = QThreadPool::globalInstance();
        const auto tasks = std::min(static_cast<std::size_t>(std::max(1, pool->maxThreadCount() - spareThreads)),
                                    state->versions.size());
        {
            const std::lock_guard lock(queueMutex());
            for (std::size_t k = 0; k < tasks; ++k)
                queue().push_back(state);
        }
        for (std::size_t k = 0; k < tasks; ++k)
            pool->start([] { runQueued(); });
    }

    // The batch reaches the pool's tasks through this queue under a std::mutex, not through the
    // tasks' lambda captures: Debian's Qt is not built for ThreadSanitizer, so a capture handed
    // over inside QThreadPool looks like a data race to it, while this hand-off is one it sees.
    // The queue is never destroyed: the global pool's threads may still be finishing a task when the
    // process runs its static destructors at exit, and a destroyed deque and mutex would race with
    // them (ThreadSanitizer reported the deque's destructor against a pool thread's pop_front).
    struct Handoff
    {
        std::mutex mutex;
        std::deque<std::shared_ptr<State>> queue;
    };
    static Handoff& handoff()
    {
        static Handoff* const h = new Handoff; // deliberately leaked, see above
        return *h;
    }
    static std::mutex& queueMutex() { return handoff().mutex; }
    static std::deque<std::shared_ptr<State>>& queue() { return handoff().queue; }
    static void runQueued()
    {
        std::shared_ptr<State> s;
        {
            const std::lock_guard lock(queueMutex());
            if (queue().empty())
                return;
            s = std::move(queue().front());
            queue().pop_front();
        }
        s->work();
    }

    // Pool threads read the connection's classifier: never leave one classifying. (A batch dropped
    // unwritten, when the import failed, is not worth classifying to the end.)
    ~Pending() { state->waitFor(std::min(state->next.exchange(state->versions.size()), state->versions.size())); }

    /** Returns when every version is classified (rethrowing what classifying one threw). */
    void finish()
    {
        state->work();
        state->waitFor(state->versions.size());
        const std::lock_guard lock(state->mutex);
        if (state->error)
            std::rethrow_exception(std::exchange(state->error, nullptr));
    }

    std::shared_ptr<State> state;
};

FacetIndexer::~FacetIndexer() = default;

FacetIndexer::Analysis FacetIndexer::analyse(const Connection& c, const QString& text)
{
    Analysis a;
    a.spans = Segmenter::split(text);
    a.offsets.reserve(a.spans.size() + 1);
    a.offsets.push_back(0);
    a.counts.assign(c.keys.size(), 0);
    const QStringView view(text);
    int indexes[FacetClassifier::MaxFacets];
    Packer packer;
    for (const TextSpan& span : a.spans) {
        const int count = c.classifier.classifyIndexes(view.mid(span.start, span.length()), indexes);
        a.facets.insert(a.facets.end(), indexes, indexes + count);
        a.offsets.push_back(static_cast<int>(a.facets.size()));
        packer.addSegment(span.start, span.end, 0);
        for (int i = 0; i < count; ++i) {
            const auto f = static_cast<std::size_t>(indexes[i]);
            packer.addFacet(c.keys[f]);
            ++a.counts[f];
        }
    }
    a.packed = packer.finish();
    for (std::size_t f = 0; f < a.counts.size(); ++f) {
        if (a.counts[f] > 0)
            appendFacetCount(&a.facetCounts, c.keys[f], a.counts[f]);
    }
    return a;
}

void FacetIndexer::write(Connection& c, Database& db, std::int64_t versionId, const Analysis& a)
{
    c.select.reset();
    c.select.bind(1, versionId);
    if (c.select.step()) {
        // Indexed before: a reviewer's facets stay on every span produced again; the rest is new.
        QHash<quint64, QStringList> reviewed;
        const std::string_view stored = c.select.textView(0);
        for (const StoredSegment& s :
             unpackSegments(QByteArrayView(stored.data(), static_cast<qsizetype>(stored.size())))) {
            if (s.labelledBy == 1)
                reviewed.insert(spanKey(s.start, s.end), s.facets);
        }
        c.select.reset();
        QList<StoredSegment> segments;
        segments.reserve(static_cast<qsizetype>(a.spans.size()));
        for (std::size_t k = 0; k < a.spans.size(); ++k) {
            StoredSegment s;
            s.start = a.spans[k].start;
            s.end = a.spans[k].end;
            const auto kept = reviewed.constFind(spanKey(s.start, s.end));
            if (kept != reviewed.constEnd()) {
                s.facets = kept.value();
                s.labelledBy = 1;
            } else {
                for (int i = a.offsets[k]; i < a.offsets[k + 1]; ++i)
                    s.facets.append(QString::fromStdString(
                        c.keys[static_cast<std::size_t>(a.facets[static_cast<std::size_t>(i)])]));
            }
            segments.append(std::move(s));
        }
        storeSegments(db, versionId, segments);
        return;
    }
    c.select.reset();
    insertFresh(c, versionId, a);
}

// Never indexed before (every imported caption): the packed row and the counts made on the
// classifying thread go in as they are.
void FacetIndexer::insertFresh(Connection& c, std::int64_t versionId, const Analysis& a)
{
    c.insertSegments.reset();
    c.insertSegments.bind(1, versionId)
        .bind(2, std::string_view(a.packed))
        .bind(3, std::string_view(a.facetCounts))
        .run();
}

void FacetIndexer::indexVersion(Database& db, std::int64_t versionId, const QString& text)
{
    Connection& c = connectionFor(db);
    const Analysis a = analyse(c, text);
    std::optional<Transaction> tx;
    if (db.isAutocommit())
        tx.emplace(db);
    write(c, db, versionId, a);
    if (tx)
        tx->commit();
}

void FacetIndexer::indexVersions(Database& db, const std::vector<std::pair<std::int64_t, QString>>& versions)
{
    Connection& c = connectionFor(db);
    // The same pool hand-off as the pipelined batches (std:: synchronisation that ThreadSanitizer
    // can check), with this thread classifying too.
    Pending pending(c, versions);
    pending.finish();
    const std::vector<Analysis>& analyses = pending.state->results;
    std::optional<Transaction> tx;
    if (db.isAutocommit())
        tx.emplace(db);
    for (std::size_t k = 0; k < versions.size(); ++k)
        write(c, db, versions[k].first, analyses[k]);
    if (tx)
        tx->commit();
}

void FacetIndexer::indexVersionsPipelined(Database& db, std::vector<std::pair<std::int64_t, QString>> versions)
{
    // The new batch goes to the pool before the previous one is written, so the pool classifies
    // while this thread writes. It leaves this thread a core: the importer's thread (parsing and
    // every database write) is the import's critical path, and a third busy thread on two cores
    // would take a third of its time; when the pool falls behind, finishPending() lends a hand.
    std::unique_ptr<Pending> next;
    if (!versions.empty())
        next = std::make_unique<Pending>(connectionFor(db), std::move(versions), 1);
    finishPending(db);
    m_pending = std::move(next);
}

void FacetIndexer::finishPending(Database& db)
{
    if (!m_pending)
        return;
    const std::unique_ptr<Pending> pending = std::move(m_pending);
    pending->finish();
    Connection& c = connectionFor(db);
    // The importer's versions were added in its transaction: nothing is stored for them yet, so
    // there are no reviewer labels to keep and no row to look up.
    for (std::size_t k = 0; k < pending->state->versions.size(); ++k)
        insertFresh(c, pending->state->versions[k].first, pending->state->results[k]);
}

std::int64_t FacetIndexer::reindex(Project& project, const Selection& selection, const Progress& progress)
{
    Database& db = project.db();
    const Query query = selection.isEmpty() ? Query() : selection.toQuery();
    std::vector<std::int64_t> versions;
    {
        const QString sql = QStringLiteral(
                                "SELECT cv.id FROM caption_versions cv WHERE cv.item_id IN (SELECT i.id FROM ")
                            + QLatin1String(Query::from()) + QStringLiteral(" WHERE ") + query.where()
                            + QStringLiteral(") ORDER BY cv.id");
        const QByteArray utf8 = sql.toUtf8();
        Statement st = db.prepare(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
        query.bind(st);
        while (st.step())
            versions.push_back(st.int64(0));
    }
    const auto total = static_cast<std::int64_t>(versions.size());
    const QString what = tr("Computing facets");
    progress(0, total, what);
    Statement text = db.prepare("SELECT text FROM caption_versions WHERE id = ?");
    std::vector<std::pair<std::int64_t, QString>> batch;
    std::int64_t done = 0;
    while (done < total) {
        if (progress.cancelled())
            throw Cancelled();
        const std::int64_t end = std::min<std::int64_t>(total, done + kBatch);
        batch.clear();
        for (std::int64_t k = done; k < end; ++k) {
            const std::int64_t id = versions[static_cast<std::size_t>(k)];
            text.reset();
            text.bind(1, id);
            if (text.step())
                batch.emplace_back(id, text.text(0));
        }
        text.reset();
        Transaction tx(db);
        indexVersions(db, batch);
        if (progress.cancelled())
            throw Cancelled(); // rolls this batch back
        tx.commit();
        done = end;
        progress(done, total, what);
    }
    // Every caption now has this model's facets (a reviewer's labels aside, which no model decides).
    if (selection.isEmpty())
        FacetModel::setIndexedBy(db, connectionFor(db).classifier.model().fingerprint());
    return total;
}

void FacetIndexer::setReviewerFacets(Database& db, std::int64_t versionId, int idx, const QStringList& facets)
{
    if (facets.isEmpty())
        throw Error(tr("A segment needs at least one facet"));
    for (const QString& f : facets) {
        if (!validFacetKey(f))
            throw Error(tr("'%1' is not a facet key").arg(f));
    }
    std::optional<Transaction> tx;
    if (db.isAutocommit())
        tx.emplace(db);
    QList<StoredSegment> segments = storedSegments(db, versionId);
    if (idx < 0 || idx >= segments.size())
        throw Error(tr("Caption version %1 has no segment %2").arg(versionId).arg(idx));
    segments[idx].facets = facets;
    segments[idx].labelledBy = 1;
    storeSegments(db, versionId, segments);
    if (tx)
        tx->commit();
}

QByteArray packSegments(const QList<StoredSegment>& segments)
{
    Packer packer;
    for (const StoredSegment& s : segments) {
        packer.addSegment(s.start, s.end, s.labelledBy);
        for (const QString& f : s.facets)
            packer.addFacet(f.toStdString());
    }
    return QByteArray::fromStdString(packer.finish());
}

QList<StoredSegment> unpackSegments(QByteArrayView data)
{
    QList<StoredSegment> out;
    if (data.isEmpty())
        return out;
    const std::string_view text(data.data(), static_cast<std::size_t>(data.size()));
    const std::size_t bar = text.find('|');
    if (bar == std::string_view::npos)
        damaged();
    QStringList keys;
    if (bar > 0)
        keys = QString::fromUtf8(text.substr(0, bar)).split(u',');
    Unpacker in(text.substr(bar + 1));
    long long lastEnd = 0;
    constexpr long long kMax = std::numeric_limits<int>::max();
    while (!in.atEnd()) {
        if (!out.isEmpty() && !in.take(';'))
            damaged();
        const long long start = lastEnd + in.number();
        if (!in.take('+'))
            damaged();
        const long long length = in.number();
        if (start < 0 || length < 0 || start + length > kMax)
            damaged();
        StoredSegment s;
        s.start = static_cast<int>(start);
        s.end = static_cast<int>(start + length);
        if (in.take('@')) {
            const long long by = in.number();
            if (by < 0 || by > kMax)
                damaged();
            s.labelledBy = static_cast<int>(by);
        }
        if (in.take(':')) {
            do {
                const long long key = in.number();
                if (key < 0 || key >= keys.size() || keys.at(key).isEmpty())
                    damaged();
                s.facets.append(keys.at(key));
            } while (in.take(','));
        }
        lastEnd = s.end;
        out.append(std::move(s));
    }
    return out;
}

QList<StoredSegment> storedSegments(Database& db, std::int64_t versionId)
{
    Statement st = db.prepare("SELECT data FROM version_segments WHERE version_id = ?");
    st.bind(1, versionId);
    if (!st.step())
        return {};
    const std::string_view data = st.textView(0);
    return unpackSegments(QByteArrayView(data.data(), static_cast<qsizetype>(data.size())));
}

void storeSegments(Database& db, std::int64_t versionId, const QList<StoredSegment>& segments)
{
    const QByteArray packed = packSegments(segments);
    FacetCounts counts;
    for (const StoredSegment& s : segments) {
        for (const QString& f : s.facets)
            counts.add(f);
    }
    std::string facets;
    for (const auto& [facet, n] : counts.counts)
        appendFacetCount(&facets, facet.toStdString(), n);
    Statement put = db.prepare("INSERT OR REPLACE INTO version_segments(version_id, data, facets) VALUES(?, ?, ?)");
    put.bind(1, versionId)
        .bind(2, std::string_view(packed.constData(), static_cast<std::size_t>(packed.size())))
        .bind(3, std::string_view(facets))
        .run();
}

QList<std::pair<QString, int>> parseFacetCounts(QStringView facets)
{
    QList<std::pair<QString, int>> out;
    for (const QStringView part : facets.split(u',', Qt::SkipEmptyParts)) {
        const qsizetype colon = part.lastIndexOf(u':');
        bool ok = false;
        const int n = colon > 0 ? part.mid(colon + 1).toInt(&ok) : 0;
        if (ok)
            out.emplaceBack(part.left(colon).toString(), n);
    }
    return out;
}

QList<Segment> segmentsOf(Database& db, std::int64_t versionId)
{
    QList<Segment> out;
    for (const StoredSegment& stored : storedSegments(db, versionId)) {
        Segment s;
        s.start = stored.start;
        s.end = stored.end;
        s.facets = stored.facets;
        s.byReviewer = stored.labelledBy == 1;
        out.append(s);
    }
    return out;
}

} // namespace facet
