// What providers send back: a chat reply (plain JSON, SSE stream or NDJSON stream) read by
// ChatExchange for each protocol, model lists (parseModels), structured facet output
// (parseFacetJson) and Retry-After headers. All of it comes from a server we do not control.
//
// Input layout: byte 0 picks protocol, streaming and structured output; byte 1 the HTTP status;
// then "header-line\n...\n\n" (optional) and the body. Checks beyond "no crash": nothing throws out
// of ChatExchange (a bad reply is an outcome), an Ok outcome carries a caption, a non-Ok one a
// reason, and a streamed reply gives the same outcome whole or in pieces.

#include "fuzzutil.h"

#include "error.h"
#include "recaption.h"
#include "recaptionprovider.h"

#include <string>

namespace {

using namespace facet;

constexpr long kStatuses[] = {200, 200, 200, 200, 400, 401, 403, 404, 408, 409, 413, 429, 500, 502, 503, 0};

ChatOutcome run(ProviderKind kind, bool stream, bool structured, long status, const HttpHeaders& headers,
                std::string_view body, const QByteArray& cuts, bool pieces)
{
    ChatExchange exchange(kind, stream, structured);
    std::size_t pos = 0;
    int step = 0;
    bool more = true;
    while (more && pos < body.size()) {
        std::size_t n = body.size() - pos;
        if (pieces)
            n = std::min<std::size_t>(n, 1 + static_cast<unsigned char>(cuts.at(step++ % cuts.size())) % 23);
        more = exchange.onData(body.substr(pos, n));
        pos += n;
    }
    return exchange.finish(status, headers, QString(), true);
}

bool same(const ChatOutcome& a, const ChatOutcome& b)
{
    return a.kind == b.kind && a.text == b.text && a.raw == b.raw && a.facetSentences == b.facetSentences
           && a.finishReason == b.finishReason && a.truncated == b.truncated && a.promptTokens == b.promptTokens
           && a.completionTokens == b.completionTokens && a.error == b.error;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const unsigned mode = data[0];
    const ProviderKind kind = mode % 3 == 0   ? ProviderKind::OpenAi
                              : mode % 3 == 1 ? ProviderKind::OpenAiCompatible
                                              : ProviderKind::Ollama;
    const bool stream = (mode / 3) % 2;
    const bool structured = (mode / 6) % 2;
    const long status = kStatuses[data[1] % std::size(kStatuses)];
    std::string_view rest(bytes.constData() + 2, size - 2);

    HttpHeaders headers;
    if (const std::size_t end = rest.find("\n\n"); end != std::string_view::npos && end < 512) {
        std::string_view block = rest.substr(0, end);
        rest.remove_prefix(end + 2);
        while (!block.empty()) {
            const std::size_t nl = block.find('\n');
            const std::string_view line = block.substr(0, nl);
            const std::size_t colon = line.find(':');
            if (colon != std::string_view::npos) {
                std::string name(line.substr(0, colon));
                for (char& c : name)
                    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
                std::string_view value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ')
                    value.remove_prefix(1);
                headers.emplace_back(std::move(name), std::string(value));
            }
            block = nl == std::string_view::npos ? std::string_view() : block.substr(nl + 1);
        }
    }
    const QByteArray cuts = facet::fuzz::tricklePattern(bytes);

    const ChatOutcome whole = run(kind, stream, structured, status, headers, rest, cuts, false);
    if (whole.kind == ChatOutcome::Kind::Ok)
        fuzzCheck(!whole.text.isEmpty());
    else
        fuzzCheck(!whole.error.isEmpty());
    const ChatOutcome pieces = run(kind, stream, structured, status, headers, rest, cuts, true);
    if (!same(whole, pieces)) {
        auto show = [](const char* label, const ChatOutcome& o) {
            std::fprintf(stderr,
                         "%s: kind %d text [%s] raw [%s] finish [%s] truncated %d tokens %lld/%lld error [%s]\n", label,
                         int(o.kind), qPrintable(o.text), qPrintable(o.raw), qPrintable(o.finishReason),
                         int(o.truncated), static_cast<long long>(o.promptTokens),
                         static_cast<long long>(o.completionTokens), qPrintable(o.error));
        };
        show("whole", whole);
        show("pieces", pieces);
    }
    fuzzCheck(same(whole, pieces));

    const std::int64_t retry = retryAfterMs(headers);
    fuzzCheck(retry == -1 || retry > 0);

    QString caption;
    QList<std::pair<QString, QString>> sentences;
    if (parseFacetJson(rest, &caption, &sentences))
        for (const auto& [facet, sentence] : sentences)
            fuzzCheck(!facet.isEmpty());

    RecaptionSettings settings;
    settings.provider = kind;
    settings.model = QStringLiteral("m");
    const ProviderProtocol protocol(settings);
    try {
        protocol.parseModels(status, rest);
    } catch (const Error& e) {
        fuzzCheck(!e.message().isEmpty());
    }
    return 0;
}
