#include "database.h"

#include "error.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QUrl>

#include <sqlite3.h>

#include <algorithm>
#include <vector>

namespace facet {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("facet::Database", text);
}

} // namespace

Database::Database(const QString& path, Mode mode)
    : m_path(path)
    , m_readOnly(mode == Mode::ReadOnly)
{
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    QByteArray utf8 = path.toUtf8();
    if (mode == Mode::ReadOnly) {
        // A WAL database needs its -shm file even to be read. On a read-only disk (a read-only
        // mount, a folder we may not write) a cleanly closed project has none and none can be
        // created, so SQLite cannot open it at all. Nobody can change the file there either, so it
        // is opened as immutable: no locks, no -shm. When a -wal exists (left by a killed writer),
        // its committed frames must be read, and the normal read-only open handles that.
        const QFileInfo info(path);
        if (!QFileInfo(info.absolutePath()).isWritable() && !QFileInfo::exists(path + QStringLiteral("-wal"))) {
            utf8 = QUrl::fromLocalFile(info.absoluteFilePath()).toEncoded() + "?immutable=1";
            flags |= SQLITE_OPEN_URI;
        }
    }
    const int rc = sqlite3_open_v2(utf8.constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString reason = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : tr("out of memory");
        sqlite3_close(m_db);
        m_db = nullptr;
        throw ProjectError(tr("Cannot open project %1: %2").arg(path, reason));
    }
    sqlite3_extended_result_codes(m_db, 1);
    // Two processes (GUI and CLI) share a project: wait for the other writer instead of failing.
    sqlite3_busy_timeout(m_db, kBusyTimeoutMs);
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

bool Database::isAutocommit() const
{
    return sqlite3_get_autocommit(m_db) != 0;
}

void Database::setBusyTimeout(int ms)
{
    sqlite3_busy_timeout(m_db, ms);
}

void Database::exec(std::string_view sql)
{
    const std::string s(sql);
    char* message = nullptr;
    if (sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        fail(s.c_str());
    }
}

Statement Database::prepare(std::string_view sql)
{
    return Statement(*this, sql);
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

std::int64_t Database::dataVersion()
{
    Statement st(*this, "PRAGMA data_version");
    return st.step() ? st.int64(0) : 0;
}

bool Database::readFileHeader(const QString& path, int length, QByteArray* bytes, qint64* size)
{
    sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
    if (!vfs)
        return false;
    // The VFS wants a name made by sqlite3_create_filename (it may look for URI parameters after it).
    const QByteArray utf8 = QFileInfo(path).absoluteFilePath().toUtf8();
    sqlite3_filename name = sqlite3_create_filename(utf8.constData(), "", "", 0, nullptr);
    if (!name)
        return false;
    std::vector<char> storage(static_cast<size_t>(vfs->szOsFile));
    auto* file = reinterpret_cast<sqlite3_file*>(storage.data());
    file->pMethods = nullptr;
    int outFlags = 0;
    const int rc = vfs->xOpen(vfs, name, file, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &outFlags);
    bool ok = false;
    if (rc == SQLITE_OK && file->pMethods) {
        sqlite3_int64 fileSize = 0;
        if (file->pMethods->xFileSize(file, &fileSize) == SQLITE_OK) {
            *size = fileSize;
            const int n = static_cast<int>(std::min<sqlite3_int64>(length, fileSize));
            bytes->resize(n);
            // A short read fills with zeros and says SQLITE_IOERR_SHORT_READ; n never exceeds the size.
            ok = n == 0 || file->pMethods->xRead(file, bytes->data(), n, 0) == SQLITE_OK;
        }
    }
    if (file->pMethods) // may be set even when xOpen failed half-way; then xClose must still run
        file->pMethods->xClose(file);
    sqlite3_free_filename(name);
    return ok;
}

void Database::fail(const char* what) const
{
    const int code = sqlite3_extended_errcode(m_db);
    const QString reason = QString::fromUtf8(sqlite3_errmsg(m_db));
    const int primary = code & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        throw ProjectError(tr("Project %1 is locked by another program (%2)").arg(m_path, reason));
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        throw ProjectError(tr("Project %1 is damaged: %2").arg(m_path, reason));
    if (primary == SQLITE_READONLY)
        throw ProjectError(tr("Project %1 is read-only: %2").arg(m_path, reason));
    throw Error(tr("%1: %2 (%3)").arg(m_path, reason, QString::fromUtf8(what)));
}

Statement::Statement(Database& db, std::string_view sql)
    : m_db(&db)
{
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt,
                           nullptr)
        != SQLITE_OK)
        db.fail(std::string(sql).c_str());
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db)
    , m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement& Statement::bind(int index, const QString& value)
{
    if (value.isNull())
        return bindNull(index);
    const QByteArray utf8 = value.toUtf8();
    if (sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT)
        != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view utf8)
{
    if (sqlite3_bind_text(m_stmt, index, utf8.data(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement& Statement::bindNull(int index)
{
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK)
        m_db->fail("bind");
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value)
{
    return value ? bind(index, *value) : bindNull(index);
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    sqlite3_reset(m_stmt);
    m_db->fail(sqlite3_sql(m_stmt));
}

void Statement::run()
{
    while (step()) {
    }
    sqlite3_reset(m_stmt);
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString Statement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

std::string_view Statement::textView(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return {data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

Transaction::Transaction(Database& db)
    : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done)
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

QString nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

} // namespace facet
