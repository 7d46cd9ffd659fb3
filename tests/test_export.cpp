// The exporter: lossless ShareGPT4V records (verbatim when untouched, only the caption changed when
// edited), synthesised conversations, the flat format, selections, and atomic writing.
#include "testutil.h"

#include "curation.h"
#include "database.h"
#include "error.h"
#include "exporter.h"
#include "facetindexer.h"
#include "importer.h"
#include "project.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTest>

#include <atomic>
#include <memory>
#include <optional>

#include <unistd.h>

using namespace facet;
using namespace Qt::Literals::StringLiterals;
using ordered_json = nlohmann::ordered_json;

namespace {

constexpr const char* kNow = "2026-01-01T00:00:00Z";

// Single line, keys in an unusual order, \u escapes (including a surrogate pair), number spellings
// a JSON library would rewrite (0.930, 1.0E+2), nested extra fields.
const QByteArray kRawOdd =
    R"({"image": "coco/train2017/000000000009.jpg", "conversations": [{"value": "<image>\nWhat is in the caf\u00e9?", "from": "human"}, {"from": "gpt", "value": "Sushi \ud83c\udf63 sits on the left. The palette is warm."}], "id": "000000000009", "meta": {"score": 0.930, "exp": 1.0E+2, "tags": ["a", "b"], "nested": {"k": null, "ok": true}}})";
const QString kCaptionOdd = u"Sushi 🍣 sits on the left. The palette is warm."_s;

// Multi-turn: the caption is turn 1; turns 0, 2 and 3 must survive an edit unchanged.
const QByteArray kRawMulti =
    R"({"id":"multi-1","image":"llava/llava_pretrain/images/00011/000114116.jpg","conversations":[{"from":"human","value":"<image>\nDescribe."},{"from":"gpt","value":"Old caption."},{"from":"human","value":"And the sky?"},{"from":"gpt","value":"Blue."}],"extra":{"source":"mix665k","weights":[1,2.5]}})";

// A record from a pretty-printed source file, stored with its line breaks and indentation.
const QByteArray kRawPretty = "{\n"
                              "  \"id\": \"pretty\",\n"
                              "  \"image\": \"wikiart/images/a b.jpg\",\n"
                              "  \"conversations\": [\n"
                              "    {\n"
                              "      \"from\": \"human\",\n"
                              "      \"value\": \"<image>\\nAnalyze   this.\"\n"
                              "    },\r\n"
                              "\t{\"from\": \"gpt\", \"value\": \"Spaces   inside  strings stay: { [ , ] }\"}\n"
                              "  ]\n"
                              "}";
const QByteArray kPrettyLine =
    R"({"id":"pretty","image":"wikiart/images/a b.jpg","conversations":[{"from":"human","value":"<image>\nAnalyze   this."},{"from":"gpt","value":"Spaces   inside  strings stay: { [ , ] }"}]})";

const QByteArray kPrompt = "Analyze the image in a comprehensive and detailed manner.";

struct Item
{
    QString extId;
    std::optional<QString> image;
    int captionTurn = 1;
    QByteArray raw;     ///< stored record; empty: none
    QByteArray caption; ///< UTF-8 bytes, possibly malformed on purpose
    int status = 1;
    QString reviewer;
};

class Fixture
{
public:
    Fixture()
    {
        if (!m_dir.isValid())
            qFatal("no temporary directory");
        m_project = Project::open(m_dir.filePath(u"export.facet"_s), Project::OpenMode::CreateIfMissing);
        db().exec("INSERT INTO sources(id, name, path, format, imported_at) VALUES"
                  " (1, 'cap100k', '/data/cap100k.json', 'sharegpt4v', '2026-01-01T00:00:00Z'),"
                  " (2, 'captioner', '/data/captions.json', 'sharecaptioner', '2026-01-01T00:00:00Z')");
    }

    Database& db() { return m_project->db(); }
    Project& project() { return *m_project; }
    QString path(const QString& name) const { return m_dir.filePath(name); }
    const QTemporaryDir& dir() const { return m_dir; }

    ItemId add(const Item& it, int source = 1)
    {
        Statement item = db().prepare("INSERT INTO items(source_id, ext_id, rec_index, image, image_state, "
                                      "caption_turn, status, reviewer, updated_at) VALUES(?,?,?,?,?,?,?,?,?)");
        item.bind(1, source).bind(2, it.extId).bind(3, m_index++);
        if (it.image)
            item.bind(4, *it.image).bind(5, 1);
        else
            item.bindNull(4).bind(5, 0);
        item.bind(6, it.captionTurn).bind(7, it.status).bind(8, it.reviewer.isEmpty() ? QString() : it.reviewer);
        item.bind(9, kNow).run();
        const ItemId id = db().lastInsertId();
        if (!it.raw.isEmpty()) {
            Statement rec = db().prepare("INSERT INTO records(item_id, json) VALUES(?, ?)");
            rec.bind(1, id).bind(2, std::string_view(it.raw.constData(), std::size_t(it.raw.size()))).run();
        }
        addVersion(id, it.caption, 0);
        return id;
    }

    /** A new caption version that becomes current (an edit, a recaption, a re-import). */
    std::int64_t addVersion(ItemId item, const QByteArray& text, int origin, const char* model = nullptr)
    {
        Statement v = db().prepare("INSERT INTO caption_versions(item_id, text, chars, origin, model, created_at) "
                                   "VALUES(?,?,?,?,?,?)");
        v.bind(1, item).bind(2, std::string_view(text.constData(), std::size_t(text.size())));
        v.bind(3, std::int64_t(QString::fromUtf8(text).size())).bind(4, origin);
        if (model)
            v.bind(5, model);
        else
            v.bindNull(5);
        v.bind(6, kNow).run();
        const std::int64_t version = db().lastInsertId();
        setCurrent(item, version);
        return version;
    }

    void setCurrent(ItemId item, std::int64_t version)
    {
        Statement u = db().prepare("UPDATE items SET current_version = ? WHERE id = ?");
        u.bind(1, version).bind(2, item).run();
    }

    std::int64_t currentVersion(ItemId item)
    {
        Statement st = db().prepare("SELECT current_version FROM items WHERE id = ?");
        st.bind(1, item);
        return st.step() ? st.int64(0) : 0;
    }

    ExportReport exportTo(const QString& name, ExportFormat format = ExportFormat::ShareGpt4v, bool array = false,
                          const Selection& selection = {}, const Progress& progress = {})
    {
        ExportOptions options;
        options.output = path(name);
        options.format = format;
        options.array = array;
        options.selection = selection;
        return Exporter(*m_project).run(options, progress);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;
    int m_index = 0;
};

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray("<unreadable>");
    return f.readAll();
}

/** JSONL lines; the file must end with a newline after the last record. */
QList<QByteArray> lines(const QByteArray& data)
{
    if (data.isEmpty())
        return {};
    if (!data.endsWith('\n'))
        qFatal("output does not end with a newline");
    QList<QByteArray> out = data.chopped(1).split('\n');
    return out;
}

ordered_json parse(const QByteArray& text)
{
    return ordered_json::parse(text.constBegin(), text.constEnd());
}

QByteArray dump(const ordered_json& j)
{
    return QByteArray::fromStdString(j.dump());
}

QStringList keysOf(const ordered_json& object)
{
    QStringList keys;
    for (const auto& [key, value] : object.items())
        keys << QString::fromStdString(key);
    return keys;
}

bool isValidUtf8(const QByteArray& bytes)
{
    return QString::fromUtf8(bytes).toUtf8() == bytes;
}

/** Everything in a directory except . and .. */
QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestExport final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void verbatimAndDefaultSelection();
    void editedChangesOnlyTheCaption();
    void undoneEditIsVerbatimAgain();
    void reimportedVersionIsNotVerbatim();
    void synthesisedConversations();
    void hostileTextStaysValidUtf8();
    void arrayFormat();
    void emptyExport();
    void flatFormat();
    void selections();
    void badSelectionFails();
    void unwritableTargets();
    void refusesToOverwriteTheProject();
    void cancelLeavesNothing();
    void progressAndLargeExport();
    void exportIsOneSnapshot();
    void exportInsideCallerTransaction();
    void roundTripThroughImporter();

private:
    std::unique_ptr<Fixture> m_f;
    ItemId m_odd = 0, m_multi = 0, m_pretty = 0, m_captioner = 0, m_pending = 0, m_rejected = 0, m_textOnly = 0;
};

void TestExport::init()
{
    m_f = std::make_unique<Fixture>();
    m_odd = m_f->add(
        {u"000000000009"_s, u"coco/train2017/000000000009.jpg"_s, 1, kRawOdd, kCaptionOdd.toUtf8(), 1, u"ann"_s});
    m_multi = m_f->add(
        {u"multi-1"_s, u"llava/llava_pretrain/images/00011/000114116.jpg"_s, 1, kRawMulti, "Old caption.", 1, {}});
    m_pretty = m_f->add(
        {u"pretty"_s, u"wikiart/images/a b.jpg"_s, 1, kRawPretty, "Spaces   inside  strings stay: { [ , ] }", 1, {}});
    m_captioner = m_f->add({u"sa_1"_s,
                            u"sam/images/sa_1.jpg"_s,
                            -1,
                            R"({"sam/images/sa_1.jpg": "A cat on a mat."})",
                            "A cat on a mat.",
                            1,
                            {}},
                           2);
    m_pending = m_f->add({u"pending-1"_s, u"coco/p.jpg"_s, 1, R"({"id":"pending-1","conversations":[]})", "P.", 0, {}});
    m_rejected = m_f->add(
        {u"rejected-1"_s, u"coco/r.jpg"_s, 1, R"({"id":"rejected-1","conversations":[]})", "R.", 2, u"bob"_s});
    m_textOnly = m_f->add({u"t1"_s, std::nullopt, -1, QByteArray(), "Text only.", 1, {}}, 2);
}

void TestExport::cleanup()
{
    m_f.reset();
}

void TestExport::verbatimAndDefaultSelection()
{
    const ExportReport report = m_f->exportTo(u"out.jsonl"_s);
    QCOMPARE(report.written, std::int64_t(5));
    const QList<QByteArray> out = lines(readAll(m_f->path(u"out.jsonl"_s)));
    QCOMPARE(out.size(), 5);
    // Default selection is status:accepted, in import order.
    QStringList ids;
    for (const QByteArray& line : out)
        ids << QString::fromStdString(parse(line)["id"].get<std::string>());
    QCOMPARE(ids, (QStringList{u"000000000009"_s, u"multi-1"_s, u"pretty"_s, u"sa_1"_s, u"t1"_s}));

    // Untouched records come back byte for byte as stored.
    QCOMPARE(out.at(0), kRawOdd);
    QCOMPARE(out.at(1), kRawMulti);
    // A pretty-printed record loses only the whitespace between tokens.
    QCOMPARE(out.at(2), kPrettyLine);
    QCOMPARE(dump(parse(out.at(2))), dump(parse(kRawPretty)));
}

void TestExport::editedChangesOnlyTheCaption()
{
    const QByteArray caption = "New caption with \xC3\xBCn\xC3\xAF \"quotes\", a back\\slash.\n\nSecond paragraph.";
    m_f->addVersion(m_multi, caption, 1);
    m_f->addVersion(m_odd, "Recaptioned by a model.", 2, "gpt-4o");
    m_f->exportTo(u"out.jsonl"_s);
    const QList<QByteArray> out = lines(readAll(m_f->path(u"out.jsonl"_s)));
    QCOMPARE(out.size(), 5);

    ordered_json expected = parse(kRawMulti);
    expected["conversations"][1]["value"] = caption.toStdString();
    const ordered_json got = parse(out.at(1));
    QCOMPARE(dump(got), dump(expected)); // same keys in the same order, same values
    QCOMPARE(out.at(1), dump(expected));
    QCOMPARE(got["conversations"].size(), std::size_t(4));
    QCOMPARE(dump(got["conversations"][0]), dump(parse(kRawMulti)["conversations"][0]));
    QCOMPARE(dump(got["conversations"][2]), dump(parse(kRawMulti)["conversations"][2]));
    QCOMPARE(dump(got["conversations"][3]), dump(parse(kRawMulti)["conversations"][3]));
    QCOMPARE(dump(got["extra"]), dump(parse(kRawMulti)["extra"]));

    ordered_json odd = parse(kRawOdd);
    odd["conversations"][1]["value"] = "Recaptioned by a model.";
    QCOMPARE(dump(parse(out.at(0))), dump(odd));
    QCOMPARE(keysOf(parse(out.at(0))), (QStringList{u"image"_s, u"conversations"_s, u"id"_s, u"meta"_s}));
    // The human turn keeps its odd key order too.
    QCOMPARE(QByteArray::fromStdString(parse(out.at(0))["conversations"][0].dump()),
             QByteArray(R"({"value":"<image>\nWhat is in the café?","from":"human"})"));

    // Untouched neighbours stay verbatim.
    QCOMPARE(out.at(2), kPrettyLine);
}

void TestExport::undoneEditIsVerbatimAgain()
{
    const std::int64_t imported = m_f->currentVersion(m_odd);
    m_f->addVersion(m_odd, "An edit that is then undone.", 1);
    m_f->setCurrent(m_odd, imported);
    m_f->exportTo(u"out.jsonl"_s);
    QCOMPARE(lines(readAll(m_f->path(u"out.jsonl"_s))).at(0), kRawOdd);
}

void TestExport::reimportedVersionIsNotVerbatim()
{
    // An imported-origin version that is not the item's first caption differs from the stored record.
    m_f->addVersion(m_multi, "A second imported caption.", 0);
    m_f->exportTo(u"out.jsonl"_s);
    const ordered_json got = parse(lines(readAll(m_f->path(u"out.jsonl"_s))).at(1));
    QCOMPARE(got["conversations"][1]["value"].get<std::string>(), std::string("A second imported caption."));
}

void TestExport::synthesisedConversations()
{
    m_f->exportTo(u"out.jsonl"_s);
    const QList<QByteArray> out = lines(readAll(m_f->path(u"out.jsonl"_s)));
    QCOMPARE(out.at(3), QByteArray(R"({"id":"sa_1","image":"sam/images/sa_1.jpg","conversations":[{"from":"human",)"
                                   R"("value":"<image>\n)"
                                   + kPrompt + R"("},{"from":"gpt","value":"A cat on a mat."}]})"));
    // A record without an image gets no <image> token.
    QCOMPARE(out.at(4), QByteArray(R"({"id":"t1","conversations":[{"from":"human","value":")" + kPrompt
                                   + R"("},{"from":"gpt","value":"Text only."}]})"));

    // An edited caption of such a record is what the gpt turn says.
    m_f->addVersion(m_captioner, "Edited: a \"black\" cat.\nOn a mat.", 1);
    m_f->exportTo(u"out2.jsonl"_s);
    const ordered_json got = parse(lines(readAll(m_f->path(u"out2.jsonl"_s))).at(3));
    QCOMPARE(got["conversations"][1]["value"].get<std::string>(), std::string("Edited: a \"black\" cat.\nOn a mat."));
    QCOMPARE(got["conversations"][1]["from"].get<std::string>(), std::string("gpt"));
}

void TestExport::hostileTextStaysValidUtf8()
{
    // Stored text that is not UTF-8 (a Latin-1 byte, a lone continuation byte, a raw control
    // character inside a string) can only come from outside the importer; the export stays valid.
    const ItemId raw = m_f->add({u"bad-raw"_s,
                                 u"x.jpg"_s,
                                 1,
                                 QByteArray("{\"id\":\"bad-raw\",\"conversations\":[{\"from\":\"gpt\",\"value\":"
                                            "\"caf\xE9 \x80 ok\x01\"}]}"),
                                 "caf\xE9",
                                 1,
                                 {}});
    const ItemId edited = m_f->add(
        {u"bad-edit"_s,
         u"y.jpg"_s,
         1,
         R"({"id":"bad-edit","conversations":[{"from":"human","value":"q"},{"from":"gpt","value":"ok"}]})",
         "ok",
         1,
         {}});
    m_f->addVersion(edited, "broken \xFF\xFE caption", 1);
    const ItemId synth = m_f->add({u"bad-synth"_s, u"z.jpg"_s, -1, QByteArray(), "lone \xC3 byte\x02", 1, {}}, 2);
    Q_UNUSED(raw);
    Q_UNUSED(synth);

    m_f->exportTo(u"out.jsonl"_s);
    const QByteArray data = readAll(m_f->path(u"out.jsonl"_s));
    QVERIFY(isValidUtf8(data));
    const QList<QByteArray> out = lines(data);
    QCOMPARE(out.size(), 8);
    QCOMPARE(out.at(5), QByteArray("{\"id\":\"bad-raw\",\"conversations\":[{\"from\":\"gpt\",\"value\":"
                                   "\"caf\xEF\xBF\xBD \xEF\xBF\xBD ok\\u0001\"}]}"));
    QCOMPARE(parse(out.at(6))["conversations"][1]["value"].get<std::string>(),
             std::string("broken \xEF\xBF\xBD\xEF\xBF\xBD caption"));
    QCOMPARE(parse(out.at(7))["conversations"][1]["value"].get<std::string>(),
             std::string("lone \xEF\xBF\xBD byte\x02"));
    QVERIFY(out.at(7).contains("byte\\u0002"));
}

void TestExport::arrayFormat()
{
    m_f->addVersion(m_multi, "Edited.", 1);
    m_f->exportTo(u"out.jsonl"_s);
    const ExportReport report = m_f->exportTo(u"out.json"_s, ExportFormat::ShareGpt4v, true);
    QCOMPARE(report.written, std::int64_t(5));
    const QList<QByteArray> jsonl = lines(readAll(m_f->path(u"out.jsonl"_s)));
    const QByteArray array = readAll(m_f->path(u"out.json"_s));
    // One record per line between the brackets, the same bytes as the JSONL records.
    QCOMPARE(array, QByteArray("[\n" + jsonl.join(",\n") + "\n]\n"));
    const ordered_json parsed = parse(array);
    QVERIFY(parsed.is_array());
    QCOMPARE(parsed.size(), std::size_t(5));
    QCOMPARE(dump(parsed[0]), dump(parse(kRawOdd)));
    QCOMPARE(dump(parsed[2]), dump(parse(kRawPretty)));
}

void TestExport::emptyExport()
{
    m_f->db().exec("UPDATE items SET status = 0");
    QCOMPARE(m_f->exportTo(u"out.jsonl"_s).written, std::int64_t(0));
    QVERIFY(QFile::exists(m_f->path(u"out.jsonl"_s)));
    QCOMPARE(readAll(m_f->path(u"out.jsonl"_s)), QByteArray());
    QCOMPARE(m_f->exportTo(u"out.json"_s, ExportFormat::ShareGpt4v, true).written, std::int64_t(0));
    QCOMPARE(readAll(m_f->path(u"out.json"_s)), QByteArray("[]\n"));
    QVERIFY(parse(readAll(m_f->path(u"out.json"_s))).empty());
}

void TestExport::flatFormat()
{
    // Segments of the imported caption of m_odd; offsets are QString (UTF-16) positions, and the
    // caption has a character outside the BMP before the second sentence.
    const std::int64_t version = m_f->currentVersion(m_odd);
    const qsizetype second = kCaptionOdd.indexOf(u"The palette"_s);
    storeSegments(m_f->db(), version,
                  {{0, int(second - 1), {u"spatial"_s, u"attributes"_s}, 0},
                   {int(second), int(kCaptionOdd.size()), {u"art"_s}, 0}});
    m_f->addVersion(m_multi, "Edited by hand.", 1);
    m_f->db().exec("UPDATE items SET reviewer = 'cleo' WHERE ext_id = 'multi-1'");
    m_f->addVersion(m_pretty, "Model words.", 2, "qwen2-vl");

    Selection all;
    all.all = true;
    const ExportReport report = m_f->exportTo(u"flat.jsonl"_s, ExportFormat::Flat, false, all);
    QCOMPARE(report.written, std::int64_t(7));
    const QList<QByteArray> out = lines(readAll(m_f->path(u"flat.jsonl"_s)));
    QCOMPARE(out.size(), 7);

    QCOMPARE(out.at(0),
             QByteArray(R"({"id":"000000000009","image":"coco/train2017/000000000009.jpg",)"
                        R"("caption":"Sushi 🍣 sits on the left. The palette is warm.",)"
                        R"("segments":[{"text":"Sushi 🍣 sits on the left.","facets":["spatial","attributes"]},)"
                        R"({"text":"The palette is warm.","facets":["art"]}],)"
                        R"("facets":{"attributes":["Sushi 🍣 sits on the left."],)"
                        R"("spatial":["Sushi 🍣 sits on the left."],"art":["The palette is warm."]},)"
                        R"("status":"accepted","origin":"imported","model":null,"reviewer":"ann",)"
                        R"("updated_at":"2026-01-01T00:00:00Z"})"));

    const ordered_json multi = parse(out.at(1));
    QCOMPARE(keysOf(multi), (QStringList{u"id"_s, u"image"_s, u"caption"_s, u"segments"_s, u"facets"_s, u"status"_s,
                                         u"origin"_s, u"model"_s, u"reviewer"_s, u"updated_at"_s}));
    QCOMPARE(multi["caption"].get<std::string>(), std::string("Edited by hand."));
    QCOMPARE(multi["origin"].get<std::string>(), std::string("human"));
    QCOMPARE(multi["reviewer"].get<std::string>(), std::string("cleo"));
    // Without segment rows (facets not computed yet) both are empty.
    QCOMPARE(dump(multi["segments"]), QByteArray("[]"));
    QCOMPARE(dump(multi["facets"]), QByteArray("{}"));

    const ordered_json pretty = parse(out.at(2));
    QCOMPARE(pretty["origin"].get<std::string>(), std::string("model"));
    QCOMPARE(pretty["model"].get<std::string>(), std::string("qwen2-vl"));

    QCOMPARE(parse(out.at(4))["status"].get<std::string>(), std::string("pending"));
    QCOMPARE(parse(out.at(5))["status"].get<std::string>(), std::string("rejected"));
    const ordered_json textOnly = parse(out.at(6));
    QVERIFY(textOnly["image"].is_null());
    QCOMPARE(textOnly["caption"].get<std::string>(), std::string("Text only."));

    // Array form of the flat format.
    m_f->exportTo(u"flat.json"_s, ExportFormat::Flat, true, all);
    QCOMPARE(readAll(m_f->path(u"flat.json"_s)), QByteArray("[\n" + out.join(",\n") + "\n]\n"));
}

void TestExport::selections()
{
    // Record ids in any order export in import order (this selection is driven by the ext_id index).
    Selection ids;
    // (Import order pretty, sa_1, pending-1 is neither the given nor the alphabetical order.)
    ids.extIds = {u"sa_1"_s, u"pending-1"_s, u"pretty"_s};
    QCOMPARE(m_f->exportTo(u"ids.jsonl"_s, ExportFormat::ShareGpt4v, false, ids).written, std::int64_t(3));
    QList<QByteArray> out = lines(readAll(m_f->path(u"ids.jsonl"_s)));
    QCOMPARE(out.size(), 3);
    QCOMPARE(out.at(0), kPrettyLine);
    QCOMPARE(parse(out.at(1))["id"].get<std::string>(), std::string("sa_1"));
    QCOMPARE(parse(out.at(2))["id"].get<std::string>(), std::string("pending-1"));

    // A large id list (one JSON array bound) in reverse order.
    Selection many;
    for (int k = 0; k < 1000; ++k)
        many.extIds.append(u"missing-"_s + QString::number(k));
    many.extIds.append({u"rejected-1"_s, u"pretty"_s, u"multi-1"_s});
    QCOMPARE(m_f->exportTo(u"many.jsonl"_s, ExportFormat::ShareGpt4v, false, many).written, std::int64_t(3));
    out = lines(readAll(m_f->path(u"many.jsonl"_s)));
    QCOMPARE(out, (QList<QByteArray>{kRawMulti, kPrettyLine, R"({"id":"rejected-1","conversations":[]})"}));

    Selection filter;
    filter.filter = u"source:captioner"_s;
    QCOMPARE(m_f->exportTo(u"filter.jsonl"_s, ExportFormat::ShareGpt4v, false, filter).written, std::int64_t(2));
    out = lines(readAll(m_f->path(u"filter.jsonl"_s)));
    QCOMPARE(parse(out.at(0))["id"].get<std::string>(), std::string("sa_1"));
    QCOMPARE(parse(out.at(1))["id"].get<std::string>(), std::string("t1"));

    Selection combined;
    combined.filter = u"-status:accepted"_s;
    combined.itemIds = {m_rejected, m_odd};
    QCOMPARE(m_f->exportTo(u"combined.jsonl"_s, ExportFormat::ShareGpt4v, false, combined).written, std::int64_t(1));
    QCOMPARE(lines(readAll(m_f->path(u"combined.jsonl"_s))),
             QList<QByteArray>{R"({"id":"rejected-1","conversations":[]})"});

    Selection all;
    all.all = true;
    QCOMPARE(m_f->exportTo(u"all.jsonl"_s, ExportFormat::ShareGpt4v, false, all).written, std::int64_t(7));
}

void TestExport::badSelectionFails()
{
    Selection bad;
    bad.filter = u"status:done"_s;
    QVERIFY_THROWS_EXCEPTION(Error, m_f->exportTo(u"bad.jsonl"_s, ExportFormat::ShareGpt4v, false, bad));
    QVERIFY(!QFile::exists(m_f->path(u"bad.jsonl"_s)));
}

void TestExport::unwritableTargets()
{
    const QStringList before = entries(m_f->dir().path());
    auto expectError = [&](const QString& output) {
        ExportOptions options;
        options.output = output;
        try {
            Exporter(m_f->project()).run(options);
            QFAIL(qPrintable(u"export to "_s + output + u" did not fail"_s));
        } catch (const Cancelled&) {
            QFAIL("unexpected Cancelled");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(output), qPrintable(e.message()));
        }
        QVERIFY(!QFileInfo::exists(output));
    };
    // A folder that does not exist is not created.
    expectError(m_f->path(u"missing/sub/out.jsonl"_s));
    QVERIFY(!QFileInfo::exists(m_f->path(u"missing"_s)));
    // A path whose "folder" is a file.
    test::writeFile(m_f->dir(), u"plain.txt"_s, "x");
    expectError(m_f->path(u"plain.txt/out.jsonl"_s));
    // The target is a folder.
    QVERIFY(QDir().mkpath(m_f->path(u"adir"_s)));
    ExportOptions options;
    options.output = m_f->path(u"adir"_s);
    QVERIFY_THROWS_EXCEPTION(Error, Exporter(m_f->project()).run(options));
    QVERIFY(QFileInfo(m_f->path(u"adir"_s)).isDir());

    // A read-only folder (permissions do not bind root, so that case cannot be made to fail there).
    if (::geteuid() != 0) {
        const QString ro = m_f->path(u"readonly"_s);
        QVERIFY(QDir().mkpath(ro));
        QVERIFY(QFile::setPermissions(ro, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        expectError(ro + u"/out.jsonl"_s);
        QVERIFY(entries(ro).isEmpty());
        QFile::setPermissions(ro, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    QStringList after = entries(m_f->dir().path());
    after.removeAll(u"plain.txt"_s);
    after.removeAll(u"adir"_s);
    after.removeAll(u"readonly"_s);
    QCOMPARE(after, before);
}

void TestExport::refusesToOverwriteTheProject()
{
    const QByteArray before = readAll(m_f->project().path());
    ExportOptions options;
    options.output = m_f->project().path();
    QVERIFY_THROWS_EXCEPTION(Error, Exporter(m_f->project()).run(options));
    Statement st = m_f->db().prepare("SELECT count(*) FROM items");
    QVERIFY(st.step());
    QCOMPARE(st.int64(0), std::int64_t(7));
    QCOMPARE(readAll(m_f->project().path()), before);
}

void TestExport::cancelLeavesNothing()
{
    // Enough records that the exporter reports progress (every 1000) and is cancelled from there.
    {
        Transaction tx(m_f->db());
        for (int k = 0; k < 2500; ++k)
            m_f->add({u"bulk-"_s + QString::number(k),
                      u"b.jpg"_s,
                      1,
                      "{\"id\":\"bulk-" + QByteArray::number(k) + "\",\"conversations\":[]}",
                      "c",
                      1,
                      {}});
        tx.commit();
    }
    const QString target = m_f->path(u"existing.jsonl"_s);
    test::writeFile(m_f->dir(), u"existing.jsonl"_s, "previous export\n");
    const QStringList before = entries(m_f->dir().path());

    std::atomic_bool cancel = false;
    std::int64_t lastReport = 0;
    Progress progress;
    progress.cancel = &cancel;
    progress.report = [&](std::int64_t done, std::int64_t, const QString&) {
        lastReport = done;
        if (done >= 1000)
            cancel = true;
    };
    for (bool array : {false, true}) {
        cancel = false;
        QVERIFY_THROWS_EXCEPTION(Cancelled,
                                 m_f->exportTo(u"existing.jsonl"_s, ExportFormat::ShareGpt4v, array, {}, progress));
        QCOMPARE(lastReport, std::int64_t(1000));
        QCOMPARE(readAll(target), QByteArray("previous export\n"));
        QCOMPARE(entries(m_f->dir().path()), before);
    }

    // Cancelled before the first record: a new target never appears.
    cancel = true;
    QVERIFY_THROWS_EXCEPTION(Cancelled, m_f->exportTo(u"new.jsonl"_s, ExportFormat::Flat, false, {}, progress));
    QVERIFY(!QFile::exists(m_f->path(u"new.jsonl"_s)));
    QCOMPARE(entries(m_f->dir().path()), before);
}

void TestExport::progressAndLargeExport()
{
    {
        Transaction tx(m_f->db());
        for (int k = 0; k < 2995; ++k)
            m_f->add({u"bulk-"_s + QString::number(k),
                      u"b.jpg"_s,
                      1,
                      "{\"id\":\"bulk-" + QByteArray::number(k) + "\",\"conversations\":[]}",
                      "c",
                      1,
                      {}});
        tx.commit();
    }
    QList<std::int64_t> reports;
    std::int64_t reportedTotal = -2;
    Progress progress;
    progress.report = [&](std::int64_t done, std::int64_t total, const QString&) {
        reports << done;
        reportedTotal = total;
    };
    const ExportReport report = m_f->exportTo(u"big.jsonl"_s, ExportFormat::ShareGpt4v, false, {}, progress);
    QCOMPARE(report.written, std::int64_t(3000));
    QCOMPARE(reportedTotal, std::int64_t(3000));
    QCOMPARE(reports, (QList<std::int64_t>{0, 1000, 2000, 3000, 3000}));
    const QList<QByteArray> out = lines(readAll(m_f->path(u"big.jsonl"_s)));
    QCOMPARE(out.size(), 3000);
    QCOMPARE(out.at(0), kRawOdd);
    QCOMPARE(out.at(2999), QByteArray(R"({"id":"bulk-2994","conversations":[]})"));

    // The total also counts right for filters that look at the caption version.
    m_f->addVersion(m_multi, "An edit.", 1);
    Selection edited;
    edited.filter = u"-origin:imported chars:>2"_s;
    reports.clear();
    QCOMPARE(m_f->exportTo(u"edited.jsonl"_s, ExportFormat::Flat, false, edited, progress).written, std::int64_t(1));
    QCOMPARE(reportedTotal, std::int64_t(1));
    QCOMPARE(reports, (QList<std::int64_t>{0, 1}));
}

void TestExport::exportIsOneSnapshot()
{
    Selection ids; // more than 500 ids: fetched as an id list first, then row by row
    {
        Transaction tx(m_f->db());
        for (int k = 0; k < 2500; ++k) {
            m_f->add({u"bulk-"_s + QString::number(k),
                      u"b.jpg"_s,
                      1,
                      "{\"id\":\"bulk-" + QByteArray::number(k) + "\",\"conversations\":[]}",
                      "c",
                      1,
                      {}});
            ids.extIds.append(u"bulk-"_s + QString::number(k));
        }
        tx.commit();
    }
    // Another program (the GUI, a second `facet`) commits while the export runs.
    std::unique_ptr<Project> other = m_f->project().reopen();
    Progress progress;
    progress.report = [&](std::int64_t done, std::int64_t, const QString&) {
        if (done == 1000) {
            other->db().exec("UPDATE records SET json = '{\"id\":\"changed\"}'");
            other->db().exec("UPDATE items SET status = 2");
        }
    };
    for (const Selection& selection : {ids, Selection()}) {
        other->db().exec("UPDATE items SET status = 1");
        const ExportReport report = m_f->exportTo(u"snapshot.jsonl"_s, ExportFormat::ShareGpt4v, false, selection,
                                                  progress);
        QCOMPARE(report.written, selection.isEmpty() ? std::int64_t(2507) : std::int64_t(2500));
        const QByteArray data = readAll(m_f->path(u"snapshot.jsonl"_s));
        QVERIFY(!data.contains("changed"));
        QVERIFY(data.contains("{\"id\":\"bulk-2499\",\"conversations\":[]}\n"));
        // Restore the records for the next round.
        Transaction tx(other->db());
        other->db().exec("UPDATE records SET json = '{\"id\":\"' || (SELECT ext_id FROM items WHERE items.id = "
                         "records.item_id) || '\",\"conversations\":[]}' WHERE json LIKE '%changed%'");
        tx.commit();
    }
}

void TestExport::exportInsideCallerTransaction()
{
    // The caller's open transaction is used as it is (no nested BEGIN), and its changes are visible.
    Transaction tx(m_f->db());
    m_f->db().exec("UPDATE items SET status = 1 WHERE ext_id = 'pending-1'");
    QCOMPARE(m_f->exportTo(u"tx.jsonl"_s).written, std::int64_t(6));
    m_f->db().exec("UPDATE items SET status = 0 WHERE ext_id = 'pending-1'");
    tx.commit();
    QCOMPARE(m_f->exportTo(u"tx.jsonl"_s).written, std::int64_t(5));
}

void TestExport::roundTripThroughImporter()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto project = Project::open(dir.filePath(u"roundtrip.facet"_s), Project::OpenMode::CreateIfMissing);

    // A pretty-printed ShareGPT4V array (odd key order, \u escapes, multi-turn, extra fields) ...
    const QString arrayPath = test::dataPath(u"export/roundtrip.json"_s);
    const ordered_json input = parse(readAll(arrayPath));
    QCOMPARE(input.size(), std::size_t(5));
    // ... and JSONL with the same kind of records, whose lines must come back byte for byte.
    const QByteArray jsonl =
        kRawOdd + '\n' + kRawMulti + '\n'
        + R"({"id":"plain","image":"coco/train2017/000000000042.jpg","conversations":[{"from":"human","value":"<image>\nDescribe."},{"from":"gpt","value":"A dog."}]})"
        + '\n';
    const QString jsonlPath = test::writeFile(dir, u"records.jsonl"_s, jsonl);

    ImportOptions options;
    options.imageRoot = dir.path();
    options.name = u"array"_s;
    options.format = SourceFormat::ShareGpt4v;
    ImportReport imported = Importer(*project).run({arrayPath}, options);
    QCOMPARE(imported.imported, std::int64_t(5));
    options.name = u"lines"_s;
    options.format = SourceFormat::Jsonl;
    imported = Importer(*project).run({jsonlPath}, options);
    QCOMPARE(imported.imported, std::int64_t(3));

    project->db().exec("UPDATE items SET status = 1");
    ExportOptions out;
    out.output = dir.filePath(u"array.jsonl"_s);
    out.selection.filter = u"source:array"_s;
    QCOMPARE(Exporter(*project).run(out).written, std::int64_t(5));
    const QList<QByteArray> exported = lines(readAll(out.output));
    QCOMPARE(exported.size(), 5);
    for (int k = 0; k < 5; ++k)
        QCOMPARE(dump(parse(exported.at(k))), QByteArray::fromStdString(input[std::size_t(k)].dump()));
    // The single-line element of the array comes back with its own spelling (\u escapes, 0.930).
    QVERIFY(exported.at(1).contains(R"(caf\u00e9 in \u6771\u4eac)"));
    QVERIFY(exported.at(1).contains(R"("score": 0.930, "exp": 1.0E+2)"));

    out.output = dir.filePath(u"lines.jsonl"_s);
    out.selection.filter = u"source:lines"_s;
    QCOMPARE(Exporter(*project).run(out).written, std::int64_t(3));
    QCOMPARE(readAll(out.output), jsonl);

    // An edit through Curation changes exactly the caption turn of that record.
    Statement find = project->db().prepare("SELECT id FROM items WHERE ext_id = 'multi-turn-1'");
    QVERIFY(find.step());
    const ItemId multi = find.int64(0);
    Curation(*project).editCaption(multi, u"A man rides a red bicycle past a small bakery."_s, u"tester"_s);
    out.output = dir.filePath(u"edited.jsonl"_s);
    out.selection.filter = u"source:array"_s;
    Exporter(*project).run(out);
    const QList<QByteArray> edited = lines(readAll(out.output));
    ordered_json expected = input[2];
    expected["conversations"][1]["value"] = "A man rides a red bicycle past a small bakery.";
    QCOMPARE(edited.at(2), dump(expected));
    for (int k : {0, 1, 3, 4})
        QCOMPARE(edited.at(k), exported.at(k));
}

QTEST_GUILESS_MAIN(TestExport)
#include "test_export.moc"
