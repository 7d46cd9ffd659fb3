#pragma once

#include <QCoreApplication>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

class QIODevice;

namespace facet {

/**
 * Reads a device one fixed-size chunk at a time for the byte splitters (JSON arrays, JSONL), which
 * scan the chunk in place. It knows the file offset of every byte, skips a UTF-8 byte order mark at
 * the start of the file, and turns a read error into a message naming the byte offset.
 */
class ChunkReader final
{
    Q_DECLARE_TR_FUNCTIONS(facet::ChunkReader)

public:
    /** Large enough that reading costs nothing next to scanning; small next to any record limit. */
    static constexpr std::size_t DefaultChunkBytes = std::size_t(1) << 20;

    explicit ChunkReader(QIODevice* device, std::size_t chunkBytes = DefaultChunkBytes);

    /**
     * Replaces the chunk with the next bytes of the device. False at the end of the file or on a
     * read error (then failed() is true and error() says why). The first chunk holds at least
     * three bytes when the file has them, so that a byte order mark is always seen whole even on a
     * device that hands out a byte at a time (a pipe, a network file system).
     */
    bool fill();

    const char* data() const { return m_chunk.data(); }
    /** Bytes in the current chunk. */
    std::size_t size() const { return m_len; }
    /** Where scanning of the current chunk starts: past the byte order mark in the first chunk. */
    std::size_t start() const { return m_start; }
    /** File offset of data()[0]. */
    std::int64_t offset() const { return m_offset; }
    /** Bytes of the file read so far, for progress. */
    std::int64_t bytesRead() const { return m_offset + static_cast<std::int64_t>(m_len); }

    bool failed() const { return m_failed; }
    const QString& error() const { return m_error; }

private:
    QIODevice* m_device;
    std::vector<char> m_chunk;
    std::size_t m_len = 0;
    std::size_t m_start = 0;
    std::int64_t m_offset = 0;
    bool m_eof = false;
    bool m_failed = false;
    QString m_error;
};

} // namespace facet
