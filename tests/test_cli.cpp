// The command-line contract of PRODUCT.md, checked by running the real `facet` program the way a
// user's script does: arguments, exit status, one JSON document on stdout with --json.
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

Run facetRun(const QStringList& args, const QByteArray& stdinData = {}, const QString& lang = {})
{
    QProcess p;
    if (!lang.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"LC_ALL"_s);
        env.remove(u"LC_MESSAGES"_s);
        env.remove(u"LANGUAGE"_s);
        env.insert(u"LANG"_s, lang);
        p.setProcessEnvironment(env);
    }
    p.setProgram(QStringLiteral(FACET_CLI));
    p.setArguments(args);
    p.start();
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        qFatal("facet did not finish: %s", qPrintable(args.join(u' ')));
    Run r;
    r.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QByteArray record(const QString& id, const QString& image, const QString& caption)
{
    const QJsonObject o{
        {u"id"_s, id},
        {u"image"_s, image},
        {u"conversations"_s, QJsonArray{QJsonObject{{u"from"_s, u"human"_s}, {u"value"_s, u"<image>\nDescribe."_s}},
                                        QJsonObject{{u"from"_s, u"gpt"_s}, {u"value"_s, caption}}}}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestCli final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;
    QString m_project;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Five good records (one with a missing image), one bad record.
        QByteArray json = "[\n";
        for (int k = 0; k < 4; ++k) {
            facet::test::writeFile(m_dir, u"images/coco/%1.jpg"_s.arg(k), "not decoded by import");
            json += record(u"c%1"_s.arg(k), u"coco/%1.jpg"_s.arg(k),
                           k % 2 ? u"A red bus waits at a stop on a rainy street."_s
                                 : u"A tabby cat sleeps on a wooden chair by the window."_s)
                    + ",\n";
        }
        json += record(u"s0"_s, u"sam/images/sa_1.jpg"_s, u"A mountain lake at dawn."_s) + ",\n";
        json += "{\"id\": \"bad\", \"image\": \"coco/9.jpg\", \"conversations\": 7}\n]\n";
        m_data = facet::test::writeFile(m_dir, u"set.json"_s, json);
        m_project = m_dir.filePath(u"p.facet"_s);
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(facetRun({}).status, 2);
        QCOMPARE(facetRun({u"frobnicate"_s, m_project}).status, 2);
        const Run r = facetRun({u"review"_s, m_project, u"--accept"_s, u"--bogus"_s});
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.contains("--bogus"));
        QCOMPARE(facetRun({u"stats"_s, m_dir.filePath(u"nope.facet"_s)}).status, 2);
        QVERIFY(!QFileInfo::exists(m_dir.filePath(u"nope.facet"_s)));
        QCOMPARE(facetRun({u"--version"_s}).status, 0);
    }

    void importReportsAndExitsOneOnSkips()
    {
        const Run r = facetRun({u"import"_s, m_project, m_data, u"--images"_s, m_dir.filePath(u"images"_s), u"--name"_s,
                                u"set"_s, u"--json"_s});
        QCOMPARE(r.status, 1);
        const QJsonObject o = r.json();
        QCOMPARE(o.value(u"imported"_s).toInt(), 5);
        QCOMPARE(o.value(u"skipped"_s).toInt(), 1);
        QCOMPARE(o.value(u"duplicates"_s).toInt(), 0);
        QCOMPARE(o.value(u"missing_images"_s).toInt(), 1);
        const QJsonArray errors = o.value(u"errors"_s).toArray();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().toObject().value(u"id"_s).toString(), u"bad"_s);
        QCOMPARE(errors.first().toObject().value(u"index"_s).toInt(), 5);
        QVERIFY(!errors.first().toObject().value(u"reason"_s).toString().isEmpty());
    }

    // In the text report a skipped record is numbered as people count, from 1 (the JSON "index" is
    // 0-based): the bad record is the sixth of the file.
    void textImportReportCountsRecordsFromOne()
    {
        const Run r = facetRun(
            {u"import"_s, m_project, m_data, u"--images"_s, m_dir.filePath(u"images"_s), u"--name"_s, u"set"_s});
        QCOMPARE(r.status, 1);
        QVERIFY2(r.err.contains(": record 6 (id bad): "), r.err.constData());
    }

    void reimportChangesNothing()
    {
        const Run r = facetRun({u"import"_s, m_project, m_data, u"--images"_s, m_dir.filePath(u"images"_s), u"--name"_s,
                                u"set"_s, u"--json"_s});
        const QJsonObject o = r.json();
        QCOMPARE(o.value(u"imported"_s).toInt(), 0);
        QCOMPARE(o.value(u"duplicates"_s).toInt(), 5);
        QCOMPARE(facetRun({u"stats"_s, m_project, u"--json"_s}).json().value(u"items"_s).toInt(), 5);
    }

    void projectFacetCues()
    {
        // A project of its own: its facet set changes here.
        const QString project = m_dir.filePath(u"cues.facet"_s);
        const QByteArray data = "[" + record(u"sign"_s, u"x/1.jpg"_s, u"A wooden sign reads \"OPEN\". A cat sleeps."_s)
                                + "," + record(u"plain"_s, u"x/2.jpg"_s, u"A cat sleeps on a wooden chair."_s) + "]";
        QCOMPARE(facetRun({u"import"_s, project, facet::test::writeFile(m_dir, u"cues-set.json"_s, data)}).status, 0);
        const QString cues = facet::test::writeFile(m_dir, u"cues.json"_s, R"({
            "facets": [{"key": "text", "name": "Text in the image"}],
            "patterns": {"quoted": {"text": 10}},
            "cues": {"text": {"6": ["reads", "written", "lettering"]}}})");
        auto facetsOf = [&] {
            return facetRun({u"stats"_s, project, u"--json"_s}).json().value(u"facets"_s).toObject();
        };
        QVERIFY(!facetsOf().contains(u"text"_s));
        const auto facetsCurrent = [&] {
            return facetRun({u"stats"_s, project, u"--json"_s}).json().value(u"facets_current"_s);
        };
        QCOMPARE(facetsCurrent(), QJsonValue(true)); // imported with the model it was created with

        // New cues recomputed for one item only: the other caption's facets are out of date, and
        // stats says so and how to fix it; the whole-project recompute brings them up to date.
        Run r = facetRun({u"facets"_s, project, u"--cues"_s, cues, u"--id"_s, u"plain"_s});
        QCOMPARE(r.status, 0);
        QCOMPARE(facetsCurrent(), QJsonValue(false));
        r = facetRun({u"stats"_s, project});
        QVERIFY2(r.out.contains(
                     QByteArray("facets were computed by an earlier facet model or with other cues; `facet facets "
                                + project.toUtf8() + "` recomputes them")),
                 r.out.constData());
        r = facetRun({u"facets"_s, project, u"--no-cues"_s});
        QCOMPARE(r.status, 0);
        QCOMPARE(facetsCurrent(), QJsonValue(true));
        QVERIFY(!facetRun({u"stats"_s, project}).out.contains("earlier facet model"));

        r = facetRun({u"facets"_s, project, u"--cues"_s, cues, u"--json"_s});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.json().value(u"cues"_s).toString(), u"stored"_s);
        QCOMPARE(r.json().value(u"versions"_s).toInt(), 2);
        QCOMPARE(r.json().value(u"facets"_s).toArray().last().toString(), u"text"_s);
        QVERIFY2(!r.err.contains("colour"), r.err.constData()); // no colour declared: one of the spares
        QCOMPARE(facetsOf().value(u"text"_s).toInt(), 1);
        r = facetRun({u"list"_s, project, u"--filter"_s, u"facet:text"_s, u"--json"_s});
        QVERIFY2(r.out.contains("\"sign\"") && !r.out.contains("\"plain\""), r.out.constData());

        // A declared colour that reads as a status colour is stored, with a warning naming the file,
        // the facet and what it resembles; a distinct one draws none.
        const QString red = facet::test::writeFile(
            m_dir, u"cues-red.json"_s,
            "{\"facets\": [{\"key\": \"text\", \"name\": \"Text in the image\", \"color\": \"#dd4040\"}], "
            "\"patterns\": {\"quoted\": {\"text\": 10}}, "
            "\"cues\": {\"text\": {\"6\": [\"reads\", \"written\", \"lettering\"]}}}");
        r = facetRun({u"facets"_s, project, u"--cues"_s, red});
        QCOMPARE(r.status, 0);
        QVERIFY2(r.err.contains("cues-red.json") && r.err.contains("text")
                     && r.err.contains("rejected items (#d93f3c)"),
                 r.err.constData());
        r = facetRun({u"facets"_s, project, u"--cues"_s, cues});
        QCOMPARE(r.status, 0);
        QVERIFY2(!r.err.contains("colour"), r.err.constData());

        // A bad document is refused with its file name and leaves the stored cues as they were.
        const QString bad = facet::test::writeFile(m_dir, u"bad-cues.json"_s,
                                                   R"({"patterns": {"sparkles": {"text": 1}}})");
        r = facetRun({u"facets"_s, project, u"--cues"_s, bad});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains("bad-cues.json") && r.err.contains("sparkles"), r.err.constData());
        QCOMPARE(facetRun({u"facets"_s, project}).status, 0);
        QCOMPARE(facetsOf().value(u"text"_s).toInt(), 1);
        QCOMPARE(facetRun({u"facets"_s, project, u"--cues"_s, cues, u"--no-cues"_s}).status, 2);

        r = facetRun({u"facets"_s, project, u"--no-cues"_s, u"--json"_s});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.json().value(u"cues"_s).toString(), u"removed"_s);
        QVERIFY(!facetsOf().contains(u"text"_s));
    }

    void statsShape()
    {
        const Run r = facetRun({u"stats"_s, m_project, u"--json"_s});
        QCOMPARE(r.status, 0);
        const QJsonObject o = r.json();
        QCOMPARE(o.value(u"items"_s).toInt(), 5);
        QCOMPARE(o.value(u"status"_s).toObject().value(u"pending"_s).toInt(), 5);
        QCOMPARE(o.value(u"images"_s).toObject().value(u"ok"_s).toInt(), 4);
        QCOMPARE(o.value(u"images"_s).toObject().value(u"missing"_s).toInt(), 1);
        QCOMPARE(o.value(u"sources"_s).toObject().value(u"set"_s).toInt(), 5);
        // Facets are computed on import: every caption here has a sentence of some facet.
        const QJsonObject facets = o.value(u"facets"_s).toObject();
        int sentences = 0;
        for (const QJsonValue v : facets)
            sentences += v.toInt();
        QVERIFY2(sentences >= 5, QJsonDocument(facets).toJson().constData());
        QVERIFY(facets.contains(u"attributes"_s) || facets.contains(u"spatial"_s));
        QCOMPARE(o.value(u"versions"_s).toInt(), 5);
    }

    void statsTextShowsCoveragePerSource()
    {
        // The text form says, per source, how many captions cover each facet, in the facet set's
        // order (so a facet a source lacks is visible where it always is) and with the same counts
        // as --json.
        const QJsonObject coverage = facetRun({u"stats"_s, m_project, u"--json"_s})
                                         .json()
                                         .value(u"facet_coverage"_s)
                                         .toObject()
                                         .value(u"set"_s)
                                         .toObject();
        QVERIFY(!coverage.isEmpty());
        const Run r = facetRun({u"stats"_s, m_project});
        QCOMPARE(r.status, 0);
        const QList<QByteArray> lines = r.out.split('\n');
        const qsizetype source = lines.indexOf(QByteArray("  source set: 5 items"));
        QVERIFY2(source >= 0 && source + 1 < lines.size(), r.out.constData());
        const QString line = QString::fromUtf8(lines[source + 1]);
        QVERIFY2(line.startsWith(u"    captions covering each facet: "_s), qPrintable(line));
        qsizetype previous = -1;
        for (const QString& key : {u"world_knowledge"_s, u"attributes"_s, u"spatial"_s, u"art"_s, u"other"_s}) {
            const int n = coverage.value(key).toInt(); // 0 when no caption has it
            const QString expected = u"%1 %2 (%3%)"_s.arg(key).arg(n).arg(n * 100 / 5);
            const qsizetype at = line.indexOf(expected);
            QVERIFY2(at > previous, qPrintable(line + u" lacks or misorders "_s + expected));
            previous = at;
        }
    }

    void listAndFilter()
    {
        Run r = facetRun({u"list"_s, m_project, u"--filter"_s, u"cat -image:missing"_s, u"--json"_s});
        QCOMPARE(r.status, 0);
        QJsonObject o = r.json();
        QCOMPARE(o.value(u"total"_s).toInt(), 2);
        QCOMPARE(o.value(u"items"_s).toArray().first().toObject().value(u"id"_s).toString(), u"c0"_s);
        r = facetRun({u"list"_s, m_project, u"--limit"_s, u"2"_s, u"--json"_s});
        QCOMPARE(r.json().value(u"items"_s).toArray().size(), 2);
        QCOMPARE(r.json().value(u"total"_s).toInt(), 5);
        // No match: nothing on stdout (scripts read it), a note on stderr, success.
        r = facetRun({u"list"_s, m_project, u"--filter"_s, u"zebra"_s});
        QCOMPARE(r.status, 0);
        QVERIFY2(r.out.trimmed().isEmpty(), r.out.constData());
        QVERIFY2(r.err.contains("No records match"), r.err.constData());
        // A bad query is a usage-level failure with a message naming the term.
        r = facetRun({u"list"_s, m_project, u"--filter"_s, u"colour:red"_s});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains("colour"), r.err.constData());
    }

    void reviewDryRunThenApply()
    {
        Run r = facetRun({u"review"_s, m_project, u"--accept"_s, u"--filter"_s, u"bus"_s, u"--dry-run"_s, u"--json"_s});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.json().value(u"changed"_s).toInt(), 2);
        QCOMPARE(facetRun({u"stats"_s, m_project, u"--json"_s})
                     .json()
                     .value(u"status"_s)
                     .toObject()
                     .value(u"accepted"_s)
                     .toInt(),
                 0);
        r = facetRun({u"review"_s, m_project, u"--accept"_s, u"--filter"_s, u"bus"_s, u"--reviewer"_s, u"ann"_s});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.contains("2"));
        r = facetRun(
            {u"review"_s, m_project, u"--reject"_s, u"--id"_s, u"c0"_s, u"--reason"_s, u"blurry"_s, u"--json"_s});
        QCOMPARE(r.json().value(u"changed"_s).toInt(), 1);
        const QJsonObject show = facetRun({u"show"_s, m_project, u"c0"_s, u"--json"_s}).json();
        QCOMPARE(show.value(u"status"_s).toString(), u"rejected"_s);
        QCOMPARE(show.value(u"reason"_s).toString(), u"blurry"_s);
        QCOMPARE(facetRun({u"review"_s, m_project, u"--accept"_s}).status, 2); // no selector
    }

    void editUndoRedoAcrossProcesses()
    {
        Run r = facetRun({u"edit"_s, m_project, u"c2"_s, u"--text"_s, u"A grey heron in shallow water."_s,
                          u"--reviewer"_s, u"bo"_s, u"--json"_s});
        QCOMPARE(r.status, 0);
        QJsonObject show = facetRun({u"show"_s, m_project, u"c2"_s, u"--json"_s}).json();
        QCOMPARE(show.value(u"caption"_s).toString(), u"A grey heron in shallow water."_s);
        const QJsonArray versions = show.value(u"versions"_s).toArray();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions.at(1).toObject().value(u"origin"_s).toString(), u"human"_s);
        QCOMPARE(versions.at(1).toObject().value(u"author"_s).toString(), u"bo"_s);
        QVERIFY(!show.value(u"history"_s).toArray().isEmpty());

        r = facetRun({u"undo"_s, m_project, u"--json"_s});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.json().value(u"undone"_s).toArray().size(), 1);
        show = facetRun({u"show"_s, m_project, u"c2"_s, u"--json"_s}).json();
        QVERIFY(show.value(u"caption"_s).toString().startsWith(u"A tabby cat"_s));
        QCOMPARE(facetRun({u"redo"_s, m_project}).status, 0);
        show = facetRun({u"show"_s, m_project, u"c2"_s, u"--json"_s}).json();
        QCOMPARE(show.value(u"caption"_s).toString(), u"A grey heron in shallow water."_s);

        // Two steps back: the edit and the rejection of c0.
        r = facetRun({u"undo"_s, m_project, u"--steps"_s, u"2"_s, u"--json"_s});
        QCOMPARE(r.json().value(u"undone"_s).toArray().size(), 2);
        QCOMPARE(facetRun({u"show"_s, m_project, u"c0"_s, u"--json"_s}).json().value(u"status"_s).toString(),
                 u"pending"_s);
        const QJsonArray history =
            facetRun({u"history"_s, m_project, u"--json"_s}).json().value(u"history"_s).toArray();
        QVERIFY(history.size() >= 3);
        QVERIFY(history.first().toObject().value(u"undone"_s).toBool());
        facetRun({u"redo"_s, m_project, u"--steps"_s, u"2"_s});
    }

    void englishPluralForms()
    {
        // The English catalogue (translations/facet_studio_en.ts) holds only the %n messages: with
        // an English locale a journal summary says "1 item", not "1 item(s)". The C locale and
        // languages without a catalogue show the English text, so they get its plurals too.
        const QString project = m_dir.filePath(u"plural.facet"_s);
        const QString data = facet::test::writeFile(m_dir, u"plural.jsonl"_s,
                                                    record(u"p0"_s, u"plural/0.jpg"_s, u"One."_s) + '\n'
                                                        + record(u"p1"_s, u"plural/1.jpg"_s, u"Two."_s) + '\n');
        const Run imported = facetRun({u"import"_s, project, data});
        QVERIFY2(imported.status <= 1, imported.err.constData()); // 1: imported; the images are missing
        Run r = facetRun({u"review"_s, project, u"--accept"_s, u"--id"_s, u"p0"_s}, {}, u"en_US.UTF-8"_s);
        QCOMPARE(r.status, 0);
        r = facetRun({u"review"_s, project, u"--reject"_s, u"--all"_s}, {}, u"en_GB.UTF-8"_s);
        QCOMPARE(r.status, 0);
        const QJsonArray history = facetRun({u"history"_s, project, u"--json"_s}).json().value(u"history"_s).toArray();
        QStringList summaries;
        for (const QJsonValue& h : history)
            summaries << h.toObject().value(u"summary"_s).toString();
        QVERIFY2(summaries.contains(u"Accept 1 item"_s), qPrintable(summaries.join(u" | "_s)));
        QVERIFY2(summaries.contains(u"Reject 2 items"_s), qPrintable(summaries.join(u" | "_s)));
        // The C locale and a language without a catalogue.
        r = facetRun({u"review"_s, project, u"--reset"_s, u"--id"_s, u"p0"_s}, {}, u"C"_s);
        QCOMPARE(r.status, 0);
        r = facetRun({u"review"_s, project, u"--accept"_s, u"--all"_s}, {}, u"de_DE.UTF-8"_s);
        QCOMPARE(r.status, 0);
        summaries.clear();
        for (const QJsonValue& h : facetRun({u"history"_s, project, u"--json"_s}).json().value(u"history"_s).toArray())
            summaries << h.toObject().value(u"summary"_s).toString();
        QVERIFY2(summaries.contains(u"Reset 1 item"_s), qPrintable(summaries.join(u" | "_s)));
        QVERIFY2(summaries.contains(u"Accept 2 items"_s), qPrintable(summaries.join(u" | "_s)));
        // Command output too, not only journal summaries.
        r = facetRun({u"review"_s, project, u"--reject"_s, u"--id"_s, u"p0"_s, u"--dry-run"_s}, {}, u"C"_s);
        QVERIFY2(r.out.contains("1 record would change to rejected"), r.out.constData());
        r = facetRun({u"review"_s, project, u"--reject"_s, u"--all"_s, u"--dry-run"_s}, {}, u"C"_s);
        QVERIFY2(r.out.contains("2 records would change to rejected"), r.out.constData());
        // The import summary reads right for any count.
        r = facetRun({u"import"_s, m_dir.filePath(u"plural2.facet"_s), data}, {}, u"C"_s);
        QVERIFY2(r.out.contains("Imported 2, skipped 0, duplicates 0, images missing 2"), r.out.constData());
    }

    void exportDefaultsToAccepted()
    {
        const QString out = m_dir.filePath(u"out.jsonl"_s);
        Run r = facetRun({u"export"_s, m_project, u"-o"_s, out, u"--json"_s});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.json().value(u"written"_s).toInt(), 2);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        for (const QByteArray& line : lines)
            QVERIFY(QJsonDocument::fromJson(line).object().value(u"conversations"_s).isArray());

        const QString flat = m_dir.filePath(u"flat.json"_s);
        r = facetRun({u"export"_s, m_project, u"-o"_s, flat, u"--format"_s, u"flat"_s, u"--all"_s, u"--array"_s});
        QCOMPARE(r.status, 0);
        QFile g(flat);
        QVERIFY(g.open(QIODevice::ReadOnly));
        const QJsonArray arr = QJsonDocument::fromJson(g.readAll()).array();
        QCOMPARE(arr.size(), 5);
        QVERIFY(arr.first().toObject().contains(u"caption"_s));
        QVERIFY(arr.first().toObject().contains(u"status"_s));
    }

    void damagedProjectIsRefused()
    {
        const QString junk = facet::test::writeFile(m_dir, u"junk.facet"_s, "this is not a database at all");
        const Run r = facetRun({u"stats"_s, junk, u"--json"_s});
        QCOMPARE(r.status, 2);
        QVERIFY(r.json().value(u"error"_s).toString().contains(u"junk.facet"_s));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("this is not a database at all"));
    }

    // After `facet verify`, `facet show` says why an image is broken or missing, as the window does.
    void showSaysWhyAnImageIsBroken()
    {
        QTemporaryDir dir;
        facet::test::writeFile(dir, u"images/a.gif"_s, "GIF89a but nothing after the header");
        const QString data = facet::test::writeFile(dir, u"set.jsonl"_s,
                                                    record(u"a"_s, u"a.gif"_s, u"A cat."_s) + '\n'
                                                        + record(u"b"_s, u"b.jpg"_s, u"A dog."_s) + '\n');
        const QString project = dir.filePath(u"p.facet"_s);
        QVERIFY(facetRun({u"import"_s, project, data, u"--images"_s, dir.filePath(u"images"_s)}).status <= 1);
        QCOMPARE(facetRun({u"verify"_s, project}).status, 1);
        Run r = facetRun({u"show"_s, project, u"a"_s});
        QVERIFY2(r.out.contains("image: a.gif (broken: truncated or corrupt GIF data)"), r.out.constData());
        r = facetRun({u"show"_s, project, u"b"_s});
        QVERIFY2(r.out.contains("image: b.jpg (missing: file not found)"), r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
