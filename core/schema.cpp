#include "schema.h"

#include "database.h"
#include "error.h"
#include "facetindexer.h"
#include "project.h"

#include <QCoreApplication>

namespace facet::schema {

namespace {

// Version 1. Items stay narrow (no caption, no original record) so that bulk status changes
// rewrite small rows; the original record and caption text live in their own tables.
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE sources(
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE NOT NULL,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    image_root TEXT,
    imported_at TEXT NOT NULL,
    records INTEGER NOT NULL DEFAULT 0);
CREATE TABLE shards(
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    path TEXT NOT NULL UNIQUE);
CREATE TABLE items(
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    ext_id TEXT NOT NULL,
    rec_index INTEGER NOT NULL,
    image TEXT,
    image_abs TEXT,
    shard_id INTEGER REFERENCES shards(id),
    member_offset INTEGER,
    member_size INTEGER,
    image_state INTEGER NOT NULL DEFAULT 0,
    image_error TEXT,
    caption_turn INTEGER NOT NULL DEFAULT -1,
    current_version INTEGER,
    status INTEGER NOT NULL DEFAULT 0,
    reviewer TEXT,
    reason TEXT,
    reviewed_at TEXT,
    recaptioned INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    UNIQUE(source_id, ext_id));
CREATE INDEX items_ext_id ON items(ext_id);
CREATE INDEX items_status ON items(status);
CREATE TABLE records(item_id INTEGER PRIMARY KEY REFERENCES items(id), json TEXT NOT NULL);
CREATE TABLE caption_versions(
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    text TEXT NOT NULL,
    chars INTEGER NOT NULL,
    origin INTEGER NOT NULL,
    model TEXT,
    prompt TEXT,
    params TEXT,
    author TEXT,
    created_at TEXT NOT NULL);
CREATE INDEX caption_versions_item ON caption_versions(item_id);
CREATE VIRTUAL TABLE captions_fts USING fts5(text, content='caption_versions', content_rowid='id');
CREATE TABLE segments(
    version_id INTEGER NOT NULL REFERENCES caption_versions(id),
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    facets TEXT NOT NULL,
    labelled_by INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(version_id, idx)) WITHOUT ROWID;
CREATE TABLE version_facets(
    version_id INTEGER NOT NULL,
    facet TEXT NOT NULL,
    sentences INTEGER NOT NULL,
    PRIMARY KEY(version_id, facet)) WITHOUT ROWID;
CREATE TABLE journal(
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    author TEXT,
    created_at TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0);
CREATE TABLE journal_status(
    journal_id INTEGER NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    old_status INTEGER, old_reviewer TEXT, old_reason TEXT, old_reviewed_at TEXT,
    new_status INTEGER, new_reviewer TEXT, new_reason TEXT, new_reviewed_at TEXT);
CREATE INDEX journal_status_journal ON journal_status(journal_id);
CREATE TABLE journal_caption(
    journal_id INTEGER NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    old_version INTEGER,
    new_version INTEGER);
CREATE INDEX journal_caption_journal ON journal_caption(journal_id);
)SQL";

// Version 2: recaptioning. Jobs and their per-item state live in the project so that a crash, Ctrl-C
// or a closed window loses nothing and a resumed job never sends a finished item again. Provider
// settings are stored without the API key, which never enters the project file.
constexpr const char* kSchemaV2 = R"SQL(
CREATE TABLE jobs(
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    provider TEXT NOT NULL,
    base_url TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt TEXT,
    settings TEXT NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    estimate TEXT,
    last_error TEXT,
    runner TEXT,
    author TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    updated_at TEXT NOT NULL,
    finished_at TEXT);
CREATE TABLE job_items(
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES items(id),
    state INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    version_id INTEGER,
    image_sha TEXT,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    finish_reason TEXT,
    truncated INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT,
    PRIMARY KEY(job_id, item_id)) WITHOUT ROWID;
CREATE INDEX job_items_state ON job_items(job_id, state);
CREATE TABLE prompts(
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE NOT NULL,
    text TEXT NOT NULL,
    source TEXT,
    builtin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE UNIQUE INDEX prompts_source ON prompts(source) WHERE source IS NOT NULL;
CREATE TABLE model_prices(
    model TEXT PRIMARY KEY,
    input_per_mtok REAL NOT NULL,
    output_per_mtok REAL NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE recaption_cache(
    image_sha TEXT NOT NULL,
    request_key TEXT NOT NULL,
    text TEXT NOT NULL,
    finish_reason TEXT,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    version_id INTEGER,
    created_at TEXT NOT NULL,
    PRIMARY KEY(image_sha, request_key)) WITHOUT ROWID;
)SQL";

// Version 3: undo for reviewer facet labels. A relabelled segment keeps both sides of the change
// so undo and redo restore the labels exactly (including whether the classifier or a reviewer set them).
constexpr const char* kSchemaV3 = R"SQL(
CREATE TABLE IF NOT EXISTS journal_segment(
    journal_id INTEGER NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    old_facets TEXT,
    old_labelled_by INTEGER,
    new_facets TEXT,
    new_labelled_by INTEGER);
CREATE INDEX IF NOT EXISTS journal_segment_journal ON journal_segment(journal_id);
)SQL";

// Version 4: a caption version's segments are one row (facetindexer.h, packSegments) instead of one
// row per sentence: an import writes ~16 fewer rows per caption. Reviewer labels move with them.
constexpr const char* kSchemaV4 = R"SQL(
CREATE TABLE IF NOT EXISTS version_segments(
    version_id INTEGER PRIMARY KEY REFERENCES caption_versions(id),
    data TEXT NOT NULL);
)SQL";

// Version 5: a version's facet counts move into its version_segments row ("key:count,…", see
// facetindexer.h) and the version_facets table (a row per facet and version) goes: an import writes
// one row per caption for its facets instead of about five. (moveFacetCounts() below.)
constexpr const char* kSchemaV5Counts = R"SQL(
UPDATE version_segments SET facets = coalesce(
    (SELECT group_concat(facet || ':' || sentences, ',')
     FROM (SELECT facet, sentences FROM version_facets f
           WHERE f.version_id = version_segments.version_id ORDER BY facet)), '');
DROP TABLE version_facets;
)SQL";

bool hasTable(Database& db, const char* name)
{
    Statement st = db.prepare("SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?");
    st.bind(1, name);
    return st.step();
}

/** Version 5: adds `version_segments.facets`, fills it from `version_facets` and drops that table. */
void moveFacetCounts(Database& db)
{
    Statement column = db.prepare("SELECT 1 FROM pragma_table_info('version_segments') WHERE name = 'facets'");
    if (!column.step())
        db.exec("ALTER TABLE version_segments ADD COLUMN facets TEXT NOT NULL DEFAULT ''");
    column.reset();
    if (hasTable(db, "version_facets"))
        db.exec(kSchemaV5Counts);
}

/** Packs the rows of the version 1-3 `segments` table into `version_segments` and drops it. */
void packSegmentRows(Database& db)
{
    if (!hasTable(db, "segments"))
        return;
    Statement rows = db.prepare(
        "SELECT version_id, start, end, facets, labelled_by FROM segments ORDER BY version_id, idx");
    Statement insert = db.prepare("INSERT INTO version_segments(version_id, data) VALUES(?, ?)");
    std::int64_t version = 0;
    QList<StoredSegment> segments;
    const auto flush = [&] {
        if (segments.isEmpty())
            return;
        const QByteArray packed = packSegments(segments);
        insert.reset();
        insert.bind(1, version)
            .bind(2, std::string_view(packed.constData(), static_cast<std::size_t>(packed.size())))
            .run();
        segments.clear();
    };
    while (rows.step()) {
        if (rows.int64(0) != version) {
            flush();
            version = rows.int64(0);
        }
        StoredSegment s;
        s.start = rows.integer(1);
        s.end = rows.integer(2);
        for (const QString& f : rows.text(3).split(u',', Qt::SkipEmptyParts)) {
            const QString key = f.trimmed();
            if (!key.isEmpty())
                s.facets.append(key);
        }
        s.labelledBy = rows.integer(4);
        segments.append(std::move(s));
    }
    flush();
    rows.reset();
    db.exec("DROP TABLE segments");
}

} // namespace

int readVersion(Database& db)
{
    Statement count = db.prepare("SELECT count(*) FROM sqlite_schema");
    count.step();
    if (count.int64(0) == 0)
        return 0;
    if (!hasTable(db, "meta") || !hasTable(db, "items"))
        throw ProjectError(Project::tr("%1 is an SQLite database but not a Facet Studio project").arg(db.path()));
    Statement st = db.prepare("SELECT value FROM meta WHERE key='schema_version'");
    if (!st.step())
        throw ProjectError(Project::tr("%1 has no schema version; it is not a Facet Studio project").arg(db.path()));
    bool ok = false;
    const int version = st.text(0).toInt(&ok);
    if (!ok || version < 1)
        throw ProjectError(Project::tr("%1 has an invalid schema version").arg(db.path()));
    return version;
}

void create(Database& db)
{
    Transaction tx(db);
    db.exec(kSchemaV1);
    db.exec(kSchemaV2);
    db.exec(kSchemaV3);
    db.exec(kSchemaV4);
    db.exec("DROP TABLE segments"); // version 1's per-sentence table, replaced by version 4's
    moveFacetCounts(db);
    Statement st = db.prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?), ('created_at', ?)");
    st.bind(1, QString::number(Project::SchemaVersion)).bind(2, nowIso()).run();
    tx.commit();
}

void migrate(Database& db, int fromVersion)
{
    // Version 1 is the first released schema. Each later step goes here as
    // `if (fromVersion <= N) { Transaction tx(db); ...; set schema_version = N + 1; tx.commit(); }`.
    if (fromVersion > Project::SchemaVersion)
        throw ProjectError(Project::tr("%1 was written by a newer Facet Studio (schema %2, this version reads %3); "
                                       "it was not modified")
                               .arg(db.path())
                               .arg(fromVersion)
                               .arg(Project::SchemaVersion));
    if (fromVersion <= 1) {
        // Additive: new tables only, nothing of version 1 changes.
        Transaction tx(db);
        db.exec(kSchemaV2);
        db.exec("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
        tx.commit();
    }
    if (fromVersion <= 2) {
        // Additive: one journal table.
        Transaction tx(db);
        db.exec(kSchemaV3);
        db.exec("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
        tx.commit();
    }
    if (fromVersion <= 3) {
        // One row of packed segments per caption version; the sentence rows, reviewer labels
        // included, are converted and dropped in the same transaction.
        Transaction tx(db);
        db.exec(kSchemaV4);
        packSegmentRows(db);
        db.exec("UPDATE meta SET value = '4' WHERE key = 'schema_version'");
        tx.commit();
    }
    if (fromVersion <= 4) {
        // The facet counts join their version's segments row; version_facets is dropped.
        Transaction tx(db);
        moveFacetCounts(db);
        db.exec("UPDATE meta SET value = '5' WHERE key = 'schema_version'");
        tx.commit();
    }
}

} // namespace facet::schema
