#pragma once

#include "chunkreader.h"
#include "jsonarraysplitter.h"

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

class QIODevice;

namespace facet {

/**
 * Yields each non-blank line of a JSONL file as one record (without its "\n" or "\r\n"), reading in
 * chunks (ChunkReader). Lines longer than `maxRecordBytes` are reported as too large and skipped over
 * without being held in memory. RawRecord::index counts records (blank lines are not records);
 * line() gives the 1-based line number of the last record for messages.
 */
class JsonLinesSplitter final
{
    Q_DECLARE_TR_FUNCTIONS(facet::JsonLinesSplitter)

public:
    enum class Result
    {
        Record,
        End,
        Error
    };

    JsonLinesSplitter(QIODevice* device, std::int64_t maxRecordBytes,
                      std::size_t chunkBytes = ChunkReader::DefaultChunkBytes);

    Result next(RawRecord* out);

    const QString& errorString() const { return m_error; }
    std::int64_t errorOffset() const { return m_errorOffset; }
    bool errorInRecord() const { return false; }
    std::int64_t recordIndex() const { return m_index; }
    /** 1-based line number of the record last returned. */
    std::int64_t line() const { return m_line; }
    std::int64_t bytesRead() const { return m_reader.bytesRead(); }

private:
    bool fill();

    ChunkReader m_reader;
    std::int64_t m_maxRecordBytes;
    std::size_t m_pos = 0; ///< next byte to scan in the reader's chunk
    bool m_failed = false;
    std::string m_partial;
    std::int64_t m_index = 0;
    std::int64_t m_line = 0;
    std::int64_t m_nextLine = 1;
    QString m_error;
    std::int64_t m_errorOffset = -1;
};

} // namespace facet
