#include "recordparser.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <cstring>
#include <string>

namespace facet {

namespace {

using Json = nlohmann::json;

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need only the rest.
QString parseErrorText(const nlohmann::detail::exception& ex)
{
    std::string_view what = ex.what();
    if (!what.empty() && what.front() == '[') {
        const auto close = what.find("] ");
        if (close != std::string_view::npos)
            what.remove_prefix(close + 2);
    }
    return QCoreApplication::translate("facet::RecordParser", "invalid JSON: %1")
        .arg(QString::fromUtf8(what.data(), static_cast<qsizetype>(what.size())));
}

QString fromStd(const std::string& s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/**
 * Shared by both handlers: nesting depth, the first reason to refuse the record, and the syntax
 * error. A refusal does not stop the parse, so that an id after the bad field is still reported
 * and a later syntax error is still caught; only a syntax error stops it.
 */
class HandlerBase
{
public:
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    explicit HandlerBase(std::int64_t maxCaptionBytes)
        : m_maxCaptionBytes(maxCaptionBytes)
    {
    }

    void refuse(const QString& reason)
    {
        if (m_refusal.isEmpty())
            m_refusal = reason;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex)
    {
        refuse(parseErrorText(ex));
        return false;
    }
    bool binary(binary_t&) { return true; } // JSON text has no binary values

    QString m_refusal;
    std::int64_t m_maxCaptionBytes;
    int m_depth = 0;
};

/** Extracts id, image and the caption turn of a ShareGPT4V/LLaVA conversation record. */
class ConversationHandler final : public HandlerBase
{
    Q_DECLARE_TR_FUNCTIONS(facet::RecordParser)

public:
    ConversationHandler(std::int64_t maxCaptionBytes, ParsedRecord* out)
        : HandlerBase(maxCaptionBytes)
        , m_out(out)
    {
    }

    bool null() { return scalar(Kind::Null, nullptr); }
    bool boolean(bool) { return scalar(Kind::Other, nullptr); }
    bool number_integer(number_integer_t v)
    {
        if (atTop(TopKey::Id))
            setId(std::to_string(v));
        return scalar(Kind::Number, nullptr);
    }
    bool number_unsigned(number_unsigned_t v)
    {
        if (atTop(TopKey::Id))
            setId(std::to_string(v));
        return scalar(Kind::Number, nullptr);
    }
    bool number_float(number_float_t, const string_t& spelling)
    {
        if (atTop(TopKey::Id))
            setId(spelling);
        return scalar(Kind::Number, nullptr);
    }
    bool string(string_t& v) { return scalar(Kind::String, &v); }

    bool start_object(std::size_t)
    {
        if (m_depth == 0) {
            m_top = true;
        } else if (m_depth == 2 && m_inConversations) {
            m_inTurn = true;
            m_seenFrom = m_seenValue = false;
            m_from.clear();
            m_value.clear();
            m_valueSize = 0;
        } else {
            container();
        }
        ++m_depth;
        return true;
    }
    bool end_object()
    {
        --m_depth;
        if (m_depth == 2 && m_inTurn) {
            endTurn();
            m_inTurn = false;
            ++m_turn;
        } else if (m_depth == 0 && m_top) {
            if (!m_seenConversations)
                refuse(tr("it has no \"conversations\""));
            else if (!m_out->hasCaption)
                refuse(tr("it has no gpt turn (no turn with \"from\": \"gpt\" or \"assistant\")"));
        }
        return true;
    }
    bool start_array(std::size_t)
    {
        if (m_depth == 1 && m_topKey == TopKey::Conversations) {
            m_inConversations = true;
            m_turn = 0;
        } else {
            container();
        }
        ++m_depth;
        return true;
    }
    bool end_array()
    {
        --m_depth;
        if (m_depth == 1 && m_inConversations)
            m_inConversations = false;
        return true;
    }
    bool key(string_t& k)
    {
        if (m_depth == 1) {
            m_topKey = TopKey::Other;
            if (k == "id")
                m_topKey = once(m_seenId, TopKey::Id, "id");
            else if (k == "image")
                m_topKey = once(m_seenImage, TopKey::Image, "image");
            else if (k == "conversations")
                m_topKey = once(m_seenConversations, TopKey::Conversations, "conversations");
        } else if (m_depth == 3 && m_inTurn) {
            m_turnKey = TurnKey::Other;
            if (k == "from") {
                if (m_seenFrom)
                    refuse(tr("turn %1 has \"from\" twice").arg(m_turn));
                m_seenFrom = true;
                m_turnKey = TurnKey::From;
            } else if (k == "value") {
                if (m_seenValue)
                    refuse(tr("turn %1 has \"value\" twice").arg(m_turn));
                m_seenValue = true;
                m_turnKey = TurnKey::Value;
            }
        }
        return true;
    }

private:
    enum class TopKey
    {
        Other,
        Id,
        Image,
        Conversations
    };
    enum class TurnKey
    {
        Other,
        From,
        Value
    };
    enum class Kind
    {
        Null,
        Number,
        String,
        Container,
        Other
    };

    bool atTop(TopKey k) const { return m_depth == 1 && m_topKey == k; }

    TopKey once(bool& seen, TopKey k, const char* name)
    {
        if (seen) {
            refuse(tr("the key \"%1\" appears twice").arg(QLatin1String(name)));
            return TopKey::Other;
        }
        seen = true;
        return k;
    }

    void setId(const std::string& s)
    {
        m_out->id = s;
        m_out->hasId = true;
    }

    void container() { scalar(Kind::Container, nullptr); }

    // One value (or the start of a container) at the current depth.
    bool scalar(Kind kind, std::string* str)
    {
        if (m_depth == 0) {
            refuse(tr("the record is not a JSON object"));
        } else if (m_depth == 1) {
            switch (m_topKey) {
            case TopKey::Id:
                if (kind == Kind::String)
                    setId(*str);
                else if (kind != Kind::Number && kind != Kind::Null)
                    refuse(tr("\"id\" is neither a string nor a number"));
                break;
            case TopKey::Image:
                if (kind == Kind::String) {
                    m_out->image = *str;
                    m_out->hasImage = true;
                } else if (kind != Kind::Null) {
                    refuse(tr("\"image\" is not a string"));
                }
                break;
            case TopKey::Conversations: // an array never gets here: start_array takes it
                refuse(tr("\"conversations\" is not an array"));
                break;
            case TopKey::Other:
                break;
            }
        } else if (m_depth == 2 && m_inConversations) {
            refuse(tr("turn %1 is not an object").arg(m_turn));
            ++m_turn;
        } else if (m_depth == 3 && m_inTurn) {
            switch (m_turnKey) {
            case TurnKey::From:
                if (kind == Kind::String)
                    m_from = *str;
                else
                    refuse(tr("turn %1: \"from\" is not a string").arg(m_turn));
                break;
            case TurnKey::Value:
                if (kind != Kind::String) {
                    refuse(tr("turn %1: \"value\" is not a string").arg(m_turn));
                } else if (!m_out->hasCaption) { // later turns are never the caption: don't copy them
                    m_valueSize = static_cast<std::int64_t>(str->size());
                    if (m_valueSize <= m_maxCaptionBytes)
                        m_value = *str;
                }
                break;
            case TurnKey::Other:
                break;
            }
        }
        return true;
    }

    void endTurn()
    {
        if (!m_seenFrom) {
            refuse(tr("turn %1 has no \"from\"").arg(m_turn));
            return;
        }
        if (!m_seenValue) {
            refuse(tr("turn %1 has no \"value\"").arg(m_turn));
            return;
        }
        if (m_out->hasCaption || (m_from != "gpt" && m_from != "assistant"))
            return;
        if (m_valueSize > m_maxCaptionBytes) {
            refuse(tr("the caption (turn %1) is %2 bytes long, more than the limit of %3 bytes")
                       .arg(m_turn)
                       .arg(m_valueSize)
                       .arg(m_maxCaptionBytes));
            return;
        }
        m_out->caption.swap(m_value);
        m_out->hasCaption = true;
        m_out->captionTurn = m_turn;
    }

    ParsedRecord* m_out;
    bool m_top = false;
    TopKey m_topKey = TopKey::Other;
    bool m_seenId = false, m_seenImage = false, m_seenConversations = false;
    bool m_inConversations = false;
    bool m_inTurn = false;
    int m_turn = 0;
    TurnKey m_turnKey = TurnKey::Other;
    bool m_seenFrom = false, m_seenValue = false;
    std::string m_from;
    std::string m_value;
    std::int64_t m_valueSize = 0;
};

/** Share-Captioner writes [{"<image path>": "<caption>"}, ...]: one key, one string. */
class ShareCaptionerHandler final : public HandlerBase
{
    Q_DECLARE_TR_FUNCTIONS(facet::RecordParser)

public:
    ShareCaptionerHandler(std::int64_t maxCaptionBytes, ParsedRecord* out)
        : HandlerBase(maxCaptionBytes)
        , m_out(out)
    {
    }

    bool null() { return value(nullptr); }
    bool boolean(bool) { return value(nullptr); }
    bool number_integer(number_integer_t) { return value(nullptr); }
    bool number_unsigned(number_unsigned_t) { return value(nullptr); }
    bool number_float(number_float_t, const string_t&) { return value(nullptr); }
    bool string(string_t& v) { return value(&v); }
    bool start_object(std::size_t)
    {
        if (m_depth == 0)
            m_top = true;
        else
            value(nullptr);
        ++m_depth;
        return true;
    }
    bool end_object()
    {
        --m_depth;
        if (m_depth == 0 && m_top && m_keys == 0)
            refuse(tr("the object is empty; expected {\"<image path>\": \"<caption>\"}"));
        return true;
    }
    bool start_array(std::size_t)
    {
        value(nullptr);
        ++m_depth;
        return true;
    }
    bool end_array()
    {
        --m_depth;
        return true;
    }
    bool key(string_t& k)
    {
        if (m_depth != 1)
            return true;
        if (++m_keys == 2)
            refuse(tr("the object has more than one key; expected {\"<image path>\": \"<caption>\"}"));
        if (m_keys == 1) {
            m_out->image = k;
            m_out->hasImage = true;
            m_out->id = k;
            m_out->hasId = true;
        }
        return true;
    }

private:
    bool value(std::string* str)
    {
        if (m_depth == 0) {
            refuse(tr("the record is not a JSON object"));
        } else if (m_depth == 1 && m_keys == 1) {
            if (!str) {
                refuse(tr("the caption for %1 is not a string").arg(fromStd(m_out->image)));
            } else if (static_cast<std::int64_t>(str->size()) > m_maxCaptionBytes) {
                refuse(tr("the caption is %1 bytes long, more than the limit of %2 bytes")
                           .arg(str->size())
                           .arg(m_maxCaptionBytes));
            } else {
                m_out->caption = *str;
                m_out->hasCaption = true;
            }
        }
        return true;
    }

    ParsedRecord* m_out;
    bool m_top = false;
    int m_keys = 0;
};

template <typename Handler> bool run(std::string_view json, Handler& handler, QString* error)
{
    const char* begin = json.data();
    Json::sax_parse(begin, begin + json.size(), &handler, nlohmann::json::input_format_t::json, true, false);
    if (handler.m_refusal.isEmpty())
        return true;
    *error = handler.m_refusal;
    return false;
}

} // namespace

void ParsedRecord::clear()
{
    id.clear();
    hasId = false;
    image.clear();
    hasImage = false;
    caption.clear();
    hasCaption = false;
    captionTurn = -1;
}

RecordParser::RecordParser(std::int64_t maxCaptionBytes)
    : m_maxCaptionBytes(maxCaptionBytes)
    , m_fast(maxCaptionBytes)
{
}

bool RecordParser::parseConversation(std::string_view json, ParsedRecord* out)
{
    m_error.clear();
    if (m_fastPath && m_fast.parseConversation(json, out))
        return true;
    out->clear();
    ConversationHandler handler(m_maxCaptionBytes, out);
    return run(json, handler, &m_error);
}

bool RecordParser::parseShareCaptioner(std::string_view json, ParsedRecord* out)
{
    out->clear();
    m_error.clear();
    ShareCaptionerHandler handler(m_maxCaptionBytes, out);
    return run(json, handler, &m_error);
}

std::int64_t RecordParser::utf16Length(std::string_view utf8)
{
    // Every byte that is not a continuation byte (10xxxxxx) starts a character; four-byte sequences
    // (lead byte 11110xxx) are outside the BMP and take a surrogate pair in UTF-16. Eight bytes at a
    // time, because this runs over every caption of an import and captions are mostly ASCII.
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    auto n = static_cast<std::int64_t>(utf8.size());
    const char* p = utf8.data();
    std::size_t i = 0;
    for (; i + 8 <= utf8.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        if ((w & kHigh) == 0)
            continue;
        // Bit 7 of (w << k) is bit 7-k of the same byte.
        const std::uint64_t continuation = w & ~(w << 1) & kHigh;
        const std::uint64_t lead4 = w & (w << 1) & (w << 2) & (w << 3) & kHigh;
        n += std::popcount(lead4) - std::popcount(continuation);
    }
    for (; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        n += ((c & 0xC0) == 0x80 ? -1 : 0) + (c >= 0xF0 ? 1 : 0);
    }
    return n;
}

} // namespace facet
