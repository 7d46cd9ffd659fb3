#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace facet {

struct ParsedRecord;

/**
 * The fast path of RecordParser for well-formed ShareGPT4V records. nlohmann's lexer copies every
 * string character by character, which made JSON parsing a quarter of a large import; this parser
 * validates the whole element (JSON grammar, UTF-8, escapes) and copies only the fields it needs,
 * in bulk.
 *
 * It only ever says "yes, this is a good record, here are its fields" or "not sure". Anything
 * unusual (a refusal, an escaped key, a non-integer id, a duplicate key, deep nesting, any
 * error) is "not sure", and RecordParser then runs the nlohmann SAX handler, which decides and
 * words the reason. So this class must never accept what the SAX handler would refuse, and must
 * extract exactly what it would; tests/test_import.cpp compares the two on tricky records.
 */
class FastRecordParser final
{
public:
    explicit FastRecordParser(std::int64_t maxCaptionBytes)
        : m_maxCaptionBytes(maxCaptionBytes)
    {
    }

    /** True when `json` is a valid record; *out then holds its fields. False: ask the SAX handler. */
    bool parseConversation(std::string_view json, ParsedRecord* out);

private:
    bool value(int depth);
    bool object(int depth);
    bool array(int depth);
    bool number(std::string_view* spelling);
    bool literal(std::string_view word);
    /** Parses a string; appends its decoded text to *dst unless dst is null (then only validates). */
    bool string(std::string* dst);
    bool escape(std::string* dst);
    bool turn(int index, ParsedRecord* out);
    void ws();

    std::int64_t m_maxCaptionBytes;
    const char* m_p = nullptr;
    const char* m_end = nullptr;
    bool m_hadEscape = false;
    std::string m_key, m_from, m_value;
};

} // namespace facet
