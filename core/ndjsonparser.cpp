#include "ndjsonparser.h"

namespace facet {

NdjsonParser::NdjsonParser(Handler handler)
    : m_handler(std::move(handler))
{
}

bool NdjsonParser::feed(std::string_view bytes)
{
    std::size_t pos = 0;
    while (!m_stopped && pos < bytes.size()) {
        const std::size_t end = bytes.find('\n', pos);
        if (end == std::string_view::npos) {
            m_line.append(bytes.substr(pos));
            break;
        }
        bool ok = true;
        if (m_line.empty()) {
            ok = deliver(bytes.substr(pos, end - pos)); // the common case: no copy
        } else {
            m_line.append(bytes.substr(pos, end - pos));
            std::string complete;
            complete.swap(m_line);
            ok = deliver(complete);
        }
        if (!ok)
            m_stopped = true;
        pos = end + 1;
    }
    return !m_stopped;
}

bool NdjsonParser::finish()
{
    if (m_stopped)
        return false;
    std::string rest;
    rest.swap(m_line);
    if (!deliver(rest))
        m_stopped = true;
    return !m_stopped;
}

bool NdjsonParser::deliver(std::string_view line)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
        line.remove_prefix(1);
    if (line.empty())
        return true;
    return m_handler(line);
}

} // namespace facet
