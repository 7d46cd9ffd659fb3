#pragma once

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
 * 1 MiB chunks. Lines longer than `maxRecordBytes` are reported as too large and skipped over
 * without being held in memory. RawRecord::index counts records (blank lines are not records);
 * line() gives the 1-based line number of the last record for messages.
 */
class JsonLinesSplitter final
{
    Q_DECLARE_TR_FUNCTIONS(facet::JsonLinesSplitter)

public:
    enum class Result { Record, End, Error };

    JsonLinesSplitter(QIODevice* device, std::int64_t maxRecordBytes);

    Result next(RawRecord* out);

    const QString& errorString() const { return m_error; }
    std::int64_t errorOffset() const { return m_errorOffset; }
    bool errorInRecord() const { return false; }
    std::int64_t recordIndex() const { return m_index; }
    /** 1-based line number of the record last returned. */
    std::int64_t line() const { return m_line; }
    std::int64_t bytesRead() const { return m_chunkOffset + static_cast<std::int64_t>(m_len); }

private:
    bool fill();

    QIODevice* m_device;
    std::int64_t m_maxRecordBytes;
    std::vector<char> m_chunk;
    std::size_t m_len = 0;
    std::size_t m_pos = 0;
    std::int64_t m_chunkOffset = 0;
    bool m_eof = false;
    bool m_failed = false;
    std::string m_partial;
    std::int64_t m_index = 0;
    std::int64_t m_line = 0;
    std::int64_t m_nextLine = 1;
    QString m_error;
    std::int64_t m_errorOffset = -1;
};

} // namespace facet
