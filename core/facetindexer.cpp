#include "facetindexer.h"

#include "database.h"
#include "error.h"
#include "project.h"
#include "query.h"
#include "segmenter.h"

#include <QHash>
#include <QtConcurrent/QtConcurrentMap>

#include <sqlite3.h>

#include <algorithm>
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

void writeCounts(Statement& insert, std::int64_t versionId, const FacetCounts& counts)
{
    for (const auto& [facet, n] : counts.counts) {
        insert.reset();
        insert.bind(1, versionId).bind(2, facet).bind(3, n).run();
    }
}

} // namespace

struct FacetIndexer::Connection
{
    // Segments go in with multi-row INSERTs of up to kRows rows: one statement per caption instead
    // of one per sentence is most of what makes indexing cheap enough for import.
    static constexpr int kRows = 32;

    Connection(Database& db, FacetModel model)
        : db(db)
        , handle(db.handle())
        , classifier(std::move(model))
        , select(db.prepare("SELECT start, end, facets, labelled_by FROM segments WHERE version_id = ?"))
        , deleteSegments(db.prepare("DELETE FROM segments WHERE version_id = ?"))
        , deleteFacets(db.prepare("DELETE FROM version_facets WHERE version_id = ?"))
    {
        for (const FacetInfo& f : classifier.model().facets())
            keys.push_back(f.key.toStdString());
        insertSegments.resize(kRows + 1);
        insertFacets.resize(static_cast<std::size_t>(FacetClassifier::MaxFacets) + 1);
    }

    Statement& segmentInsert(int rows)
    {
        std::optional<Statement>& st = insertSegments[static_cast<std::size_t>(rows)];
        if (!st) {
            std::string sql = "INSERT INTO segments(version_id, idx, start, end, facets, labelled_by) VALUES";
            for (int k = 0; k < rows; ++k)
                sql += k ? ",(?,?,?,?,?,?)" : "(?,?,?,?,?,?)";
            st.emplace(db.prepare(sql));
        }
        return *st;
    }

    Statement& facetInsert(int rows)
    {
        std::optional<Statement>& st = insertFacets[static_cast<std::size_t>(rows)];
        if (!st) {
            std::string sql = "INSERT INTO version_facets(version_id, facet, sentences) VALUES";
            for (int k = 0; k < rows; ++k)
                sql += k ? ",(?,?,?)" : "(?,?,?)";
            st.emplace(db.prepare(sql));
        }
        return *st;
    }

    Database& db;
    sqlite3* handle;
    FacetClassifier classifier;
    std::vector<std::string> keys; // UTF-8 facet keys of the classifier's model
    Statement select;
    Statement deleteSegments;
    Statement deleteFacets;
    std::vector<std::optional<Statement>> insertSegments; // by row count
    std::vector<std::optional<Statement>> insertFacets;   // by row count
    // Scratch reused across captions.
    std::vector<std::string> facetText;
    std::vector<int> labelledBy;
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

// A caption segmented and classified but not stored yet: the part of indexing that needs no
// database, so it can run on any thread.
struct FacetIndexer::Analysis
{
    std::vector<TextSpan> spans;
    std::vector<int> facets;  // facet indexes of all segments, primary first within each
    std::vector<int> offsets; // segment k's facets are facets[offsets[k] .. offsets[k + 1])
};

struct FacetIndexer::Pending
{
    std::vector<std::pair<std::int64_t, QString>> versions;
    QFuture<Analysis> future;

    // The classification threads read the connection's classifier: never leave them running.
    ~Pending() { future.waitForFinished(); }
};

FacetIndexer::~FacetIndexer() = default;

FacetIndexer::Analysis FacetIndexer::analyse(const FacetClassifier& classifier, const QString& text)
{
    Analysis a;
    a.spans = Segmenter::split(text);
    a.offsets.reserve(a.spans.size() + 1);
    a.offsets.push_back(0);
    const QStringView view(text);
    int indexes[FacetClassifier::MaxFacets];
    for (const TextSpan& span : a.spans) {
        const int count = classifier.classifyIndexes(view.mid(span.start, span.length()), indexes);
        a.facets.insert(a.facets.end(), indexes, indexes + count);
        a.offsets.push_back(static_cast<int>(a.facets.size()));
    }
    return a;
}

void FacetIndexer::write(Connection& c, Database& db, std::int64_t versionId, const Analysis& a)
{
    QHash<quint64, QString> reviewed;
    bool existing = false;
    c.select.reset();
    c.select.bind(1, versionId);
    while (c.select.step()) {
        existing = true;
        if (c.select.int64(3) == 1)
            reviewed.insert(spanKey(c.select.int64(0), c.select.int64(1)), c.select.text(2));
    }
    c.select.reset();
    if (existing) {
        c.deleteSegments.reset();
        c.deleteSegments.bind(1, versionId).run();
        c.deleteFacets.reset();
        c.deleteFacets.bind(1, versionId).run();
    }

    // Facet text per segment (reviewer labels win for unchanged spans) and per-facet counts.
    const std::size_t n = a.spans.size();
    c.facetText.resize(n);
    c.labelledBy.assign(n, 0);
    std::vector<int> counts(c.keys.size(), 0);
    FacetCounts otherCounts; // reviewer facets the current model does not know
    for (std::size_t k = 0; k < n; ++k) {
        const TextSpan& span = a.spans[k];
        std::string& out = c.facetText[k];
        out.clear();
        if (!reviewed.isEmpty()) {
            const auto kept = reviewed.constFind(spanKey(span.start, span.end));
            if (kept != reviewed.constEnd()) {
                out = kept.value().toStdString();
                c.labelledBy[k] = 1;
                for (const QString& f : kept.value().split(u',', Qt::SkipEmptyParts)) {
                    const auto known = std::find(c.keys.begin(), c.keys.end(), f.toStdString());
                    if (known != c.keys.end())
                        ++counts[static_cast<std::size_t>(known - c.keys.begin())];
                    else
                        otherCounts.add(f);
                }
                continue;
            }
        }
        for (int i = a.offsets[k]; i < a.offsets[k + 1]; ++i) {
            const auto f = static_cast<std::size_t>(a.facets[static_cast<std::size_t>(i)]);
            if (i > a.offsets[k])
                out += ',';
            out += c.keys[f];
            ++counts[f];
        }
    }

    for (std::size_t first = 0; first < n; first += Connection::kRows) {
        const int rows = static_cast<int>(std::min<std::size_t>(Connection::kRows, n - first));
        Statement& insert = c.segmentInsert(rows);
        insert.reset();
        for (int r = 0; r < rows; ++r) {
            const std::size_t k = first + static_cast<std::size_t>(r);
            const int p = r * 6;
            insert.bind(p + 1, versionId)
                .bind(p + 2, static_cast<int>(k))
                .bind(p + 3, a.spans[k].start)
                .bind(p + 4, a.spans[k].end)
                .bind(p + 5, std::string_view(c.facetText[k]))
                .bind(p + 6, c.labelledBy[k]);
        }
        insert.run();
    }

    int facetRows = 0;
    for (int count : counts)
        facetRows += count > 0;
    if (facetRows > 0) {
        Statement& insert = c.facetInsert(facetRows);
        insert.reset();
        int p = 0;
        for (std::size_t f = 0; f < counts.size(); ++f) {
            if (counts[f] > 0) {
                insert.bind(p + 1, versionId).bind(p + 2, std::string_view(c.keys[f])).bind(p + 3, counts[f]);
                p += 3;
            }
        }
        insert.run();
    }
    if (!otherCounts.counts.empty()) {
        Statement insert = db.prepare("INSERT INTO version_facets(version_id, facet, sentences) VALUES(?, ?, ?)");
        writeCounts(insert, versionId, otherCounts);
    }
}

void FacetIndexer::indexVersion(Database& db, std::int64_t versionId, const QString& text)
{
    Connection& c = connectionFor(db);
    const Analysis a = analyse(c.classifier, text);
    std::optional<Transaction> tx;
    if (sqlite3_get_autocommit(db.handle()))
        tx.emplace(db);
    write(c, db, versionId, a);
    if (tx)
        tx->commit();
}

void FacetIndexer::indexVersions(Database& db, const std::vector<std::pair<std::int64_t, QString>>& versions)
{
    Connection& c = connectionFor(db);
    const FacetClassifier& classifier = c.classifier;
    const std::vector<Analysis> analyses = QtConcurrent::blockingMapped<std::vector<Analysis>>(
        versions, [&classifier](const std::pair<std::int64_t, QString>& v) { return analyse(classifier, v.second); });
    std::optional<Transaction> tx;
    if (sqlite3_get_autocommit(db.handle()))
        tx.emplace(db);
    for (std::size_t k = 0; k < versions.size(); ++k)
        write(c, db, versions[k].first, analyses[k]);
    if (tx)
        tx->commit();
}

void FacetIndexer::indexVersionsPipelined(Database& db, std::vector<std::pair<std::int64_t, QString>> versions)
{
    finishPending(db);
    if (versions.empty())
        return;
    Connection& c = connectionFor(db);
    const FacetClassifier& classifier = c.classifier;
    m_pending = std::make_unique<Pending>();
    m_pending->versions = std::move(versions);
    m_pending->future = QtConcurrent::mapped(
        m_pending->versions, [&classifier](const std::pair<std::int64_t, QString>& v) { return analyse(classifier, v.second); });
}

void FacetIndexer::finishPending(Database& db)
{
    if (!m_pending)
        return;
    const std::unique_ptr<Pending> pending = std::move(m_pending);
    pending->future.waitForFinished();
    Connection& c = connectionFor(db);
    for (std::size_t k = 0; k < pending->versions.size(); ++k)
        write(c, db, pending->versions[k].first, pending->future.resultAt(static_cast<int>(k)));
}

std::int64_t FacetIndexer::reindex(Project& project, const Selection& selection, const Progress& progress)
{
    Database& db = project.db();
    const Query query = selection.isEmpty() ? Query() : selection.toQuery();
    std::vector<std::int64_t> versions;
    {
        const QString sql = QStringLiteral("SELECT cv.id FROM caption_versions cv WHERE cv.item_id IN (SELECT i.id FROM ")
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
    if (sqlite3_get_autocommit(db.handle()))
        tx.emplace(db);
    Statement update = db.prepare("UPDATE segments SET facets = ?, labelled_by = 1 WHERE version_id = ? AND idx = ?");
    update.bind(1, facets.join(u',')).bind(2, versionId).bind(3, idx).run();
    if (db.changes() == 0)
        throw Error(tr("Caption version %1 has no segment %2").arg(versionId).arg(idx));
    FacetCounts counts;
    Statement all = db.prepare("SELECT facets FROM segments WHERE version_id = ?");
    all.bind(1, versionId);
    while (all.step()) {
        for (const QString& f : all.text(0).split(u',', Qt::SkipEmptyParts))
            counts.add(f);
    }
    db.prepare("DELETE FROM version_facets WHERE version_id = ?").bind(1, versionId).run();
    Statement insert = db.prepare("INSERT INTO version_facets(version_id, facet, sentences) VALUES(?, ?, ?)");
    writeCounts(insert, versionId, counts);
    if (tx)
        tx->commit();
}

QList<Segment> segmentsOf(Database& db, std::int64_t versionId)
{
    QList<Segment> out;
    Statement st = db.prepare("SELECT start, end, facets, labelled_by FROM segments WHERE version_id = ? ORDER BY idx");
    st.bind(1, versionId);
    while (st.step()) {
        Segment s;
        s.start = st.integer(0);
        s.end = st.integer(1);
        s.facets = st.text(2).split(u',', Qt::SkipEmptyParts);
        s.byReviewer = st.integer(3) == 1;
        out.append(s);
    }
    return out;
}

} // namespace facet
