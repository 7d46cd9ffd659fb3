#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace facet {

/**
 * Incremental splitter of a newline-delimited JSON stream (application/x-ndjson), as Ollama's
 * native API streams chat responses: one JSON object per line. Pieces may split a line anywhere;
 * blank lines are skipped and a trailing CR is dropped. The handler receives each complete line.
 */
class NdjsonParser final
{
public:
    /** Called with each non-empty line. Return false to stop parsing. */
    using Handler = std::function<bool(std::string_view line)>;

    explicit NdjsonParser(Handler handler);

    bool feed(std::string_view bytes);
    /** End of stream: a last line without a newline is still delivered. */
    bool finish();

    std::size_t buffered() const { return m_line.size(); }

private:
    bool deliver(std::string_view line);

    Handler m_handler;
    std::string m_line;
    bool m_stopped = false;
};

} // namespace facet
