// Share-Captioner output, [{"<image path>": "<caption>"}, ...]: JsonArraySplitter plus the
// RecordParser's Share-Captioner handler, and the format detection that tells it from ShareGPT4V.
//
// Checks beyond "no crash": an accepted element is a JSON object to nlohmann's DOM parser whose
// single member is the image path and the caption the parser reported.

#include "fuzzutil.h"

#include "jsonarraysplitter.h"
#include "recordparser.h"

#include <nlohmann/json.hpp>

#include <QBuffer>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace facet;
    QByteArray file(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    facet::fuzz::TrickleDevice device(file, facet::fuzz::tricklePattern(file));
    JsonArraySplitter splitter(&device, 4096, facet::fuzz::smallChunkBytes(file));
    static RecordParser parser(2048);
    ParsedRecord rec;
    RawRecord raw;
    for (int guard = 0; guard < 100000; ++guard) {
        const auto r = splitter.next(&raw);
        if (r != JsonArraySplitter::Result::Record)
            return 0;
        if (raw.tooLarge)
            continue;
        if (!parser.parseShareCaptioner(raw.text, &rec)) {
            fuzzCheck(!parser.error().isEmpty());
            continue;
        }
        const auto dom = nlohmann::json::parse(raw.text, nullptr, false);
        fuzzCheck(!dom.is_discarded() && dom.is_object());
        fuzzCheck(rec.hasImage && rec.hasCaption);
        fuzzCheck(dom.contains(rec.image) && dom.at(rec.image).is_string());
        fuzzCheck(dom.at(rec.image).get<std::string>() == rec.caption);
        // Both readers run during format detection; the conversation one must not crash on it either.
        ParsedRecord other;
        parser.parseConversation(raw.text, &other);
    }
    fuzzCheck(!"the splitter never ended");
}
