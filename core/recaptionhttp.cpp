#include "recaptionhttp.h"

#include "error.h"
#include "recaptionkeys.h"

#include <curl/curl.h>

#include <QElapsedTimer>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <vector>

namespace facet {

namespace {

void initCurlOnce()
{
    // curl_global_init is not thread-safe on every build; once per process, never cleaned up (the
    // process exit does that), so no thread can ever use libcurl after a cleanup.
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw Error(HttpClient::tr("The HTTP library (libcurl) could not be initialised"));
    });
}

bool isRetryable(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_AGAIN:
        return true;
    default:
        return false;
    }
}

/** Overwrites the strings of a header list (the key lives in one) before freeing it. */
void wipeAndFree(curl_slist* list)
{
    for (curl_slist* p = list; p; p = p->next)
        if (p->data)
            std::memset(p->data, 0, std::strlen(p->data));
    curl_slist_free_all(list);
}

} // namespace

struct HttpClient::Transfer
{
    std::uint64_t id = 0;
    CURL* easy = nullptr;
    curl_slist* headerList = nullptr;
    std::string body;
    DataHandler onData;
    DoneHandler onDone;
    HttpResult result;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    QElapsedTimer timer;
    std::string* sink = nullptr; ///< fetch(): collect the body here

    CURL* makeEasy(const HttpRequest& r);

    ~Transfer()
    {
        if (easy)
            curl_easy_cleanup(easy);
        wipeAndFree(headerList);
    }

    static size_t write(char* data, size_t size, size_t count, void* user)
    {
        auto* t = static_cast<Transfer*>(user);
        const size_t n = size * count;
        if (t->onData && !t->onData(std::string_view(data, n))) {
            t->result.overflow = true;
            return 0; // libcurl aborts with CURLE_WRITE_ERROR
        }
        return n;
    }

    static size_t header(char* data, size_t size, size_t count, void* user)
    {
        auto* t = static_cast<Transfer*>(user);
        const size_t n = size * count;
        std::string_view line(data, n);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.starts_with("HTTP/")) {
            t->result.headers.clear(); // a new response (after 100 Continue or a redirect)
            return n;
        }
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            return n;
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        t->result.headers.emplace_back(std::move(name), std::string(value));
        return n;
    }
};

HttpClient::HttpClient(int maxConnections)
{
    initCurlOnce();
    CURLM* multi = curl_multi_init();
    if (!multi)
        throw Error(tr("The HTTP library (libcurl) could not be initialised"));
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(std::max(1, maxConnections)));
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, long(std::max(4, maxConnections * 2)));
    m_multi = multi;
}

HttpClient::~HttpClient()
{
    abortAll();
    curl_multi_cleanup(static_cast<CURLM*>(m_multi));
}

std::uint64_t HttpClient::start(HttpRequest request, DataHandler onData, DoneHandler onDone)
{
    auto t = std::make_unique<Transfer>();
    t->id = m_nextId++;
    t->onData = std::move(onData);
    t->onDone = std::move(onDone);
    t->body = std::move(request.body);
    request.body.clear();
    t->easy = t->makeEasy(request);
    t->timer.start();
    if (curl_multi_add_handle(static_cast<CURLM*>(m_multi), t->easy) != CURLM_OK)
        throw Error(tr("Cannot start an HTTP transfer"));
    const std::uint64_t id = t->id;
    m_transfers.emplace(id, std::move(t));
    return id;
}

CURL* HttpClient::Transfer::makeEasy(const HttpRequest& r)
{
    Transfer& t = *this;
    CURL* e = curl_easy_init();
    if (!e)
        throw Error(HttpClient::tr("Cannot start an HTTP transfer"));
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errorBuffer);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, long(std::max(1, r.connectTimeoutSeconds)));
    if (r.timeoutSeconds > 0)
        curl_easy_setopt(e, CURLOPT_TIMEOUT, long(r.timeoutSeconds));
    if (r.lowSpeedSeconds > 0) {
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, long(r.lowSpeedSeconds));
    }
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); // whatever libcurl can decode
    curl_easy_setopt(e, CURLOPT_USERAGENT, "FacetStudio/" FACET_VERSION);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    if (!r.proxy.empty())
        curl_easy_setopt(e, CURLOPT_PROXY, r.proxy.c_str());
    if (r.post) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.body.data());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t.body.size()));
    }
    curl_slist* h = nullptr;
    if (r.post)
        h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, r.stream ? "Accept: text/event-stream, application/x-ndjson, application/json"
                                      : "Accept: application/json");
    // libcurl 7.x waits up to a second for "100 Continue" before sending a body over 1 KB; chat
    // servers answer the whole request anyway, so the wait is pure latency.
    h = curl_slist_append(h, "Expect:");
    if (!r.bearer.isEmpty()) {
        std::string auth = "Authorization: Bearer " + r.bearer.toStdString();
        h = curl_slist_append(h, auth.c_str());
        std::fill(auth.begin(), auth.end(), '\0');
    }
    t.headerList = h;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    return e;
}

void HttpClient::abort(std::uint64_t id)
{
    const auto it = m_transfers.find(id);
    if (it == m_transfers.end())
        return;
    curl_multi_remove_handle(static_cast<CURLM*>(m_multi), it->second->easy);
    m_transfers.erase(it);
}

void HttpClient::abortAll()
{
    for (auto& [id, t] : m_transfers)
        curl_multi_remove_handle(static_cast<CURLM*>(m_multi), t->easy);
    m_transfers.clear();
}

int HttpClient::active() const
{
    return static_cast<int>(m_transfers.size());
}

void HttpClient::wakeup()
{
    curl_multi_wakeup(static_cast<CURLM*>(m_multi));
}

void HttpClient::poll(int timeoutMs)
{
    auto* multi = static_cast<CURLM*>(m_multi);
    int running = 0;
    curl_multi_perform(multi, &running);
    // Finished transfers free slots: return at once so the caller can fill them before waiting.
    if (dispatch() > 0)
        return;
    curl_multi_poll(multi, nullptr, 0, std::max(0, timeoutMs), nullptr);
    curl_multi_perform(multi, &running);
    dispatch();
}

int HttpClient::dispatch()
{
    auto* multi = static_cast<CURLM*>(m_multi);
    std::vector<std::unique_ptr<Transfer>> finished;
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        Transfer* raw = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
        const CURLcode code = msg->data.result;
        curl_multi_remove_handle(multi, msg->easy_handle);
        const auto it = raw ? m_transfers.find(raw->id) : m_transfers.end();
        if (it == m_transfers.end())
            continue;
        std::unique_ptr<Transfer> t = std::move(it->second);
        m_transfers.erase(it);
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->result.status);
        t->result.seconds = double(t->timer.nsecsElapsed()) / 1e9;
        if (code != CURLE_OK) {
            if (t->result.overflow) {
                t->result.transportError = tr("the reply is larger than %1 MB").arg(ChatExchange::MaxReplyBytes >> 20);
                t->result.retryable = false;
            } else {
                const char* detail = t->errorBuffer[0] ? t->errorBuffer : curl_easy_strerror(code);
                t->result.transportError = QString::fromUtf8(detail).trimmed();
                t->result.retryable = isRetryable(code);
            }
        }
        finished.push_back(std::move(t));
    }
    // Handlers run after the bookkeeping so that they may start or abort transfers.
    const int count = static_cast<int>(finished.size());
    for (auto& t : finished) {
        DoneHandler done = std::move(t->onDone);
        HttpResult result = std::move(t->result);
        t.reset(); // frees the handle and wipes the header list before the handler runs
        if (done)
            done(std::move(result));
    }
    return count;
}

HttpResult HttpClient::fetch(const HttpRequest& request, std::string* body)
{
    HttpClient client(1);
    HttpResult out;
    bool finished = false;
    std::string collected;
    client.start(
        request,
        [&collected](std::string_view bytes) {
            if (collected.size() + bytes.size() > ChatExchange::MaxReplyBytes)
                return false;
            collected.append(bytes);
            return true;
        },
        [&](HttpResult&& r) {
            out = std::move(r);
            finished = true;
        });
    while (!finished)
        client.poll(200);
    if (body)
        *body = std::move(collected);
    return out;
}

QStringList fetchModelList(const RecaptionSettings& settings, const QString& apiKey, int timeoutSeconds)
{
    const ProviderProtocol protocol(settings);
    HttpRequest req;
    req.url = protocol.modelsUrl();
    req.post = false;
    req.bearer = apiKey;
    req.timeoutSeconds = timeoutSeconds;
    req.connectTimeoutSeconds = std::min(timeoutSeconds, settings.connectTimeoutSeconds);
    req.proxy = settings.proxy.toStdString();
    std::string body;
    const HttpResult r = HttpClient::fetch(req, &body);
    if (!r.transportError.isEmpty())
        throw Error(HttpClient::tr("Cannot reach %1: %2")
                        .arg(settings.effectiveBaseUrl(), redactSecrets(r.transportError, apiKey)));
    try {
        return protocol.parseModels(r.status, body);
    } catch (const Error& e) {
        throw Error(redactSecrets(e.message(), apiKey));
    }
}

QString HttpClient::curlVersion()
{
    initCurlOnce();
    return QString::fromLatin1(curl_version());
}

} // namespace facet
