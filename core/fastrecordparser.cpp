#include "fastrecordparser.h"

#include "recordparser.h"

#include <array>
#include <charconv>

namespace facet {

namespace {

// Bytes that end a plain run inside a string: the quote, a backslash, control characters and the
// start of a multi-byte UTF-8 sequence (which must be validated).
constexpr std::array<bool, 256> kStop = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[static_cast<std::size_t>(c)] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
    return t;
}();

// Anything deeper is left to the SAX parser, which does not recurse.
constexpr int kMaxDepth = 256;

bool isCaptionRole(const std::string& from)
{
    return from == "gpt" || from == "assistant";
}

void appendUtf8(std::string* dst, std::uint32_t cp)
{
    if (cp < 0x80) {
        dst->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        dst->push_back(static_cast<char>(0xC0 | (cp >> 6)));
        dst->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        dst->push_back(static_cast<char>(0xE0 | (cp >> 12)));
        dst->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        dst->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        dst->push_back(static_cast<char>(0xF0 | (cp >> 18)));
        dst->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        dst->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        dst->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace

void FastRecordParser::ws()
{
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
        ++m_p;
}

bool FastRecordParser::escape(std::string* dst)
{
    if (m_p >= m_end)
        return false;
    const char e = *m_p++;
    char plain = 0;
    switch (e) {
    case '"':
    case '\\':
    case '/':
        plain = e;
        break;
    case 'b':
        plain = '\b';
        break;
    case 'f':
        plain = '\f';
        break;
    case 'n':
        plain = '\n';
        break;
    case 'r':
        plain = '\r';
        break;
    case 't':
        plain = '\t';
        break;
    case 'u': {
        const auto hex4 = [this](std::uint32_t* out) {
            if (m_end - m_p < 4)
                return false;
            std::uint32_t v = 0;
            for (int i = 0; i < 4; ++i) {
                const char c = m_p[i];
                v <<= 4;
                if (c >= '0' && c <= '9')
                    v |= static_cast<std::uint32_t>(c - '0');
                else if (c >= 'a' && c <= 'f')
                    v |= static_cast<std::uint32_t>(c - 'a' + 10);
                else if (c >= 'A' && c <= 'F')
                    v |= static_cast<std::uint32_t>(c - 'A' + 10);
                else
                    return false;
            }
            m_p += 4;
            *out = v;
            return true;
        };
        std::uint32_t cp = 0;
        if (!hex4(&cp))
            return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                return false;
            m_p += 2;
            std::uint32_t low = 0;
            if (!hex4(&low) || low < 0xDC00 || low > 0xDFFF)
                return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
        }
        if (dst)
            appendUtf8(dst, cp);
        return true;
    }
    default:
        return false;
    }
    if (dst)
        dst->push_back(plain);
    return true;
}

bool FastRecordParser::string(std::string* dst)
{
    if (m_p >= m_end || *m_p != '"')
        return false;
    ++m_p;
    for (;;) {
        const char* run = m_p;
        while (m_p < m_end && !kStop[static_cast<unsigned char>(*m_p)])
            ++m_p;
        if (dst && m_p > run)
            dst->append(run, static_cast<std::size_t>(m_p - run));
        if (m_p >= m_end)
            return false;
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            ++m_p;
            return true;
        }
        if (c == '\\') {
            ++m_p;
            if (!escape(dst))
                return false;
            continue;
        }
        if (c < 0x20)
            return false;
        // One UTF-8 sequence: shortest form, no surrogates, at most U+10FFFF (RFC 3629).
        int n = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (m_end - m_p <= n)
            return false;
        for (int i = 1; i <= n; ++i) {
            const auto b = static_cast<unsigned char>(m_p[i]);
            if ((b & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        if (dst)
            dst->append(m_p, static_cast<std::size_t>(n + 1));
        m_p += n + 1;
    }
}

bool FastRecordParser::number(std::string_view* spelling)
{
    const char* start = m_p;
    const auto digits = [this] {
        const char* s = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return m_p > s;
    };
    if (m_p < m_end && *m_p == '-')
        ++m_p;
    const char* integral = m_p;
    if (m_p < m_end && *m_p == '0')
        ++m_p;
    else if (!(m_p < m_end && *m_p >= '1' && *m_p <= '9') || !digits())
        return false;
    // nlohmann refuses numbers that overflow a double; whether one does is the SAX parser's call.
    // Without an exponent that takes more than 300 integral digits.
    if (m_p - integral > 300)
        return false;
    if (m_p < m_end && *m_p == '.') {
        ++m_p;
        if (!digits())
            return false;
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E'))
        return false;
    *spelling = std::string_view(start, static_cast<std::size_t>(m_p - start));
    return true;
}

bool FastRecordParser::literal(std::string_view word)
{
    if (static_cast<std::size_t>(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word)
        return false;
    m_p += word.size();
    return true;
}

bool FastRecordParser::value(int depth)
{
    if (m_p >= m_end)
        return false;
    switch (*m_p) {
    case '{':
        return object(depth + 1);
    case '[':
        return array(depth + 1);
    case '"':
        return string(nullptr);
    case 't':
        return literal("true");
    case 'f':
        return literal("false");
    case 'n':
        return literal("null");
    default: {
        std::string_view ignored;
        return number(&ignored);
    }
    }
}

bool FastRecordParser::object(int depth)
{
    if (depth > kMaxDepth)
        return false;
    ++m_p;
    ws();
    if (m_p < m_end && *m_p == '}') {
        ++m_p;
        return true;
    }
    for (;;) {
        if (!string(nullptr))
            return false;
        ws();
        if (m_p >= m_end || *m_p != ':')
            return false;
        ++m_p;
        ws();
        if (!value(depth))
            return false;
        ws();
        if (m_p >= m_end)
            return false;
        if (*m_p == '}') {
            ++m_p;
            return true;
        }
        if (*m_p != ',')
            return false;
        ++m_p;
        ws();
    }
}

bool FastRecordParser::array(int depth)
{
    if (depth > kMaxDepth)
        return false;
    ++m_p;
    ws();
    if (m_p < m_end && *m_p == ']') {
        ++m_p;
        return true;
    }
    for (;;) {
        if (!value(depth))
            return false;
        ws();
        if (m_p >= m_end)
            return false;
        if (*m_p == ']') {
            ++m_p;
            return true;
        }
        if (*m_p != ',')
            return false;
        ++m_p;
        ws();
    }
}

bool FastRecordParser::turn(int index, ParsedRecord* out)
{
    ++m_p; // '{'
    ws();
    bool seenFrom = false, seenValue = false, valueKept = false;
    m_from.clear();
    m_value.clear();
    for (;;) {
        m_key.clear();
        if (!string(&m_key))
            return false;
        ws();
        if (m_p >= m_end || *m_p != ':')
            return false;
        ++m_p;
        ws();
        if (m_key == "from") {
            if (seenFrom || !string(&m_from))
                return false;
            seenFrom = true;
        } else if (m_key == "value") {
            // Only the caption is copied; later turns and known prompts are just validated.
            const bool wanted = !out->hasCaption && !(seenFrom && !isCaptionRole(m_from));
            if (seenValue || !string(wanted ? &m_value : nullptr))
                return false;
            seenValue = true;
            valueKept = wanted;
        } else if (!value(3)) {
            return false;
        }
        ws();
        if (m_p >= m_end)
            return false;
        if (*m_p == '}') {
            ++m_p;
            break;
        }
        if (*m_p != ',')
            return false;
        ++m_p;
        ws();
    }
    if (!seenFrom || !seenValue)
        return false;
    if (!out->hasCaption && isCaptionRole(m_from)) {
        if (!valueKept || static_cast<std::int64_t>(m_value.size()) > m_maxCaptionBytes)
            return false;
        out->caption.swap(m_value);
        out->hasCaption = true;
        out->captionTurn = index;
    }
    return true;
}

bool FastRecordParser::parseConversation(std::string_view json, ParsedRecord* out)
{
    out->clear();
    m_p = json.data();
    m_end = m_p + json.size();
    ws();
    if (m_p >= m_end || *m_p != '{')
        return false;
    ++m_p;
    ws();
    bool seenId = false, seenImage = false, seenConversations = false;
    for (;;) {
        m_key.clear();
        if (!string(&m_key))
            return false;
        ws();
        if (m_p >= m_end || *m_p != ':')
            return false;
        ++m_p;
        ws();
        if (m_p >= m_end)
            return false;
        if (m_key == "id") {
            if (seenId)
                return false;
            seenId = true;
            if (*m_p == '"') {
                if (!string(&out->id))
                    return false;
                out->hasId = true;
            } else if (*m_p == 'n') {
                if (!literal("null"))
                    return false;
            } else {
                // Integers only; the SAX handler keeps the spelling of other numbers.
                std::string_view s;
                if (!number(&s) || s.find_first_of(".eE") != std::string_view::npos)
                    return false;
                std::int64_t v = 0;
                const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
                if (ec != std::errc() || ptr != s.data() + s.size())
                    return false;
                out->id = std::to_string(v);
                out->hasId = true;
            }
        } else if (m_key == "image") {
            if (seenImage)
                return false;
            seenImage = true;
            if (*m_p == '"') {
                if (!string(&out->image))
                    return false;
                out->hasImage = true;
            } else if (!literal("null")) {
                return false;
            }
        } else if (m_key == "conversations") {
            if (seenConversations || *m_p != '[')
                return false;
            seenConversations = true;
            ++m_p;
            ws();
            if (m_p < m_end && *m_p == ']') {
                ++m_p;
            } else {
                for (int index = 0;; ++index) {
                    if (m_p >= m_end || *m_p != '{' || !turn(index, out))
                        return false;
                    ws();
                    if (m_p >= m_end)
                        return false;
                    if (*m_p == ']') {
                        ++m_p;
                        break;
                    }
                    if (*m_p != ',')
                        return false;
                    ++m_p;
                    ws();
                }
            }
        } else if (!value(1)) {
            return false;
        }
        ws();
        if (m_p >= m_end)
            return false;
        if (*m_p == '}') {
            ++m_p;
            break;
        }
        if (*m_p != ',')
            return false;
        ++m_p;
        ws();
    }
    ws();
    return m_p == m_end && seenConversations && out->hasCaption;
}

} // namespace facet
