// The importer: every input format and its detection, the byte-exact original record, every kind of
// bad record (skipped with file, index, id and reason, never half-imported), duplicates and re-import,
// --strict, image path refusal and missing images per prefix, truncated files, tar member offsets,
// cancellation and progress. All against real files and a real project in a temporary folder.
#include "testutil.h"

#include "database.h"
#include "error.h"
#include "fastrecordparser.h"
#include "importer.h"
#include "jsonarraysplitter.h"
#include "jsonlinessplitter.h"
#include "project.h"
#include "recordparser.h"
#include "tarindexer.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <archive.h>
#include <archive_entry.h>

#include <atomic>

using namespace facet;
using namespace Qt::Literals::StringLiterals;

namespace {

/** A ShareGPT4V record as one line of JSON; `caption` and `image` must already be JSON-escaped. */
QByteArray record(const QByteArray& id, const QByteArray& image, const QByteArray& caption)
{
    QByteArray r = "{\"id\": \"" + id + "\", ";
    if (!image.isNull())
        r += "\"image\": \"" + image + "\", ";
    r += "\"conversations\": [{\"from\": \"human\", \"value\": \"<image>\\nDescribe the image in detail.\"}, "
         "{\"from\": \"gpt\", \"value\": \""
         + caption + "\"}]}";
    return r;
}

QByteArray array(const QList<QByteArray>& elements)
{
    QByteArray out = "[\n";
    for (qsizetype i = 0; i < elements.size(); ++i)
        out += "  " + elements[i] + (i + 1 < elements.size() ? ",\n" : "\n");
    return out + "]\n";
}

std::int64_t scalar(Project& p, const char* sql)
{
    Statement st = p.db().prepare(sql);
    return st.step() ? st.int64(0) : -1;
}

QString text(Project& p, const char* sql, const QString& arg = {})
{
    Statement st = p.db().prepare(sql);
    if (!arg.isNull())
        st.bind(1, arg);
    return st.step() ? st.text(0) : QString();
}

/** The stored original record of an item, as bytes. */
QByteArray storedRecord(Project& p, const QString& extId)
{
    Statement st = p.db().prepare("SELECT r.json FROM records r JOIN items i ON i.id = r.item_id WHERE i.ext_id = ?");
    st.bind(1, extId);
    if (!st.step())
        return {};
    const std::string_view v = st.textView(0);
    return QByteArray(v.data(), static_cast<qsizetype>(v.size()));
}

QString captionOf(Project& p, const QString& extId)
{
    return text(p, "SELECT v.text FROM caption_versions v JOIN items i ON i.current_version = v.id WHERE i.ext_id = ?",
                extId);
}

const ImportIssue* issueAt(const ImportReport& r, std::int64_t index)
{
    for (const ImportIssue& i : r.errors)
        if (i.index == index)
            return &i;
    return nullptr;
}

/** Runs `tar` to build a shard from files in `dir`; `members` are paths relative to it, in order. */
bool makeTar(const QString& dir, const QString& out, const QStringList& members, const QString& format = u"gnu"_s)
{
    QProcess tar;
    tar.setWorkingDirectory(dir);
    // A file named twice is stored as its own data twice, not as a hard link (which has none).
    tar.start(u"tar"_s, QStringList{u"--format="_s + format, u"--hard-dereference"_s, u"-cf"_s, out} + members);
    return tar.waitForFinished(30000) && tar.exitStatus() == QProcess::NormalExit && tar.exitCode() == 0;
}

QByteArray randomBytes(int n)
{
    QByteArray b(n, '\0');
    for (char& c : b)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return b;
}

} // namespace

class TestImport : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void formatKeys();
    void detectsFormats();
    void detectRefusesOtherFiles();
    void importsShareGpt4vArray();
    void recordsAreByteExactAcrossChunks();
    void splittersAgreeForEveryChunkSize();
    void prettyPrintedArray();
    void importsJsonl();
    void importsShareCaptioner();
    void skipsBadRecords();
    void skipsOversizedRecord();
    void duplicatesAndReimport();
    void sameNameDifferentFile();
    void strictCommitsNothing();
    void strictCommitsCleanFiles();
    void refusesEscapingImagePaths();
    void countsMissingImagesPerPrefix();
    void truncatedArrayKeepsGoodRecords();
    void brokenArrayStructure();
    void htmlAndChineseVerbatim();
    void fastPathAgreesWithSax_data();
    void fastPathAgreesWithSax();
    void tarOffsetsMatchLibarchive_data();
    void tarOffsetsMatchLibarchive();
    void importsWebDatasetShard();
    void importsImg2datasetFolders();
    void importsFolderOfImages();
    void cancelRollsBack();
    void reportsProgressByBytes();

private:
    ImportReport import(const QStringList& paths, ImportOptions options = {}, const Progress& progress = {});
    ImportReport import(const QString& path, ImportOptions options = {}) { return import(QStringList{path}, options); }
    QString write(const QString& name, const QByteArray& content) { return test::writeFile(*m_dir, name, content); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Project> m_project;
};

void TestImport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_project = Project::open(m_dir->filePath(u"test.facet"_s), Project::OpenMode::CreateIfMissing);
}

void TestImport::cleanup()
{
    m_project.reset();
    m_dir.reset();
}

ImportReport TestImport::import(const QStringList& paths, ImportOptions options, const Progress& progress)
{
    Importer importer(*m_project);
    return importer.run(paths, options, progress);
}

void TestImport::formatKeys()
{
    for (SourceFormat f : {SourceFormat::Auto, SourceFormat::ShareGpt4v, SourceFormat::Jsonl,
                           SourceFormat::ShareCaptioner, SourceFormat::WebDataset, SourceFormat::Folder}) {
        SourceFormat back = SourceFormat::Auto;
        QVERIFY(sourceFormatFromKey(sourceFormatKey(f), &back));
        QCOMPARE(back, f);
    }
    QCOMPARE(sourceFormatKey(SourceFormat::ShareCaptioner), u"sharecaptioner"_s);
    SourceFormat f = SourceFormat::Jsonl;
    QVERIFY(!sourceFormatFromKey(u"csv"_s, &f));
}

void TestImport::detectsFormats()
{
    const QByteArray r = record("1", "a.jpg", "A cat.");
    QCOMPARE(Importer::detect(write(u"a.json"_s, array({r}))), SourceFormat::ShareGpt4v);
    QCOMPARE(Importer::detect(write(u"bom.json"_s, "\xEF\xBB\xBF  " + array({r}))), SourceFormat::ShareGpt4v);
    QCOMPARE(Importer::detect(write(u"empty.json"_s, "[]")), SourceFormat::ShareGpt4v);
    QCOMPARE(Importer::detect(write(u"a.jsonl"_s, r + "\n" + r + "\n")), SourceFormat::Jsonl);
    QCOMPARE(Importer::detect(write(u"captions.json"_s, R"([{"coco/1.jpg": "A dog."}, {"coco/2.jpg": "A cat."}])")),
             SourceFormat::ShareCaptioner);
    // A broken first element does not decide: the next one does.
    QCOMPARE(Importer::detect(write(u"sc2.json"_s, R"([{"x": tru}, {"coco/2.jpg": "A cat."}])")),
             SourceFormat::ShareCaptioner);

    write(u"shard/0001.jpg"_s, "jpegbytes");
    write(u"shard/0001.txt"_s, "A caption.");
    QVERIFY(makeTar(m_dir->filePath(u"shard"_s), m_dir->filePath(u"s.tar"_s), {u"0001.jpg"_s, u"0001.txt"_s}));
    QCOMPARE(Importer::detect(m_dir->filePath(u"s.tar"_s)), SourceFormat::WebDataset);

    write(u"folder/a.jpg"_s, "x");
    QCOMPARE(Importer::detect(m_dir->filePath(u"folder"_s)), SourceFormat::Folder);
    QVERIFY(QDir().mkpath(m_dir->filePath(u"shards"_s)));
    QVERIFY(QFile::copy(m_dir->filePath(u"s.tar"_s), m_dir->filePath(u"shards/00000.tar"_s)));
    QCOMPARE(Importer::detect(m_dir->filePath(u"shards"_s)), SourceFormat::WebDataset);
}

void TestImport::detectRefusesOtherFiles()
{
    QVERIFY_THROWS_EXCEPTION(Error, Importer::detect(m_dir->filePath(u"nope.json"_s)));
    QVERIFY_THROWS_EXCEPTION(Error, Importer::detect(write(u"a.csv"_s, "id,image\n1,a.jpg\n")));
    QVERIFY_THROWS_EXCEPTION(Error, Importer::detect(write(u"pretty.json"_s, "{\n  \"id\": 1\n}\n")));
    QVERIFY_THROWS_EXCEPTION(Error, Importer::detect(write(u"a.tar.gz"_s, QByteArray("\x1f\x8b\x08\x00", 4) + "xx")));
    QVERIFY_THROWS_EXCEPTION(Error, Importer::detect(write(u"empty.json"_s, "")));
    // Nothing is written when a path cannot be imported at all.
    const QString good = write(u"good.json"_s, array({record("1", {}, "A cat.")}));
    QVERIFY_THROWS_EXCEPTION(Error, import(QStringList{good, m_dir->filePath(u"a.csv"_s)}));
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM sources"), 0);
}

void TestImport::importsShareGpt4vArray()
{
    write(u"coco/train2017/000000000009.jpg"_s, "jpeg");
    const QByteArray a = record(
        "000000000009", "coco/train2017/000000000009.jpg",
        "In the center of the image, a vibrant blue lunch tray.\\n\\nThe arrangement is balanced.");
    const QByteArray b = R"({"id": 42, "image": "sam/images/sa_1.jpg", "conversations": [)"
                         R"({"from": "user", "value": "Describe."}, {"from": "assistant", "value": "A hill."}]})";
    const QByteArray c = R"({"id": "text-only", "conversations": [{"from": "human", "value": "Hi"},)"
                         R"( {"from": "gpt", "value": "Hello."}, {"from": "human", "value": "More?"},)"
                         R"( {"from": "gpt", "value": "No."}]})";
    const QByteArray d =
        R"({"image": "coco/train2017/noid.jpg", "conversations": [{"from": "gpt", "value": "First."}]})";
    const QString path = write(u"cap100k.json"_s, array({a, b, c, d}));

    const ImportReport r = import(path);
    QCOMPARE(r.imported, 4);
    QCOMPARE(r.skipped, 0);
    QCOMPARE(r.duplicates, 0);
    QVERIFY(r.committed);
    QCOMPARE(r.sources, QStringList{u"cap100k"_s});
    QCOMPARE(r.missingImages, 2);

    Project& p = *m_project;
    QCOMPARE(text(p, "SELECT name || '|' || format || '|' || records || '|' || path || '|' || image_root FROM sources"),
             u"cap100k|sharegpt4v|4|"_s + QFileInfo(path).absoluteFilePath() + u'|' + QFileInfo(path).absolutePath());

    // Item a: image present, caption turn 1.
    Statement st = p.db().prepare("SELECT rec_index, image, image_abs, image_state, caption_turn, status, updated_at, "
                                  "current_version FROM items WHERE ext_id = ?");
    st.bind(1, u"000000000009"_s);
    QVERIFY(st.step());
    QCOMPARE(st.int64(0), 0);
    QCOMPARE(st.text(1), u"coco/train2017/000000000009.jpg"_s);
    QCOMPARE(st.text(2), m_dir->filePath(u"coco/train2017/000000000009.jpg"_s));
    QCOMPARE(st.integer(3), 1);
    QCOMPARE(st.integer(4), 1);
    QCOMPARE(st.integer(5), 0);
    QVERIFY(st.text(6).endsWith(u'Z'));
    QVERIFY(!st.isNull(7));
    QCOMPARE(captionOf(p, u"000000000009"_s),
             u"In the center of the image, a vibrant blue lunch tray.\n\nThe arrangement is balanced."_s);

    // Item b: numeric id kept as text, "user"/"assistant" roles, missing image.
    QCOMPARE(text(p, "SELECT image_state || '/' || caption_turn FROM items WHERE ext_id = ?", u"42"_s), u"2/1"_s);
    QCOMPARE(captionOf(p, u"42"_s), u"A hill."_s);
    // Item c: text-only, the caption is the FIRST gpt turn.
    QCOMPARE(text(p,
                  "SELECT image_state || '/' || caption_turn || '/' || (image IS NULL) || (image_abs IS NULL) "
                  "FROM items WHERE ext_id = ?",
                  u"text-only"_s),
             u"0/1/11"_s);
    QCOMPARE(captionOf(p, u"text-only"_s), u"Hello."_s);
    // Item d: no id; the image path names it; caption turn 0.
    QCOMPARE(text(p, "SELECT caption_turn FROM items WHERE ext_id = ?", u"coco/train2017/noid.jpg"_s), u"0"_s);

    // Versions: imported origin, chars in QString units, one FTS row each.
    QCOMPARE(scalar(p, "SELECT count(*) FROM caption_versions WHERE origin = 0"), 4);
    QCOMPARE(scalar(p, "SELECT count(*) FROM items i JOIN caption_versions v ON v.id = i.current_version "
                       "WHERE v.item_id = i.id AND v.chars = length(v.text)"),
             4);
    QCOMPARE(text(p, "SELECT i.ext_id FROM captions_fts f JOIN items i ON i.current_version = f.rowid "
                     "WHERE captions_fts MATCH 'vibrant'"),
             u"000000000009"_s);
    QCOMPARE(scalar(p, "SELECT count(*) FROM captions_fts WHERE captions_fts MATCH 'hill'"), 1);

    // The original is stored byte for byte.
    QCOMPARE(storedRecord(p, u"000000000009"_s), a);
    QCOMPARE(storedRecord(p, u"42"_s), b);
    QCOMPARE(storedRecord(p, u"text-only"_s), c);
    QCOMPARE(storedRecord(p, u"coco/train2017/noid.jpg"_s), d);
}

void TestImport::recordsAreByteExactAcrossChunks()
{
    // ~3 MiB of records with escapes, unicode and odd spacing, so that many elements straddle the
    // splitter's 1 MiB chunk boundaries; each one must come back exactly as written.
    QList<QByteArray> elements;
    QByteArray file = "\xEF\xBB\xBF[";
    for (int i = 0; i < 3000; ++i) {
        QByteArray e =
            "{ \"id\" :\"r" + QByteArray::number(i) + "\",\"image\":\"coco/" + QByteArray::number(i)
            + ".jpg\",\n \"extra\": {\"nested\": [1, 2.50, {\"}\": \"]\"}], \"quote\": \"\\\"\\\\\"},"
              "\"conversations\":[{\"from\":\"human\",\"value\":\"<image>\"},{\"value\":\"Caf\\u00e9 \xe5\x9b\xbe "
              "\\/ \\\"quoted\\\" "
            + QByteArray(900 + i % 97, 'x') + "\",\"from\":\"gpt\"}]}";
        elements.append(e);
        file += (i ? ",\r\n\t" : "") + e;
    }
    file += "]";
    const QString path = write(u"big.json"_s, file);
    QVERIFY(file.size() > 3 * 1024 * 1024);

    const ImportReport r = import(path);
    QCOMPARE(r.imported, 3000);
    QCOMPARE(r.skipped, 0);
    Statement st = m_project->db().prepare("SELECT i.rec_index, r.json FROM items i JOIN records r ON r.item_id = i.id "
                                           "ORDER BY i.rec_index");
    int n = 0;
    while (st.step()) {
        const std::string_view v = st.textView(1);
        QCOMPARE(QByteArray(v.data(), static_cast<qsizetype>(v.size())), elements[n]);
        QCOMPARE(st.int64(0), n);
        ++n;
    }
    QCOMPARE(n, 3000);
    QCOMPARE(captionOf(*m_project, u"r7"_s), u"Café 图 / \"quoted\" "_s + QString(900 + 7, u'x'));
}

namespace {

/** Every record a splitter yields, as "index@offset+size:text" (or "too large"), then how it ended. */
template <typename Splitter>
QStringList splitAll(const QByteArray& file, std::size_t chunkBytes, std::int64_t maxRecord)
{
    QBuffer buffer;
    buffer.setData(file);
    buffer.open(QIODevice::ReadOnly);
    Splitter splitter(&buffer, maxRecord, chunkBytes);
    QStringList out;
    RawRecord raw;
    for (;;) {
        const auto r = splitter.next(&raw);
        if (r == Splitter::Result::End) {
            out << u"end at %1"_s.arg(splitter.bytesRead());
            return out;
        }
        if (r == Splitter::Result::Error) {
            out << u"error at %1: %2"_s.arg(splitter.errorOffset()).arg(splitter.errorString());
            return out;
        }
        out << u"%1@%2+%3:%4"_s.arg(raw.index)
                   .arg(raw.offset)
                   .arg(raw.size)
                   .arg(raw.tooLarge ? u"too large"_s
                                     : QString::fromUtf8(raw.text.data(), static_cast<qsizetype>(raw.text.size())));
    }
}

} // namespace

void TestImport::splittersAgreeForEveryChunkSize()
{
    // The splitters scan a chunk in place and carry a record that straddles chunks over to the
    // next one; the BOM, a string with brackets and escapes, CRLF, blank lines, a too-large record
    // and a truncated tail must come out the same whatever the chunk size.
    const QByteArray big(300, 'z');
    const QByteArray array = "\xEF\xBB\xBF [ {\"a\":\"]}\\\"[{\"} ,\r\n[1, {\"b\": \"\\\\\"}], 2.5e3, \"" + big
                             + "\", null ,{\"c\":[]} ]\n";
    const QByteArray truncated = "[{\"a\": 1}, {\"b\": \"x";
    const QByteArray lines = "\xEF\xBB\xBF{\"a\":1}\r\n\n   \n{\"b\":\"" + big
                             + "\"}\n{\"c\":\"\xe5\x9b\xbe\"}\r\n{\"d\":0}";
    for (const QByteArray& file : {array, truncated}) {
        const QStringList reference = splitAll<JsonArraySplitter>(file, ChunkReader::DefaultChunkBytes, 200);
        QVERIFY(reference.size() >= 2);
        for (std::size_t chunk : {1, 2, 3, 4, 5, 7, 13, 64})
            QCOMPARE(splitAll<JsonArraySplitter>(file, chunk, 200), reference);
    }
    QCOMPARE(splitAll<JsonArraySplitter>(array, 4, 200).first(), u"0@6+14:{\"a\":\"]}\\\"[{\"}"_s);
    QVERIFY(splitAll<JsonArraySplitter>(array, 4, 200).contains(u"3@49+302:too large"_s));
    QVERIFY(splitAll<JsonArraySplitter>(truncated, 3, 200)
                .last()
                .startsWith(u"error at 19: the file ends at byte 19 inside record 2"_s));

    const QStringList reference = splitAll<JsonLinesSplitter>(lines, ChunkReader::DefaultChunkBytes, 200);
    QCOMPARE(reference.size(), 5);
    QCOMPARE(reference.first(), u"0@3+8:{\"a\":1}"_s);
    QCOMPARE(reference.at(1), u"1@17+308:too large"_s);
    for (std::size_t chunk : {1, 2, 3, 4, 5, 7, 13, 64})
        QCOMPARE(splitAll<JsonLinesSplitter>(lines, chunk, 200), reference);
}

void TestImport::prettyPrintedArray()
{
    const QByteArray e = "{\n    \"id\": \"p1\",\n    \"conversations\": [\n      {\n        \"from\": \"gpt\",\n"
                         "        \"value\": \"Indented.\"\n      }\n    ]\n  }";
    const QString path = write(u"pretty.json"_s, "[\n  " + e + "\n]\n");
    QCOMPARE(import(path).imported, 1);
    QCOMPARE(storedRecord(*m_project, u"p1"_s), e);
}

void TestImport::importsJsonl()
{
    const QByteArray a = record("a", {}, "First.");
    const QByteArray b = record("b", {}, "Second.");
    const QByteArray c = record("c", {}, "Third.");
    const QString path = write(u"mix.jsonl"_s,
                               "\xEF\xBB\xBF" + a + "\r\n\n   \n" + b + "\n{\"id\": \"bad\", \"conv\n" + c);
    const ImportReport r = import(path);
    QCOMPARE(r.imported, 3);
    QCOMPARE(r.skipped, 1);
    QCOMPARE(text(*m_project, "SELECT format FROM sources"), u"jsonl"_s);
    QCOMPARE(storedRecord(*m_project, u"a"_s), a); // no "\r"
    QCOMPARE(storedRecord(*m_project, u"c"_s), c); // the last line has no "\n"
    QCOMPARE(captionOf(*m_project, u"b"_s), u"Second."_s);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].index, 2);
    QCOMPARE(r.errors[0].file, path);
    QVERIFY2(r.errors[0].reason.contains(u"line 5"_s), qPrintable(r.errors[0].reason));
    QVERIFY2(r.errors[0].reason.contains(u"invalid JSON"_s), qPrintable(r.errors[0].reason));
}

void TestImport::importsShareCaptioner()
{
    write(u"data/sam/images/sa_1.jpg"_s, "jpeg");
    const QString path = write(u"captions.json"_s,
                               R"([{"sam/images/sa_1.jpg": "The image captures a hill.\n\nGrass."},)"
                               R"( {"coco/2.jpg": "A cat."}, {"a.jpg": "x", "b.jpg": "y"}, {"c.jpg": 5}])");
    ImportOptions o;
    o.imageRoot = m_dir->filePath(u"data"_s);
    const ImportReport r = import(path, o);
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.skipped, 2);
    QCOMPARE(text(*m_project, "SELECT format FROM sources"), u"sharecaptioner"_s);
    QCOMPARE(text(*m_project, "SELECT image_state || '/' || caption_turn || '/' || image FROM items WHERE ext_id = ?",
                  u"sam/images/sa_1.jpg"_s),
             u"1/-1/sam/images/sa_1.jpg"_s);
    QCOMPARE(captionOf(*m_project, u"sam/images/sa_1.jpg"_s), u"The image captures a hill.\n\nGrass."_s);
    const QJsonObject stored = QJsonDocument::fromJson(storedRecord(*m_project, u"coco/2.jpg"_s)).object();
    QCOMPARE(stored, (QJsonObject{{u"image"_s, u"coco/2.jpg"_s}, {u"caption"_s, u"A cat."_s}}));
    QVERIFY(issueAt(r, 2) && issueAt(r, 2)->reason.contains(u"more than one key"_s));
    QVERIFY(issueAt(r, 3) && issueAt(r, 3)->reason.contains(u"not a string"_s));
    QCOMPARE(r.missingByPrefix.value(u"coco"_s), 1);
}

void TestImport::skipsBadRecords()
{
    const QByteArray huge(1024 * 1024 + 10, 'h');
    const QList<QByteArray> elements{
        record("good0", {}, "Good zero."),                                                          // 0
        "[1, 2]",                                                                                   // 1 not an object
        "42",                                                                                       // 2 not an object
        R"({"id": "noconv", "image": "a.jpg"})",                                                    // 3
        R"({"id": "convstr", "conversations": "gpt: hi"})",                                         // 4
        R"({"id": "turnstr", "conversations": ["human: hi", {"from": "gpt", "value": "x"}]})",      // 5
        R"({"id": "fromnum", "conversations": [{"from": 1, "value": "x"}]})",                       // 6
        R"({"id": "valuenull", "conversations": [{"from": "gpt", "value": null}]})",                // 7
        R"({"id": "nogpt", "conversations": [{"from": "human", "value": "x"}]})",                   // 8
        R"({"id": "badjson", "conversations": [{"from": "gpt", "value": tru}]})",                   // 9
        "{\"id\": \"badutf8\", \"conversations\": [{\"from\": \"gpt\", \"value\": \"\xff\xfe\"}]}", // 10
        R"({"id": {"x": 1}, "conversations": [{"from": "gpt", "value": "x"}]})",                    // 11
        record("abs", "/etc/passwd", "x"),                                                          // 12
        record("dotdot", "../../secret.jpg", "x"),                                                  // 13
        record("huge", {}, huge),                                                                   // 14
        R"({"conversations": [{"from": "gpt", "value": "x"}], "id": "late-id", "image": 7})",       // 15
        R"({"id": "twice", "id": "again", "conversations": [{"from": "gpt", "value": "x"}]})",      // 16
        R"({"id": "nofrom", "conversations": [{"value": "x"}, {"from": "gpt", "value": "y"}]})",    // 17
        record("good1", "ok.jpg", "Good one."),                                                     // 18
    };
    const QString path = write(u"bad.json"_s, array(elements));
    const ImportReport r = import(path);
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.skipped, 17);
    QCOMPARE(r.errors.size(), 17);
    QVERIFY(r.committed);

    const auto expect = [&](std::int64_t index, const QString& id, const QString& fragment) {
        const ImportIssue* i = issueAt(r, index);
        QVERIFY2(i, qPrintable(u"no issue for record %1"_s.arg(index)));
        QCOMPARE(i->file, path);
        QCOMPARE(i->id, id);
        QVERIFY2(i->reason.contains(fragment), qPrintable(u"record %1: %2"_s.arg(index).arg(i->reason)));
    };
    expect(1, QString(), u"not a JSON object"_s);
    expect(2, QString(), u"not a JSON object"_s);
    expect(3, u"noconv"_s, u"no \"conversations\""_s);
    expect(4, u"convstr"_s, u"\"conversations\" is not an array"_s);
    expect(5, u"turnstr"_s, u"turn 0 is not an object"_s);
    expect(6, u"fromnum"_s, u"turn 0: \"from\" is not a string"_s);
    expect(7, u"valuenull"_s, u"turn 0: \"value\" is not a string"_s);
    expect(8, u"nogpt"_s, u"no gpt turn"_s);
    expect(9, u"badjson"_s, u"invalid JSON"_s);
    expect(10, u"badutf8"_s, u"UTF-8"_s);
    expect(11, QString(), u"\"id\" is neither a string nor a number"_s);
    expect(12, u"abs"_s, u"absolute"_s);
    expect(13, u"dotdot"_s, u"leaves the image folder"_s);
    expect(14, u"huge"_s, u"more than the limit"_s);
    expect(15, u"late-id"_s, u"\"image\" is not a string"_s); // the id after the bad field is still named
    expect(16, u"twice"_s, u"appears twice"_s);
    expect(17, u"nofrom"_s, u"turn 0 has no \"from\""_s);
    expect(9, u"badjson"_s, u"starts at byte"_s);

    // Nothing of a skipped record was written.
    Project& p = *m_project;
    QCOMPARE(scalar(p, "SELECT count(*) FROM items"), 2);
    QCOMPARE(scalar(p, "SELECT count(*) FROM records"), 2);
    QCOMPARE(scalar(p, "SELECT count(*) FROM caption_versions"), 2);
    QCOMPARE(scalar(p, "SELECT count(*) FROM captions_fts WHERE captions_fts MATCH 'good'"), 2);
    QCOMPARE(text(p, "SELECT group_concat(ext_id || ':' || rec_index, ' ') FROM items"), u"good0:0 good1:18"_s);
}

void TestImport::skipsOversizedRecord()
{
    const QByteArray big = record("big", {}, QByteArray(5000, 'b'));
    const QString path = write(u"b.json"_s, array({record("s1", {}, "Small."), big, record("s2", {}, "Small.")}));
    const QString lines = write(u"b.jsonl"_s, record("l1", {}, "Small.") + "\n" + big + "\n" + record("l2", {}, "S."));
    ImportOptions o;
    o.maxRecordBytes = 4096;
    ImportReport r = import(path, o);
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.skipped, 1);
    QVERIFY(issueAt(r, 1) && issueAt(r, 1)->reason.contains(u"more than the limit of 4096 bytes"_s));
    r = import(lines, o);
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.skipped, 1);
    QVERIFY(issueAt(r, 1) && issueAt(r, 1)->reason.contains(u"line 2"_s));
}

void TestImport::duplicatesAndReimport()
{
    const QString path = write(
        u"d.json"_s, array({record("x", {}, "First x."), record("y", {}, "Y."), record("x", {}, "Second x.")}));
    ImportReport r = import(path);
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.duplicates, 1);
    QCOMPARE(r.skipped, 0); // a duplicate is not an error
    QVERIFY(r.errors.isEmpty());
    QCOMPARE(captionOf(*m_project, u"x"_s), u"First x."_s);

    const QString before = text(*m_project, "SELECT imported_at || records FROM sources");
    r = import(path);
    QCOMPARE(r.imported, 0);
    QCOMPARE(r.duplicates, 3);
    QCOMPARE(r.skipped, 0);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM sources"), 1);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM items"), 2);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM caption_versions"), 2);
    QCOMPARE(text(*m_project, "SELECT imported_at || records FROM sources"), before);

    // A record added to the file later is the only thing a re-import brings in.
    write(u"d.json"_s, array({record("x", {}, "First x."), record("y", {}, "Y."), record("z", {}, "Z.")}));
    r = import(path);
    QCOMPARE(r.imported, 1);
    QCOMPARE(r.duplicates, 2);
    QCOMPARE(scalar(*m_project, "SELECT records FROM sources"), 3);
}

void TestImport::sameNameDifferentFile()
{
    const QString one = write(u"one/cap.json"_s, array({record("1", {}, "One.")}));
    const QString two = write(u"two/cap.json"_s, array({record("1", {}, "Two.")}));
    QCOMPARE(import(one).sources, QStringList{u"cap"_s});
    ImportReport r = import(two);
    QCOMPARE(r.sources, QStringList{u"cap-2"_s});
    QCOMPARE(r.imported, 1); // ids are unique per source, not per project
    r = import(two);
    QCOMPARE(r.sources, QStringList{u"cap-2"_s});
    QCOMPARE(r.duplicates, 1);
    ImportOptions named;
    named.name = u"renamed"_s;
    r = import(one, named);
    QCOMPARE(r.sources, QStringList{u"renamed"_s});
    QCOMPARE(r.imported, 1);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM sources"), 3);
}

void TestImport::strictCommitsNothing()
{
    const QString good = write(u"good.json"_s, array({record("g", {}, "Good.")}));
    const QString bad = write(u"bad.json"_s, array({record("a", {}, "A."), "{\"id\": \"b\"}", record("c", {}, "C.")}));
    ImportOptions o;
    o.strict = true;
    const ImportReport r = import(QStringList{good, bad}, o);
    QVERIFY(!r.committed);
    QCOMPARE(r.imported, 0);
    QCOMPARE(r.skipped, 1);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].id, u"b"_s);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM sources"), 0);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM items"), 0);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM caption_versions"), 0);

    // A truncated file is bad too.
    const QString cut = write(u"cut.json"_s, array({record("a", {}, "A."), record("b", {}, "B.")}).left(60));
    const ImportReport t = import(cut, o);
    QVERIFY(!t.committed);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM items"), 0);
}

void TestImport::strictCommitsCleanFiles()
{
    const QString a = write(u"a.json"_s, array({record("a", {}, "A."), record("a", {}, "A again.")}));
    const QString b = write(u"b.jsonl"_s, record("b", {}, "B.") + "\n");
    ImportOptions o;
    o.strict = true;
    ImportReport r = import(QStringList{a, b}, o);
    QVERIFY(r.committed);
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.duplicates, 1); // duplicates are not bad records
    QCOMPARE(r.sources, (QStringList{u"a"_s, u"b"_s}));
    r = import(QStringList{a, b}, o); // and a strict re-import is a clean no-op
    QVERIFY(r.committed);
    QCOMPARE(r.imported, 0);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM items"), 2);
}

void TestImport::refusesEscapingImagePaths()
{
    write(u"data/sub/in.jpg"_s, "jpeg");
    write(u"outside.jpg"_s, "jpeg");
    const QByteArray inside = QFile::encodeName(m_dir->filePath(u"data/sub/in.jpg"_s));
    const QByteArray outside = QFile::encodeName(m_dir->filePath(u"outside.jpg"_s));
    const QString path = write(u"p.json"_s, array({
                                                record("up", "../outside.jpg", "x"),            // 0
                                                record("deep", "sub/../../outside.jpg", "x"),   // 1
                                                record("absout", outside, "x"),                 // 2
                                                record("etc", "/etc/passwd", "x"),              // 3
                                                record("nul", "sub/in.jpg\\u0000.png", "x"),    // 4
                                                record("empty", "", "x"),                       // 5
                                                record("fold", "sub/../sub/./in.jpg", "Fold."), // 6
                                                record("absin", inside, "Abs in."),             // 7
                                                record("plain", "sub/in.jpg", "Plain."),        // 8
                                            }));
    ImportOptions o;
    o.imageRoot = m_dir->filePath(u"data"_s);
    const ImportReport r = import(path, o);
    QCOMPARE(r.imported, 3);
    QCOMPARE(r.skipped, 6);
    for (int i = 0; i < 6; ++i)
        QVERIFY2(issueAt(r, i), qPrintable(QString::number(i)));
    QVERIFY(issueAt(r, 0)->reason.contains(u"leaves the image folder"_s));
    QVERIFY(issueAt(r, 2)->reason.contains(u"absolute"_s));
    QVERIFY(issueAt(r, 4)->reason.contains(u"NUL"_s));
    QVERIFY(issueAt(r, 5)->reason.contains(u"empty"_s));
    // Accepted paths keep their spelling in `image` and resolve inside the root in `image_abs`.
    const QString abs = m_dir->filePath(u"data/sub/in.jpg"_s);
    QCOMPARE(text(*m_project, "SELECT image || '|' || image_abs || '|' || image_state FROM items WHERE ext_id = ?",
                  u"fold"_s),
             u"sub/../sub/./in.jpg|"_s + abs + u"|1"_s);
    QCOMPARE(text(*m_project, "SELECT image_abs FROM items WHERE ext_id = ?", u"absin"_s), abs);
    QCOMPARE(text(*m_project, "SELECT image_root FROM sources"), m_dir->filePath(u"data"_s));
}

void TestImport::countsMissingImagesPerPrefix()
{
    write(u"data/coco/train2017/1.jpg"_s, "jpeg");
    write(u"data/root.jpg"_s, "jpeg");
    const QString path = write(
        u"json/m.json"_s,
        array({record("1", "coco/train2017/1.jpg", "x"), record("2", "coco/train2017/2.jpg", "x"),
               record("3", "sam/images/sa_3.jpg", "x"), record("4", "sam/images/sa_4.jpg", "x"),
               record("5", "web-celebrity/images/Choi_Min-sik.jpg", "x"), record("6", "root.jpg", "x"),
               record("7", "gone.jpg", "x"), record("8", {}, "text only")}));
    ImportOptions o;
    o.imageRoot = m_dir->filePath(u"data"_s);
    const ImportReport r = import(path, o);
    QCOMPARE(r.imported, 8);
    QCOMPARE(r.missingImages, 5);
    QCOMPARE(r.missingByPrefix.size(), 4);
    QCOMPARE(r.missingByPrefix.value(u"sam"_s), 2);
    QCOMPARE(r.missingByPrefix.value(u"coco"_s), 1);
    QCOMPARE(r.missingByPrefix.value(u"web-celebrity"_s), 1);
    QCOMPARE(r.missingByPrefix.value(u"."_s), 1);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM items WHERE image_state = 2"), 5);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM items WHERE image_state = 1"), 2);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM items WHERE image_state = 0"), 1);
    // A missing image still has its resolved path, so that adding the file later is enough.
    QCOMPARE(text(*m_project, "SELECT image_abs FROM items WHERE ext_id = '3'"),
             m_dir->filePath(u"data/sam/images/sa_3.jpg"_s));

    // Without --images, paths resolve next to the data file.
    const QString beside = write(u"json/b.json"_s, array({record("b", "x.jpg", "x")}));
    write(u"json/x.jpg"_s, "jpeg");
    QCOMPARE(import(beside).missingImages, 0);
    QCOMPARE(text(*m_project, "SELECT image_abs FROM items WHERE ext_id = 'b'"), m_dir->filePath(u"json/x.jpg"_s));
}

void TestImport::truncatedArrayKeepsGoodRecords()
{
    const QByteArray full = array({record("t0", {}, "Zero."), record("t1", {}, "One."), record("t2", {}, "Two.")});
    const qsizetype cut = full.indexOf("t2") + 20;
    const QString path = write(u"trunc.json"_s, full.left(cut));
    const ImportReport r = import(path);
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.skipped, 1);
    QVERIFY(r.committed);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].index, 2);
    QCOMPARE(r.errors[0].file, path);
    QVERIFY2(r.errors[0].reason.contains(u"byte %1"_s.arg(cut)), qPrintable(r.errors[0].reason));
    QVERIFY2(r.errors[0].reason.contains(u"truncated"_s), qPrintable(r.errors[0].reason));
    QCOMPARE(captionOf(*m_project, u"t1"_s), u"One."_s);

    // Cut between records: the array is still not closed.
    const QString between = write(u"between.json"_s, full.left(full.indexOf("t2") - 10));
    const ImportReport b = import(between);
    QCOMPARE(b.imported, 2);
    QCOMPARE(b.errors.size(), 1);
    QVERIFY(b.errors[0].reason.contains(u"before the array is closed"_s));
}

void TestImport::brokenArrayStructure()
{
    struct Case
    {
        QByteArray content;
        int imported;
        const char* fragment;
    };
    const QByteArray a = record("a", {}, "A.");
    const QByteArray b = record("b", {}, "B.");
    const QList<Case> cases{
        {"[" + a + " " + b + "]", 1, "expected ',' or ']' after record 1"},
        {"[" + a + ",]", 1, "trailing comma"},
        {"[" + a + "] xyz", 1, "after the end of the array"},
        {"[" + a + ", {\"id\": [}]", 1, "mismatched '}'"},
        {"[,]", 0, "unexpected ','"},
    };
    for (const Case& c : cases) {
        QBuffer buffer;
        buffer.setData(c.content);
        buffer.open(QIODevice::ReadOnly);
        JsonArraySplitter splitter(&buffer, 1 << 20);
        RawRecord raw;
        int records = 0;
        JsonArraySplitter::Result res;
        while ((res = splitter.next(&raw)) == JsonArraySplitter::Result::Record)
            ++records;
        QCOMPARE(res, JsonArraySplitter::Result::Error);
        QCOMPARE(records, c.imported);
        QVERIFY2(splitter.errorString().contains(QLatin1String(c.fragment)), qPrintable(splitter.errorString()));
    }
    // The empty array and scalar elements are structure-wise fine.
    QBuffer buffer;
    buffer.setData(" [ 1 , \"s\" ,null,{\"a\":\"]\"} ] \n");
    buffer.open(QIODevice::ReadOnly);
    JsonArraySplitter splitter(&buffer, 1 << 20);
    RawRecord raw;
    QStringList got;
    while (splitter.next(&raw) == JsonArraySplitter::Result::Record)
        got.append(QString::fromUtf8(raw.text.data(), static_cast<qsizetype>(raw.text.size())));
    QCOMPARE(got, (QStringList{u"1"_s, u"\"s\""_s, u"null"_s, u"{\"a\":\"]\"}"_s}));
    QCOMPARE(splitter.next(&raw), JsonArraySplitter::Result::End);

    // Through the importer, a structural error keeps the records before it.
    const QString path = write(u"nocomma.json"_s, "[" + a + " " + b + "]");
    const ImportReport r = import(path);
    QCOMPARE(r.imported, 1);
    QCOMPARE(r.skipped, 1);
    QVERIFY(r.errors[0].reason.contains(u"byte"_s));
}

void TestImport::htmlAndChineseVerbatim()
{
    const QByteArray html = R"(<b>bold</b> <script>alert(\"x\")</script> &amp; <img src=x onerror=alert(1)>)";
    const QByteArray chinese = "图像显示了一只坐在木桌上的猫。\\n\\n背景是蓝色的墙。 \xF0\x9F\x90\x88"; // with an emoji
    const QByteArray a = record("html", {}, html);
    const QByteArray b = record("zh", "图片/猫.jpg", chinese);
    const QString path = write(u"text.json"_s, array({a, b}));
    const ImportReport r = import(path);
    QCOMPARE(r.imported, 2);
    const QString expectedHtml = u"<b>bold</b> <script>alert(\"x\")</script> &amp; <img src=x onerror=alert(1)>"_s;
    QCOMPARE(captionOf(*m_project, u"html"_s), expectedHtml);
    const QString expectedZh = u"图像显示了一只坐在木桌上的猫。\n\n背景是蓝色的墙。 🐈"_s;
    QCOMPARE(captionOf(*m_project, u"zh"_s), expectedZh);
    QCOMPARE(text(*m_project,
                  "SELECT v.chars FROM caption_versions v JOIN items i ON i.id = v.item_id "
                  "WHERE i.ext_id = ?",
                  u"zh"_s)
                 .toLongLong(),
             expectedZh.size()); // the emoji is two UTF-16 units
    QCOMPARE(RecordParser::utf16Length("a\xC3\xA9\xE5\x9B\xBE\xF0\x9F\x90\x88"), 5);
    QCOMPARE(storedRecord(*m_project, u"zh"_s), b);
    QCOMPARE(storedRecord(*m_project, u"html"_s), a);
    QCOMPARE(r.missingByPrefix.value(u"图片"_s), 1);
}

void TestImport::fastPathAgreesWithSax_data()
{
    // `fast`: the fast path must take it (an ordinary record). Otherwise it may decline, but if it
    // accepts, the SAX handler must accept too and extract exactly the same fields.
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("fast");
    const auto row = [](const char* name, const QByteArray& json, bool fast) { QTest::newRow(name) << json << fast; };
    row("plain", record("1", "a/b.jpg", "A cat."), true);
    row("escapes",
        R"({"id":"e","conversations":[{"from":"gpt","value":"q\"b\\s\/n\nt\tu\u00e9\u56fe\ud83d\udc08\b\f\r"}]})",
        true);
    row("escaped key", R"({"\u0069d":"k","conversations":[{"from":"g\u0070t","value":"x"}]})", true);
    row("value before from",
        R"({"id":"v","conversations":[{"value":"p","from":"human"},{"value":"c","from":"assistant"}]})", true);
    row("int id", R"({"id": 12345, "conversations":[{"from":"gpt","value":"x"}]})", true);
    row("negative zero id", R"({"id": -0, "conversations":[{"from":"gpt","value":"x"}]})", true);
    row("null id and image", R"({"id": null, "image": null, "conversations":[{"from":"gpt","value":"x"}]})", true);
    row("extras",
        R"( { "meta" : { "a" : [ 1 , -2.5 , 0.125 , true , false , null , { } , [ ] ] } , "conversations" : [ { "from" : "gpt" , "value" : "x" , "w" : 0.5 } ] } )",
        true);
    row("utf8",
        "{\"id\":\"u\",\"conversations\":[{\"from\":\"gpt\",\"value\":\"\xc3\xa9\xe5\x9b\xbe\xf0\x9f\x90\x88\x7f\"}]}",
        true);
    row("exponent", R"({"x": -2.5e+3, "conversations":[{"from":"gpt","value":"x"}]})", false);
    row("double overflow", R"({"x": 1.5e400, "conversations":[{"from":"gpt","value":"x"}]})", false);
    row("integer overflow",
        "{\"x\": " + QByteArray(400, '9') + ", \"conversations\":[{\"from\":\"gpt\",\"value\":\"x\"}]}", false);
    row("float id", R"({"id": 1.50, "conversations":[{"from":"gpt","value":"x"}]})", false);
    row("exp id", R"({"id": 1E3, "conversations":[{"from":"gpt","value":"x"}]})", false);
    row("big id", R"({"id": 98765432109876543210, "conversations":[{"from":"gpt","value":"x"}]})", false);
    row("lone high surrogate", R"({"conversations":[{"from":"gpt","value":"\ud83d"}]})", false);
    row("lone low surrogate", R"({"conversations":[{"from":"gpt","value":"\udc08x"}]})", false);
    row("bad escape", R"({"conversations":[{"from":"gpt","value":"\x41"}]})", false);
    row("short unicode escape", R"({"conversations":[{"from":"gpt","value":"\u12"}]})", false);
    row("raw tab", "{\"conversations\":[{\"from\":\"gpt\",\"value\":\"a\tb\"}]}", false);
    row("overlong utf8", "{\"conversations\":[{\"from\":\"gpt\",\"value\":\"\xc0\x80\"}]}", false);
    row("utf8 surrogate", "{\"conversations\":[{\"from\":\"gpt\",\"value\":\"\xed\xa0\x80\"}]}", false);
    row("above U+10FFFF", "{\"conversations\":[{\"from\":\"gpt\",\"value\":\"\xf4\x90\x80\x80\"}]}", false);
    row("cut utf8", "{\"conversations\":[{\"from\":\"gpt\",\"value\":\"\xe5\x9b\"}]}", false);
    row("leading zero", R"({"x": 01, "conversations":[{"from":"gpt","value":"x"}]})", false);
    row("bare dot", R"({"x": 1., "conversations":[{"from":"gpt","value":"x"}]})", false);
    row("trailing garbage", record("1", {}, "x") + " x", false);
    row("trailing comma", R"({"conversations":[{"from":"gpt","value":"x"}],})", false);
    row("missing colon", R"({"conversations" [{"from":"gpt","value":"x"}]})", false);
    row("true typo", R"({"x": tru, "conversations":[{"from":"gpt","value":"x"}]})", false);
    row("duplicate id", R"({"id":"a","id":"b","conversations":[{"from":"gpt","value":"x"}]})", false);
    row("duplicate from", R"({"conversations":[{"from":"human","from":"gpt","value":"x"}]})", false);
    row("no gpt", R"({"conversations":[{"from":"human","value":"x"}]})", false);
    row("empty", "{}", false);
    row("array", "[]", false);
    row("deep",
        "{\"x\":" + QByteArray(300, '[') + QByteArray(300, ']')
            + ",\"conversations\":[{\"from\":\"gpt\",\"value\":\"x\"}]}",
        false);
}

void TestImport::fastPathAgreesWithSax()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, fast);
    const std::string_view text(json.constData(), static_cast<std::size_t>(json.size()));
    FastRecordParser fastParser(1 << 20);
    ParsedRecord viaFast;
    const bool fastOk = fastParser.parseConversation(text, &viaFast);
    RecordParser sax(1 << 20);
    sax.setFastPathEnabled(false);
    ParsedRecord viaSax;
    const bool saxOk = sax.parseConversation(text, &viaSax);
    if (fast)
        QVERIFY(fastOk);
    if (!fastOk)
        return;
    QVERIFY2(saxOk, qPrintable(sax.error()));
    QCOMPARE(viaFast.hasId, viaSax.hasId);
    QCOMPARE(viaFast.id, viaSax.id);
    QCOMPARE(viaFast.hasImage, viaSax.hasImage);
    QCOMPARE(viaFast.image, viaSax.image);
    QCOMPARE(viaFast.hasCaption, viaSax.hasCaption);
    QCOMPARE(viaFast.caption, viaSax.caption);
    QCOMPARE(viaFast.captionTurn, viaSax.captionTurn);
}

void TestImport::tarOffsetsMatchLibarchive_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("gnu") << u"gnu"_s;
    QTest::newRow("pax") << u"pax"_s;
    QTest::newRow("ustar") << u"ustar"_s;
}

void TestImport::tarOffsetsMatchLibarchive()
{
    QFETCH(QString, format);
    // Members of several sizes (block-aligned, odd, empty) and, except for ustar, a name far over the
    // 100 bytes of the classic header, which gnu and pax store in extra blocks before the header.
    const QString longDir = u"very/long/"_s + QString(60, u'd') + u'/' + QString(50, u'e');
    QStringList members{u"0001.jpg"_s, u"0001.txt"_s, u"0002.png"_s, u"empty.txt"_s};
    if (format != u"ustar"_s)
        members.append(longDir + u"/sample.with.dots.webp"_s);
    QMap<QString, QByteArray> content;
    content[members[0]] = randomBytes(1000);
    content[members[1]] = "A caption.\n";
    content[members[2]] = randomBytes(1024);
    content[members[3]] = QByteArray();
    if (members.size() > 4)
        content[members[4]] = randomBytes(70000);
    for (auto it = content.cbegin(); it != content.cend(); ++it)
        write(u"src/"_s + it.key(), it.value());
    const QString shard = m_dir->filePath(u"shard.tar"_s);
    QVERIFY(makeTar(m_dir->filePath(u"src"_s), shard, members, format));

    // Our index, against libarchive's own reading of the same member and the original bytes.
    TarIndexer indexer(shard);
    struct archive* a = archive_read_new();
    archive_read_support_format_tar(a);
    QCOMPARE(archive_read_open_filename(a, QFile::encodeName(shard).constData(), 10240), ARCHIVE_OK);
    QFile raw(shard);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    TarMember m;
    int seen = 0;
    while (indexer.next(&m) == TarIndexer::Result::Member) {
        archive_entry* entry = nullptr;
        QCOMPARE(archive_read_next_header(a, &entry), ARCHIVE_OK);
        const QString name = QString::fromStdString(m.name);
        QCOMPARE(QString::fromUtf8(archive_entry_pathname(entry)), name);
        QByteArray viaLibarchive(static_cast<qsizetype>(archive_entry_size(entry)), '\0');
        QCOMPARE(archive_read_data(a, viaLibarchive.data(), static_cast<size_t>(viaLibarchive.size())),
                 static_cast<la_ssize_t>(viaLibarchive.size()));
        QVERIFY(raw.seek(m.offset));
        const QByteArray viaOffset = raw.read(m.size);
        QCOMPARE(m.size, viaLibarchive.size());
        QCOMPARE(viaOffset, viaLibarchive);
        QCOMPARE(viaOffset, content.value(name));
        QCOMPARE(m.offset % 512, 0);
        ++seen;
    }
    QCOMPARE(seen, members.size());
    archive_read_free(a);
}

void TestImport::importsWebDatasetShard()
{
    const QByteArray jpg1 = randomBytes(3000), png2 = randomBytes(700), jpg4 = randomBytes(10);
    write(u"src/__meta__"_s, "ignored");
    write(u"src/a/0001.jpg"_s, jpg1);
    write(u"src/a/0001.txt"_s, "Caption one.\n");
    const QByteArray json1 = R"({"url": "http://x/1.jpg", "caption": "from json", "key": "0001"})";
    write(u"src/a/0001.json"_s, json1);
    write(u"src/a/0002.PNG"_s, png2);
    write(u"src/a/0002.json"_s, R"({"caption": "Caption two, from json only."})");
    write(u"src/a/0003.txt"_s, "Text only sample.");
    write(u"src/a/0004.jpg"_s, jpg4);                       // no caption: an item without a version
    write(u"src/a/0005.json"_s, R"({"status": "failed"})"); // neither image nor caption
    write(u"src/a/0006.txt"_s, "\xff\xfe bad");             // not UTF-8
    write(u"src/a/0007.jpg"_s, "x");
    write(u"src/a/0007.json"_s, "[1, 2]"); // sidecar is not an object
    const QStringList members{
        u"__meta__"_s,    u"a/0001.jpg"_s,  u"a/0001.txt"_s, u"a/0001.json"_s, u"a/0002.PNG"_s,
        u"a/0002.json"_s, u"a/0003.txt"_s,  u"a/0004.jpg"_s, u"a/0005.json"_s, u"a/0006.txt"_s,
        u"a/0007.jpg"_s,  u"a/0007.json"_s, u"a/0001.txt"_s}; // 0001 again, not adjacent: a new sample, a duplicate key
    const QString shard = m_dir->filePath(u"shard-00000.tar"_s);
    QVERIFY(makeTar(m_dir->filePath(u"src"_s), shard, members));

    const ImportReport r = import(shard);
    QCOMPARE(r.imported, 4);
    QCOMPARE(r.skipped, 3);
    QCOMPARE(r.duplicates, 1);
    QCOMPARE(r.missingImages, 0);
    Project& p = *m_project;
    QCOMPARE(text(p, "SELECT format || '|' || name FROM sources"), u"webdataset|shard-00000"_s);
    QCOMPARE(scalar(p, "SELECT count(*) FROM shards"), 1);
    QCOMPARE(text(p, "SELECT path FROM shards"), shard);

    // Sample 0001: image by offset, caption from .txt (trailing newline dropped), the .json as record.
    Statement st = p.db().prepare("SELECT i.image, i.image_abs, i.member_offset, i.member_size, i.image_state, "
                                  "i.caption_turn, i.shard_id = s.id FROM items i JOIN shards s ON s.id = i.shard_id "
                                  "WHERE i.ext_id = ?");
    st.bind(1, u"a/0001"_s);
    QVERIFY(st.step());
    QCOMPARE(st.text(0), u"a/0001.jpg"_s);
    QCOMPARE(st.text(1), shard);
    QFile f(shard);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.seek(st.int64(2)));
    QCOMPARE(f.read(st.int64(3)), jpg1);
    QCOMPARE(st.integer(4), 1);
    QCOMPARE(st.integer(5), -1);
    QCOMPARE(st.integer(6), 1);
    QCOMPARE(captionOf(p, u"a/0001"_s), u"Caption one."_s);
    QCOMPARE(storedRecord(p, u"a/0001"_s), json1);

    QCOMPARE(captionOf(p, u"a/0002"_s), u"Caption two, from json only."_s);
    QCOMPARE(text(p, "SELECT image FROM items WHERE ext_id = 'a/0002'"), u"a/0002.PNG"_s);
    QCOMPARE(text(p, "SELECT image_state || '/' || (image IS NULL) FROM items WHERE ext_id = 'a/0003'"), u"0/1"_s);
    QCOMPARE(QJsonDocument::fromJson(storedRecord(p, u"a/0003"_s)).object(),
             (QJsonObject{{u"caption"_s, u"Text only sample."_s}}));
    QCOMPARE(text(p, "SELECT current_version IS NULL FROM items WHERE ext_id = 'a/0004'"), u"1"_s);
    QCOMPARE(QJsonDocument::fromJson(storedRecord(p, u"a/0004"_s)).object(),
             (QJsonObject{{u"image"_s, u"a/0004.jpg"_s}}));
    QVERIFY(issueAt(r, 4) && issueAt(r, 4)->reason.contains(u"neither an image nor a caption"_s));
    QCOMPARE(issueAt(r, 4)->id, u"a/0005"_s);
    QCOMPARE(issueAt(r, 4)->file, shard);
    QVERIFY(issueAt(r, 5) && issueAt(r, 5)->reason.contains(u"UTF-8"_s));
    QVERIFY(issueAt(r, 6) && issueAt(r, 6)->reason.contains(u"not a JSON object"_s));
    QCOMPARE(scalar(p, "SELECT count(*) FROM caption_versions"), 3);

    // Re-import: nothing changes, the shard row is reused.
    const ImportReport again = import(shard);
    QCOMPARE(again.imported, 0);
    QCOMPARE(again.duplicates, 5);
    QCOMPARE(scalar(p, "SELECT count(*) FROM shards"), 1);
    QCOMPARE(scalar(p, "SELECT count(*) FROM items"), 4);

    // A shard that is cut short keeps the samples before the break.
    QByteArray bytes;
    {
        QFile whole(shard);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        bytes = whole.readAll();
    }
    const QString cut = write(u"cut.tar"_s, bytes.left(2600));
    const ImportReport c = import(cut);
    QCOMPARE(c.imported, 0);
    QCOMPARE(c.skipped, 1);
    QVERIFY2(c.errors[0].reason.contains(u"truncated"_s), qPrintable(c.errors[0].reason));
    QCOMPARE(c.errors[0].id, u"a/0001"_s);

    // A repeated extension inside one sample is refused, as webdataset does.
    write(u"rep/x.txt"_s, "one");
    QVERIFY(makeTar(m_dir->filePath(u"rep"_s), m_dir->filePath(u"rep.tar"_s), {u"x.txt"_s, u"x.txt"_s}));
    const ImportReport rep = import(m_dir->filePath(u"rep.tar"_s));
    QCOMPARE(rep.skipped, 1);
    QVERIFY(rep.errors[0].reason.contains(u"twice"_s));

    // Compressed shards are refused with a reason.
    QProcess gz;
    gz.start(u"gzip"_s, {u"-k"_s, m_dir->filePath(u"rep.tar"_s)});
    QVERIFY(gz.waitForFinished());
    try {
        import(m_dir->filePath(u"rep.tar.gz"_s));
        QFAIL("a compressed shard was accepted");
    } catch (const Error& e) {
        QVERIFY2(e.message().contains(u"compressed"_s), qPrintable(e.message()));
    }
}

void TestImport::importsImg2datasetFolders()
{
    // img2dataset --output_format files: NNNNN/ folders with key.jpg/.txt/.json and per-shard stats.
    write(u"files/00000/000000000.jpg"_s, "j0");
    write(u"files/00000/000000000.txt"_s, "A red bus.");
    const QByteArray json0 = R"({"url": "http://e/0.jpg", "caption": "A red bus.", "status": "success"})";
    write(u"files/00000/000000000.json"_s, json0);
    write(u"files/00000/000000001.jpg"_s, "j1");
    write(u"files/00000/000000001.json"_s, R"({"caption": "From the json.", "status": "success"})");
    write(u"files/00000_stats.json"_s, R"({"count": 3, "successes": 2})");
    write(u"files/00000.parquet"_s, "PAR1");
    write(u"files/00001/000010000.jpg"_s, "j2");
    ImportReport r = import(m_dir->filePath(u"files"_s));
    QCOMPARE(r.imported, 3);
    QCOMPARE(r.skipped, 0);
    QCOMPARE(r.sources, QStringList{u"files"_s});
    Project& p = *m_project;
    QCOMPARE(text(p, "SELECT format FROM sources"), u"folder"_s);
    QCOMPARE(text(p, "SELECT group_concat(ext_id, ' ') FROM (SELECT ext_id FROM items ORDER BY rec_index)"),
             u"00000/000000000.jpg 00000/000000001.jpg 00001/000010000.jpg"_s);
    QCOMPARE(captionOf(p, u"00000/000000000.jpg"_s), u"A red bus."_s);
    QCOMPARE(captionOf(p, u"00000/000000001.jpg"_s), u"From the json."_s);
    QCOMPARE(text(p, "SELECT image_abs || '|' || image_state FROM items WHERE ext_id = '00000/000000000.jpg'"),
             m_dir->filePath(u"files/00000/000000000.jpg"_s) + u"|1"_s);
    QCOMPARE(storedRecord(p, u"00000/000000000.jpg"_s), json0);
    QCOMPARE(text(p, "SELECT current_version IS NULL FROM items WHERE ext_id = '00001/000010000.jpg'"), u"1"_s);
    QCOMPARE(import(m_dir->filePath(u"files"_s)).duplicates, 3);

    // img2dataset --output_format webdataset: NNNNN.tar shards with parquet and stats beside them.
    write(u"s0/000000000.jpg"_s, "a");
    write(u"s0/000000000.txt"_s, "Shard zero.");
    write(u"s1/000010000.jpg"_s, "b");
    write(u"s1/000010000.txt"_s, "Shard one.");
    QDir().mkpath(m_dir->filePath(u"wds"_s));
    QVERIFY(makeTar(m_dir->filePath(u"s0"_s), m_dir->filePath(u"wds/00000.tar"_s),
                    {u"000000000.jpg"_s, u"000000000.txt"_s}));
    QVERIFY(makeTar(m_dir->filePath(u"s1"_s), m_dir->filePath(u"wds/00001.tar"_s),
                    {u"000010000.jpg"_s, u"000010000.txt"_s}));
    write(u"wds/00000.parquet"_s, "PAR1");
    write(u"wds/00000_stats.json"_s, "{}");
    r = import(m_dir->filePath(u"wds"_s));
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.skipped, 0);
    QCOMPARE(text(p, "SELECT format FROM sources WHERE name = 'wds'"), u"webdataset"_s);
    QCOMPARE(scalar(p, "SELECT count(*) FROM shards"), 2);
    QCOMPARE(text(p, "SELECT s.path FROM items i JOIN shards s ON s.id = i.shard_id WHERE i.ext_id = '000010000'"),
             m_dir->filePath(u"wds/00001.tar"_s));
    QCOMPARE(captionOf(p, u"000010000"_s), u"Shard one."_s);
    QCOMPARE(text(p, "SELECT group_concat(rec_index, ',') FROM items WHERE shard_id IS NOT NULL"), u"0,1"_s);
}

void TestImport::importsFolderOfImages()
{
    write(u"pics/cat.jpg"_s, "c");
    write(u"pics/cat.txt"_s, "\xEF\xBB\xBF"
                             "A cat on a mat.\r\n");
    write(u"pics/dog.webp"_s, "d");
    write(u"pics/notes.txt"_s, "not a caption: no image");
    write(u"pics/.hidden.jpg"_s, "h");
    write(u"pics/sub/bird.PNG"_s, "b");
    write(u"pics/sub/bird.txt"_s, "鸟");
    const ImportReport r = import(m_dir->filePath(u"pics"_s));
    QCOMPARE(r.imported, 3);
    QCOMPARE(r.skipped, 0);
    Project& p = *m_project;
    QCOMPARE(captionOf(p, u"cat.jpg"_s), u"A cat on a mat."_s);
    QCOMPARE(captionOf(p, u"sub/bird.PNG"_s), u"鸟"_s);
    QCOMPARE(text(p, "SELECT current_version IS NULL FROM items WHERE ext_id = 'dog.webp'"), u"1"_s);
    QCOMPARE(QJsonDocument::fromJson(storedRecord(p, u"cat.jpg"_s)).object(),
             (QJsonObject{{u"image"_s, u"cat.jpg"_s}, {u"caption"_s, u"A cat on a mat."_s}}));
    QCOMPARE(scalar(p, "SELECT count(*) FROM items WHERE caption_turn = -1"), 3);
}

void TestImport::cancelRollsBack()
{
    QList<QByteArray> elements;
    for (int i = 0; i < 2000; ++i)
        elements.append(record("c" + QByteArray::number(i), {}, "Caption."));
    const QString path = write(u"c.json"_s, array(elements));
    const std::int64_t cache = scalar(*m_project, "PRAGMA cache_size");
    std::atomic_bool cancel{false};
    Progress progress;
    progress.cancel = &cancel;
    progress.report = [&cancel](std::int64_t, std::int64_t, const QString&) { cancel = true; };
    QVERIFY_THROWS_EXCEPTION(Cancelled, import(QStringList{path}, {}, progress));
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM items"), 0);
    QCOMPARE(scalar(*m_project, "SELECT count(*) FROM sources"), 0);
    // The project is usable afterwards and the cache size is back to what it was.
    QCOMPARE(scalar(*m_project, "PRAGMA cache_size"), cache);
    QCOMPARE(import(path).imported, 2000);
    QCOMPARE(scalar(*m_project, "PRAGMA cache_size"), cache);
}

void TestImport::reportsProgressByBytes()
{
    QList<QByteArray> elements;
    for (int i = 0; i < 3000; ++i)
        elements.append(record("p" + QByteArray::number(i), {}, QByteArray(1000, 'p')));
    const QString path = write(u"p.json"_s, array(elements));
    const std::int64_t size = QFileInfo(path).size();
    QList<std::int64_t> done;
    Progress progress;
    progress.report = [&](std::int64_t d, std::int64_t total, const QString& what) {
        QCOMPARE(total, size);
        QCOMPARE(what, u"p.json"_s);
        done.append(d);
    };
    import(QStringList{path}, {}, progress);
    QVERIFY(done.size() >= 3);
    QVERIFY(std::is_sorted(done.cbegin(), done.cend()));
    QCOMPARE(done.last(), size);
}

QTEST_GUILESS_MAIN(TestImport)
#include "test_import.moc"
