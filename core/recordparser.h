#pragma once

#include "fastrecordparser.h"

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <string>
#include <string_view>

namespace facet {

/** What the importer needs from one record. Reused across records so its buffers keep their capacity. */
struct ParsedRecord
{
    std::string id; ///< as text; a number id keeps its JSON spelling
    bool hasId = false;
    std::string image; ///< the path as written
    bool hasImage = false;
    std::string caption; ///< the first gpt/assistant turn's value
    bool hasCaption = false;
    int captionTurn = -1; ///< its index in conversations

    void clear();
};

/**
 * Validates and extracts one record with nlohmann's SAX interface: no DOM is built, and only the
 * id, the image and the conversation turns are copied out. A record is refused (parse() returns false
 * and error() says why) when it is not valid JSON or not valid UTF-8, is not an object, has no
 * `conversations` array, has a turn that is not an object or whose `from`/`value` is not a string, has
 * no gpt/assistant turn, repeats one of these keys, or has a caption over the size limit.
 * Fields the importer does not read may hold anything.
 */
class RecordParser final
{
    Q_DECLARE_TR_FUNCTIONS(facet::RecordParser)

public:
    explicit RecordParser(std::int64_t maxCaptionBytes);

    /** A ShareGPT4V/LLaVA record: {"id", "image", "conversations": [{"from", "value"}, ...]}. */
    bool parseConversation(std::string_view json, ParsedRecord* out);
    /** A Share-Captioner element: {"<image path>": "<caption>"}. */
    bool parseShareCaptioner(std::string_view json, ParsedRecord* out);

    const QString& error() const { return m_error; }

    /**
     * Well-formed records go through FastRecordParser; only records it is unsure of reach the SAX
     * handler. Tests turn the fast path off to compare the two.
     */
    void setFastPathEnabled(bool on) { m_fastPath = on; }

    /** Length of UTF-8 text in UTF-16 code units, i.e. QString::size() without building the QString. */
    static std::int64_t utf16Length(std::string_view utf8);

private:
    std::int64_t m_maxCaptionBytes;
    FastRecordParser m_fast;
    bool m_fastPath = true;
    QString m_error;
};

} // namespace facet
