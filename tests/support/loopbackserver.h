#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace facet::test {

/**
 * What the loopback server does to a request instead of (or while) answering it normally. Each
 * fault applies to the next `times` chat requests whose body contains `match` (any request when
 * `match` is empty); the first matching fault with uses left wins.
 */
struct Fault
{
    enum class Kind
    {
        Status,            ///< HTTP `status` with an error body in the protocol's shape
        RateLimit,         ///< 429 rate_limit_exceeded, with Retry-After / retry-after-ms when set
        InsufficientQuota, ///< 429 with error.type and error.code insufficient_quota
        Unauthorized,      ///< 401 whose message echoes the key it received, as OpenAI's does
        FlatError,         ///< `status` with an old vLLM flat error {"object":"error",...}
        MalformedJson,     ///< 200 with a body that is not JSON
        MidStreamError,    ///< streamed: part of the caption, then an error event (SSE) or line (NDJSON)
        Drop,              ///< close the connection without answering
        DropMidStream,     ///< streamed or not: headers and part of the body, then close
        Length,            ///< finish_reason / done_reason "length"
        Refusal,           ///< OpenAI: message.refusal set, no content
        Empty,             ///< an empty caption
        Slow,              ///< the normal reply, after `delayMs`
    };
    Kind kind = Kind::Status;
    int status = 500;
    std::string match;
    int times = 1; ///< -1: every matching request
    int retryAfterSeconds = -1;
    int retryAfterMs = -1;
    int delayMs = 0; ///< wait this long before answering (slow responses)
};

/** One request as the server saw it. */
struct RecordedRequest
{
    std::string method;
    std::string path;
    std::string authorization; ///< the Authorization header, verbatim
    std::string body;          ///< only with setRecordBodies(true)
    std::size_t bodySize = 0;
    std::int64_t atMs = 0; ///< steady-clock milliseconds when the request was complete
};

/**
 * An in-repo HTTP/1.1 server on 127.0.0.1 for the recaptioning tests and benchmark, speaking the
 * three protocols the client does: OpenAI Chat Completions (/v1/chat/completions, plain JSON or SSE
 * with `data:` events and `[DONE]`, usage in a last chunk when asked), /v1/models, Ollama's /api/chat
 * (NDJSON streaming by default, one object with "stream": false) and /api/tags. Real sockets, keep-
 * alive, chunked transfer encoding for streams, "100 Continue" when asked.
 *
 * Captions are derived from the request, so a test can tell which item a reply belongs to:
 * "Caption of <image hash> for: <prompt>". Structured requests (response_format / format) get a
 * JSON object with one array per facet. Runs its own poll() loop on a thread; every method is
 * thread-safe.
 */
class LoopbackServer
{
public:
    LoopbackServer();
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    /** Binds an ephemeral port on 127.0.0.1 and starts serving; throws std::runtime_error. */
    void start();
    void stop();
    int port() const { return m_port; }
    /** "http://127.0.0.1:PORT". */
    std::string url() const;

    void addFault(const Fault& fault);
    void clearFaults();
    /** Delay before every chat reply (a slow model), and between streamed chunks. */
    void setDelayMs(int ms);
    void setChunkDelayMs(int ms);
    /** When set, chat and model requests without "Authorization: Bearer <key>" get 401. */
    void setRequiredKey(const std::string& key);
    void setModels(const std::vector<std::string>& models);
    void setRecordBodies(bool record);

    int chatRequests() const;
    int requests(const std::string& path) const;
    /** Chat requests whose body contained `needle` (only counted while bodies are recorded). */
    int chatRequestsMatching(const std::string& needle) const;
    /** The most chat requests the server held at once (received, answer not finished). */
    int maxInFlight() const;
    std::vector<RecordedRequest> recorded() const;
    void resetStats();

    /** The caption the server answers for a prompt and image data (base64 as sent). */
    static std::string captionFor(const std::string& prompt, const std::string& imageData);

    struct Impl;

private:
    std::unique_ptr<Impl> d;
    int m_port = 0;
};

} // namespace facet::test
