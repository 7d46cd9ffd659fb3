#include "recaption.h"

#include "error.h"

#include <QUrl>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace facet {

using namespace Qt::Literals::StringLiterals;
using nlohmann::json;

namespace {

std::string utf8(const QString& s)
{
    return s.toStdString();
}

QString qstr(const json& j, const char* key, const QString& fallback = {})
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return fallback;
    return QString::fromStdString(it->get<std::string>());
}

template <typename T> T number(const json& j, const char* key, T fallback)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return fallback;
    return it->get<T>();
}

bool boolean(const json& j, const char* key, bool fallback)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_boolean())
        return fallback;
    return it->get<bool>();
}

} // namespace

QString providerKey(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAi:
        return u"openai"_s;
    case ProviderKind::OpenAiCompatible:
        return u"openai-compatible"_s;
    case ProviderKind::Ollama:
        return u"ollama"_s;
    }
    return {};
}

std::optional<ProviderKind> providerFromKey(const QString& key)
{
    for (ProviderKind k : {ProviderKind::OpenAi, ProviderKind::OpenAiCompatible, ProviderKind::Ollama})
        if (providerKey(k) == key)
            return k;
    return std::nullopt;
}

QString defaultBaseUrl(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAi:
        return u"https://api.openai.com/v1"_s;
    case ProviderKind::OpenAiCompatible:
        return u"http://localhost:8000/v1"_s; // vLLM's default port
    case ProviderKind::Ollama:
        return u"http://localhost:11434"_s;
    }
    return {};
}

QString jobStateKey(JobState state)
{
    switch (state) {
    case JobState::Queued:
        return u"queued"_s;
    case JobState::Running:
        return u"running"_s;
    case JobState::Paused:
        return u"paused"_s;
    case JobState::Interrupted:
        return u"interrupted"_s;
    case JobState::Done:
        return u"done"_s;
    case JobState::Failed:
        return u"failed"_s;
    case JobState::Cancelled:
        return u"cancelled"_s;
    }
    return {};
}

std::optional<JobState> jobStateFromKey(const QString& key)
{
    for (int k = 0; k <= static_cast<int>(JobState::Cancelled); ++k)
        if (jobStateKey(static_cast<JobState>(k)) == key)
            return static_cast<JobState>(k);
    return std::nullopt;
}

QString jobItemStateKey(JobItemState state)
{
    switch (state) {
    case JobItemState::Pending:
        return u"pending"_s;
    case JobItemState::Done:
        return u"done"_s;
    case JobItemState::Reused:
        return u"reused"_s;
    case JobItemState::Failed:
        return u"failed"_s;
    case JobItemState::Refused:
        return u"refused"_s;
    }
    return {};
}

std::optional<JobItemState> jobItemStateFromKey(const QString& key)
{
    for (int k = 0; k <= static_cast<int>(JobItemState::Refused); ++k)
        if (jobItemStateKey(static_cast<JobItemState>(k)) == key)
            return static_cast<JobItemState>(k);
    return std::nullopt;
}

// ---- settings -----------------------------------------------------------------------------------

QString RecaptionSettings::effectiveBaseUrl() const
{
    QString url = baseUrl.trimmed();
    if (url.isEmpty())
        url = defaultBaseUrl(provider);
    while (url.endsWith(u'/'))
        url.chop(1);
    return url;
}

QString RecaptionSettings::promptFor(const QString& source) const
{
    const auto it = sourcePrompts.constFind(source);
    if (it != sourcePrompts.constEnd() && !it.value().isEmpty())
        return it.value();
    return prompt;
}

QByteArray RecaptionSettings::toJson() const
{
    json j = {{"provider", utf8(providerKey(provider))},
              {"base_url", utf8(effectiveBaseUrl())},
              {"model", utf8(model)},
              {"prompt", utf8(prompt)},
              {"max_tokens", maxTokens},
              {"detail", utf8(detail)},
              {"concurrency", concurrency},
              {"max_side", maxSide},
              {"jpeg_quality", jpegQuality},
              {"stream", stream},
              {"structured", structured},
              {"facet", utf8(facet)},
              {"max_attempts", maxAttempts},
              {"backoff_base_ms", backoffBaseMs},
              {"backoff_max_ms", backoffMaxMs},
              {"max_retry_after_s", maxRetryAfterSeconds},
              {"request_timeout_s", requestTimeoutSeconds},
              {"connect_timeout_s", connectTimeoutSeconds},
              {"low_speed_s", lowSpeedSeconds},
              {"proxy", utf8(proxy)},
              {"prep_threads", prepThreads}};
    j["temperature"] = temperature ? json(*temperature) : json(nullptr);
    json sources = json::object();
    for (auto it = sourcePrompts.cbegin(); it != sourcePrompts.cend(); ++it)
        sources[utf8(it.key())] = utf8(it.value());
    j["source_prompts"] = sources;
    return QByteArray::fromStdString(j.dump());
}

RecaptionSettings RecaptionSettings::fromJson(const QByteArray& text)
{
    const json j = json::parse(text.constBegin(), text.constEnd(), nullptr, false);
    if (!j.is_object())
        throw Error(tr("The job's settings are damaged (not a JSON object)"));
    RecaptionSettings s;
    const auto kind = providerFromKey(qstr(j, "provider"));
    if (!kind)
        throw Error(tr("The job's settings name an unknown provider '%1'").arg(qstr(j, "provider")));
    s.provider = *kind;
    s.baseUrl = qstr(j, "base_url");
    s.model = qstr(j, "model");
    s.prompt = qstr(j, "prompt");
    s.maxTokens = number(j, "max_tokens", s.maxTokens);
    s.detail = qstr(j, "detail", s.detail);
    if (const auto t = j.find("temperature"); t != j.end() && t->is_number())
        s.temperature = t->get<double>();
    s.concurrency = number(j, "concurrency", s.concurrency);
    s.maxSide = number(j, "max_side", s.maxSide);
    s.jpegQuality = number(j, "jpeg_quality", s.jpegQuality);
    s.stream = boolean(j, "stream", s.stream);
    s.structured = boolean(j, "structured", s.structured);
    s.facet = qstr(j, "facet");
    s.maxAttempts = number(j, "max_attempts", s.maxAttempts);
    s.backoffBaseMs = number(j, "backoff_base_ms", s.backoffBaseMs);
    s.backoffMaxMs = number(j, "backoff_max_ms", s.backoffMaxMs);
    s.maxRetryAfterSeconds = number(j, "max_retry_after_s", s.maxRetryAfterSeconds);
    s.requestTimeoutSeconds = number(j, "request_timeout_s", s.requestTimeoutSeconds);
    s.connectTimeoutSeconds = number(j, "connect_timeout_s", s.connectTimeoutSeconds);
    s.lowSpeedSeconds = number(j, "low_speed_s", s.lowSpeedSeconds);
    s.proxy = qstr(j, "proxy");
    s.prepThreads = number(j, "prep_threads", s.prepThreads);
    if (const auto sp = j.find("source_prompts"); sp != j.end() && sp->is_object())
        for (auto it = sp->begin(); it != sp->end(); ++it)
            if (it->is_string())
                s.sourcePrompts.insert(QString::fromStdString(it.key()),
                                       QString::fromStdString(it->get<std::string>()));
    return s;
}

QString RecaptionSettings::validate() const
{
    if (model.trimmed().isEmpty())
        return tr("give the model name (--model)");
    const QString url = effectiveBaseUrl();
    if (!url.startsWith(u"http://"_s) && !url.startsWith(u"https://"_s))
        return tr("the base URL must start with http:// or https://, not '%1'").arg(url);
    // Credentials in a URL would be stored with the job; keys go through ApiKeys, proxy credentials
    // through the proxy environment variables.
    if (QUrl(url).userInfo().size() > 0)
        return tr("the base URL must not contain a user name or password; give the key through the "
                  "environment or the keychain");
    if (!proxy.isEmpty() && QUrl(proxy).userInfo().size() > 0)
        return tr("the proxy URL must not contain a user name or password; set https_proxy in the environment");
    if (concurrency < 1 || concurrency > 256)
        return tr("the concurrency must be 1 to 256");
    if (maxTokens < 1 || maxTokens > 1'000'000)
        return tr("the maximum number of tokens must be 1 to 1000000");
    if (detail != u"low"_s && detail != u"high"_s && detail != u"auto"_s)
        return tr("detail must be low, high or auto, not '%1'").arg(detail);
    if (maxSide < 64 || maxSide > 8192)
        return tr("the longest image side must be 64 to 8192 pixels");
    if (jpegQuality < 30 || jpegQuality > 100)
        return tr("the JPEG quality must be 30 to 100");
    if (temperature && (*temperature < 0.0 || *temperature > 2.0))
        return tr("the temperature must be 0 to 2");
    if (!facet.isEmpty() && !facetKeys().contains(facet))
        return tr("unknown facet '%1' (one of %2)").arg(facet, facetKeys().join(u", "_s));
    if (!facet.isEmpty() && structured)
        return tr("structured output and regenerating one facet cannot be combined");
    if (maxAttempts < 1 || maxAttempts > 100)
        return tr("the number of attempts must be 1 to 100");
    return {};
}

// ---- prompts ------------------------------------------------------------------------------------

QString renderPrompt(const QString& templ, const PromptVariables& vars)
{
    // One pass, so a caption that itself contains "{id}" is never expanded a second time.
    QString out;
    out.reserve(templ.size() + vars.caption.size());
    qsizetype k = 0;
    while (k < templ.size()) {
        const QChar c = templ.at(k);
        if (c == u'{') {
            const qsizetype close = templ.indexOf(u'}', k + 1);
            if (close > k) {
                const QStringView name = QStringView(templ).mid(k + 1, close - k - 1);
                const QString* value = nullptr;
                if (name == u"caption")
                    value = &vars.caption;
                else if (name == u"source")
                    value = &vars.source;
                else if (name == u"id")
                    value = &vars.id;
                else if (name == u"facet")
                    value = &vars.facet;
                if (value) {
                    out += *value;
                    k = close + 1;
                    continue;
                }
            }
        }
        out += c;
        ++k;
    }
    return out;
}

bool promptUsesCaption(const QString& templ)
{
    return templ.contains(u"{caption}"_s);
}

QString shareGpt4vPrompt()
{
    // ShareGPT4V paper, Fig. 3(a), verbatim around the data-source-specific slot; the paper's
    // per-source prompts were never released, so the slot holds the base prompt the paper describes
    // (§3.2: basic information, object attributes, appearance, spatial relationships). Per-source
    // prompts in the library replace the whole template for their source.
    return u"You are a powerful image captioner. Describe the basic information of the image in detail, "
           "including the object attributes, appearance, and spatial relationships, and name what can be "
           "recognised, such as landmarks, artworks, species or readable text. Instead of describing the "
           "imaginary content, only describing the content one can determine confidently from the image. "
           "Do not describe the contents by itemizing them in list form. Minimize aesthetic descriptions "
           "as much as possible."_s;
}

QString facetPromptTemplate()
{
    return u"You are a powerful image captioner. Here is a caption of this image:\n\n{caption}\n\n"
           "Write a better version of only the part of the caption about {facet}, as one or more "
           "complete sentences that can replace that part. Only describe what one can determine "
           "confidently from the image. Do not itemize in list form. Reply with the new sentences only."_s;
}

QStringList facetKeys()
{
    return {u"world_knowledge"_s, u"attributes"_s, u"spatial"_s, u"art"_s, u"other"_s};
}

QString facetDescription(const QString& key)
{
    if (key == u"world_knowledge"_s)
        return u"world knowledge: names and identities (landmarks, people, artworks, species, brands), text "
               "read from the image, and facts beyond the pixels"_s;
    if (key == u"attributes"_s)
        return u"object attributes: colour, material, texture, shape, size, count, state, clothing, "
               "expression, action"_s;
    if (key == u"spatial"_s)
        return u"spatial relations: positions and relations such as left/right, above/below, in front/behind, "
               "foreground, background, arrangement, orientation, distance"_s;
    if (key == u"art"_s)
        return u"aesthetics: style, medium, technique, composition, lighting, palette, mood, atmosphere, "
               "photographic qualities"_s;
    if (key == u"other"_s)
        return u"the overview of the scene"_s;
    return key;
}

// ---- tokens and cost ----------------------------------------------------------------------------

std::int64_t imageTokens(std::int64_t width, std::int64_t height, const QString& detail, int maxSide)
{
    if (detail == u"low"_s)
        return 85;
    if (width <= 0 || height <= 0)
        return 85;
    double w = double(width);
    double h = double(height);
    // What the client sends: scaled down to maxSide.
    if (maxSide > 0 && std::max(w, h) > maxSide) {
        const double s = double(maxSide) / std::max(w, h);
        w = std::max(1.0, std::round(w * s));
        h = std::max(1.0, std::round(h * s));
    }
    // OpenAI: fit within 2048x2048, then shortest side 768 (only shrinking), then 512-pixel tiles.
    if (std::max(w, h) > 2048) {
        const double s = 2048.0 / std::max(w, h);
        w *= s;
        h *= s;
    }
    if (std::min(w, h) > 768) {
        const double s = 768.0 / std::min(w, h);
        w *= s;
        h *= s;
    }
    const auto tiles = static_cast<std::int64_t>(std::ceil(std::round(w) / 512.0) * std::ceil(std::round(h) / 512.0));
    return 170 * tiles + 85;
}

double costOf(const ModelPrice& price, std::int64_t inputTokens, std::int64_t outputTokens)
{
    return (double(inputTokens) * price.inputPerMTok + double(outputTokens) * price.outputPerMTok) / 1e6;
}

QByteArray RecaptionEstimate::toJson() const
{
    json j = {{"items", items},
              {"without_image", withoutImage},
              {"unreadable", unreadable},
              {"measured", measured},
              {"image_tokens", imageTokens},
              {"text_tokens", textTokens},
              {"input_tokens", inputTokens},
              {"output_tokens", outputTokens},
              {"model", utf8(model)}};
    j["cost"] = cost ? json(*cost) : json(nullptr);
    if (price)
        j["price"] = {{"model", utf8(price->model)},
                      {"input_per_mtok", price->inputPerMTok},
                      {"output_per_mtok", price->outputPerMTok}};
    return QByteArray::fromStdString(j.dump());
}

RecaptionEstimate RecaptionEstimate::fromJson(const QByteArray& text)
{
    RecaptionEstimate e;
    const json j = json::parse(text.constBegin(), text.constEnd(), nullptr, false);
    if (!j.is_object())
        return e;
    e.items = number<std::int64_t>(j, "items", 0);
    e.withoutImage = number<std::int64_t>(j, "without_image", 0);
    e.unreadable = number<std::int64_t>(j, "unreadable", 0);
    e.measured = number<std::int64_t>(j, "measured", 0);
    e.imageTokens = number<std::int64_t>(j, "image_tokens", 0);
    e.textTokens = number<std::int64_t>(j, "text_tokens", 0);
    e.inputTokens = number<std::int64_t>(j, "input_tokens", 0);
    e.outputTokens = number<std::int64_t>(j, "output_tokens", 0);
    e.model = qstr(j, "model");
    if (const auto c = j.find("cost"); c != j.end() && c->is_number())
        e.cost = c->get<double>();
    if (const auto p = j.find("price"); p != j.end() && p->is_object()) {
        ModelPrice price;
        price.model = qstr(*p, "model");
        price.inputPerMTok = number(*p, "input_per_mtok", 0.0);
        price.outputPerMTok = number(*p, "output_per_mtok", 0.0);
        e.price = price;
    }
    return e;
}

} // namespace facet
