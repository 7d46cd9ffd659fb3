#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace facet {

/**
 * Incremental parser of a server-sent events stream (text/event-stream), as OpenAI-style servers
 * send streamed chat completions. Bytes arrive in whatever pieces the transport delivers (a libcurl
 * write callback may split a line, a CRLF or a UTF-8 sequence anywhere), so the parser buffers until
 * a line is complete and dispatches an event at each blank line.
 *
 * Only the `data` field matters for chat completions: several `data:` lines of one event are joined
 * with "\n" as the SSE specification says; `event:`, `id:`, `retry:` and comment lines (`:`) are
 * ignored. An event still open when the stream ends is dispatched by finish().
 */
class SseParser final
{
public:
    /** Called with the data of each complete event. Return false to stop parsing. */
    using Handler = std::function<bool(std::string_view data)>;

    explicit SseParser(Handler handler);

    /** Feeds the next piece of the stream; returns false once the handler asked to stop. */
    bool feed(std::string_view bytes);
    /** End of stream: dispatches a pending event that had no closing blank line. */
    bool finish();

    /** Bytes held for an incomplete line (tests check that nothing is buffered without bound). */
    std::size_t buffered() const { return m_line.size(); }

private:
    bool line(std::string_view text);
    bool dispatch();

    Handler m_handler;
    std::string m_line;
    std::string m_data;
    bool m_hasData = false;
    bool m_stopped = false;
    bool m_skipLf = false; ///< the previous piece ended with CR: a following LF belongs to it
};

} // namespace facet
