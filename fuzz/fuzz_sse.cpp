// The server-sent events reader of streamed chat completions (OpenAI protocol). The transport
// hands over pieces of any size, so a line, a CRLF or a UTF-8 sequence may be split anywhere.
//
// Checks beyond "no crash": the events are the same whether the stream arrives whole or in pieces
// cut at input-derived places, and after finish() nothing stays buffered.

#include "fuzzutil.h"

#include "sseparser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    facet::fuzz::checkPiecesAgree<facet::SseParser>(data, size, [](std::string_view) {});
    return 0;
}
