#include "jsonlinessplitter.h"

#include <QIODevice>

#include <cstring>

namespace facet {

namespace {

bool isBlank(std::string_view line)
{
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

} // namespace

JsonLinesSplitter::JsonLinesSplitter(QIODevice* device, std::int64_t maxRecordBytes, std::size_t chunkBytes)
    : m_reader(device, chunkBytes)
    , m_maxRecordBytes(maxRecordBytes)
{
}

bool JsonLinesSplitter::fill()
{
    if (!m_reader.fill()) {
        m_pos = 0;
        if (m_reader.failed()) {
            m_failed = true;
            m_errorOffset = m_reader.bytesRead();
            m_error = m_reader.error();
        }
        return false;
    }
    m_pos = m_reader.start();
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
            if (m_pos == m_reader.size() && !fill()) {
                if (m_failed)
                    return Result::Error;
                if (offset < 0)
                    return Result::End;
                text = m_partial; // the last line had no "\n"
                haveLine = true;
                break;
            }
            if (offset < 0)
                offset = m_reader.offset() + static_cast<std::int64_t>(m_pos);
            const char* start = m_reader.data() + m_pos;
            const auto avail = m_reader.size() - m_pos;
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
            m_pos = m_reader.size();
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
