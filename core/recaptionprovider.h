#pragma once

#include "recaption.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace facet {

/** Response headers with lower-case names, in arrival order. */
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;
/** The value of a header (name in lower case), or empty. */
std::string headerValue(const HttpHeaders& headers, std::string_view name);

/**
 * The server's requested delay from `retry-after-ms` (milliseconds) or else `Retry-After` (seconds
 * or an HTTP date), in milliseconds; -1 when there is none or it is not positive.
 */
std::int64_t retryAfterMs(const HttpHeaders& headers);

/** One request ready for the transport: the URL and the JSON body (the image inside as base64). */
struct ChatRequest
{
    std::string url;
    std::string body;
    bool stream = false;
};

/** What one HTTP exchange means for the item and the job. */
struct ChatOutcome
{
    enum class Kind
    {
        Ok,         ///< a caption came back
        Retry,      ///< transient (429, 5xx, 408, 409, dropped connection, malformed reply): try again later
        Refused,    ///< the model refused or the content was filtered: never send this item again
        ItemFailed, ///< this item cannot be done (413, empty caption, bad structured output)
        StopJob,    ///< final for the whole job (bad key, no quota, 400, 403, 404, TLS failure)
    };
    Kind kind = Kind::Retry;
    QString text; ///< Ok: the caption (structured output: its sentences joined)
    QString raw;  ///< the reply text as the model wrote it (what the result cache keeps)
    /** Structured output: (facet, sentence) in caption order; empty otherwise. */
    QList<std::pair<QString, QString>> facetSentences;
    QString finishReason;   ///< "stop", "length", ... as the server said it
    bool truncated = false; ///< finish_reason/done_reason "length": the caption was cut off
    std::int64_t promptTokens = -1;
    std::int64_t completionTokens = -1;
    QString error; ///< user-facing reason for everything but Ok (not yet redacted)
    long httpStatus = 0;
    std::int64_t retryAfterMs = -1; ///< the server's requested delay
    bool rateLimited = false;       ///< 429: every request should hold back, not just this one
};

/**
 * The response side of one request: fed the body as it arrives (streamed responses are parsed as
 * they come, SSE for the OpenAI protocol, NDJSON for Ollama), then finish() interprets status,
 * headers and body into a ChatOutcome. Never throws on bad input: a malformed reply is an outcome.
 */
class ChatExchange final
{
    Q_DECLARE_TR_FUNCTIONS(facet::ChatExchange)

public:
    ChatExchange(ProviderKind provider, bool stream, bool structured);
    ~ChatExchange();
    ChatExchange(const ChatExchange&) = delete;
    ChatExchange& operator=(const ChatExchange&) = delete;

    /** Body bytes as the transport delivers them. Returns false to abort (reply too large). */
    bool onData(std::string_view bytes);

    /**
     * `transportError`: empty when the exchange completed at the HTTP level, else libcurl's message;
     * `retryableTransport` tells a dropped connection or timeout (retry) from a configuration problem
     * such as a bad URL or a failed certificate check (stop the job).
     */
    ChatOutcome finish(long httpStatus, const HttpHeaders& headers, const QString& transportError,
                       bool retryableTransport);

    static constexpr std::size_t MaxReplyBytes = 16u << 20;

private:
    struct State;
    std::unique_ptr<State> d;
};

/** Builds requests for one provider and reads its model list. Stateless apart from the settings. */
class ProviderProtocol final
{
    Q_DECLARE_TR_FUNCTIONS(facet::ProviderProtocol)

public:
    explicit ProviderProtocol(const RecaptionSettings& settings);

    /** The chat request for one image (base64 without a data: prefix) and a rendered prompt. */
    ChatRequest chatRequest(const QString& prompt, const QByteArray& imageBase64, const QByteArray& mimeType) const;
    std::unique_ptr<ChatExchange> exchange() const;

    std::string chatUrl() const;
    /** GET /v1/models (OpenAI protocol) or /api/tags (Ollama). */
    std::string modelsUrl() const;
    /** Model names from that reply, sorted; throws facet::Error with the server's message. */
    QStringList parseModels(long httpStatus, std::string_view body) const;

    /** The JSON schema structured output asks for: one array of sentences per facet. */
    static std::string facetSchema();
    /** What the prompt gets appended with when structured output is on. */
    static QString structuredInstruction();

private:
    RecaptionSettings m_settings;
    std::string m_base;
};

/**
 * Turns structured output (a JSON object with one array of sentences per facet) into the caption
 * text and its labelled sentences: the `other` overview first, then the facets in facetKeys() order.
 * Returns false when the text is not such an object.
 */
bool parseFacetJson(std::string_view text, QString* caption, QList<std::pair<QString, QString>>* sentences);

} // namespace facet
