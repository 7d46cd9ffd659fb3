// The NDJSON reader of Ollama's streamed chat replies: one JSON object per line, pieces split
// anywhere by the transport.
//
// Checks beyond "no crash": the lines are the same whether the stream arrives whole or in pieces,
// no delivered line is blank or holds a newline, and nothing stays buffered after finish().

#include "fuzzutil.h"

#include "ndjsonparser.h"

#include <string>
#include <vector>

namespace {

std::vector<std::string> lines(std::string_view stream, const QByteArray& cuts, bool pieces)
{
    std::vector<std::string> out;
    facet::NdjsonParser parser([&out](std::string_view line) {
        fuzzCheck(!line.empty() && line.find('\n') == std::string_view::npos);
        out.emplace_back(line);
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
    fuzzCheck(lines(stream, cuts, false) == lines(stream, cuts, true));
    return 0;
}
