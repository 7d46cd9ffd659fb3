#include "chunkreader.h"

#include <QIODevice>

#include <algorithm>
#include <cstring>

namespace facet {

ChunkReader::ChunkReader(QIODevice* device, std::size_t chunkBytes)
    : m_device(device)
    , m_chunk(std::max<std::size_t>(chunkBytes, 3)) // the byte order mark must fit the first chunk
{
}

bool ChunkReader::fill()
{
    if (m_eof)
        return false;
    m_offset += static_cast<std::int64_t>(m_len);
    m_len = 0;
    m_start = 0;
    const qint64 n = m_device->read(m_chunk.data(), static_cast<qint64>(m_chunk.size()));
    if (n <= 0) {
        m_eof = true;
        if (n < 0) {
            m_failed = true;
            m_error = tr("cannot read the file at byte %1: %2").arg(m_offset).arg(m_device->errorString());
        }
        return false;
    }
    m_len = static_cast<std::size_t>(n);
    while (m_offset == 0 && m_len < 3) {
        const qint64 more = m_device->read(m_chunk.data() + m_len, static_cast<qint64>(m_chunk.size() - m_len));
        if (more <= 0)
            break; // end of file, or an error the next fill() reports
        m_len += static_cast<std::size_t>(more);
    }
    if (m_offset == 0 && m_len >= 3 && std::memcmp(m_chunk.data(), "\xEF\xBB\xBF", 3) == 0)
        m_start = 3;
    return true;
}

} // namespace facet
