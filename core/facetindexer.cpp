#include "facetindexer.h"

#include "database.h"
#include "error.h"
#include "project.h"
#include "query.h"
#include "segmenter.h"

#include <QHash>

#include <sqlite3.h>

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
    explicit Connection(Database& db, FacetModel model)
        : handle(db.handle())
        , classifier(std::move(model))
        , select(db.prepare("SELECT start, end, facets, labelled_by FROM segments WHERE version_id = ?"))
        , deleteSegments(db.prepare("DELETE FROM segments WHERE version_id = ?"))
        , deleteFacets(db.prepare("DELETE FROM version_facets WHERE version_id = ?"))
        , insertSegment(db.prepare("INSERT INTO segments(version_id, idx, start, end, facets, labelled_by) "
                                   "VALUES(?, ?, ?, ?, ?, ?)"))
        , insertFacet(db.prepare("INSERT INTO version_facets(version_id, facet, sentences) VALUES(?, ?, ?)"))
    {
    }

    sqlite3* handle;
    FacetClassifier classifier;
    Statement select;
    Statement deleteSegments;
    Statement deleteFacets;
    Statement insertSegment;
    Statement insertFacet;
};

FacetIndexer::FacetIndexer() = default;

FacetIndexer::FacetIndexer(FacetModel model)
    : m_model(std::move(model))
{
}

FacetIndexer::~FacetIndexer() = default;

FacetIndexer::Connection& FacetIndexer::connectionFor(Database& db)
{
    // The handle, not the Database address, identifies the connection: a closed connection stays
    // allocated (sqlite3_close_v2) while our statements live, so a new one never reuses its address.
    if (!m_connection || m_connection->handle != db.handle()) {
        m_connection.reset();
        m_connection = std::make_unique<Connection>(db, m_model ? *m_model : FacetModel::forProject(db));
    }
    return *m_connection;
}

void FacetIndexer::indexVersion(Database& db, std::int64_t versionId, const QString& text)
{
    Connection& c = connectionFor(db);
    const std::vector<TextSpan> spans = Segmenter::split(text);

    std::optional<Transaction> tx;
    if (sqlite3_get_autocommit(db.handle()))
        tx.emplace(db);

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

    FacetCounts counts;
    const QStringView view(text);
    int idx = 0;
    for (const TextSpan& span : spans) {
        QStringList facets;
        int labelledBy = 0;
        const auto kept = reviewed.constFind(spanKey(span.start, span.end));
        if (kept != reviewed.constEnd()) {
            facets = kept.value().split(u',', Qt::SkipEmptyParts);
            labelledBy = 1;
        } else {
            facets = c.classifier.classify(view.mid(span.start, span.length()));
        }
        for (const QString& f : facets)
            counts.add(f);
        c.insertSegment.reset();
        c.insertSegment.bind(1, versionId)
            .bind(2, idx++)
            .bind(3, span.start)
            .bind(4, span.end)
            .bind(5, facets.join(u','))
            .bind(6, labelledBy)
            .run();
    }
    writeCounts(c.insertFacet, versionId, counts);
    if (tx)
        tx->commit();
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
    std::int64_t done = 0;
    while (done < total) {
        Transaction tx(db);
        const std::int64_t end = std::min<std::int64_t>(total, done + kBatch);
        for (std::int64_t k = done; k < end; ++k) {
            if (progress.cancelled())
                throw Cancelled();
            const std::int64_t id = versions[static_cast<std::size_t>(k)];
            text.reset();
            text.bind(1, id);
            if (text.step()) {
                const QString caption = text.text(0);
                text.reset();
                indexVersion(db, id, caption);
            }
        }
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
