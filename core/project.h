#pragma once

#include "database.h"

#include <QCoreApplication>
#include <QString>

#include <memory>

namespace facet {

/**
 * One project file: an SQLite database with Facet Studio's schema. Opening it applies the
 * connection settings (WAL, synchronous=NORMAL, foreign keys, busy timeout), creates the schema
 * in a new file and migrates an older one. A file that is not a project, is damaged, or was
 * written by a newer version is refused with ProjectError and left untouched.
 */
class Project final
{
    Q_DECLARE_TR_FUNCTIONS(facet::Project)

public:
    enum class OpenMode
    {
        Existing,        ///< the file must exist
        CreateIfMissing, ///< create an empty project if there is no file
        ReadOnly,        ///< never write (also chosen automatically for unwritable files)
    };

    static constexpr int SchemaVersion = 5;

    static std::unique_ptr<Project> open(const QString& path, OpenMode mode = OpenMode::Existing);

    /** A second connection to the same file, for a worker thread. */
    std::unique_ptr<Project> reopen() const;

    Database& db() { return *m_db; }
    const QString& path() const { return m_path; }
    QString name() const;
    void setName(const QString& name);
    bool isReadOnly() const { return m_db->isReadOnly(); }
    /** Why the project opened read-only, or empty. */
    const QString& readOnlyReason() const { return m_readOnlyReason; }

private:
    Project(const QString& path, std::unique_ptr<Database> db);

    QString m_path;
    std::unique_ptr<Database> m_db;
    QString m_readOnlyReason;
};

} // namespace facet
