// The NDJSON reader of Ollama's streamed chat replies: one JSON object per line, pieces split
// anywhere by the transport.
//
// Checks beyond "no crash": the lines are the same whether the stream arrives whole or in pieces,
// no delivered line is blank or holds a newline, and nothing stays buffered after finish().

#include "fuzzutil.h"

#include "ndjsonparser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    facet::fuzz::checkPiecesAgree<facet::NdjsonParser>(data, size, [](std::string_view line) {
        fuzzCheck(!line.empty() && line.find('\n') == std::string_view::npos);
    });
    return 0;
}
