#include "itemstore.h"

#include "database.h"
#include "facetindexer.h"
#include "project.h"

#include <unordered_map>

namespace facet {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kHeadChars = 200;

// Columns shared by summaries() and detail(); keep the two in step with readSummary().
constexpr const char* kSummaryColumns =
    "i.id, i.ext_id, s.name, i.image, i.image_abs, i.member_offset, i.member_size, i.image_state, "
    "i.status, i.recaptioned, coalesce(v.chars, 0), substr(v.text, 1, 200), "
    "(SELECT g.facets FROM version_segments g WHERE g.version_id = i.current_version)";

ItemSummary readSummary(const Statement& st)
{
    ItemSummary s;
    s.id = st.int64(0);
    s.extId = st.text(1);
    s.source = st.text(2);
    s.image = st.text(3);
    s.location.path = st.text(4);
    if (!st.isNull(5)) {
        s.location.offset = st.int64(5);
        s.location.size = st.int64(6);
    }
    s.imageState = static_cast<ImageState>(st.integer(7));
    s.status = static_cast<Status>(st.integer(8));
    s.recaptioned = st.integer(9) != 0;
    s.chars = st.integer(10);
    s.captionHead = st.text(11).left(kHeadChars);
    for (const auto& [facet, n] : parseFacetCounts(st.text(12)))
        s.facets.append(facet);
    s.facets.sort(); // a stable order for badges and listings, whatever order the counts were stored in
    return s;
}

} // namespace

ItemStore::ItemStore(Project& project)
    : m_project(project)
{
}

std::vector<ItemId> ItemStore::ids(const Query& query, std::int64_t limit)
{
    QString sql = u"SELECT i.id FROM "_s + QLatin1String(Query::from()) + u" WHERE "_s + query.where()
                  + u" ORDER BY i.id"_s;
    if (limit >= 0)
        sql += u" LIMIT "_s + QString::number(limit);
    Statement st = m_project.db().prepare(sql.toStdString());
    query.bind(st);
    std::vector<ItemId> out;
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

std::int64_t ItemStore::count(const Query& query)
{
    // SQLite keeps the LEFT JOINs in a count(*) even when nothing reads them (it drops them for
    // ids()), which costs a lookup per item and join: 0.4 s of 1.3 s at 1.2M items.
    const QString sql = u"SELECT count(*) FROM "_s + query.countFrom() + u" WHERE "_s + query.where();
    Statement st = m_project.db().prepare(sql.toStdString());
    query.bind(st);
    return st.step() ? st.int64(0) : 0;
}

QList<ItemSummary> ItemStore::summaries(const std::vector<ItemId>& ids)
{
    QList<ItemSummary> out;
    if (ids.empty())
        return out;
    // One statement for the whole page: the ids travel as one JSON array, not as N placeholders.
    QByteArray json = "[";
    for (std::size_t k = 0; k < ids.size(); ++k) {
        if (k)
            json += ',';
        json += QByteArray::number(static_cast<qlonglong>(ids[k]));
    }
    json += ']';
    const std::string sql = std::string("SELECT ") + kSummaryColumns
                            + " FROM items i JOIN sources s ON s.id = i.source_id"
                              " LEFT JOIN caption_versions v ON v.id = i.current_version"
                              " WHERE i.id IN (SELECT value FROM json_each(?))";
    Statement st = m_project.db().prepare(sql);
    st.bind(1, std::string_view(json.constData(), static_cast<std::size_t>(json.size())));
    std::unordered_map<ItemId, ItemSummary> byId;
    byId.reserve(ids.size());
    while (st.step()) {
        ItemSummary s = readSummary(st);
        byId.emplace(s.id, std::move(s));
    }
    out.reserve(static_cast<qsizetype>(ids.size()));
    for (ItemId id : ids) {
        auto it = byId.find(id);
        if (it != byId.end())
            out.append(std::move(it->second));
    }
    return out;
}

std::optional<ItemDetail> ItemStore::detail(ItemId id)
{
    Database& db = m_project.db();
    const std::string sql = std::string("SELECT ") + kSummaryColumns
                            + ", i.image_error, i.reviewer, i.reason, i.reviewed_at, i.updated_at, "
                              "i.current_version, v.text"
                              " FROM items i JOIN sources s ON s.id = i.source_id"
                              " LEFT JOIN caption_versions v ON v.id = i.current_version WHERE i.id = ?";
    Statement st = db.prepare(sql);
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    ItemDetail d;
    d.summary = readSummary(st);
    d.imageError = st.text(13);
    d.reviewer = st.text(14);
    d.reason = st.text(15);
    d.reviewedAt = st.text(16);
    d.updatedAt = st.text(17);
    d.currentVersion = st.isNull(18) ? 0 : st.int64(18);
    d.caption = st.text(19);

    Statement versions = db.prepare("SELECT id, text, origin, model, prompt, params, author, created_at "
                                    "FROM caption_versions WHERE item_id = ? ORDER BY id");
    versions.bind(1, id);
    while (versions.step()) {
        CaptionVersion v;
        v.id = versions.int64(0);
        v.text = versions.text(1);
        v.origin = static_cast<Origin>(versions.integer(2));
        v.model = versions.text(3);
        v.prompt = versions.text(4);
        v.params = versions.text(5);
        v.author = versions.text(6);
        v.createdAt = versions.text(7);
        d.versions.append(v);
    }
    // Versions whose action was undone (an undone edit or recaption leaves its row behind; a redo
    // makes it current again), so that a list of versions does not present one as the newest text.
    Statement undone = db.prepare("SELECT c.new_version FROM journal_caption c JOIN journal j ON j.id = c.journal_id "
                                  "WHERE c.item_id = ? AND j.undone = 1 AND c.new_version IS NOT NULL");
    undone.bind(1, id);
    while (undone.step()) {
        const std::int64_t version = undone.int64(0);
        for (CaptionVersion& v : d.versions)
            if (v.id == version && v.id != d.currentVersion)
                v.undone = true;
    }

    if (d.currentVersion) {
        for (const StoredSegment& stored : storedSegments(db, d.currentVersion)) {
            Segment s;
            s.start = stored.start;
            s.end = stored.end;
            s.facets = stored.facets;
            s.byReviewer = stored.labelledBy != 0;
            d.segments.append(s);
        }
    }

    // The record's history: every journalled action that touched this item, newest first. A
    // reviewer's move of a sentence to another facet changes no status and adds no version: it is
    // journalled per segment of one of the item's versions (journal_segment has no index on
    // version_id; it holds one row per sentence a reviewer moved, so the scan stays small).
    Statement hist = db.prepare(
        "SELECT j.id, j.kind, j.summary, j.author, j.created_at, j.undone FROM journal j WHERE j.id IN ("
        " SELECT journal_id FROM journal_status WHERE item_id = ?1"
        " UNION SELECT journal_id FROM journal_caption WHERE item_id = ?1"
        " UNION SELECT journal_id FROM journal_segment WHERE version_id IN"
        "  (SELECT id FROM caption_versions WHERE item_id = ?1)) ORDER BY j.id DESC");
    hist.bind(1, id);
    while (hist.step()) {
        ItemDetail::HistoryEntry h;
        h.journalId = hist.int64(0);
        h.kind = hist.text(1);
        h.summary = hist.text(2);
        h.author = hist.text(3);
        h.at = hist.text(4);
        h.undone = hist.integer(5) != 0;
        d.history.append(h);
    }
    return d;
}

std::optional<ItemId> ItemStore::findByExtId(const QString& extId)
{
    Statement st = m_project.db().prepare("SELECT id FROM items WHERE ext_id = ? ORDER BY id LIMIT 1");
    st.bind(1, extId);
    if (st.step())
        return st.int64(0);
    return std::nullopt;
}

QList<SourceCounts> ItemStore::sources()
{
    Statement st = m_project.db().prepare(
        "SELECT s.id, s.name, s.path, s.format, count(i.id), "
        "coalesce(sum(i.status = 0), 0), coalesce(sum(i.status = 1), 0), coalesce(sum(i.status = 2), 0) "
        "FROM sources s LEFT JOIN items i ON i.source_id = s.id GROUP BY s.id ORDER BY s.id");
    QList<SourceCounts> out;
    while (st.step()) {
        SourceCounts c;
        c.id = st.int64(0);
        c.name = st.text(1);
        c.path = st.text(2);
        c.format = st.text(3);
        c.total = st.int64(4);
        c.pending = st.int64(5);
        c.accepted = st.int64(6);
        c.rejected = st.int64(7);
        out.append(c);
    }
    return out;
}

ProjectStats ItemStore::stats()
{
    Database& db = m_project.db();
    ProjectStats s;
    Statement totals = db.prepare(
        "SELECT count(*), coalesce(sum(status = 0), 0), coalesce(sum(status = 1), 0), coalesce(sum(status = 2), 0), "
        "coalesce(sum(image_state = 1), 0), coalesce(sum(image_state = 2), 0), coalesce(sum(image_state = 3), 0), "
        "coalesce(sum(image_state = 0), 0) FROM items");
    if (totals.step()) {
        s.items = totals.int64(0);
        s.pending = totals.int64(1);
        s.accepted = totals.int64(2);
        s.rejected = totals.int64(3);
        s.imagesOk = totals.int64(4);
        s.imagesMissing = totals.int64(5);
        s.imagesBroken = totals.int64(6);
        s.imagesNone = totals.int64(7);
    }
    Statement versions = db.prepare("SELECT count(*) FROM caption_versions");
    if (versions.step())
        s.versions = versions.int64(0);
    Statement sources = db.prepare("SELECT s.name, count(i.id) FROM sources s LEFT JOIN items i ON i.source_id = s.id "
                                   "GROUP BY s.id ORDER BY s.id");
    while (sources.step())
        s.sources.insert(sources.text(0), sources.int64(1));
    // The counts are one short text per version (facetindexer.h), summed here in one pass over the
    // current versions (items come in id order, so a source's items mostly follow each other).
    Statement facets = db.prepare("SELECT i.source_id, s.name, g.facets FROM items i "
                                  "JOIN sources s ON s.id = i.source_id "
                                  "JOIN version_segments g ON g.version_id = i.current_version "
                                  "WHERE g.facets != ''");
    std::int64_t sourceId = -1;
    QMap<QString, std::int64_t>* perSource = nullptr;
    while (facets.step()) {
        if (!perSource || facets.int64(0) != sourceId) {
            sourceId = facets.int64(0);
            perSource = &s.facetsPerSource[facets.text(1)];
        }
        for (const auto& [facet, n] : parseFacetCounts(facets.text(2))) {
            s.facets[facet] += n;
            (*perSource)[facet] += 1;
        }
    }
    return s;
}

} // namespace facet
