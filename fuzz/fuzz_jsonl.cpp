// The JSONL reader: JsonLinesSplitter cuts the file into lines, the RecordParser validates each.
//
// Checks beyond "no crash": a whole buffer and the same bytes trickled through many chunk
// boundaries give the same records; every record is the file's bytes at its offset (less a final
// "\r"); blank lines are never records; an accepted record is valid JSON to nlohmann's DOM parser.

#include "fuzzutil.h"

#include "jsonlinessplitter.h"
#include "recordparser.h"

#include <nlohmann/json.hpp>

#include <QBuffer>

#include <string>
#include <vector>

namespace {

using namespace facet;

struct Seen
{
    std::string text;
    std::int64_t index, offset, size, line;
    bool tooLarge;
    bool operator==(const Seen&) const = default;
};

constexpr std::int64_t kMaxRecord = 4096;

std::vector<Seen> split(QIODevice* device, const QByteArray& file, std::size_t chunkBytes)
{
    std::vector<Seen> out;
    JsonLinesSplitter splitter(device, kMaxRecord, chunkBytes);
    RawRecord raw;
    for (int guard = 0; guard < 1000000; ++guard) {
        const auto r = splitter.next(&raw);
        fuzzCheck(r != JsonLinesSplitter::Result::Error); // only a failing device is an error
        if (r == JsonLinesSplitter::Result::End)
            return out;
        fuzzCheck(raw.index == static_cast<std::int64_t>(out.size()));
        fuzzCheck(raw.offset >= 0 && raw.size >= 0 && raw.offset + raw.size <= file.size());
        fuzzCheck(splitter.line() >= 1 && (out.empty() || splitter.line() > out.back().line));
        if (raw.tooLarge) {
            fuzzCheck(raw.text.empty() && raw.size > kMaxRecord);
        } else {
            const std::string_view text = raw.text;
            fuzzCheck(static_cast<std::int64_t>(text.size()) == raw.size
                      || (static_cast<std::int64_t>(text.size()) + 1 == raw.size
                          && file.at(raw.offset + raw.size - 1) == '\r'));
            fuzzCheck(std::string_view(file.constData() + raw.offset, text.size()) == text);
            fuzzCheck(text.find('\n') == std::string_view::npos);
            fuzzCheck(text.find_first_not_of(" \t\r") != std::string_view::npos); // not blank
        }
        out.push_back({std::string(raw.text), raw.index, raw.offset, raw.size, splitter.line(), raw.tooLarge});
    }
    fuzzCheck(!"the splitter never ended");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray file(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));

    QByteArray copy = file;
    QBuffer whole(&copy);
    whole.open(QIODevice::ReadOnly);
    const std::vector<Seen> a = split(&whole, file, facet::fuzz::kWholeChunkBytes);

    facet::fuzz::TrickleDevice trickle(file, facet::fuzz::tricklePattern(file));
    const std::vector<Seen> b = split(&trickle, file, facet::fuzz::smallChunkBytes(file));
    fuzzCheck(a == b);

    static RecordParser parser(2048);
    ParsedRecord rec;
    for (const Seen& s : a) {
        if (s.tooLarge)
            continue;
        if (parser.parseConversation(s.text, &rec)) {
            const auto dom = nlohmann::json::parse(s.text, nullptr, false);
            fuzzCheck(!dom.is_discarded() && dom.is_object() && rec.hasCaption);
        } else {
            fuzzCheck(!parser.error().isEmpty());
        }
    }
    return 0;
}
