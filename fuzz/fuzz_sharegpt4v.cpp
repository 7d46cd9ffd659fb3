// The ShareGPT4V/LLaVA JSON array reader: JsonArraySplitter cuts the array into records, the
// RecordParser validates each one and ImageRoot resolves its image path.
//
// Checks beyond "no crash": a whole buffer and the same bytes trickled through many chunk
// boundaries give the same records; every record's text is the file's bytes at its offset; a record
// the SAX parser accepts is valid JSON to nlohmann's DOM parser too; a resolved image path stays
// inside its root.

#include "fuzzutil.h"

#include "imagepath.h"
#include "jsonarraysplitter.h"
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
    std::int64_t index, offset, size;
    bool tooLarge;
    bool operator==(const Seen&) const = default;
};

struct Run
{
    std::vector<Seen> records;
    bool error = false;
    std::int64_t errorOffset = -1;
    bool operator==(const Run&) const = default;
};

// Small enough that the fuzzer reaches the too-large path; each record costs at most this.
constexpr std::int64_t kMaxRecord = 4096;

Run split(QIODevice* device, const QByteArray& file, std::size_t chunkBytes)
{
    Run run;
    JsonArraySplitter splitter(device, kMaxRecord, chunkBytes);
    RawRecord raw;
    for (int guard = 0; guard < 100000; ++guard) {
        const auto r = splitter.next(&raw);
        if (r == JsonArraySplitter::Result::End)
            return run;
        if (r == JsonArraySplitter::Result::Error) {
            fuzzCheck(!splitter.errorString().isEmpty());
            run.error = true;
            run.errorOffset = splitter.errorOffset();
            return run;
        }
        fuzzCheck(raw.index == static_cast<std::int64_t>(run.records.size()));
        fuzzCheck(raw.offset >= 0 && raw.size >= 0 && raw.offset + raw.size <= file.size());
        if (raw.tooLarge) {
            fuzzCheck(raw.text.empty() && raw.size > kMaxRecord);
        } else {
            fuzzCheck(static_cast<std::int64_t>(raw.text.size()) == raw.size);
            fuzzCheck(std::string_view(file.constData() + raw.offset, raw.text.size()) == raw.text);
        }
        run.records.push_back({std::string(raw.text), raw.index, raw.offset, raw.size, raw.tooLarge});
    }
    fuzzCheck(!"the splitter never ended");
}

void checkRecord(const std::string& text, RecordParser& parser, const ImageRoot& root)
{
    ParsedRecord rec;
    if (!parser.parseConversation(text, &rec)) {
        fuzzCheck(!parser.error().isEmpty());
        return;
    }
    // What the streaming parser accepted must be a JSON object with a caption to a DOM parser too.
    const auto dom = nlohmann::json::parse(text, nullptr, false);
    fuzzCheck(!dom.is_discarded() && dom.is_object());
    fuzzCheck(rec.hasCaption && rec.captionTurn >= 0);
    const auto& turns = dom.at("conversations");
    fuzzCheck(turns.is_array() && static_cast<std::size_t>(rec.captionTurn) < turns.size());
    fuzzCheck(turns.at(static_cast<std::size_t>(rec.captionTurn)).at("value").get<std::string>() == rec.caption);
    fuzzCheck(RecordParser::utf16Length(rec.caption)
              == QString::fromUtf8(rec.caption.data(), static_cast<qsizetype>(rec.caption.size())).size());
    if (rec.hasImage) {
        ImageRoot::Resolved resolved;
        QString reason;
        if (root.resolve(rec.image, &resolved, &reason)) {
            fuzzCheck(!resolved.relative.empty() && resolved.relative.front() != '/');
            fuzzCheck(resolved.absolute == "/fuzz-root/" + resolved.relative);
            fuzzCheck(resolved.relative != ".." && resolved.relative.rfind("../", 0) != 0
                      && resolved.relative.find("/../") == std::string::npos
                      && (resolved.relative.size() < 3
                          || resolved.relative.compare(resolved.relative.size() - 3, 3, "/..") != 0));
        } else {
            fuzzCheck(!reason.isEmpty());
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray file(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));

    QByteArray copy = file;
    QBuffer whole(&copy);
    whole.open(QIODevice::ReadOnly);
    const Run a = split(&whole, file, facet::fuzz::kWholeChunkBytes);

    facet::fuzz::TrickleDevice trickle(file, facet::fuzz::tricklePattern(file));
    const Run b = split(&trickle, file, facet::fuzz::smallChunkBytes(file));
    fuzzCheck(a == b);

    static RecordParser parser(2048);
    static const ImageRoot root(QStringLiteral("/fuzz-root"));
    for (const Seen& s : a.records)
        if (!s.tooLarge)
            checkRecord(s.text, parser, root);
    return 0;
}
