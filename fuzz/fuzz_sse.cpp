// The server-sent events reader of streamed chat completions (OpenAI protocol). The transport
// hands over pieces of any size, so a line, a CRLF or a UTF-8 sequence may be split anywhere.
//
// Checks beyond "no crash": the events are the same whether the stream arrives whole or in pieces
// cut at input-derived places, and after finish() nothing stays buffered.

#include "fuzzutil.h"

#include "sseparser.h"

#include <string>
#include <vector>

namespace {

std::vector<std::string> events(std::string_view stream, const QByteArray& cuts, bool pieces)
{
    std::vector<std::string> out;
    facet::SseParser parser([&out](std::string_view data) {
        out.emplace_back(data);
        return out.size() < 10000;
    });
    std::size_t pos = 0;
    int step = 0;
    while (pos < stream.size()) {
        std::size_t n = stream.size() - pos;
        if (pieces)
            n = std::min<std::size_t>(n, 1 + static_cast<unsigned char>(cuts.at(step++ % cuts.size())) % 17);
        if (!parser.feed(stream.substr(pos, n)))
            return out;
        pos += n;
    }
    parser.finish();
    fuzzCheck(parser.buffered() == 0);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const std::string_view stream(bytes.constData(), size);
    const QByteArray cuts = facet::fuzz::tricklePattern(bytes);
    fuzzCheck(events(stream, cuts, false) == events(stream, cuts, true));
    return 0;
}
