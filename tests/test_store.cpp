// The project store: creation, refusal of files that are not ours or are damaged or newer, the
// journalled curation actions and undo/redo across reopening the file.
#include "testutil.h"

#include "curation.h"
#include "database.h"
#include "error.h"
#include "facetindexer.h"
#include "itemstore.h"
#include "project.h"
#include "query.h"

#include <QCryptographicHash>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace facet;
using namespace Qt::Literals::StringLiterals;

namespace {

// Adds a source with `n` items "r0".."r{n-1}", each with an imported caption, the way the importer
// stores them (caption version + FTS row), so these tests do not depend on the importer.
void seed(Project& p, int n, const QString& source = u"demo"_s)
{
    Database& db = p.db();
    Transaction tx(db);
    Statement src = db.prepare("INSERT INTO sources(name, path, format, imported_at) VALUES(?, ?, 'jsonl', ?)");
    src.bind(1, source).bind(2, u"/data/"_s + source + u".jsonl"_s).bind(3, nowIso()).run();
    const std::int64_t sourceId = db.lastInsertId();
    Statement item = db.prepare("INSERT INTO items(source_id, ext_id, rec_index, image, image_state, caption_turn, "
                                "updated_at) VALUES(?, ?, ?, ?, 1, 1, ?)");
    Statement rec = db.prepare("INSERT INTO records(item_id, json) VALUES(?, ?)");
    Statement ver = db.prepare("INSERT INTO caption_versions(item_id, text, chars, origin, created_at) "
                               "VALUES(?, ?, ?, 0, ?)");
    Statement fts = db.prepare("INSERT INTO captions_fts(rowid, text) VALUES(?, ?)");
    Statement cur = db.prepare("UPDATE items SET current_version = ? WHERE id = ?");
    for (int k = 0; k < n; ++k) {
        const QString extId = u"r"_s + QString::number(k);
        item.bind(1, sourceId).bind(2, extId).bind(3, k).bind(4, u"coco/"_s + extId + u".jpg"_s).bind(5, nowIso());
        item.run();
        item.reset();
        const std::int64_t itemId = db.lastInsertId();
        rec.bind(1, itemId).bind(2, u"{\"id\":\""_s + extId + u"\"}"_s).run();
        rec.reset();
        const QString text = (k % 2 ? u"A red tram crosses the bridge in item "_s : u"A tabby cat sleeps in item "_s)
                             + QString::number(k) + u'.';
        ver.bind(1, itemId).bind(2, text).bind(3, static_cast<std::int64_t>(text.size())).bind(4, nowIso()).run();
        ver.reset();
        const std::int64_t versionId = db.lastInsertId();
        fts.bind(1, versionId).bind(2, text).run();
        fts.reset();
        cur.bind(1, versionId).bind(2, itemId).run();
        cur.reset();
    }
    tx.commit();
}

int statusOf(Project& p, const QString& extId)
{
    Statement st = p.db().prepare("SELECT status FROM items WHERE ext_id = ?");
    st.bind(1, extId);
    return st.step() ? st.integer(0) : -1;
}

std::int64_t scalar(Project& p, const char* sql)
{
    Statement st = p.db().prepare(sql);
    return st.step() ? st.int64(0) : -1;
}

QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Turns a current project into what schema 3 wrote: one `segments` row per sentence, no
// `version_segments`. `rows` are (version_id, idx, start, end, facets, labelled_by).
QString facetsOf(Project& p, std::int64_t versionId)
{
    Statement st = p.db().prepare("SELECT facets FROM version_segments WHERE version_id = ?");
    st.bind(1, versionId);
    return st.step() ? st.text(0) : u"(no row)"_s;
}

/** Turns a new project back into schema 3: per-sentence `segments` rows and `version_facets` rows. */
void downgradeToSchemaThree(Project& p, const char* rows, const std::string& facetRows = {})
{
    Database& db = p.db();
    db.exec("DROP TABLE version_segments");
    db.exec(R"SQL(CREATE TABLE version_facets(
        version_id INTEGER NOT NULL,
        facet TEXT NOT NULL,
        sentences INTEGER NOT NULL,
        PRIMARY KEY(version_id, facet)) WITHOUT ROWID)SQL");
    if (!facetRows.empty())
        db.exec("INSERT INTO version_facets(version_id, facet, sentences) VALUES " + facetRows);
    db.exec(R"SQL(CREATE TABLE segments(
        version_id INTEGER NOT NULL REFERENCES caption_versions(id),
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        facets TEXT NOT NULL,
        labelled_by INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(version_id, idx)) WITHOUT ROWID)SQL");
    db.exec(std::string("INSERT INTO segments(version_id, idx, start, end, facets, labelled_by) VALUES ") + rows);
    db.exec("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

bool hasTable(Project& p, const char* name)
{
    Statement st = p.db().prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    st.bind(1, name);
    return st.step();
}

Selection ids(std::initializer_list<const char*> list)
{
    Selection s;
    for (const char* id : list)
        s.extIds.append(QString::fromLatin1(id));
    return s;
}

} // namespace

class TestStore final : public QObject
{
    Q_OBJECT

private slots:
    void reviewerWithoutALoginEnvironment()
    {
        // Started from a launcher or a service, without USER and friends: actions are still
        // attributed to the account, not to "unknown".
        const char* vars[] = {"FACET_REVIEWER", "USER", "USERNAME", "LOGNAME"};
        QList<QByteArray> saved;
        for (const char* v : vars) {
            saved.append(qgetenv(v));
            qunsetenv(v);
        }
        const QString who = Curation::defaultReviewer();
        qputenv("FACET_REVIEWER", "ann");
        const QString chosen = Curation::defaultReviewer();
        for (int k = 0; k < 4; ++k) {
            if (saved[k].isNull())
                qunsetenv(vars[k]);
            else
                qputenv(vars[k], saved[k]);
        }
        const passwd* account = getpwuid(getuid());
        QVERIFY(account && account->pw_name);
        QCOMPARE(who, QString::fromLocal8Bit(account->pw_name));
        QCOMPARE(chosen, u"ann"_s);
    }

    void createsSchemaAndName()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"birds.facet"_s);
        auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
        QCOMPARE(p->name(), u"birds"_s);
        QCOMPARE(scalar(*p, "SELECT value FROM meta WHERE key='schema_version'"), Project::SchemaVersion);
        Statement mode = p->db().prepare("PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(mode.text(0), u"wal"_s);
        p.reset();
        // Reopening an existing project does not recreate anything.
        auto again = Project::open(path);
        QCOMPARE(again->name(), u"birds"_s);
    }

    void refusesMissingFileWithoutCreate()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"none.facet"_s);
        QVERIFY_THROWS_EXCEPTION(ProjectError, Project::open(path));
        QVERIFY(!QFileInfo::exists(path));
    }

    void refusesFilesThatAreNotProjects()
    {
        QTemporaryDir dir;
        const QString json = test::writeFile(dir, u"data.json"_s, "[{\"id\": 1}]");
        try {
            Project::open(json);
            QFAIL("a JSON file opened as a project");
        } catch (const ProjectError& e) {
            QVERIFY2(e.message().contains(u"not a Facet Studio project"_s), qPrintable(e.message()));
        }
        QCOMPARE(fileHash(json), QCryptographicHash::hash("[{\"id\": 1}]", QCryptographicHash::Sha256));

        // An SQLite database of some other program.
        const QString other = dir.filePath(u"other.db"_s);
        {
            Database db(other, Database::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE t(x)");
        }
        const QByteArray before = fileHash(other);
        QVERIFY_THROWS_EXCEPTION(ProjectError, Project::open(other));
        QCOMPARE(fileHash(other), before);
    }

    void refusesNewerSchemaUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.facet"_s);
        {
            auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
            p->db().exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
            p->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        const QByteArray before = fileHash(path);
        try {
            Project::open(path);
            QFAIL("a newer project opened");
        } catch (const ProjectError& e) {
            QVERIFY2(e.message().contains(u"newer"_s), qPrintable(e.message()));
        }
        QCOMPARE(fileHash(path), before);
    }

    void packedSegmentsRoundTrip()
    {
        const QList<StoredSegment> segments{{0, 12, {u"spatial"_s, u"attributes"_s}, 0},
                                            {13, 13, {}, 0},
                                            {14, 90, {u"art"_s}, 1},
                                            {95, 100, {u"attributes"_s, u"spatial"_s, u"art"_s}, 2},
                                            {40, 45, {u"ünïcode_key"_s}, 0}}; // out of order: kept as is
        const QByteArray packed = packSegments(segments);
        QCOMPARE(packed, "spatial,attributes,art,"_ba + u"ünïcode_key"_s.toUtf8()
                             + "|0+12:0,1;1+0;1+76@1:2;5+5@2:1,0,2;-60+5:3"_ba);
        QCOMPARE(unpackSegments(packed), segments);
        QCOMPARE(packSegments({}), QByteArray("|"));
        QVERIFY(unpackSegments(packSegments({})).isEmpty());
        QVERIFY(unpackSegments(QByteArray()).isEmpty());

        // What cannot be stored is refused, not stored damaged.
        QVERIFY_THROWS_EXCEPTION(Error, packSegments({{5, 4, {u"art"_s}, 0}}));
        QVERIFY_THROWS_EXCEPTION(Error, packSegments({{-1, 4, {u"art"_s}, 0}}));
        QVERIFY_THROWS_EXCEPTION(Error, packSegments({{0, 4, {u"a,b"_s}, 0}}));
        QVERIFY_THROWS_EXCEPTION(Error, packSegments({{0, 4, {u"a|b"_s}, 0}}));
        QVERIFY_THROWS_EXCEPTION(Error, packSegments({{0, 4, {QString()}, 0}}));
        // Damaged values are errors, never made-up segments.
        for (const char* bad : {"art", "art|0+4:1", "art|0+4:", "art|0-4", "art|0+4;", "art|x+4", "art|0+4@:0",
                                "art|-3+4", "art|0+4:0;1+2:0x", "art|0+99999999999"})
            QVERIFY_THROWS_EXCEPTION(Error, unpackSegments(QByteArray(bad)));
    }

    void migratesSegmentsFromSchemaThree()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"old.facet"_s);
        std::int64_t v0 = 0, v1 = 0, v2 = 0;
        {
            auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
            seed(*p, 3);
            v0 = scalar(*p, "SELECT current_version FROM items WHERE ext_id = 'r0'");
            v1 = scalar(*p, "SELECT current_version FROM items WHERE ext_id = 'r1'");
            v2 = scalar(*p, "SELECT current_version FROM items WHERE ext_id = 'r2'");
            // r0: a classified sentence and one a reviewer moved to art; r1: labelled by the model;
            // r2: never indexed. Rows out of idx order, as SQLite may hand them to the migration.
            const std::string rows = "(" + std::to_string(v0) + ", 1, 13, 29, 'art', 1), (" + std::to_string(v0)
                                     + ", 0, 0, 12, 'spatial,attributes', 0), (" + std::to_string(v1)
                                     + ", 0, 0, 39, 'count', 2)";
            downgradeToSchemaThree(*p, rows.c_str(),
                                   "(" + std::to_string(v0) + ", 'spatial', 1), (" + std::to_string(v0)
                                       + ", 'attributes', 1), (" + std::to_string(v0) + ", 'art', 1), ("
                                       + std::to_string(v1) + ", 'count', 1)");
        }
        auto p = Project::open(path);
        QCOMPARE(scalar(*p, "SELECT value FROM meta WHERE key='schema_version'"), Project::SchemaVersion);
        QVERIFY(!hasTable(*p, "segments"));
        QCOMPARE(scalar(*p, "SELECT count(*) FROM version_segments"), 2);
        QCOMPARE(storedSegments(p->db(), v0),
                 (QList<StoredSegment>{{0, 12, {u"spatial"_s, u"attributes"_s}, 0}, {13, 29, {u"art"_s}, 1}}));
        QCOMPARE(storedSegments(p->db(), v1), (QList<StoredSegment>{{0, 39, {u"count"_s}, 2}}));
        QVERIFY(storedSegments(p->db(), v2).isEmpty());
        // Schema 5: the counts are in the segments row, and version_facets is gone.
        QVERIFY(!hasTable(*p, "version_facets"));
        QCOMPARE(facetsOf(*p, v0), u"art:1,attributes:1,spatial:1"_s);
        QCOMPARE(facetsOf(*p, v1), u"count:1"_s);

        // What readers see: the reviewer's label, the facet panel's segments, queries and counts.
        const QList<Segment> segs = segmentsOf(p->db(), v0);
        QCOMPARE(segs.size(), 2);
        QVERIFY(!segs[0].byReviewer);
        QVERIFY(segs[1].byReviewer);
        ItemStore store(*p);
        const std::vector<ItemId> arts = store.ids(Query::parse(u"facet:art"_s));
        QCOMPARE(arts.size(), std::size_t(1));
        const auto detail = store.detail(arts.front());
        QVERIFY(detail);
        QCOMPARE(detail->summary.extId, u"r0"_s);
        QCOMPARE(detail->segments.size(), 2);
        QCOMPARE(detail->segments[1].facets, QStringList{u"art"_s});
        QVERIFY(detail->segments[1].byReviewer);
        QCOMPARE(store.stats().facets.value(u"count"_s), 1);

        // A reviewer label set after the migration lands in the packed row and the counts.
        FacetIndexer::setReviewerFacets(p->db(), v1, 0, {u"spatial"_s});
        QCOMPARE(storedSegments(p->db(), v1), (QList<StoredSegment>{{0, 39, {u"spatial"_s}, 1}}));
        QCOMPARE(facetsOf(*p, v1), u"spatial:1"_s);
        QCOMPARE(store.ids(Query::parse(u"facet:count"_s)).size(), std::size_t(0));
        QCOMPARE(store.ids(Query::parse(u"facet:spatial"_s)).size(), std::size_t(2));
    }

    void failedMigrationLeavesSchemaThree()
    {
        // One transaction: a segment row the migration cannot carry over (its caption version does
        // not exist) stops it, and the file is still a complete schema 3 project afterwards.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"orphan.facet"_s);
        {
            auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
            seed(*p, 1);
            p->db().exec("PRAGMA foreign_keys=OFF");
            downgradeToSchemaThree(*p, "(1, 0, 0, 5, 'art', 1), (999, 0, 0, 5, 'count', 0)");
        }
        QVERIFY_THROWS_EXCEPTION(Error, Project::open(path));
        Database db(path, Database::Mode::ReadOnly);
        Statement version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
        QVERIFY(version.step());
        QCOMPARE(version.text(0), u"3"_s);
        Statement rows = db.prepare("SELECT count(*) FROM segments");
        QVERIFY(rows.step());
        QCOMPARE(rows.int64(0), std::int64_t(2));
        Statement packed = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'version_segments'");
        QVERIFY(packed.step());
        QCOMPARE(packed.int64(0), std::int64_t(0));
    }

    void refusesTruncatedProject()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.facet"_s);
        {
            auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
            seed(*p, 300);
            p->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 full = f.size();
        QVERIFY(full > 8192);
        QVERIFY(f.resize(full / 2));
        f.close();
        try {
            Project::open(path);
            QFAIL("a truncated project opened");
        } catch (const ProjectError& e) {
            QVERIFY2(e.message().contains(u"damaged"_s) || e.message().contains(u"truncated"_s),
                     qPrintable(e.message()));
        }
        QCOMPARE(QFileInfo(path).size(), full / 2);
    }

    void setStatusCountsOnlyChanges()
    {
        QTemporaryDir dir;
        auto p = Project::open(dir.filePath(u"p.facet"_s), Project::OpenMode::CreateIfMissing);
        seed(*p, 10);
        Curation c(*p);
        QCOMPARE(c.setStatus(ids({"r1", "r2", "r3"}), Status::Accepted, u"ann"_s), 3);
        QCOMPARE(statusOf(*p, u"r1"_s), 1);
        QCOMPARE(statusOf(*p, u"r4"_s), 0);
        // Already accepted items are not changed again and do not count.
        QCOMPARE(c.countStatusChanges(ids({"r1", "r2", "r3", "r4"}), Status::Accepted), 1);
        QCOMPARE(c.setStatus(ids({"r1", "r2", "r3", "r4"}), Status::Accepted, u"ann"_s), 1);
        // A no-op writes no journal entry.
        const std::int64_t entries = scalar(*p, "SELECT count(*) FROM journal");
        QCOMPARE(c.setStatus(ids({"r1"}), Status::Accepted, u"ann"_s), 0);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal"), entries);
    }

    void dryRunWritesNothing()
    {
        QTemporaryDir dir;
        auto p = Project::open(dir.filePath(u"p.facet"_s), Project::OpenMode::CreateIfMissing);
        seed(*p, 20);
        Curation c(*p);
        Selection all;
        all.all = true;
        QCOMPARE(c.setStatus(all, Status::Rejected, u"ann"_s, u"blurry"_s, true), 20);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM items WHERE status != 0"), 0);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal"), 0);
    }

    void rejectKeepsReasonAndReviewer()
    {
        QTemporaryDir dir;
        auto p = Project::open(dir.filePath(u"p.facet"_s), Project::OpenMode::CreateIfMissing);
        seed(*p, 3);
        Curation c(*p);
        QCOMPARE(c.setStatus(ids({"r0"}), Status::Rejected, u"bo"_s, u"hallucinated text"_s), 1);
        ItemStore store(*p);
        const ItemDetail d = *store.detail(*store.findByExtId(u"r0"_s));
        QCOMPARE(d.summary.status, Status::Rejected);
        QCOMPARE(d.reviewer, u"bo"_s);
        QCOMPARE(d.reason, u"hallucinated text"_s);
        QCOMPARE(d.history.size(), 1);
        QVERIFY(d.history.first().summary.contains(u"hallucinated text"_s));
    }

    void bulkUndoRedoAcrossReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.facet"_s);
        {
            auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
            seed(*p, 1000);
            Curation c(*p);
            QCOMPARE(c.setStatus(ids({"r5"}), Status::Rejected, u"ann"_s, u"bad"_s), 1);
            Selection all;
            all.all = true;
            QCOMPARE(c.setStatus(all, Status::Accepted, u"ann"_s), 1000);
        }
        {
            // A new process: undo the bulk accept as one step.
            auto p = Project::open(path);
            Curation c(*p);
            const auto undone = c.undo();
            QVERIFY(undone.has_value());
            QVERIFY(undone->summary.contains(u"1000"_s) || undone->summary.contains(u"1,000"_s));
            QCOMPARE(scalar(*p, "SELECT count(*) FROM items WHERE status = 1"), 0);
            QCOMPARE(statusOf(*p, u"r5"_s), 2);
            Statement reason = p->db().prepare("SELECT reason, reviewer FROM items WHERE ext_id = 'r5'");
            QVERIFY(reason.step());
            QCOMPARE(reason.text(0), u"bad"_s);
        }
        {
            auto p = Project::open(path);
            Curation c(*p);
            QVERIFY(c.canRedo());
            QVERIFY(c.redo().has_value());
            QCOMPARE(scalar(*p, "SELECT count(*) FROM items WHERE status = 1"), 1000);
            QVERIFY(!c.canRedo());
            // Undo twice: back to all pending.
            QVERIFY(c.undo().has_value());
            QVERIFY(c.undo().has_value());
            QVERIFY(!c.undo().has_value());
            QCOMPARE(scalar(*p, "SELECT count(*) FROM items WHERE status != 0"), 0);
        }
    }

    void newActionDiscardsRedo()
    {
        QTemporaryDir dir;
        auto p = Project::open(dir.filePath(u"p.facet"_s), Project::OpenMode::CreateIfMissing);
        seed(*p, 5);
        Curation c(*p);
        c.setStatus(ids({"r0"}), Status::Accepted, u"a"_s);
        c.undo();
        QVERIFY(c.canRedo());
        c.setStatus(ids({"r1"}), Status::Rejected, u"a"_s);
        QVERIFY(!c.canRedo());
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal"), 1);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal_status"), 1);
    }

    void editAddsVersionAndMovesSearchIndex()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.facet"_s);
        auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
        seed(*p, 4);
        ItemStore store(*p);
        Curation c(*p);
        const ItemId item = *store.findByExtId(u"r0"_s);
        auto find = [&](const QString& words) {
            Statement st = p->db().prepare("SELECT count(*) FROM items i WHERE i.current_version IN "
                                           "(SELECT rowid FROM captions_fts WHERE captions_fts MATCH ?)");
            st.bind(1, words);
            st.step();
            return st.int64(0);
        };
        QCOMPARE(find(u"tabby"_s), 2);
        const std::int64_t v = c.editCaption(item, u"A grey heron stands in shallow water."_s, u"ann"_s);
        QVERIFY(v > 0);
        QCOMPARE(find(u"heron"_s), 1);
        QCOMPARE(find(u"tabby"_s), 1);
        const ItemDetail d = *store.detail(item);
        QCOMPARE(d.versions.size(), 2);
        QCOMPARE(d.versions.last().origin, Origin::Human);
        QCOMPARE(d.versions.last().author, u"ann"_s);
        QCOMPARE(d.caption, u"A grey heron stands in shallow water."_s);
        // Saving the same text again is not a new version.
        QCOMPARE(c.editCaption(item, d.caption, u"ann"_s), v);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM caption_versions"), 5);

        p.reset();
        p = Project::open(path);
        Curation c2(*p);
        QVERIFY(c2.undo().has_value());
        Statement cur = p->db().prepare("SELECT v.text FROM items i JOIN caption_versions v "
                                        "ON v.id = i.current_version WHERE i.ext_id = 'r0'");
        QVERIFY(cur.step());
        QVERIFY(cur.text(0).startsWith(u"A tabby cat"_s));
        QCOMPARE(find(u"heron"_s), 0);
        QCOMPARE(find(u"tabby"_s), 2);
        // Versions are append-only: undo never deletes the human version.
        QCOMPARE(scalar(*p, "SELECT count(*) FROM caption_versions"), 5);
        QVERIFY(c2.redo().has_value());
        QCOMPARE(find(u"heron"_s), 1);
        // The FTS index is consistent with its content table after all of this.
        p->db().exec("INSERT INTO captions_fts(captions_fts, rank) VALUES('integrity-check', 1)");
    }

    void secondConnectionSeesChanges()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.facet"_s);
        auto gui = Project::open(path, Project::OpenMode::CreateIfMissing);
        seed(*gui, 3);
        const std::int64_t before = gui->db().dataVersion();
        auto cli = gui->reopen();
        Curation(*cli).setStatus(ids({"r2"}), Status::Accepted, u"cli"_s);
        QVERIFY(gui->db().dataVersion() != before);
        QCOMPARE(statusOf(*gui, u"r2"_s), 1);
        // ... and the GUI can undo what the CLI did.
        QVERIFY(Curation(*gui).undo().has_value());
        QCOMPARE(statusOf(*cli, u"r2"_s), 0);
    }

    void readOnlyProjectRefusesWrites()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.facet"_s);
        Project::open(path, Project::OpenMode::CreateIfMissing).reset();
        {
            auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
            seed(*p, 2);
        }
        auto ro = Project::open(path, Project::OpenMode::ReadOnly);
        QVERIFY(ro->isReadOnly());
        QVERIFY_THROWS_EXCEPTION(ProjectError, Curation(*ro).setStatus(ids({"r0"}), Status::Accepted, u"x"_s));
        QCOMPARE(statusOf(*ro, u"r0"_s), 0);
    }

    void summariesKeepOrderAndStatsAddUp()
    {
        QTemporaryDir dir;
        auto p = Project::open(dir.filePath(u"p.facet"_s), Project::OpenMode::CreateIfMissing);
        seed(*p, 6, u"a"_s);
        seed(*p, 4, u"b"_s);
        ItemStore store(*p);
        Curation(*p).setStatus(ids({"r1"}), Status::Rejected, u"x"_s);
        Selection all;
        all.all = true;
        const std::vector<ItemId> everything = store.ids(all.toQuery());
        QCOMPARE(everything.size(), std::size_t(10));
        const std::vector<ItemId> some{everything[7], everything[2], everything[5]};
        const QList<ItemSummary> rows = store.summaries(some);
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].id, everything[7]);
        QCOMPARE(rows[1].id, everything[2]);
        QCOMPARE(rows[0].source, u"b"_s);
        QVERIFY(rows[1].captionHead.startsWith(u"A tabby cat"_s));
        const ProjectStats s = store.stats();
        QCOMPARE(s.items, 10);
        QCOMPARE(s.pending + s.accepted + s.rejected, s.items);
        QCOMPARE(s.rejected, 2); // r1 exists in both sources
        QCOMPARE(s.sources.value(u"a"_s), 6);
        QCOMPARE(s.versions, 10);
        const QList<SourceCounts> sources = store.sources();
        QCOMPARE(sources.size(), 2);
        QCOMPARE(sources[1].total, 4);
        QCOMPARE(sources[1].rejected, 1);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
