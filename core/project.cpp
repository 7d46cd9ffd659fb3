#include "project.h"

#include "error.h"
#include "schema.h"

#include <QFile>
#include <QFileInfo>

namespace facet {

namespace {

// A project file must start with SQLite's magic header; checking it first means a stray file
// (a JSON file passed by mistake, a truncated download) is refused before SQLite touches it.
bool looksLikeSqlite(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    if (f.size() == 0)
        return true; // an empty file is an empty database
    return f.read(16) == QByteArray("SQLite format 3\0", 16);
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
    if (info.exists() && !looksLikeSqlite(path))
        throw ProjectError(tr("%1 is not a Facet Studio project (not an SQLite file)").arg(path));

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
        if (!d.isReadOnly()) {
            d.exec("PRAGMA journal_mode=WAL");
            d.exec("PRAGMA synchronous=NORMAL");
        }
        d.exec("PRAGMA foreign_keys=ON");
        const int version = schema::readVersion(d);
        if (version > SchemaVersion) {
            schema::migrate(d, version); // throws: newer file
        } else if (version == 0) {
            if (d.isReadOnly())
                throw ProjectError(tr("%1 is empty and read-only").arg(path));
            schema::create(d);
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
