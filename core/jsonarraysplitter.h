#pragma once

#include "chunkreader.h"

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

class QIODevice;

namespace facet {

/** One record's raw bytes as they appear in the file. `text` is valid until the next call to next(). */
struct RawRecord
{
    std::string_view text;
    std::int64_t index = 0;  ///< 0-based position of the record in the file
    std::int64_t offset = 0; ///< byte offset of its first byte in the file
    std::int64_t size = 0;   ///< its size in bytes (also when it was too large to keep)
    bool tooLarge = false;   ///< larger than the limit: `text` is empty and the record must be skipped
};

/**
 * Walks a top-level JSON array and yields each element's byte span without parsing it: a byte
 * scanner that only tracks strings, escapes and bracket nesting, reading the file in chunks (1 MiB).
 * Memory stays at one chunk plus the largest element (capped at `maxRecordBytes`), so a 1.5 GB
 * array costs what its biggest record costs. Whether an element is valid JSON is the record parser's
 * business; this class only reports errors that break the array itself (a truncated file, a missing
 * comma, mismatched brackets), after which the elements before the error are still good.
 */
class JsonArraySplitter final
{
    Q_DECLARE_TR_FUNCTIONS(facet::JsonArraySplitter)

public:
    enum class Result
    {
        Record,
        End,
        Error
    };

    JsonArraySplitter(QIODevice* device, std::int64_t maxRecordBytes,
                      std::size_t chunkBytes = ChunkReader::DefaultChunkBytes);

    /** The next element, End after the closing bracket, or Error (see errorString()). */
    Result next(RawRecord* out);

    /** Why the array broke, naming the byte offset; empty unless next() returned Error. */
    const QString& errorString() const { return m_error; }
    std::int64_t errorOffset() const { return m_errorOffset; }
    /** True if the error cut an element short (it counts as a lost record). */
    bool errorInRecord() const { return m_errorInRecord; }
    /** Index the next element would have had; after an error in a record, that record's index. */
    std::int64_t recordIndex() const { return m_index; }
    /** Bytes of the file consumed so far, for progress. */
    std::int64_t bytesRead() const { return m_reader.bytesRead(); }

private:
    enum class State
    {
        Start,
        AfterOpen,
        AfterComma,
        InRecord,
        AfterRecord,
        AfterClose,
        Done,
        Failed
    };

    bool fill();
    Result fail(std::int64_t offset, const QString& message, bool inRecord);
    /** Scans the current element from m_pos; returns true when it ended (m_pos is past it). */
    bool scanRecord();
    void keepPartial(std::size_t from, std::size_t to);
    void beginRecord();

    ChunkReader m_reader;
    std::int64_t m_maxRecordBytes;
    std::size_t m_pos = 0; ///< next byte to scan in the reader's chunk
    State m_state = State::Start;

    // The element being scanned.
    std::string m_partial;         ///< bytes of the element from earlier chunks
    std::string m_brackets;        ///< open '{' / '[' of the element
    std::size_t m_recordStart = 0; ///< where the element starts in the current chunk
    std::int64_t m_recordOffset = 0;
    std::int64_t m_recordSize = 0;
    bool m_inString = false;
    bool m_escape = false;
    bool m_bare = false; ///< a number or literal: ends at ',' ']' or whitespace
    bool m_tooLarge = false;
    std::int64_t m_index = 0;

    QString m_error;
    std::int64_t m_errorOffset = -1;
    bool m_errorInRecord = false;
};

} // namespace facet
