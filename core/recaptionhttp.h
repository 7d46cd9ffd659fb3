#pragma once

#include "recaptionprovider.h"

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace facet {

/** One HTTP request for HttpClient. */
struct HttpRequest
{
    std::string url;
    std::string body; ///< sent as the POST body when `post`
    bool post = true;
    bool stream = false; ///< ask for text/event-stream
    /** Sent as "Authorization: Bearer …" and wiped from memory when the transfer ends; never logged. */
    QString bearer;
    int timeoutSeconds = 600; ///< whole transfer; 0: none (streams rely on lowSpeedSeconds)
    int connectTimeoutSeconds = 10;
    int lowSpeedSeconds = 0; ///< > 0: give up when under 1 byte/s for this long
    std::string proxy;       ///< empty: libcurl's proxy environment variables
};

/** How a transfer ended. */
struct HttpResult
{
    long status = 0;        ///< HTTP status, 0 when no response arrived
    HttpHeaders headers;    ///< of the final response
    QString transportError; ///< empty when the exchange completed at the HTTP level
    bool retryable = false; ///< the transport error may go away (refused, reset, timeout, DNS)
    bool overflow = false;  ///< the data handler refused more bytes
    double seconds = 0.0;
};

/**
 * A small libcurl multi-interface client: one connection pool (so requests to one server reuse
 * their connections, and HTTP/2 multiplexes over TLS), any number of transfers at once, driven by
 * poll() from the one thread that owns it. Only wakeup() may be called from other threads.
 *
 * TLS verification is libcurl's default and is never turned off; proxies come from the usual
 * environment variables unless a request names one. libcurl's own global state is initialised once
 * per process on first use.
 */
class HttpClient final
{
    Q_DECLARE_TR_FUNCTIONS(facet::HttpClient)

public:
    /** Called with body bytes as they arrive; return false to abort (the result has overflow set). */
    using DataHandler = std::function<bool(std::string_view bytes)>;
    using DoneHandler = std::function<void(HttpResult&& result)>;

    /** `maxConnections`: per host, and twice that for the connection cache. */
    explicit HttpClient(int maxConnections = 8);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /** Starts a transfer; the handlers run inside poll() on the owning thread. Returns its id. */
    std::uint64_t start(HttpRequest request, DataHandler onData, DoneHandler onDone);
    /** Drops a transfer; its done handler is not called. */
    void abort(std::uint64_t id);
    void abortAll();
    int active() const;

    /**
     * Moves every transfer forward and runs the handlers of finished transfers; when none had
     * finished, waits up to `timeoutMs` for network activity or wakeup() and does it once more.
     */
    void poll(int timeoutMs);
    /** Ends a poll() wait early. Thread-safe. */
    void wakeup();

    /** A blocking request (the model list of the recaption dialog). `body` receives at most 16 MB. */
    static HttpResult fetch(const HttpRequest& request, std::string* body);

    /** libcurl's version string, for the benchmark report. */
    static QString curlVersion();

private:
    struct Transfer;
    /** Runs the handlers of finished transfers; returns how many finished. */
    int dispatch();

    void* m_multi = nullptr;
    std::map<std::uint64_t, std::unique_ptr<Transfer>> m_transfers;
    std::uint64_t m_nextId = 1;
};

/**
 * The model names a server offers (GET /v1/models, or /api/tags for Ollama), for the recaption
 * dialog's model list and `facet recaption --list-models`. Blocks up to `timeoutSeconds`; throws
 * facet::Error with a message free of the key when the server cannot be reached or refuses.
 */
QStringList fetchModelList(const RecaptionSettings& settings, const QString& apiKey, int timeoutSeconds = 30);

} // namespace facet
