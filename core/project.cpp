#include "project.h"

#include "database.h"
#include "error.h"
#include "facetmodel.h"
#include "schema.h"

#include <QFileInfo>

namespace facet {

namespace {

// A project file must start with SQLite's magic header; checking it first means a stray file
// (a JSON file passed by mistake) is refused before SQLite touches it. The header also records the
// database size in pages, valid when the "version-valid-for" number matches the change counter:
// a file shorter than that was truncated (a copy cut short, a full disk) and is refused, not opened
// to fail later half-way through an action.
enum class HeaderCheck
{
    Ok,
    NotSqlite,
    Truncated
};

HeaderCheck checkHeader(const QString& path)
{
    // Through SQLite's file layer, never QFile: another connection of this process may have the
    // project open (the GUI's worker, a background task) and a plain close() would drop its locks.
    QByteArray h;
    qint64 size = 0;
    if (!Database::readFileHeader(path, 100, &h, &size))
        return HeaderCheck::Ok; // permission problems are reported by SQLite with its own message
    if (size == 0)
        return HeaderCheck::Ok; // an empty file is an empty database
    if (h.size() < 100 || !h.startsWith(QByteArray("SQLite format 3\0", 16)))
        return HeaderCheck::NotSqlite;
    auto u32 = [&h](int at) {
        return (quint32(quint8(h[at])) << 24) | (quint32(quint8(h[at + 1])) << 16) | (quint32(quint8(h[at + 2])) << 8)
               | quint32(quint8(h[at + 3]));
    };
    quint32 pageSize = (quint32(quint8(h[16])) << 8) | quint32(quint8(h[17]));
    if (pageSize == 1)
        pageSize = 65536;
    const quint32 pages = u32(28);
    // With a -wal beside it, a short file is the normal state of a checkpoint that was cut off (a
    // killed process): a checkpoint writes page 1, with the new size, before the pages that extend
    // the file, and the WAL still holds every page. SQLite completes it when the project is opened.
    if (QFileInfo(path + QStringLiteral("-wal")).size() > 0)
        return HeaderCheck::Ok;
    // Likewise a hot rollback journal (an import killed mid-way, importer.cpp): the file may hold
    // part of the transaction's pages; SQLite rolls it back when the project is opened.
    if (QFileInfo(path + QStringLiteral("-journal")).size() > 0)
        return HeaderCheck::Ok;
    if (pages > 0 && u32(92) == u32(24) && size < qint64(pages) * qint64(pageSize))
        return HeaderCheck::Truncated;
    return HeaderCheck::Ok;
}

} // namespace

Project::Project(const QString& path, std::unique_ptr<Database> db)
    : m_path(path)
    , m_db(std::move(db))
{
}

std::unique_ptr<Project> Project::open(const QString& path, OpenMode mode)
{
    const QFileInfo info(path);
    if (!info.exists() && mode != OpenMode::CreateIfMissing)
        throw ProjectError(tr("No project at %1").arg(path));
    if (info.exists() && !info.isFile())
        throw ProjectError(tr("%1 is not a file").arg(path));
    if (info.exists()) {
        switch (checkHeader(path)) {
        case HeaderCheck::NotSqlite:
            throw ProjectError(tr("%1 is not a Facet Studio project (not an SQLite file)").arg(path));
        case HeaderCheck::Truncated:
            throw ProjectError(tr("Project %1 is damaged: the file is truncated; it was not modified").arg(path));
        case HeaderCheck::Ok:
            break;
        }
    }

    QString readOnlyReason;
    Database::Mode dbMode = Database::Mode::ReadWriteCreate;
    if (mode == OpenMode::ReadOnly) {
        dbMode = Database::Mode::ReadOnly;
        readOnlyReason = tr("opened read-only on request");
    } else if (info.exists()) {
        const QFileInfo dir(info.absolutePath());
        if (!info.isWritable() || !dir.isWritable()) {
            dbMode = Database::Mode::ReadOnly;
            readOnlyReason = tr("the file or its folder is not writable");
        } else {
            dbMode = Database::Mode::ReadWrite;
        }
    }

    auto db = std::make_unique<Database>(path, dbMode);
    std::unique_ptr<Project> project(new Project(path, std::move(db)));
    project->m_readOnlyReason = readOnlyReason;
    Database& d = project->db();
    try {
        // Read the version before anything that could write (switching to WAL rewrites the header):
        // a file from a newer Facet Studio is refused byte-for-byte untouched.
        const int version = schema::readVersion(d);
        if (version > SchemaVersion)
            schema::migrate(d, version); // throws: newer file
        if (!d.isReadOnly()) {
            // WAL: readers (the GUI's worker) never block the writer; synchronous=NORMAL: a commit
            // survives a killed process, a power cut may lose the last commits but never corrupts.
            d.exec("PRAGMA journal_mode=WAL");
            d.exec("PRAGMA synchronous=NORMAL");
        }
        d.exec("PRAGMA foreign_keys=ON");
        if (version == 0) {
            if (d.isReadOnly())
                throw ProjectError(tr("%1 is empty and read-only").arg(path));
            schema::create(d);
            // A new project's facets are trivially the current model's (it has none yet); recording
            // that keeps the window from calling its facets out of date after the first import.
            FacetModel::setIndexedBy(d, FacetModel::projectFingerprint(d));
            project->setName(info.completeBaseName());
        } else if (version < SchemaVersion) {
            if (d.isReadOnly())
                throw ProjectError(tr("%1 needs an upgrade but is read-only").arg(path));
            schema::migrate(d, version);
        }
    } catch (const ProjectError&) {
        throw;
    } catch (const Error& e) {
        throw ProjectError(tr("Cannot open project %1: %2").arg(path, e.message()));
    }
    return project;
}

std::unique_ptr<Project> Project::reopen() const
{
    return open(m_path, isReadOnly() ? OpenMode::ReadOnly : OpenMode::Existing);
}

QString Project::name() const
{
    Statement st = m_db->prepare("SELECT value FROM meta WHERE key='name'");
    if (st.step())
        return st.text(0);
    return QFileInfo(m_path).completeBaseName();
}

void Project::setName(const QString& name)
{
    Statement st = m_db->prepare("INSERT INTO meta(key, value) VALUES('name', ?) "
                                 "ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    st.bind(1, name).run();
}

} // namespace facet
