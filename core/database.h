#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace facet {

class Statement;

/**
 * A thin owner of one sqlite3 connection. Not thread-safe: one Database per thread.
 * Every failure throws facet::Error naming the file and SQLite's message.
 */
class Database final
{
public:
    enum class Mode
    {
        ReadWrite,
        ReadWriteCreate,
        ReadOnly
    };
    /** How long a connection waits for another one's lock before failing with "database is locked". */
    static constexpr int kBusyTimeoutMs = 5000;

    Database(const QString& path, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    sqlite3* handle() const { return m_db; }
    const QString& path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }

    /** Runs one or more statements without results. */
    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    std::int64_t lastInsertId() const;
    int changes() const;
    /** False while a transaction is open on this connection. */
    bool isAutocommit() const;
    /** Sets how long a statement waits for another connection's lock (kBusyTimeoutMs by default). */
    void setBusyTimeout(int ms);
    /** SQLite's PRAGMA data_version: changes when another connection commits. */
    std::int64_t dataVersion();

    [[noreturn]] void fail(const char* what) const;

    /**
     * The first `length` bytes of a database file (fewer if it is shorter) and, in `size`, its size.
     * Read through SQLite's own file layer, never QFile: closing a descriptor drops every POSIX lock
     * this process holds on the file, so a plain open()/close() while another connection of this
     * process has the project open silently unlocks that connection, and other processes then
     * checkpoint or reset the WAL under it (lost commits, "database disk image is malformed").
     * SQLite's layer keeps the descriptor open until this process's locks are released. Returns
     * false when the file cannot be opened.
     */
    static bool readFileHeader(const QString& path, int length, QByteArray* bytes, qint64* size);

private:
    sqlite3* m_db = nullptr;
    QString m_path;
    bool m_readOnly = false;
};

/** A prepared statement. Bind indexes are 1-based, column indexes 0-based, as in SQLite. */
class Statement final
{
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, const QString& value); // a null QString binds NULL
    Statement& bind(int index, std::string_view utf8);
    Statement& bind(int index, const char* utf8) { return bind(index, std::string_view(utf8)); }
    Statement& bindNull(int index);
    Statement& bind(int index, const std::optional<std::int64_t>& value);

    /** Steps once; true while a row is available. */
    bool step();
    /** Steps to completion, for statements without results. */
    void run();
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    int integer(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    QString text(int column) const;
    std::string_view textView(int column) const; // valid until the next step/reset
    int columnCount() const;

private:
    Database* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/**
 * RAII transaction: BEGIN IMMEDIATE on construction (so writers queue on busy_timeout instead of
 * failing half-way), ROLLBACK in the destructor unless commit() was called.
 */
class Transaction final
{
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

/** Current time as ISO 8601 UTC with seconds ("2026-11-27T23:30:00Z"). */
QString nowIso();

} // namespace facet
