#include "sseparser.h"

namespace facet {

SseParser::SseParser(Handler handler)
    : m_handler(std::move(handler))
{
}

bool SseParser::feed(std::string_view bytes)
{
    std::size_t pos = 0;
    while (!m_stopped && pos < bytes.size()) {
        if (m_skipLf) {
            m_skipLf = false;
            if (bytes[pos] == '\n') {
                ++pos;
                continue;
            }
        }
        // Lines end in LF, CR or CRLF (the SSE grammar allows all three).
        const std::size_t end = bytes.find_first_of("\r\n", pos);
        if (end == std::string_view::npos) {
            m_line.append(bytes.substr(pos));
            break;
        }
        m_line.append(bytes.substr(pos, end - pos));
        if (bytes[end] == '\r') {
            if (end + 1 < bytes.size()) {
                pos = end + (bytes[end + 1] == '\n' ? 2 : 1);
            } else {
                pos = end + 1;
                m_skipLf = true;
            }
        } else {
            pos = end + 1;
        }
        std::string complete;
        complete.swap(m_line);
        if (!line(complete))
            m_stopped = true;
    }
    return !m_stopped;
}

bool SseParser::finish()
{
    if (m_stopped)
        return false;
    if (!m_line.empty()) {
        std::string complete;
        complete.swap(m_line);
        if (!line(complete)) {
            m_stopped = true;
            return false;
        }
    }
    return dispatch();
}

bool SseParser::line(std::string_view text)
{
    if (text.empty())
        return dispatch();
    if (text.front() == ':')
        return true; // comment, used by servers as a keep-alive
    std::string_view field = text;
    std::string_view value;
    if (const std::size_t colon = text.find(':'); colon != std::string_view::npos) {
        field = text.substr(0, colon);
        value = text.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
    }
    if (field == "data") {
        if (m_hasData)
            m_data.push_back('\n');
        m_data.append(value);
        m_hasData = true;
    }
    return true;
}

bool SseParser::dispatch()
{
    if (!m_hasData)
        return true;
    std::string data;
    data.swap(m_data);
    m_hasData = false;
    return m_handler(data);
}

} // namespace facet
