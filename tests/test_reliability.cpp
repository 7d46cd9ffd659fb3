// The durability and sharing promises of docs/reliability.md, checked with the real `facet`
// program: a clean close leaves the project in one file; two processes share a project through
// SQLite's busy timeout (a short wait succeeds, a long one fails with a clear "locked" message and
// exit status 2); a project on a read-only disk opens read-only with a clear message; a damaged
// or newer project is refused with exit status 2 and never modified.
#include "testutil.h"

#include "database.h"
#include "imagedecoder.h"
#include "imageheader.h"
#include "importer.h"
#include "itemstore.h"
#include "jsonarraysplitter.h"
#include "jsonlinessplitter.h"
#include "project.h"
#include "query.h"
#include "recaptionprovider.h"
#include "tarindexer.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>
#include <QtEndian>

#include <unistd.h>

using namespace facet;
using namespace Qt::Literals::StringLiterals;

namespace {

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

Run finish(QProcess& p)
{
    if (p.state() != QProcess::NotRunning && !p.waitForFinished(120000))
        qFatal("%s did not finish", qPrintable(p.program()));
    Run r;
    r.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

Run runCli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(FACET_CLI), args);
    return finish(p);
}

QByteArray hashOf(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result();
}

QByteArray records(int n)
{
    QByteArray out;
    for (int k = 0; k < n; ++k)
        out += "{\"id\":\"r" + QByteArray::number(k) + "\",\"image\":\"img/" + QByteArray::number(k)
               + ".jpg\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image>\\nDescribe.\"},"
                 "{\"from\":\"gpt\",\"value\":\"A caption about picture number "
               + QByteArray::number(k) + ", with a red car on the left.\"}]}\n";
    return out;
}

int statusOf(const QString& project, const QString& extId)
{
    const Run r = runCli({u"show"_s, project, extId, u"--json"_s});
    const QString s = r.json().value(u"status"_s).toString();
    return s == u"accepted"_s ? 1 : s == u"rejected"_s ? 2 : s == u"pending"_s ? 0 : -1;
}

/** Hands out one byte per read(), as a pipe may: what the fuzzers' TrickleDevice does. */
class OneByteDevice final : public QIODevice
{
public:
    explicit OneByteDevice(QByteArray data)
        : m_data(std::move(data))
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char* out, qint64 max) override
    {
        if (m_pos >= m_data.size() || max <= 0)
            return 0;
        *out = m_data.at(m_pos++);
        return 1;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    QByteArray m_data;
    qsizetype m_pos = 0;
};

} // namespace

class TestReliability final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString makeProject(const QString& name, int n)
    {
        const QString data = test::writeFile(m_dir, name + u".jsonl"_s, records(n));
        const QString project = m_dir.filePath(name + u".facet"_s);
        const Run r = runCli({u"import"_s, project, data});
        if (r.status != 0)
            qFatal("import failed: %s", r.err.constData());
        return project;
    }

private slots:
    void openingAgainKeepsThisProcesssLocks()
    {
        // Regression (docs/reliability.md, "Two processes"): opening the project a second time in
        // a process that already has it open (the GUI's worker, a background task) read the file
        // header with QFile, and its close() dropped every POSIX lock the process held on the file.
        // Another process then believed it was the last connection and, on closing, checkpointed
        // and deleted the WAL under the first process: its later commits went into a deleted file.
        const QString project = makeProject(u"relock"_s, 50);
        auto first = Project::open(project);
        first->db().exec("CREATE TABLE IF NOT EXISTS lock_probe(x)"); // the WAL now holds a commit
        QVERIFY(QFileInfo(project + u"-wal"_s).size() > 0);
        for (int k = 0; k < 3; ++k)
            QVERIFY(Project::open(project) != nullptr); // opened and closed again: the header check
        // Another process opens and closes the project. It must see our connection and leave the
        // WAL alone.
        QCOMPARE(runCli({u"stats"_s, project}).status, 0);
        QVERIFY2(QFileInfo::exists(project + u"-wal"_s),
                 "another process deleted the WAL while this process had the project open: its locks were lost");
        first->db().exec("INSERT INTO lock_probe VALUES (42)");
        first.reset();
        auto again = Project::open(project);
        Statement st = again->db().prepare("SELECT count(*) FROM lock_probe WHERE x = 42");
        QVERIFY(st.step());
        QCOMPARE(st.int64(0), 1);
    }

    void cleanCloseLeavesOneFile()
    {
        // SQLite checkpoints the WAL into the main file and deletes it when the last connection
        // closes, so a project that is not open is one self-contained file (safe to copy).
        const QString project = makeProject(u"clean"_s, 200);
        QCOMPARE(runCli({u"review"_s, project, u"--accept"_s, u"--all"_s}).status, 0);
        QVERIFY(!QFileInfo::exists(project + u"-wal"_s));
        QVERIFY(!QFileInfo::exists(project + u"-shm"_s));
        auto p = Project::open(project);
        Statement mode = p->db().prepare("PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(mode.text(0), u"wal"_s);
        Statement sync = p->db().prepare("PRAGMA synchronous");
        QVERIFY(sync.step());
        QCOMPARE(sync.integer(0), 1); // NORMAL
    }

    void shortLockIsWaitedFor()
    {
        const QString project = makeProject(u"short"_s, 20);
        Database holder(project, Database::Mode::ReadWrite);
        holder.exec("BEGIN IMMEDIATE");
        holder.exec("UPDATE meta SET value = value WHERE key = 'name'");
        QProcess cli;
        QElapsedTimer t;
        t.start();
        cli.start(QStringLiteral(FACET_CLI), {u"review"_s, project, u"--accept"_s, u"--id"_s, u"r3"_s});
        QVERIFY(cli.waitForStarted());
        QThread::msleep(1000);
        QCOMPARE(cli.state(), QProcess::Running); // it is waiting for the lock, not failing
        holder.exec("COMMIT");
        const Run r = finish(cli);
        QVERIFY2(r.status == 0, r.err.constData());
        QVERIFY(t.elapsed() >= 1000);
        QCOMPARE(statusOf(project, u"r3"_s), 1);
    }

    void longLockFailsWithLockedMessage()
    {
        const QString project = makeProject(u"long"_s, 20);
        Database holder(project, Database::Mode::ReadWrite);
        holder.exec("BEGIN IMMEDIATE");
        holder.exec("UPDATE meta SET value = value WHERE key = 'name'");
        QProcess cli;
        cli.start(QStringLiteral(FACET_CLI), {u"review"_s, project, u"--accept"_s, u"--all"_s});
        QVERIFY(cli.waitForStarted());
        // busy_timeout is 5 s: the CLI gives up while we still hold the lock.
        QVERIFY(cli.waitForFinished(20000));
        const Run r = finish(cli);
        holder.exec("ROLLBACK");
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains("locked"), r.err.constData());
        QCOMPARE(statusOf(project, u"r0"_s), 0);
        QCOMPARE(statusOf(project, u"r19"_s), 0);
    }

    void readOnlyDiskOpensReadOnly_data()
    {
        QTest::addColumn<bool>("leftOpen");
        QTest::newRow("closed cleanly") << false;
        QTest::newRow("WAL left by a killed process") << true;
    }

    void readOnlyDiskOpensReadOnly()
    {
        QFETCH(bool, leftOpen);
        // A read-only bind mount in a private mount namespace: root ignores file permissions, but
        // not a read-only file system. Needs unshare(1) and the right to mount.
        const QString unshare = QStandardPaths::findExecutable(u"unshare"_s);
        if (unshare.isEmpty() || ::geteuid() != 0)
            QSKIP("needs root and unshare(1) for a read-only bind mount; Project::OpenMode::ReadOnly is covered "
                  "by test_store");
        {
            QProcess probe;
            probe.start(unshare, {u"-m"_s, u"true"_s});
            if (finish(probe).status != 0)
                QSKIP("unshare -m is not permitted here");
        }
        QTemporaryDir disk;
        const QString data = test::writeFile(disk, u"d.jsonl"_s, records(30));
        const QString project = disk.filePath(u"p.facet"_s);
        QCOMPARE(runCli({u"import"_s, project, data}).status, 0);
        if (leftOpen) {
            // Leave a WAL with committed frames and its -shm behind, as a killed writer would.
            QProcess writer;
            writer.start(QStringLiteral(FACET_CLI), {u"review"_s, project, u"--accept"_s, u"--id"_s, u"r1"_s});
            QVERIFY(writer.waitForStarted());
            QVERIFY(writer.waitForFinished());
            Database db(project, Database::Mode::ReadWrite);
            db.exec("PRAGMA journal_mode=WAL");
            db.exec("UPDATE items SET status = 1 WHERE ext_id = 'r2'");
            // Copy the three files while this connection still holds the WAL open.
            for (const char* suffix : {"", "-wal", "-shm"})
                QVERIFY(QFile::copy(project + QLatin1String(suffix),
                                    disk.filePath(u"copy.facet"_s + QLatin1String(suffix))));
        }
        const QString opened = leftOpen ? disk.filePath(u"copy.facet"_s) : project;
        const QByteArray before = hashOf(opened);
        const QString facetCli = QStringLiteral(FACET_CLI);
        auto inReadOnlyMount = [&](const QStringList& args) {
            QProcess p;
            QStringList quoted;
            for (const QString& a : args)
                quoted << u"'"_s + a + u"'"_s;
            const QString script = u"mount --bind -o ro '%1' '%1' && exec '%2' %3"_s.arg(disk.path(), facetCli,
                                                                                         quoted.join(u' '));
            p.start(unshare, {u"-m"_s, u"sh"_s, u"-c"_s, script});
            return finish(p);
        };
        const Run stats = inReadOnlyMount({u"stats"_s, opened, u"--json"_s});
        QVERIFY2(stats.status == 0, stats.err.constData());
        QCOMPARE(stats.json().value(u"items"_s).toInt(), 30);
        if (leftOpen) // the committed frames in the WAL are read, not lost
            QCOMPARE(stats.json().value(u"status"_s).toObject().value(u"accepted"_s).toInt(), 2);
        const Run review = inReadOnlyMount({u"review"_s, opened, u"--accept"_s, u"--all"_s});
        QCOMPARE(review.status, 2);
        QVERIFY2(review.err.contains("read-only"), review.err.constData());
        QCOMPARE(hashOf(opened), before);
    }

    void damagedProjectIsRefusedUntouched()
    {
        const QString project = makeProject(u"damaged"_s, 3000);
        QVERIFY(!QFileInfo::exists(project + u"-wal"_s));
        QFile f(project);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        // Overwrite whole pages in the middle of the file (b-tree pages of items, captions, FTS).
        QVERIFY(f.seek(size / 4 / 4096 * 4096));
        f.write(QByteArray(static_cast<qsizetype>(size / 2 / 4096 * 4096), '\x5a'));
        f.close();
        const QByteArray before = hashOf(project);
        for (const QStringList& args :
             {QStringList{u"review"_s, project, u"--accept"_s, u"--all"_s},
              QStringList{u"export"_s, project, u"-o"_s, m_dir.filePath(u"d.jsonl"_s), u"--all"_s}}) {
            const Run r = runCli(args);
            QCOMPARE(r.status, 2);
            QVERIFY2(r.err.contains("damaged") || r.err.contains("malformed"), r.err.constData());
            QCOMPARE(hashOf(project), before);
        }
        QVERIFY(!QFileInfo::exists(m_dir.filePath(u"d.jsonl"_s)));
    }

    void newerProjectIsRefusedUntouched()
    {
        const QString project = makeProject(u"newer"_s, 5);
        {
            Database db(project, Database::Mode::ReadWrite);
            db.exec("UPDATE meta SET value = '7' WHERE key = 'schema_version'");
        }
        const QByteArray before = hashOf(project);
        const Run r = runCli({u"review"_s, project, u"--accept"_s, u"--all"_s});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains("newer"), r.err.constData());
        QCOMPARE(hashOf(project), before);
    }

    void interruptedCheckpointIsNotTruncation()
    {
        // Found by test_crash: a process killed during a WAL checkpoint leaves a main file whose
        // header already counts the new pages while the file is not yet that long; the WAL holds
        // them all. The project was refused as "damaged: the file is truncated" for good.
        QTemporaryDir dir;
        const QString data = test::writeFile(dir, u"d.jsonl"_s, records(400));
        const QString path = dir.filePath(u"p.facet"_s);
        const QString copy = dir.filePath(u"copy.facet"_s);
        {
            auto project = Project::open(path, Project::OpenMode::CreateIfMissing);
            project->db().exec("PRAGMA wal_autocheckpoint=0");
            // A second connection keeps the import in WAL mode (RollbackJournalGuard), as the GUI's does.
            Database other(path, Database::Mode::ReadWrite);
            Statement(other, "SELECT count(*) FROM items").step();
            Importer(*project).run({data}, ImportOptions());
            // Copy the files as a kill would leave them: the new pages are only in the WAL.
            for (const char* suffix : {"", "-wal", "-shm"})
                QVERIFY(QFile::copy(path + QLatin1String(suffix), copy + QLatin1String(suffix)));
        }
        // The checkpoint got as far as page 1: the header counts pages the file does not have yet.
        QFile f(copy);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(24));
        const QByteArray counter = f.read(4);
        const quint32 pages = quint32(f.size() / 4096) + 50;
        QVERIFY(f.seek(28));
        QByteArray be(4, '\0');
        qToBigEndian(pages, be.data());
        f.write(be);
        QVERIFY(f.seek(92));
        f.write(counter);
        f.close();
        QVERIFY(QFileInfo(copy + u"-wal"_s).size() > 0);

        auto project = Project::open(copy);
        QCOMPARE(ItemStore(*project).count(Query()), 400);
        Statement check = project->db().prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), u"ok"_s);
    }

    static QString pragma(Database& db, const char* sql)
    {
        Statement st = db.prepare(sql);
        return st.step() ? st.text(0) : QString();
    }

    void importAloneWritesEachPageOnce()
    {
        // With no other connection open, an import runs with a rollback journal (importer.cpp,
        // RollbackJournalGuard): its pages go into the file once instead of into the WAL and again
        // into the file. The project is in WAL mode again afterwards.
        QTemporaryDir dir;
        const QString data = test::writeFile(dir, u"d.jsonl"_s, records(3000));
        const QString path = dir.filePath(u"p.facet"_s);
        auto project = Project::open(path, Project::OpenMode::CreateIfMissing);
        project->db().exec("PRAGMA wal_autocheckpoint=0"); // through the WAL, every page would stay in it
        const qint64 before = QFileInfo(path).size();
        QCOMPARE(Importer(*project).run({data}, ImportOptions()).imported, 3000);
        const qint64 grown = QFileInfo(path).size() - before;
        QVERIFY2(grown > 1024 * 1024, qPrintable(QString::number(grown)));
        QVERIFY2(QFileInfo(path + u"-wal"_s).size() < grown / 20,
                 qPrintable(QString::number(QFileInfo(path + u"-wal"_s).size())));
        QVERIFY(!QFileInfo::exists(path + u"-journal"_s));
        QCOMPARE(pragma(project->db(), "PRAGMA journal_mode"), u"wal"_s);
        QCOMPARE(pragma(project->db(), "PRAGMA synchronous"), u"1"_s); // NORMAL, as Project::open sets it
        // The project works as usual afterwards: a second process reviews, this one sees it.
        QCOMPARE(runCli({u"review"_s, path, u"--accept"_s, u"--id"_s, u"r7"_s}).status, 0);
        QCOMPARE(statusOf(path, u"r7"_s), 1);
    }

    void importBesideAnotherConnectionUsesTheWal()
    {
        // Another connection has the project open (the GUI's window while its worker imports): the
        // switch to a rollback journal is refused at once, the import runs through the WAL, and the
        // other connection keeps reading throughout.
        QTemporaryDir dir;
        const QString data = test::writeFile(dir, u"d.jsonl"_s, records(3000));
        const QString path = dir.filePath(u"p.facet"_s);
        auto project = Project::open(path, Project::OpenMode::CreateIfMissing);
        project->db().exec("PRAGMA wal_autocheckpoint=0");
        auto window = Project::open(path);
        QCOMPARE(pragma(window->db(), "SELECT count(*) FROM items"), u"0"_s);
        const qint64 before = QFileInfo(path).size();
        QCOMPARE(Importer(*project).run({data}, ImportOptions()).imported, 3000);
        QVERIFY(QFileInfo(path + u"-wal"_s).size() > 1024 * 1024);
        QCOMPARE(QFileInfo(path).size(), before); // nothing checkpointed: every page is in the WAL
        QCOMPARE(pragma(window->db(), "SELECT count(*) FROM items"), u"3000"_s);
        QCOMPARE(pragma(project->db(), "PRAGMA journal_mode"), u"wal"_s);
    }

    void killedRollbackJournalImportLeavesTheProjectAsBefore()
    {
        // What a kill in the middle of a rollback-journal import leaves: a file that already holds
        // some of the transaction's pages, and the hot journal with the pages it overwrote. Opening
        // the project rolls it back to the last commit, and it is in WAL mode again.
        QTemporaryDir dir;
        const QString data = test::writeFile(dir, u"d.jsonl"_s, records(50));
        const QString path = dir.filePath(u"p.facet"_s);
        {
            auto project = Project::open(path, Project::OpenMode::CreateIfMissing);
            Importer(*project).run({data}, ImportOptions());
        }
        const QString copy = dir.filePath(u"copy.facet"_s);
        {
            Database db(path, Database::Mode::ReadWrite);
            db.exec("PRAGMA journal_mode=DELETE");
            db.exec("PRAGMA cache_size=20"); // small, so the transaction spills pages into the file
            db.exec("BEGIN");
            db.exec("UPDATE items SET status = 2");
            db.exec("CREATE TABLE filler(x)");
            db.exec("WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 3000) "
                    "INSERT INTO filler SELECT randomblob(900) FROM n");
            QVERIFY(QFileInfo(path + u"-journal"_s).size() > 0);
            // The files as a kill would leave them (copying drops this process's locks, which does
            // not matter here: nothing else has the project open).
            QVERIFY(QFile::copy(path, copy));
            QVERIFY(QFile::copy(path + u"-journal"_s, copy + u"-journal"_s));
            db.exec("ROLLBACK");
        }
        QVERIFY(QFileInfo(copy).size() > QFileInfo(path).size()); // the copy holds spilled pages
        {
            // A kill during the commit itself can leave page 1 written first (pages go out in
            // order) with the new size and change counter, while the file is not that long yet.
            // That is not a truncated file: the hot journal restores page 1.
            QFile f(copy);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray be(4, '\0');
            qToBigEndian(quint32(f.size() / 4096) + 50, be.data());
            QVERIFY(f.seek(28));
            f.write(be);
            qToBigEndian(quint32(99), be.data());
            QVERIFY(f.seek(24));
            f.write(be);
            QVERIFY(f.seek(92));
            f.write(be);
        }
        auto project = Project::open(copy);
        QCOMPARE(pragma(project->db(), "SELECT count(*) FROM items WHERE status = 0"), u"50"_s);
        QCOMPARE(pragma(project->db(), "SELECT count(*) FROM sqlite_schema WHERE name = 'filler'"), u"0"_s);
        QCOMPARE(pragma(project->db(), "PRAGMA integrity_check"), u"ok"_s);
        QCOMPARE(pragma(project->db(), "PRAGMA journal_mode"), u"wal"_s);
        QVERIFY(!QFileInfo::exists(copy + u"-journal"_s));
    }

    // ---- regression tests for what the fuzzers found (docs/reliability.md, "Findings") ----------

    void byteOrderMarkSkippedOnShortReads()
    {
        // fuzz_sharegpt4v / fuzz_jsonl: the BOM was looked for only when the first read returned
        // three bytes or more, so a device that returns fewer broke the array and the first line.
        OneByteDevice array("\xEF\xBB\xBF[{\"id\": \"a\"}]");
        JsonArraySplitter splitter(&array, 1024);
        RawRecord raw;
        QCOMPARE(splitter.next(&raw), JsonArraySplitter::Result::Record);
        QCOMPARE(QByteArray(raw.text.data(), qsizetype(raw.text.size())), QByteArray("{\"id\": \"a\"}"));
        QCOMPARE(splitter.next(&raw), JsonArraySplitter::Result::End);

        OneByteDevice lines("\xEF\xBB\xBF{\"id\": \"a\"}\n{\"id\": \"b\"}\n");
        JsonLinesSplitter jsonl(&lines, 1024);
        QCOMPARE(jsonl.next(&raw), JsonLinesSplitter::Result::Record);
        QCOMPARE(QByteArray(raw.text.data(), qsizetype(raw.text.size())), QByteArray("{\"id\": \"a\"}"));
        QCOMPARE(raw.offset, 3);
    }

    void negativeTarMemberSizeIsDamage()
    {
        // fuzz_tar: from a garbage extended header libarchive hands out a regular member of size -1,
        // and reading it asked for 2^64 - 1 bytes. The shard is reported damaged at that member.
        const QString shard = QStringLiteral(FACET_TEST_DATA) + u"/tar/negative_size.tar"_s;
        TarIndexer tar(shard);
        TarMember member;
        QCOMPARE(tar.next(&member), TarIndexer::Result::Error);
        QVERIFY2(tar.errorString().contains(u"negative size"_s), qPrintable(tar.errorString()));
        std::string bytes;
        QVERIFY(tar.readData(&bytes, 1 << 20)); // nothing to read, and no huge allocation
        QVERIFY(bytes.empty());

        // Imported as a shard: one skipped record that names the damage; nothing else is written.
        QTemporaryDir dir;
        auto project = Project::open(dir.filePath(u"t.facet"_s), Project::OpenMode::CreateIfMissing);
        ImportOptions options;
        options.format = SourceFormat::WebDataset;
        const ImportReport report = Importer(*project).run({shard}, options);
        QCOMPARE(report.imported, 0);
        QCOMPARE(report.skipped, 1);
        QCOMPARE(report.errors.size(), 1);
        QVERIFY2(report.errors.first().reason.contains(u"negative size"_s), qPrintable(report.errors.first().reason));
    }

    void hugeDeclaredSidesDoNotOverflow()
    {
        // fuzz_imageheader: a PNG declaring 4294967295 x 4292411352 made pixels() overflow (UB),
        // which could wrap below MaxPixels and let the decoder allocate.
        QByteArray png("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\xFF\xFF\xFF\xFF\xFF\xD8\xFF\xD8\x08\x02\x00\x00\x00", 29);
        png += QByteArray(4, '\0') + QByteArray(64, '\0');
        const ImageHeader h = sniffImageHeader(png);
        QCOMPARE(h.format, ImageFormat::Png);
        QVERIFY(h.hasSize());
        QVERIFY(h.pixels() > ImageDecoder::MaxPixels);
        const DecodedImage d = ImageDecoder::decodeBytes(png);
        QVERIFY(d.isNull());
        QCOMPARE(d.state, ImageState::Broken);
        QVERIFY(!d.error.isEmpty());
    }

    void queryWithNulCharacterRuns()
    {
        // fuzz_query: a bare word with a NUL parsed, then failed in SQLite with FTS5's
        // "unterminated string" instead of simply matching.
        QTemporaryDir dir;
        const QString data = test::writeFile(dir, u"d.jsonl"_s, records(5));
        auto project = Project::open(dir.filePath(u"q.facet"_s), Project::OpenMode::CreateIfMissing);
        Importer(*project).run({data}, ImportOptions());
        ItemStore store(*project);
        const QString text = u"red"_s + QChar(u'\0') + u"car"_s;
        QCOMPARE(store.count(Query::parse(text)), 5);
        QCOMPARE(store.count(Query::parse(u"-"_s + text)), 0);
    }

    void countAgreesWithIdsWithAndWithoutTheCaptionJoin()
    {
        // count() leaves out the caption_versions and version_segments joins when no term reads
        // them (`v.`, `g.`); both forms must count what ids() lists, an item without a caption
        // (so without either joined row) included.
        QTemporaryDir dir;
        const QString data = test::writeFile(dir, u"d.jsonl"_s, records(5));
        auto project = Project::open(dir.filePath(u"c.facet"_s), Project::OpenMode::CreateIfMissing);
        Importer(*project).run({data}, ImportOptions());
        project->db().exec("UPDATE items SET current_version = NULL WHERE id = (SELECT max(id) FROM items)");
        ItemStore store(*project);
        for (const QString& filter :
             {u""_s, u"status:pending"_s, u"chars:>3"_s, u"-chars:>3"_s, u"origin:imported"_s, u"-origin:imported"_s,
              u"red"_s, u"-red"_s, u"facet:other"_s, u"-facet:other"_s, u"-facet:spatial status:pending"_s}) {
            const Query q = Query::parse(filter);
            QCOMPARE(store.count(q), std::int64_t(store.ids(q).size()));
        }
        QCOMPARE(Query::parse(u"-facet:spatial"_s).countFrom(),
                 u"items i LEFT JOIN version_segments g ON g.version_id = i.current_version"_s);
        QCOMPARE(Query::parse(u"origin:human"_s).countFrom(),
                 u"items i LEFT JOIN caption_versions v ON v.id = i.current_version"_s);
        QCOMPARE(Query::parse(u"status:pending -source:set reviewer:ann"_s).countFrom(), u"items i"_s);
        // The item without a caption has no segments row: it lacks every facet.
        QCOMPARE(store.count(Query::parse(u"-facet:spatial -facet:other -facet:art -facet:attributes "
                                          u"-facet:world_knowledge"_s)),
                 1);
        QCOMPARE(store.count(Query::parse(u"origin:imported"_s)), 4);
        QCOMPARE(store.count(Query()), 5);
    }

    void streamStartingWithWhitespacePieceIsStillAStream()
    {
        // fuzz_provider: a streamed reply whose first piece held only whitespace (a keep-alive
        // newline in its own write) was taken for a plain JSON reply: "malformed reply (not JSON)".
        for (const bool split : {false, true}) {
            ChatExchange exchange(ProviderKind::OpenAiCompatible, true, false);
            const std::string chunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A red car.\"},"
                                      "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
            if (split) {
                QVERIFY(exchange.onData("\n"));
                QVERIFY(exchange.onData(chunk));
            } else {
                QVERIFY(exchange.onData("\n" + chunk));
            }
            const ChatOutcome out = exchange.finish(200, {}, QString(), true);
            QVERIFY2(out.kind == ChatOutcome::Kind::Ok, qPrintable(out.error));
            QCOMPARE(out.text, u"A red car."_s);
        }
    }

    void repliesWithWrongTypesAreOutcomesNotExceptions()
    {
        // fuzz_provider: Ollama's "done": 5 (and a content part whose "type" is not a string) made
        // nlohmann's value() throw type_error out of ChatExchange, which must never throw.
        const std::string ollama = "{\"model\": \"llava\", \"message\": {\"role\": \"assistant\", "
                                   "\"content\": \"A dog\"}, \"done\": 5}\n";
        for (const bool stream : {false, true}) {
            ChatExchange exchange(ProviderKind::Ollama, stream, false);
            exchange.onData(ollama);
            ChatOutcome out;
            try {
                out = exchange.finish(200, {}, QString(), true);
            } catch (const std::exception& e) {
                QFAIL(e.what());
            }
            QVERIFY(out.kind == ChatOutcome::Kind::Ok ? !out.text.isEmpty() : !out.error.isEmpty());
        }
        ChatExchange openai(ProviderKind::OpenAiCompatible, false, false);
        openai.onData("{\"choices\": [{\"message\": {\"content\": [{\"type\": 3, \"text\": \"x\"}, "
                      "{\"type\": \"text\", \"text\": 4}, {\"type\": \"text\", \"text\": \"A cat.\"}]}, "
                      "\"finish_reason\": \"stop\"}]}");
        try {
            const ChatOutcome out = openai.finish(200, {}, QString(), true);
            QVERIFY2(out.kind == ChatOutcome::Kind::Ok, qPrintable(out.error));
            QVERIFY2(out.text.endsWith(u"A cat."_s), qPrintable(out.text));
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestReliability)
#include "test_reliability.moc"
