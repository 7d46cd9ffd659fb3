#include "jsonlinessplitter.h"

#include <QIODevice>

#include <cstring>

namespace facet {

namespace {

constexpr std::size_t kChunkBytes = 1 << 20;

bool isBlank(std::string_view line)
{
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

} // namespace

JsonLinesSplitter::JsonLinesSplitter(QIODevice* device, std::int64_t maxRecordBytes)
    : m_device(device)
    , m_maxRecordBytes(maxRecordBytes)
    , m_chunk(kChunkBytes)
{
}

bool JsonLinesSplitter::fill()
{
    if (m_eof)
        return false;
    m_chunkOffset += static_cast<std::int64_t>(m_len);
    m_pos = 0;
    m_len = 0;
    const qint64 n = m_device->read(m_chunk.data(), static_cast<qint64>(m_chunk.size()));
    if (n < 0) {
        m_eof = true;
        m_failed = true;
        m_errorOffset = m_chunkOffset;
        m_error = tr("cannot read the file at byte %1: %2").arg(m_chunkOffset).arg(m_device->errorString());
        return false;
    }
    if (n == 0) {
        m_eof = true;
        return false;
    }
    m_len = static_cast<std::size_t>(n);
    // A device may hand out fewer bytes than asked for (a pipe, a network file system); the byte
    // order mark is looked for in the first chunk, so that chunk holds at least its three bytes.
    while (m_chunkOffset == 0 && m_len < 3) {
        const qint64 more = m_device->read(m_chunk.data() + m_len, static_cast<qint64>(m_chunk.size() - m_len));
        if (more <= 0)
            break; // end of file, or an error the next fill() reports
        m_len += static_cast<std::size_t>(more);
    }
    if (m_chunkOffset == 0 && m_len >= 3 && std::memcmp(m_chunk.data(), "\xEF\xBB\xBF", 3) == 0)
        m_pos = 3; // UTF-8 byte order mark
    return true;
}

JsonLinesSplitter::Result JsonLinesSplitter::next(RawRecord* out)
{
    for (;;) {
        if (m_failed)
            return Result::Error;
        // One line: [start, newline) possibly continued from earlier chunks in m_partial.
        m_partial.clear();
        std::int64_t size = 0;
        bool tooLarge = false;
        std::int64_t offset = -1;
        bool haveLine = false;
        std::string_view text;
        for (;;) {
            if (m_pos == m_len && !fill()) {
                if (m_failed)
                    return Result::Error;
                if (offset < 0)
                    return Result::End;
                text = m_partial; // the last line had no "\n"
                haveLine = true;
                break;
            }
            if (offset < 0)
                offset = m_chunkOffset + static_cast<std::int64_t>(m_pos);
            const char* start = m_chunk.data() + m_pos;
            const auto avail = m_len - m_pos;
            const auto* nl = static_cast<const char*>(std::memchr(start, '\n', avail));
            const std::size_t n = nl ? static_cast<std::size_t>(nl - start) : avail;
            size += static_cast<std::int64_t>(n);
            if (size > m_maxRecordBytes && !tooLarge) {
                tooLarge = true;
                std::string().swap(m_partial);
            }
            if (nl) {
                m_pos += n + 1;
                if (tooLarge) {
                    text = {};
                } else if (m_partial.empty()) {
                    text = std::string_view(start, n);
                } else {
                    m_partial.append(start, n);
                    text = m_partial;
                }
                haveLine = true;
                break;
            }
            if (!tooLarge)
                m_partial.append(start, n);
            m_pos = m_len;
        }
        if (!haveLine)
            return Result::End;
        m_line = m_nextLine++;
        if (!tooLarge && !text.empty() && text.back() == '\r')
            text.remove_suffix(1);
        if (!tooLarge && isBlank(text))
            continue;
        out->text = text;
        out->index = m_index++;
        out->offset = offset;
        out->size = size;
        out->tooLarge = tooLarge;
        return Result::Record;
    }
}

} // namespace facet
