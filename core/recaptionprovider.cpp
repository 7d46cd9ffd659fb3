#include "recaptionprovider.h"

#include "error.h"
#include "ndjsonparser.h"
#include "sseparser.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

namespace facet {

using namespace Qt::Literals::StringLiterals;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

std::optional<json> parseObject(std::string_view text)
{
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    return j;
}

std::string stringOf(const json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_number_integer())
        return std::to_string(it->get<std::int64_t>());
    return it->dump();
}

/**
 * A server's number as a count, saturated: a hostile body can send 1e300, and converting an
 * out-of-range double to an integer is undefined behaviour, not a large value.
 */
std::int64_t saturatedCount(double v)
{
    constexpr double kMax = 9.0e18; // below INT64_MAX, which a double cannot hold exactly
    if (!std::isfinite(v) || v < 0)
        return -1;
    return v >= kMax ? static_cast<std::int64_t>(kMax) : static_cast<std::int64_t>(v);
}

std::int64_t intOf(const json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return -1;
    if (it->is_number_unsigned())
        return saturatedCount(static_cast<double>(it->get<std::uint64_t>()));
    if (it->is_number_integer())
        return std::max<std::int64_t>(it->get<std::int64_t>(), -1);
    return saturatedCount(it->get<double>());
}

/** A day: far past any runner's cap on a server-requested delay. */
constexpr double kMaxRetryDelayMs = 24.0 * 3600.0 * 1000.0;

/** Milliseconds from a positive, finite delay, saturated so the conversion stays defined. */
std::int64_t delayMs(double ms)
{
    return static_cast<std::int64_t>(std::ceil(std::min(ms, kMaxRetryDelayMs)));
}

/** The error a server put in a body, whatever its shape; empty message when there is none. */
struct ServerError
{
    std::string message;
    std::string type;
    std::string code;
    bool present = false;
};

ServerError serverError(const json& j)
{
    ServerError e;
    const auto it = j.find("error");
    if (it != j.end() && !it->is_null()) {
        e.present = true;
        if (it->is_string()) { // Ollama: {"error":"..."}
            e.message = it->get<std::string>();
        } else if (it->is_object()) { // OpenAI, llama.cpp (numeric code), newer vLLM
            e.message = stringOf(*it, "message");
            e.type = stringOf(*it, "type");
            e.code = stringOf(*it, "code");
        } else {
            e.message = it->dump();
        }
        return e;
    }
    // Older vLLM: {"object":"error","message":...,"type":...,"code":400}
    if (stringOf(j, "object") == "error") {
        e.present = true;
        e.message = stringOf(j, "message");
        e.type = stringOf(j, "type");
        e.code = stringOf(j, "code");
    }
    return e;
}

bool isQuotaError(const ServerError& e)
{
    return e.type == "insufficient_quota" || e.code == "insufficient_quota" || e.code == "credit_balance_exhausted";
}

QString describe(const ServerError& e)
{
    QString text = qs(e.message).trimmed();
    if (text.size() > 500)
        text = text.left(500) + QChar(0x2026);
    const std::string& tag = !e.code.empty() ? e.code : e.type;
    if (!tag.empty() && tag != e.message)
        text += u" ("_s + qs(tag) + u")"_s;
    return text;
}

/** The body as text for an error message when it is not JSON (an HTML error page, a proxy's reply). */
QString bodySnippet(const std::string& body)
{
    QString text = QString::fromUtf8(body.data(), qsizetype(std::min<std::size_t>(body.size(), 300))).simplified();
    return text.isEmpty() ? ChatExchange::tr("empty reply") : text;
}

QString joinContent(const json& content)
{
    if (content.is_string())
        return qs(content.get<std::string>());
    QString out;
    if (content.is_array())
        for (const json& part : content)
            if (part.is_object() && stringOf(part, "type") == "text") // value() throws on a non-string
                out += qs(stringOf(part, "text"));
    return out;
}

} // namespace

std::string headerValue(const HttpHeaders& headers, std::string_view name)
{
    for (auto it = headers.rbegin(); it != headers.rend(); ++it)
        if (it->first == name)
            return it->second;
    return {};
}

std::int64_t retryAfterMs(const HttpHeaders& headers)
{
    const std::string ms = headerValue(headers, "retry-after-ms");
    if (!ms.empty()) {
        bool ok = false;
        const double v = QString::fromStdString(ms).trimmed().toDouble(&ok);
        if (ok && std::isfinite(v) && v > 0) // a fuzzer sent 1e75: see delayMs()
            return delayMs(v);
    }
    const std::string ra = headerValue(headers, "retry-after");
    if (ra.empty())
        return -1;
    const QString text = QString::fromStdString(ra).trimmed();
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (ok)
        return std::isfinite(seconds) && seconds > 0 ? delayMs(seconds * 1000.0) : -1;
    const QDateTime at = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!at.isValid())
        return -1;
    const qint64 delta = QDateTime::currentDateTimeUtc().msecsTo(at);
    return delta > 0 ? delta : -1;
}

// ---- structured output --------------------------------------------------------------------------

bool parseFacetJson(std::string_view text, QString* caption, QList<std::pair<QString, QString>>* sentences)
{
    // Models sometimes wrap JSON in a Markdown fence even when asked not to.
    std::string_view body = text;
    if (const auto open = body.find('{'); open != std::string_view::npos) {
        const auto close = body.rfind('}');
        if (close == std::string_view::npos || close < open)
            return false;
        body = body.substr(open, close - open + 1);
    }
    const auto doc = parseObject(body);
    if (!doc)
        return false;
    QStringList order = facetKeys();
    order.removeAll(u"other"_s);
    order.prepend(u"other"_s);
    QStringList parts;
    QList<std::pair<QString, QString>> out;
    bool any = false;
    for (const QString& key : order) {
        const auto it = doc->find(key.toStdString());
        if (it == doc->end())
            continue;
        any = true;
        if (!it->is_array())
            return false;
        for (const json& s : *it) {
            if (!s.is_string())
                return false;
            const QString sentence = qs(s.get<std::string>()).simplified();
            if (sentence.isEmpty())
                continue;
            parts.append(sentence);
            out.append({key, sentence});
        }
    }
    if (!any)
        return false;
    if (caption)
        *caption = parts.join(u' ');
    if (sentences)
        *sentences = out;
    return true;
}

// ---- ChatExchange -------------------------------------------------------------------------------

struct ChatExchange::State
{
    ProviderKind provider;
    bool stream;
    bool structured;
    std::string body; ///< non-streamed replies and error bodies
    std::size_t received = 0;
    QString text;
    QString refusal;
    std::string finishReason;
    std::int64_t promptTokens = -1;
    std::int64_t completionTokens = -1;
    bool sawEnd = false; ///< [DONE] or done:true
    bool malformed = false;
    std::optional<ServerError> streamError;
    std::unique_ptr<SseParser> sse;
    std::unique_ptr<NdjsonParser> ndjson;
    bool streamingBody = false; ///< decided at the first byte: a 2xx streamed reply is parsed as it comes
    bool decided = false;       ///< streamingBody is set (whitespace alone decides nothing)

    bool onOpenAiChunk(std::string_view data)
    {
        if (data == "[DONE]") {
            sawEnd = true;
            return true;
        }
        auto j = parseObject(data);
        if (!j) {
            malformed = true;
            return false;
        }
        const ServerError e = serverError(*j);
        if (e.present) {
            streamError = e;
            return false;
        }
        if (const auto usage = j->find("usage"); usage != j->end() && usage->is_object()) {
            promptTokens = intOf(*usage, "prompt_tokens");
            completionTokens = intOf(*usage, "completion_tokens");
        }
        const auto choices = j->find("choices");
        if (choices != j->end() && choices->is_array() && !choices->empty()) {
            const json& c = choices->front();
            if (const auto delta = c.find("delta"); delta != c.end() && delta->is_object()) {
                if (const auto content = delta->find("content"); content != delta->end())
                    text += joinContent(*content);
                if (const auto r = delta->find("refusal"); r != delta->end() && r->is_string())
                    refusal += qs(r->get<std::string>());
            }
            const std::string fr = stringOf(c, "finish_reason");
            if (!fr.empty())
                finishReason = fr;
        }
        return true;
    }

    bool onOllamaLine(std::string_view line)
    {
        auto j = parseObject(line);
        if (!j) {
            malformed = true;
            return false;
        }
        const ServerError e = serverError(*j);
        if (e.present) {
            streamError = e;
            return false;
        }
        readOllama(*j);
        return true;
    }

    void readOllama(const json& j)
    {
        if (const auto m = j.find("message"); m != j.end() && m->is_object())
            if (const auto content = m->find("content"); content != m->end())
                text += joinContent(*content);
        // A reply is outside data: "done": 5 must not throw (value() would, on a non-boolean).
        const auto done = j.find("done");
        if (done != j.end() && done->is_boolean() && done->get<bool>()) {
            sawEnd = true;
            finishReason = stringOf(j, "done_reason");
            promptTokens = intOf(j, "prompt_eval_count");
            completionTokens = intOf(j, "eval_count");
        }
    }
};

ChatExchange::ChatExchange(ProviderKind provider, bool stream, bool structured)
    : d(std::make_unique<State>())
{
    d->provider = provider;
    d->stream = stream;
    d->structured = structured;
    if (provider == ProviderKind::Ollama)
        d->ndjson = std::make_unique<NdjsonParser>([s = d.get()](std::string_view l) { return s->onOllamaLine(l); });
    else
        d->sse = std::make_unique<SseParser>([s = d.get()](std::string_view e) { return s->onOpenAiChunk(e); });
}

ChatExchange::~ChatExchange() = default;

bool ChatExchange::onData(std::string_view bytes)
{
    d->received += bytes.size();
    if (d->received > MaxReplyBytes)
        return false;
    // Error replies to streamed requests are plain JSON, so the first byte decides: an SSE stream
    // starts with a field name or a comment, an NDJSON stream and an error object both start with
    // '{' — for Ollama the parser handles both, because an error object is one NDJSON line.
    // The first piece may hold nothing but whitespace (a keep-alive newline in its own write), so
    // the decision waits for the first byte that is not.
    if (d->stream && !d->decided) {
        std::size_t k = 0;
        while (k < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[k])))
            ++k;
        if (d->provider == ProviderKind::Ollama || k < bytes.size()) {
            d->decided = true;
            d->streamingBody = d->provider == ProviderKind::Ollama || bytes[k] != '{';
            if (d->streamingBody && !d->body.empty()) {
                // The whitespace that came before belongs to the stream as well.
                const std::string before = std::move(d->body);
                d->body.clear();
                if (d->sse)
                    d->sse->feed(before);
                else
                    d->ndjson->feed(before);
                d->body = before.substr(0, 4096);
            }
        }
    }
    if (d->streamingBody) {
        if (d->sse)
            d->sse->feed(bytes);
        else
            d->ndjson->feed(bytes);
        // Keep a little of the raw reply for error messages about a malformed stream.
        if (d->body.size() < 4096)
            d->body.append(bytes.substr(0, 4096 - d->body.size()));
        return true;
    }
    d->body.append(bytes);
    return true;
}

ChatOutcome ChatExchange::finish(long httpStatus, const HttpHeaders& headers, const QString& transportError,
                                 bool retryableTransport)
{
    ChatOutcome out;
    out.httpStatus = httpStatus;
    out.retryAfterMs = retryAfterMs(headers);
    using Kind = ChatOutcome::Kind;

    // An explicit instruction from the server wins over the status (as OpenAI's SDKs do).
    const std::string shouldRetry = headerValue(headers, "x-should-retry");

    if (!transportError.isEmpty() && (httpStatus < 200 || httpStatus >= 300 || !d->streamingBody)) {
        out.kind = retryableTransport ? Kind::Retry : Kind::StopJob;
        out.error = httpStatus > 0 ? tr("HTTP %1, then the connection failed: %2").arg(httpStatus).arg(transportError)
                                   : tr("connection failed: %1").arg(transportError);
        return out;
    }

    if (httpStatus < 200 || httpStatus >= 300) {
        ServerError e;
        if (const auto j = parseObject(d->body))
            e = serverError(*j);
        const QString detail = e.present && !e.message.empty() ? describe(e) : bodySnippet(d->body);
        out.error = tr("HTTP %1: %2").arg(httpStatus).arg(detail);
        if (isQuotaError(e)) {
            out.kind = Kind::StopJob;
            out.error = tr("the account has no credit left (HTTP %1: %2); check the plan and billing details, "
                           "then resume the job")
                            .arg(httpStatus)
                            .arg(detail);
            return out;
        }
        switch (httpStatus) {
        case 401:
            out.kind = Kind::StopJob;
            out.error =
                tr("the server refused the API key (HTTP 401: %1); set a valid key and resume the job").arg(detail);
            return out;
        case 403:
            out.kind = Kind::StopJob;
            out.error = tr("access denied (HTTP 403: %1)").arg(detail);
            return out;
        case 400:
            out.kind = Kind::StopJob;
            out.error = tr("the server rejected the request (HTTP 400: %1)").arg(detail);
            return out;
        case 404:
            out.kind = Kind::StopJob;
            out.error = tr("not found (HTTP 404: %1); check the base URL and the model name").arg(detail);
            return out;
        default:
            break;
        }
        if (shouldRetry == "true") {
            out.kind = Kind::Retry;
        } else if (shouldRetry == "false") {
            out.kind = Kind::ItemFailed;
        } else if (httpStatus == 408 || httpStatus == 409 || httpStatus == 429 || httpStatus >= 500) {
            out.kind = Kind::Retry;
        } else {
            out.kind = Kind::ItemFailed;
        }
        out.rateLimited = httpStatus == 429;
        return out;
    }

    // 2xx: read the reply.
    if (d->streamingBody) {
        if (!d->streamError && !d->malformed) {
            if (d->sse)
                d->sse->finish();
            else
                d->ndjson->finish();
        }
        if (d->streamError) {
            const ServerError& e = *d->streamError;
            out.error = tr("the server reported an error mid-stream: %1").arg(describe(e));
            out.kind = isQuotaError(e) ? Kind::StopJob : Kind::Retry;
            return out;
        }
        if (d->malformed) {
            out.kind = Kind::Retry;
            out.error = tr("malformed streamed reply: %1").arg(bodySnippet(d->body));
            return out;
        }
        if (!transportError.isEmpty() || (!d->sawEnd && d->finishReason.empty())) {
            out.kind = Kind::Retry;
            out.error = transportError.isEmpty() ? tr("the stream ended before the reply was complete")
                                                 : tr("the stream broke off: %1").arg(transportError);
            return out;
        }
    } else {
        const auto j = parseObject(d->body);
        if (!j) {
            out.kind = Kind::Retry;
            out.error = tr("malformed reply (not JSON): %1").arg(bodySnippet(d->body));
            return out;
        }
        const ServerError e = serverError(*j);
        if (e.present) {
            out.error = tr("the server reported an error: %1").arg(describe(e));
            out.kind = isQuotaError(e) ? Kind::StopJob : Kind::Retry;
            return out;
        }
        if (d->provider == ProviderKind::Ollama) {
            d->readOllama(*j);
            if (!d->sawEnd && !j->contains("message")) {
                out.kind = Kind::Retry;
                out.error = tr("malformed reply: no message");
                return out;
            }
        } else {
            const auto choices = j->find("choices");
            if (choices == j->end() || !choices->is_array() || choices->empty() || !choices->front().is_object()) {
                out.kind = Kind::Retry;
                out.error = tr("malformed reply: no choices");
                return out;
            }
            const json& c = choices->front();
            if (const auto m = c.find("message"); m != c.end() && m->is_object()) {
                if (const auto content = m->find("content"); content != m->end())
                    d->text = joinContent(*content);
                if (const auto r = m->find("refusal"); r != m->end() && r->is_string())
                    d->refusal = qs(r->get<std::string>());
            }
            d->finishReason = stringOf(c, "finish_reason");
            if (const auto usage = j->find("usage"); usage != j->end() && usage->is_object()) {
                d->promptTokens = intOf(*usage, "prompt_tokens");
                d->completionTokens = intOf(*usage, "completion_tokens");
            }
        }
    }

    out.finishReason = qs(d->finishReason);
    out.promptTokens = d->promptTokens;
    out.completionTokens = d->completionTokens;
    out.truncated = d->finishReason == "length";
    if (!d->refusal.isEmpty() || d->finishReason == "content_filter") {
        out.kind = Kind::Refused;
        out.error = d->refusal.isEmpty() ? tr("the content was filtered (finish_reason content_filter)")
                                         : tr("the model refused: %1").arg(d->refusal.simplified().left(300));
        return out;
    }
    const QString text = d->text.trimmed();
    if (text.isEmpty()) {
        out.kind = Kind::ItemFailed;
        out.error = out.truncated ? tr("the model used up the token limit before writing a caption; raise the "
                                       "maximum number of tokens")
                                  : tr("the model returned an empty caption");
        return out;
    }
    out.raw = text;
    if (d->structured) {
        if (!parseFacetJson(text.toStdString(), &out.text, &out.facetSentences) || out.text.isEmpty()) {
            out.kind = Kind::ItemFailed;
            out.error = out.truncated ? tr("the structured reply was cut off by the token limit")
                                      : tr("the reply is not the requested JSON with one array per facet");
            return out;
        }
    } else {
        out.text = text;
    }
    out.kind = Kind::Ok;
    return out;
}

// ---- ProviderProtocol ---------------------------------------------------------------------------

ProviderProtocol::ProviderProtocol(const RecaptionSettings& settings)
    : m_settings(settings)
    , m_base(settings.effectiveBaseUrl().toStdString())
{
}

std::string ProviderProtocol::chatUrl() const
{
    return m_settings.provider == ProviderKind::Ollama ? m_base + "/api/chat" : m_base + "/chat/completions";
}

std::string ProviderProtocol::modelsUrl() const
{
    return m_settings.provider == ProviderKind::Ollama ? m_base + "/api/tags" : m_base + "/models";
}

std::string ProviderProtocol::facetSchema()
{
    ordered_json props = ordered_json::object();
    ordered_json required = ordered_json::array();
    for (const QString& key : facetKeys()) {
        props[key.toStdString()] = {{"type", "array"}, {"items", {{"type", "string"}}}};
        required.push_back(key.toStdString());
    }
    const ordered_json schema = {
        {"type", "object"}, {"properties", props}, {"required", required}, {"additionalProperties", false}};
    return schema.dump();
}

QString ProviderProtocol::structuredInstruction()
{
    return u"\n\nAnswer with a JSON object only, with the arrays world_knowledge, attributes, spatial, art and "
           "other. Put each sentence of the caption in the array of its main topic: names, identities, "
           "readable text and facts in world_knowledge; properties of things in attributes; positions "
           "and relations in spatial; aesthetics in art; the overview sentence and anything else in other."_s;
}

ChatRequest ProviderProtocol::chatRequest(const QString& prompt, const QByteArray& imageBase64,
                                          const QByteArray& mimeType) const
{
    // The image is spliced in after serialisation: nlohmann would copy and scan the ~200 KB of base64
    // once more for escapes it can never contain.
    static constexpr const char* kPlaceholder = "FACET_IMAGE_PLACEHOLDER_7f3a";
    const RecaptionSettings& s = m_settings;
    const std::string text = (s.structured ? prompt + structuredInstruction() : prompt).toStdString();
    ordered_json body = ordered_json::object();
    body["model"] = s.model.toStdString();
    bool dataUrl = true;
    if (s.provider == ProviderKind::Ollama) {
        dataUrl = false;
        body["stream"] = s.stream;
        ordered_json options = {{"num_predict", s.maxTokens}};
        if (s.temperature)
            options["temperature"] = *s.temperature;
        body["options"] = options;
        if (s.structured)
            body["format"] = ordered_json::parse(facetSchema());
        body["messages"] = ordered_json::array(
            {{{"role", "user"}, {"content", text}, {"images", ordered_json::array({kPlaceholder})}}});
    } else {
        if (s.provider == ProviderKind::OpenAi)
            body["max_completion_tokens"] = s.maxTokens;
        else
            body["max_tokens"] = s.maxTokens; // what vLLM, llama.cpp, Ollama's /v1 and LM Studio all read
        if (s.temperature)
            body["temperature"] = *s.temperature;
        if (s.stream) {
            body["stream"] = true;
            body["stream_options"] = {{"include_usage", true}};
        }
        if (s.structured)
            body["response_format"] = {
                {"type", "json_schema"},
                {"json_schema",
                 {{"name", "caption_facets"}, {"strict", true}, {"schema", ordered_json::parse(facetSchema())}}}};
        ordered_json image = {{"url", kPlaceholder}};
        if (s.provider == ProviderKind::OpenAi)
            image["detail"] = s.detail.toStdString(); // vLLM and others reject or ignore it
        body["messages"] = ordered_json::array(
            {{{"role", "user"},
              {"content", ordered_json::array(
                              {{{"type", "text"}, {"text", text}}, {{"type", "image_url"}, {"image_url", image}}})}}});
    }
    std::string dumped = body.dump();
    const std::size_t at = dumped.rfind(kPlaceholder);
    if (at == std::string::npos)
        throw Error(tr("internal error: request template without image"));
    std::string image;
    image.reserve(std::size_t(imageBase64.size()) + 32);
    if (dataUrl) {
        image += "data:";
        image.append(mimeType.constData(), std::size_t(mimeType.size()));
        image += ";base64,";
    }
    image.append(imageBase64.constData(), std::size_t(imageBase64.size()));
    dumped.replace(at, std::char_traits<char>::length(kPlaceholder), image);

    ChatRequest r;
    r.url = chatUrl();
    r.body = std::move(dumped);
    r.stream = s.stream;
    return r;
}

std::unique_ptr<ChatExchange> ProviderProtocol::exchange() const
{
    return std::make_unique<ChatExchange>(m_settings.provider, m_settings.stream, m_settings.structured);
}

QStringList ProviderProtocol::parseModels(long httpStatus, std::string_view body) const
{
    const auto j = parseObject(body);
    if (httpStatus < 200 || httpStatus >= 300) {
        ServerError e;
        if (j)
            e = serverError(*j);
        throw Error(tr("Listing models failed: HTTP %1: %2")
                        .arg(httpStatus)
                        .arg(e.present ? describe(e) : bodySnippet(std::string(body))));
    }
    if (!j)
        throw Error(tr("Listing models failed: the reply is not JSON"));
    QStringList names;
    const char* listKey = m_settings.provider == ProviderKind::Ollama ? "models" : "data";
    const char* nameKey = m_settings.provider == ProviderKind::Ollama ? "name" : "id";
    const auto list = j->find(listKey);
    if (list == j->end() || !list->is_array())
        throw Error(tr("Listing models failed: the reply has no '%1' list").arg(QLatin1String(listKey)));
    for (const json& m : *list)
        if (m.is_object())
            if (const std::string name = stringOf(m, nameKey); !name.empty())
                names.append(qs(name));
    names.sort();
    return names;
}

} // namespace facet
