#include "database.h"
#include "error.h"
#include "project.h"
#include "query.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace facet;
using namespace Qt::StringLiterals;

namespace {

QString str(const Query::Value& v)
{
    if (const auto* n = std::get_if<std::int64_t>(&v))
        return QString::number(*n);
    return std::get<QString>(v);
}

QStringList values(const Query& q)
{
    QStringList out;
    for (const auto& v : q.values())
        out << str(v);
    return out;
}

/** The message of the facet::Error that parsing `text` throws, or a marker when it does not throw. */
QString parseError(const QString& text)
{
    try {
        Query::parse(text);
    } catch (const Error& e) {
        return e.message();
    }
    return QStringLiteral("<no error>");
}

} // namespace

class TestQuery final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void emptyQuery();
    void keys_data();
    void keys();
    void negation();
    void quoting();
    void bareWordsShareOneMatch();
    void ftsQuoting();
    void chars_data();
    void chars();
    void errors_data();
    void errors();
    void addClauseAndBind();
    void selection();
    void largeSelectionUsesOneJsonArray();

    void execute_data();
    void execute();
    void injectionDoesNoHarm();
    void executeSelection();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;
    QStringList run(const Query& q);
};

void TestQuery::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = Project::open(m_dir.filePath(QStringLiteral("q.facet")), Project::OpenMode::CreateIfMissing);
    Database& db = m_project->db();
    db.exec("INSERT INTO sources(id, name, path, format, imported_at) VALUES"
            " (1, 'alpha', '/data/alpha.json', 'sharegpt4v', '2026-01-01T00:00:00Z'),"
            " (2, 'my set', '/data/my set.json', 'jsonl', '2026-01-01T00:00:00Z')");

    struct Row
    {
        int id;
        int source;
        const char* extId;
        const char* image; // nullptr: text-only
        int imageState;
        int status;
        const char* reviewer;
    };
    const Row rows[] = {
        {1, 1, "a1", "coco/train2017/1.jpg", 1, 1, "ann"},   {2, 1, "a2", "sam/images/sa_1.jpg", 2, 0, nullptr},
        {3, 2, "a3", "sam/images/sa_2.jpg", 3, 2, "bob"},    {4, 2, "a4", nullptr, 0, 0, nullptr},
        {5, 1, "a5", "coco/train2017/5.jpg", 1, 1, nullptr},
    };
    Statement item = db.prepare("INSERT INTO items(id, source_id, ext_id, rec_index, image, image_state, status, "
                                "reviewer, caption_turn, updated_at) VALUES(?,?,?,?,?,?,?,?,1,'2026-01-01T00:00:00Z')");
    for (const Row& r : rows) {
        item.reset();
        item.bind(1, r.id).bind(2, r.source).bind(3, r.extId).bind(4, r.id);
        if (r.image)
            item.bind(5, r.image);
        else
            item.bindNull(5);
        item.bind(6, r.imageState).bind(7, r.status);
        if (r.reviewer)
            item.bind(8, r.reviewer);
        else
            item.bindNull(8);
        item.run();
    }

    Statement version = db.prepare("INSERT INTO caption_versions(id, item_id, text, chars, origin, model, created_at) "
                                   "VALUES(?,?,?,?,?,?,'2026-01-01T00:00:00Z')");
    auto addVersion = [&](int id, int itemId, const QString& text, int origin, const char* model) {
        version.reset();
        version.bind(1, id).bind(2, itemId).bind(3, text).bind(4, int(text.size())).bind(5, origin);
        if (model)
            version.bind(6, model);
        else
            version.bindNull(6);
        version.run();
    };
    addVersion(1, 1, QStringLiteral("A red car parked beside a tall oak tree."), 0, nullptr);   // 40 chars
    addVersion(2, 2, QStringLiteral("The Eiffel Tower at dusk, painted in oil."), 2, "gpt-4o"); // 41
    addVersion(3, 3, QStringLiteral("A big dog runs on the beach."), 1, nullptr);               // 28
    addVersion(4, 5, QStringLiteral("A small red tricycle."), 0, nullptr);                      // old
    addVersion(5, 5, QStringLiteral("A big red car and a small bicycle."), 1, nullptr);         // 34
    db.exec("UPDATE items SET current_version = CASE id WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 3 WHEN 5 THEN 5 END");
    // Every version is indexed (docs/architecture.md); a search must find only current captions.
    db.exec("INSERT INTO captions_fts(rowid, text) SELECT id, text FROM caption_versions");
    db.exec("INSERT INTO version_segments(version_id, data, facets) VALUES"
            " (1, '', 'attributes:1,spatial:1'), (2, '', 'world_knowledge:1,art:1'), (3, '', ''),"
            " (4, '', 'spatial:1')");
}

QStringList TestQuery::run(const Query& q)
{
    Statement st = m_project->db().prepare("SELECT i.ext_id FROM " + std::string(Query::from()) + " WHERE "
                                           + q.where().toStdString() + " ORDER BY i.ext_id");
    const int next = q.bind(st);
    if (next != int(q.values().size()) + 1)
        qFatal("bind returned %d for %d values", next, int(q.values().size()));
    QStringList ids;
    while (st.step())
        ids << st.text(0);
    return ids;
}

void TestQuery::emptyQuery()
{
    for (const char* text : {"", "   ", "\t \n"}) {
        const Query q = Query::parse(QString::fromLatin1(text));
        QVERIFY(q.isEmpty());
        QCOMPARE(q.where(), QStringLiteral("1"));
        QVERIFY(q.values().empty());
    }
    QCOMPARE(QString::fromLatin1(Query::from()),
             QStringLiteral("items i LEFT JOIN caption_versions v ON v.id = i.current_version "
                            "LEFT JOIN version_segments g ON g.version_id = i.current_version"));
}

void TestQuery::keys_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QStringList>("values");

    QTest::newRow("status pending") << u"status:pending"_s << u"(i.status = ?)"_s << QStringList{u"0"_s};
    QTest::newRow("status accepted") << u"status:accepted"_s << u"(i.status = ?)"_s << QStringList{u"1"_s};
    QTest::newRow("status rejected") << u"status:rejected"_s << u"(i.status = ?)"_s << QStringList{u"2"_s};
    QTest::newRow("key case") << u"STATUS:Accepted"_s << u"(i.status = ?)"_s << QStringList{u"1"_s};
    QTest::newRow("image none") << u"image:none"_s << u"(i.image_state = ?)"_s << QStringList{u"0"_s};
    QTest::newRow("image ok") << u"image:ok"_s << u"(i.image_state = ?)"_s << QStringList{u"1"_s};
    QTest::newRow("image missing") << u"image:missing"_s << u"(i.image_state = ?)"_s << QStringList{u"2"_s};
    QTest::newRow("image broken") << u"image:broken"_s << u"(i.image_state = ?)"_s << QStringList{u"3"_s};
    QTest::newRow("origin imported") << u"origin:imported"_s << u"(v.origin = ?)"_s << QStringList{u"0"_s};
    QTest::newRow("origin human") << u"origin:human"_s << u"(v.origin = ?)"_s << QStringList{u"1"_s};
    QTest::newRow("origin model") << u"origin:model"_s << u"(v.origin = ?)"_s << QStringList{u"2"_s};
    QTest::newRow("source") << u"source:sam"_s << u"(i.source_id IN (SELECT id FROM sources WHERE name = ?))"_s
                            << QStringList{u"sam"_s};
    QTest::newRow("facet") << u"facet:spatial"_s << u"(instr(',' || g.facets, ?) > 0)"_s << QStringList{u",spatial:"_s};
    QTest::newRow("unknown facet is data")
        << u"facet:humour"_s << u"(instr(',' || g.facets, ?) > 0)"_s << QStringList{u",humour:"_s};
    QTest::newRow("model") << u"model:gpt-4o"_s << u"(v.model = ?)"_s << QStringList{u"gpt-4o"_s};
    QTest::newRow("reviewer") << u"reviewer:ann"_s << u"(i.reviewer = ?)"_s << QStringList{u"ann"_s};
    QTest::newRow("id") << u"id:000000000009"_s << u"(i.ext_id = ?)"_s << QStringList{u"000000000009"_s};
    QTest::newRow("id with colon") << u"id:a:b"_s << u"(i.ext_id = ?)"_s << QStringList{u"a:b"_s};
    QTest::newRow("path") << u"path:sam/*.jpg"_s << u"(i.image GLOB ?)"_s << QStringList{u"sam/*.jpg"_s};
    QTest::newRow("chars") << u"chars:<200"_s << u"(v.chars < ?)"_s << QStringList{u"200"_s};
    QTest::newRow("bare word") << u"dog"_s
                               << u"(i.current_version IN (SELECT rowid FROM captions_fts WHERE captions_fts "
                                  u"MATCH ?))"_s
                               << QStringList{u"\"dog\""_s};
    QTest::newRow("number word is text, not a key") << u"10:30"_s
                                                    << u"(i.current_version IN (SELECT rowid FROM captions_fts "
                                                       u"WHERE captions_fts MATCH ?))"_s
                                                    << QStringList{u"\"10:30\""_s};
    QTest::newRow("two terms AND") << u"status:accepted source:coco"_s
                                   << u"(i.status = ?) AND (i.source_id IN (SELECT id FROM sources WHERE name = ?))"_s
                                   << QStringList{u"1"_s, u"coco"_s};
}

void TestQuery::keys()
{
    QFETCH(QString, text);
    QFETCH(QString, where);
    QFETCH(QStringList, values);
    const Query q = Query::parse(text);
    QCOMPARE(q.where(), where);
    QCOMPARE(::values(q), values);
    QVERIFY(!q.isEmpty());
}

void TestQuery::negation()
{
    Query q = Query::parse(u"-status:rejected"_s);
    QCOMPARE(q.where(), u"(NOT coalesce(i.status = ?, 0))"_s);
    QCOMPARE(values(q), QStringList{u"2"_s});

    q = Query::parse(u"-dog"_s);
    QCOMPARE(q.where(),
             u"(NOT coalesce(i.current_version IN (SELECT rowid FROM captions_fts WHERE captions_fts MATCH ?), 0))"_s);
    QCOMPARE(values(q), QStringList{u"\"dog\""_s});

    q = Query::parse(u"-\"big dog\" -model:x"_s);
    QCOMPARE(values(q), (QStringList{u"\"big dog\""_s, u"x"_s}));
    QVERIFY(q.where().contains(u"NOT coalesce(v.model = ?, 0)"_s));

    // A hyphen inside a word is not negation.
    q = Query::parse(u"state-of-the-art"_s);
    QCOMPARE(values(q), QStringList{u"\"state-of-the-art\""_s});
    QVERIFY(!q.where().contains(u"NOT"_s));
}

void TestQuery::quoting()
{
    Query q = Query::parse(u"source:\"my set\""_s);
    QCOMPARE(values(q), QStringList{u"my set"_s});

    q = Query::parse(u"path:\"web landmark/*\" status:accepted"_s);
    QCOMPARE(values(q), (QStringList{u"web landmark/*"_s, u"1"_s}));

    q = Query::parse(u"id:\"say \\\"hi\\\" \\\\ ok\""_s); // id:"say \"hi\" \\ ok"
    QCOMPARE(values(q), QStringList{u"say \"hi\" \\ ok"_s});

    q = Query::parse(u"reviewer:\"Zoë Ångström\""_s);
    QCOMPARE(values(q), QStringList{u"Zoë Ångström"_s});

    q = Query::parse(u"status:\"accepted\""_s);
    QCOMPARE(values(q), QStringList{u"1"_s});
}

void TestQuery::bareWordsShareOneMatch()
{
    const Query q = Query::parse(u"red  \"big car\" status:accepted  tree"_s);
    QCOMPARE(q.where(), u"(i.status = ?) AND (i.current_version IN (SELECT rowid FROM captions_fts WHERE "
                        u"captions_fts MATCH ?))"_s);
    QCOMPARE(values(q), (QStringList{u"1"_s, u"\"red\" \"big car\" \"tree\""_s}));
}

void TestQuery::ftsQuoting()
{
    // Whatever the user types, the MATCH string consists only of FTS5 string literals.
    const Query q = Query::parse(u"a\"b NEAR(x OR* ^y"_s);
    QCOMPARE(values(q), QStringList{u"\"a\"\"b\" \"NEAR(x\" \"OR*\" \"^y\""_s});
}

void TestQuery::chars_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where");
    QTest::addColumn<qint64>("value");
    QTest::newRow("<") << u"chars:<200"_s << u"(v.chars < ?)"_s << qint64(200);
    QTest::newRow(">") << u"chars:>1000"_s << u"(v.chars > ?)"_s << qint64(1000);
    QTest::newRow("<=") << u"chars:<=5"_s << u"(v.chars <= ?)"_s << qint64(5);
    QTest::newRow(">=") << u"chars:>=0"_s << u"(v.chars >= ?)"_s << qint64(0);
    QTest::newRow("=") << u"chars:=42"_s << u"(v.chars = ?)"_s << qint64(42);
    QTest::newRow("bare") << u"chars:942"_s << u"(v.chars = ?)"_s << qint64(942);
    QTest::newRow("quoted") << u"chars:\"<10\""_s << u"(v.chars < ?)"_s << qint64(10);
    QTest::newRow("negated") << u"-chars:<10"_s << u"(NOT coalesce(v.chars < ?, 0))"_s << qint64(10);
}

void TestQuery::chars()
{
    QFETCH(QString, text);
    QFETCH(QString, where);
    QFETCH(qint64, value);
    const Query q = Query::parse(text);
    QCOMPARE(q.where(), where);
    QCOMPARE(q.values().size(), std::size_t(1));
    QCOMPARE(std::get<std::int64_t>(q.values().front()), value);
}

void TestQuery::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("mustContain");
    QTest::newRow("unknown key") << u"status:accepted foo:bar"_s << QStringList{u"foo:bar"_s, u"unknown key"_s};
    QTest::newRow("unknown key, no value") << u"colour:"_s << QStringList{u"colour:"_s, u"unknown key"_s};
    QTest::newRow("fts column syntax") << u"text:red"_s << QStringList{u"text:red"_s, u"unknown key"_s};
    QTest::newRow("bad status") << u"status:done"_s
                                << QStringList{u"status:done"_s, u"pending, accepted or rejected"_s};
    QTest::newRow("bad image") << u"image:gone"_s << QStringList{u"image:gone"_s, u"ok, missing, broken or none"_s};
    QTest::newRow("bad origin") << u"origin:gpt"_s << QStringList{u"origin:gpt"_s, u"imported, human or model"_s};
    QTest::newRow("bad number") << u"chars:<abc"_s << QStringList{u"chars:<abc"_s, u"number"_s};
    QTest::newRow("operator only") << u"chars:<"_s << QStringList{u"chars:<"_s, u"number"_s};
    QTest::newRow("negative number") << u"chars:>-5"_s << QStringList{u"chars:>-5"_s, u"number"_s};
    QTest::newRow("fraction") << u"chars:<2.5"_s << QStringList{u"chars:<2.5"_s, u"number"_s};
    QTest::newRow("unterminated phrase") << u"red \"big car"_s << QStringList{u"\"big car"_s, u"unterminated"_s};
    QTest::newRow("unterminated value") << u"source:\"my set"_s << QStringList{u"source:\"my set"_s, u"unterminated"_s};
    QTest::newRow("empty value") << u"source:"_s << QStringList{u"source:"_s, u"empty value"_s};
    QTest::newRow("empty quoted value") << u"model:\"\""_s << QStringList{u"model:\"\""_s, u"empty value"_s};
    QTest::newRow("empty negated value") << u"-reviewer:"_s << QStringList{u"-reviewer:"_s, u"empty value"_s};
    QTest::newRow("empty phrase") << u"\"\""_s << QStringList{u"empty phrase"_s};
    QTest::newRow("lone minus") << u"red - car"_s << QStringList{u"'-'"_s, u"nothing to negate"_s};
}

void TestQuery::errors()
{
    QFETCH(QString, text);
    QFETCH(QStringList, mustContain);
    const QString message = parseError(text);
    QVERIFY2(message != u"<no error>"_s, qPrintable(text));
    for (const QString& part : mustContain)
        QVERIFY2(message.contains(part), qPrintable(message + u" lacks "_s + part));
}

void TestQuery::addClauseAndBind()
{
    Query q;
    QVERIFY(q.isEmpty());
    q.addClause(u"i.id > ?"_s, {std::int64_t(3)});
    QCOMPARE(q.where(), u"(i.id > ?)"_s);
    QVERIFY(!q.isEmpty());
    q.addClause(u"i.ext_id <> ? OR i.ext_id = ?"_s, {u"x"_s, u"y"_s});
    QCOMPARE(q.where(), u"(i.id > ?) AND (i.ext_id <> ? OR i.ext_id = ?)"_s);
    QCOMPARE(values(q), (QStringList{u"3"_s, u"x"_s, u"y"_s}));

    // Binding starts at `first` and leaves room for the caller's own parameters; the clause keeps
    // its parentheses, so the OR does not escape the AND.
    Statement st = m_project->db().prepare("SELECT ?, i.ext_id FROM " + std::string(Query::from()) + " WHERE "
                                           + q.where().toStdString() + " ORDER BY i.id");
    st.bind(1, "tag");
    QCOMPARE(q.bind(st, 2), 5);
    QStringList ids;
    while (st.step()) {
        QCOMPARE(st.text(0), u"tag"_s);
        ids << st.text(1);
    }
    QCOMPARE(ids, (QStringList{u"a4"_s, u"a5"_s}));
}

void TestQuery::selection()
{
    Selection empty;
    QVERIFY(empty.isEmpty());
    try {
        empty.toQuery();
        QFAIL("an empty selection must be refused");
    } catch (const Error& e) {
        QCOMPARE(e.message(), u"nothing selected: give --id, --filter or --all"_s);
    }

    Selection all;
    all.all = true;
    QVERIFY(all.toQuery().isEmpty());

    Selection ids;
    ids.extIds = {u"a"_s, u"b"_s};
    ids.itemIds = {7};
    ids.filter = u"status:accepted"_s;
    const Query q = ids.toQuery();
    QCOMPARE(q.where(), u"(i.status = ?) AND (i.ext_id IN (?,?)) AND (i.id IN (?))"_s);
    QCOMPARE(values(q), (QStringList{u"1"_s, u"a"_s, u"b"_s, u"7"_s}));

    Selection bad;
    bad.filter = u"status:maybe"_s;
    QVERIFY_THROWS_EXCEPTION(Error, bad.toQuery());
}

void TestQuery::largeSelectionUsesOneJsonArray()
{
    Selection s;
    for (int k = 0; k < 100000; ++k)
        s.itemIds.append(k);
    Query q = s.toQuery();
    QCOMPARE(q.where(), u"(i.id IN (SELECT value FROM json_each(?)))"_s);
    QCOMPARE(q.values().size(), std::size_t(1));
    QVERIFY(std::get<QString>(q.values().front()).startsWith(u"[0,1,2,"_s));

    Selection e;
    for (int k = 0; k < 501; ++k)
        e.extIds.append(u"id \"%1\""_s.arg(k));
    q = e.toQuery();
    QCOMPARE(q.where(), u"(i.ext_id IN (SELECT value FROM json_each(?)))"_s);
    QCOMPARE(q.values().size(), std::size_t(1));
}

void TestQuery::execute_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("ids");
    auto ids = [](const char* list) { return QString::fromLatin1(list).split(u' ', Qt::SkipEmptyParts); };

    QTest::newRow("everything") << u""_s << ids("a1 a2 a3 a4 a5");
    QTest::newRow("status") << u"status:accepted"_s << ids("a1 a5");
    QTest::newRow("-status") << u"-status:accepted"_s << ids("a2 a3 a4");
    QTest::newRow("source quoted") << u"source:\"my set\""_s << ids("a3 a4");
    QTest::newRow("-source") << u"-source:alpha"_s << ids("a3 a4");
    QTest::newRow("source unknown") << u"source:nope"_s << ids("");
    QTest::newRow("facet") << u"facet:spatial"_s << ids("a1"); // a5's old version had spatial: not current
    QTest::newRow("-facet") << u"-facet:spatial"_s << ids("a2 a3 a4 a5");
    QTest::newRow("facet unknown") << u"facet:humour"_s << ids("");
    QTest::newRow("facet after another") << u"facet:art"_s << ids("a2");
    QTest::newRow("facet is a whole key") << u"facet:knowledge"_s << ids(""); // not world_knowledge
    QTest::newRow("facet upper case") << u"facet:World_Knowledge"_s << ids("a2");
    QTest::newRow("image none") << u"image:none"_s << ids("a4");
    QTest::newRow("image ok") << u"image:ok"_s << ids("a1 a5");
    QTest::newRow("image broken") << u"image:broken"_s << ids("a3");
    QTest::newRow("origin") << u"origin:model"_s << ids("a2");
    QTest::newRow("origin human") << u"origin:human"_s << ids("a3 a5");
    QTest::newRow("-origin includes items without caption") << u"-origin:model"_s << ids("a1 a3 a4 a5");
    QTest::newRow("model") << u"model:gpt-4o"_s << ids("a2");
    QTest::newRow("-model") << u"-model:gpt-4o"_s << ids("a1 a3 a4 a5");
    QTest::newRow("reviewer") << u"reviewer:bob"_s << ids("a3");
    QTest::newRow("-reviewer") << u"-reviewer:bob"_s << ids("a1 a2 a4 a5");
    QTest::newRow("chars <") << u"chars:<30"_s << ids("a3");
    QTest::newRow("chars <=") << u"chars:<=34"_s << ids("a3 a5");
    QTest::newRow("chars < bound") << u"chars:<34"_s << ids("a3");
    QTest::newRow("chars >") << u"chars:>40"_s << ids("a2");
    QTest::newRow("chars >=") << u"chars:>=40"_s << ids("a1 a2");
    QTest::newRow("chars =") << u"chars:28"_s << ids("a3");
    QTest::newRow("range") << u"chars:>30 chars:<41"_s << ids("a1 a5");
    QTest::newRow("-chars") << u"-chars:>30"_s << ids("a3 a4");
    QTest::newRow("id") << u"id:a3"_s << ids("a3");
    QTest::newRow("-id") << u"-id:a3"_s << ids("a1 a2 a4 a5");
    QTest::newRow("path glob") << u"path:sam/*"_s << ids("a2 a3");
    QTest::newRow("path ?") << u"path:coco/train2017/?.jpg"_s << ids("a1 a5");
    QTest::newRow("path is case-sensitive") << u"path:SAM/*"_s << ids("");
    QTest::newRow("-path includes text-only") << u"-path:sam/*"_s << ids("a1 a4 a5");
    QTest::newRow("word") << u"red"_s << ids("a1 a5");
    QTest::newRow("word case-insensitive") << u"EIFFEL"_s << ids("a2");
    QTest::newRow("only current version") << u"bicycle"_s << ids("a5");
    QTest::newRow("old version not found") << u"tricycle"_s << ids("");
    QTest::newRow("-word of old version") << u"-tricycle"_s << ids("a1 a2 a3 a4 a5");
    QTest::newRow("old version not searched") << u"small red"_s << ids("a5");
    QTest::newRow("two words") << u"big red"_s << ids("a5");
    QTest::newRow("phrase") << u"\"big dog\""_s << ids("a3");
    QTest::newRow("phrase order matters") << u"\"dog big\""_s << ids("");
    QTest::newRow("phrase across words") << u"\"red car\""_s << ids("a1 a5");
    QTest::newRow("-word") << u"-red"_s << ids("a2 a3 a4");
    QTest::newRow("word -word") << u"red -oak"_s << ids("a5");
    QTest::newRow("-phrase") << u"-\"oak tree\""_s << ids("a2 a3 a4 a5");
    QTest::newRow("combined") << u"status:accepted red -oak source:alpha"_s << ids("a5");
    QTest::newRow("OR is a word, not an operator") << u"red OR dog"_s << ids("");
    QTest::newRow("NEAR is a word") << u"NEAR(red car)"_s << ids("");
    QTest::newRow("no prefix search") << u"re*"_s << ids("");
    QTest::newRow("punctuation in word") << u"dusk,"_s << ids("a2");
    QTest::newRow("quote in word") << u"do\"g"_s << ids("");
}

void TestQuery::execute()
{
    QFETCH(QString, text);
    QFETCH(QStringList, ids);
    QCOMPARE(run(Query::parse(text)), ids);
}

void TestQuery::injectionDoesNoHarm()
{
    const QString attempts[] = {
        u"id:'; DROP TABLE items; --"_s,
        u"id:\"'; DROP TABLE items; --\""_s,
        u"source:\"x' OR '1'='1\""_s,
        u"model:\"x\\\" OR 1=1 --\""_s,
        u"path:*' OR 1=1 --"_s,
        u"\"red\" OR \"dog\") UNION SELECT name FROM sqlite_schema --"_s,
        u"reviewer:\"); DELETE FROM items; --\""_s,
    };
    for (const QString& text : attempts) {
        const Query q = Query::parse(text);
        QVERIFY2(!q.where().contains(u"DROP"_s) && !q.where().contains(u"DELETE"_s) && !q.where().contains(u"'"_s)
                     && !q.where().contains(u"UNION"_s),
                 qPrintable(q.where()));
        QCOMPARE(run(q), QStringList());
    }
    Statement count = m_project->db().prepare("SELECT count(*) FROM items");
    QVERIFY(count.step());
    QCOMPARE(count.int64(0), std::int64_t(5));
}

void TestQuery::executeSelection()
{
    Selection s;
    s.extIds = {u"a1"_s, u"a3"_s, u"zz"_s};
    QCOMPARE(run(s.toQuery()), (QStringList{u"a1"_s, u"a3"_s}));

    s.filter = u"status:accepted"_s;
    QCOMPARE(run(s.toQuery()), QStringList{u"a1"_s});

    Selection items;
    items.itemIds = {2, 5, 99};
    QCOMPARE(run(items.toQuery()), (QStringList{u"a2"_s, u"a5"_s}));

    // Above the placeholder limit the ids travel as one JSON array; quotes in ids survive it.
    Selection many;
    for (int k = 0; k < 2000; ++k)
        many.extIds.append(u"x\"%1'"_s.arg(k));
    many.extIds.append(u"a4"_s);
    many.extIds.append(u"a2"_s);
    QCOMPARE(run(many.toQuery()), (QStringList{u"a2"_s, u"a4"_s}));

    Selection manyItems;
    for (int k = 100; k < 1100; ++k)
        manyItems.itemIds.append(k);
    manyItems.itemIds.append(3);
    manyItems.filter = u"-status:accepted"_s;
    QCOMPARE(run(manyItems.toQuery()), QStringList{u"a3"_s});

    Selection all;
    all.all = true;
    all.filter = u"image:ok"_s;
    QCOMPARE(run(all.toQuery()), (QStringList{u"a1"_s, u"a5"_s}));
}

QTEST_GUILESS_MAIN(TestQuery)
#include "test_query.moc"
