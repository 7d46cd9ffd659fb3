#pragma once

#include "types.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace facet {

/**
 * Recaptioning: shared vocabulary of the job store, the protocol layer, the runner and the front
 * ends. docs/recaption.md describes the whole feature and the API the GUI builds on.
 */

/** Which wire protocol a job speaks. */
enum class ProviderKind
{
    OpenAi,           ///< api.openai.com: Chat Completions, `detail`, `max_completion_tokens`, a key
    OpenAiCompatible, ///< vLLM, llama.cpp server, LMDeploy, SGLang, LM Studio, Ollama's /v1: `max_tokens`
    Ollama,           ///< Ollama's native /api/chat with raw base64 images and NDJSON streaming
};

QString providerKey(ProviderKind kind); ///< "openai", "openai-compatible", "ollama"
std::optional<ProviderKind> providerFromKey(const QString& key);
/** The usual address of each provider: OpenAI's API, a local vLLM, a local Ollama. */
QString defaultBaseUrl(ProviderKind kind);

/** Where a job is. Stored as an integer in jobs.state; the values never change meaning. */
enum class JobState : int
{
    Queued = 0,      ///< created, never started
    Running = 1,     ///< a runner works on it (or crashed while it did: see JobInfo::runnerAlive)
    Paused = 2,      ///< the user paused it; resumable
    Interrupted = 3, ///< stopped by Ctrl-C or a closed window; resumable
    Done = 4,        ///< every item has an outcome (some may have failed)
    Failed = 5,      ///< stopped by a final error (bad key, no quota, bad request); resumable after a fix
    Cancelled = 6,   ///< cancelled by the user; resumable only when asked for by id
};
QString jobStateKey(JobState state); ///< "queued", "running", ...
std::optional<JobState> jobStateFromKey(const QString& key);

/** What happened to one item of a job. Stored in job_items.state. */
enum class JobItemState : int
{
    Pending = 0, ///< not yet done: sent on the next run
    Done = 1,    ///< a new caption version came back from the model
    Reused = 2,  ///< same image bytes and request as an earlier result: that result was reused, nothing sent
    Failed = 3,  ///< could not be recaptioned (image unreadable, retries used up); retried on resume
    Refused = 4, ///< the model refused or filtered the content; not sent again
};
QString jobItemStateKey(JobItemState state); ///< "pending", "done", "reused", "failed", "refused"
std::optional<JobItemState> jobItemStateFromKey(const QString& key);

/**
 * Everything a job needs to run except the API key, which is never stored: the front end looks it up
 * (ApiKeys) and hands it to the runner. Serialised into jobs.settings as JSON.
 */
struct RecaptionSettings
{
    ProviderKind provider = ProviderKind::OpenAi;
    QString baseUrl; ///< empty: defaultBaseUrl(provider)
    QString model;
    /**
     * The prompt template ({caption}, {source}, {id}, {facet} are replaced per item). Empty when a job
     * is created: the prompt library decides per source (JobStore::createJob fills it in).
     */
    QString prompt;
    /** Per-source templates captured from the prompt library when the job was created. */
    QMap<QString, QString> sourcePrompts;
    int maxTokens = 1024;
    QString detail = QStringLiteral("auto"); ///< low, high, auto: sent to OpenAI only
    std::optional<double> temperature;       ///< unset: not sent, the server's default applies
    int concurrency = 8;
    int maxSide = 1024; ///< longest side of the image sent; larger images are scaled down
    int jpegQuality = 90;
    bool stream = false;     ///< SSE (OpenAI protocol) or NDJSON (Ollama) responses
    bool structured = false; ///< JSON schema with one array of sentences per facet
    QString facet;           ///< non-empty: regenerate only this facet of the current caption
    int maxAttempts = 6;     ///< per item and run, the first try included
    int backoffBaseMs = 500;
    int backoffMaxMs = 8000;
    int maxRetryAfterSeconds = 600; ///< a longer Retry-After is cut to this
    int requestTimeoutSeconds = 600;
    int connectTimeoutSeconds = 10;
    int lowSpeedSeconds = 120; ///< streaming: give up when nothing arrives for this long
    QString proxy;             ///< empty: libcurl's http_proxy/https_proxy/no_proxy environment
    int prepThreads = 0;       ///< image preparation threads; 0: one per core

    QString effectiveBaseUrl() const;
    /** The template used for an item of `source`. */
    QString promptFor(const QString& source) const;
    /** JSON without the key (there is none to leave out: settings never hold it). */
    QByteArray toJson() const;
    /** Throws facet::Error for a document that is not settings. */
    static RecaptionSettings fromJson(const QByteArray& json);
    /** A usage problem ("--concurrency must be 1 to 256"), or empty when the settings can run. */
    QString validate() const;

    Q_DECLARE_TR_FUNCTIONS(facet::RecaptionSettings) // last: the macro ends in `private:`
};

/** Values for a prompt template's variables. */
struct PromptVariables
{
    QString caption; ///< the item's current caption
    QString source;  ///< source name
    QString id;      ///< record id
    QString facet;   ///< facet key (regenerate-one-facet prompts)
};

/** Replaces {caption}, {source}, {id}, {facet}; other braces are left as they are. */
QString renderPrompt(const QString& templ, const PromptVariables& vars);
/** Whether a template uses {caption} (then the runner loads current captions). */
bool promptUsesCaption(const QString& templ);

/**
 * The ShareGPT4V captioning prompt (the paper's Fig. 3(a) template with its base prompt in the
 * source-specific slot), the library's default.
 */
QString shareGpt4vPrompt();
/** The default template for "regenerate one facet": the image, the caption and the facet to rewrite. */
QString facetPromptTemplate();
/** The facet keys of PRODUCT.md, in the order structured output lists them. */
QStringList facetKeys();
/** One line describing a facet, for prompts. */
QString facetDescription(const QString& key);

/** A saved prompt of the project's library. */
struct PromptEntry
{
    std::int64_t id = 0;
    QString name;
    QString text;
    QString source; ///< non-empty: the default prompt for items of this source
    bool builtin = false;
    QString updatedAt;
};

/** USD per million tokens for one model (or model prefix: "gpt-4o" prices "gpt-4o-2024-08-06"). */
struct ModelPrice
{
    QString model;
    double inputPerMTok = 0.0;
    double outputPerMTok = 0.0;
    QString updatedAt;
};

/**
 * OpenAI's image token count for a `width`×`height` image after it was scaled to `maxSide`:
 * `low` is a flat 85 tokens; `high` and `auto` (counted as high, the upper bound) fit the image in
 * 2048×2048, shrink the shortest side to 768, and cost 170 per 512-pixel tile plus 85.
 */
std::int64_t imageTokens(std::int64_t width, std::int64_t height, const QString& detail, int maxSide = 0);

/** What a job would send and cost, for --dry-run and the GUI's recaption dialog. */
struct RecaptionEstimate
{
    std::int64_t items = 0;        ///< selected items with an image
    std::int64_t withoutImage = 0; ///< selected items skipped because they have no image
    std::int64_t unreadable = 0;   ///< images whose size could not be read (counted at 1024×1024)
    std::int64_t measured = 0;     ///< images whose header was read (a sample when there are many)
    std::int64_t imageTokens = 0;  ///< estimated, OpenAI's tile formula
    std::int64_t textTokens = 0;   ///< estimated prompt text tokens (4 characters per token)
    std::int64_t inputTokens = 0;  ///< imageTokens + textTokens
    std::int64_t outputTokens = 0; ///< upper bound: items × max tokens
    std::optional<ModelPrice> price;
    std::optional<double> cost; ///< USD, when the model has a price
    QString model;

    QByteArray toJson() const;
    static RecaptionEstimate fromJson(const QByteArray& json);
};

/** Cost in USD of a number of tokens at a price. */
double costOf(const ModelPrice& price, std::int64_t inputTokens, std::int64_t outputTokens);

/** A job as the jobs panel and `facet jobs` show it. */
struct JobInfo
{
    std::int64_t id = 0;
    QString kind; ///< "recaption" or "facet"
    RecaptionSettings settings;
    JobState state = JobState::Queued;
    std::int64_t total = 0;
    std::int64_t pending = 0, done = 0, reused = 0, failed = 0, refused = 0, truncated = 0;
    std::int64_t promptTokens = 0, completionTokens = 0; ///< actual usage reported by the server
    std::int64_t requests = 0;                           ///< HTTP requests sent, retries included
    std::optional<double> cost;                          ///< from actual usage, when the model has a price
    std::optional<RecaptionEstimate> estimate;           ///< made when the job was created
    QString lastError;
    QString runner;           ///< "host:pid" of the process that last ran it
    bool runnerAlive = false; ///< that process still runs (same host only)
    QString author, createdAt, startedAt, updatedAt, finishedAt;

    /** Items that still need work on resume (pending + failed). */
    std::int64_t remaining() const { return pending + failed; }
};

/** One item of a job, for the jobs panel's error list and `facet jobs P --job N`. */
struct JobItemInfo
{
    ItemId item = 0;
    QString extId;
    JobItemState state = JobItemState::Pending;
    int attempts = 0;
    QString lastError;
    std::int64_t versionId = 0;
    QString finishReason;
    bool truncated = false;
    std::int64_t promptTokens = 0, completionTokens = 0;
    QString updatedAt;
};

/** Live numbers of a running job, reported by RecaptionRunner. */
struct JobProgress
{
    std::int64_t jobId = 0;
    JobState state = JobState::Queued;
    std::int64_t total = 0;    ///< items in the job
    std::int64_t finished = 0; ///< items with an outcome (done + reused + failed + refused, all runs)
    std::int64_t done = 0, reused = 0, failed = 0, refused = 0, truncated = 0;
    std::int64_t inFlight = 0;
    std::int64_t retries = 0;                            ///< retried requests in this run
    std::int64_t requests = 0;                           ///< requests sent in this run
    std::int64_t promptTokens = 0, completionTokens = 0; ///< whole job
    std::optional<double> cost;
    double rate = 0.0;        ///< items per second over the last ~30 s of this run
    double etaSeconds = -1.0; ///< -1 while unknown
    bool paused = false;
    QString lastError; ///< the error that stopped the job, else the latest item error
};

} // namespace facet
