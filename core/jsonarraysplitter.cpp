#include "jsonarraysplitter.h"

#include <QIODevice>

#include <cstring>

namespace facet {

namespace {

inline bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

} // namespace

JsonArraySplitter::JsonArraySplitter(QIODevice* device, std::int64_t maxRecordBytes, std::size_t chunkBytes)
    : m_reader(device, chunkBytes)
    , m_maxRecordBytes(maxRecordBytes)
{
}

bool JsonArraySplitter::fill()
{
    const bool more = m_reader.fill();
    m_pos = m_reader.start();
    if (m_reader.failed())
        m_error = m_reader.error();
    return more;
}

JsonArraySplitter::Result JsonArraySplitter::fail(std::int64_t offset, const QString& message, bool inRecord)
{
    m_state = State::Failed;
    if (m_error.isEmpty()) // a read error already explains it better
        m_error = message;
    m_errorOffset = offset;
    m_errorInRecord = inRecord;
    std::string().swap(m_partial);
    return Result::Error;
}

void JsonArraySplitter::beginRecord()
{
    m_recordStart = m_pos;
    m_recordOffset = m_reader.offset() + static_cast<std::int64_t>(m_pos);
    m_recordSize = 0;
    m_partial.clear();
    m_brackets.clear();
    m_inString = false;
    m_escape = false;
    m_tooLarge = false;
    const char c = m_reader.data()[m_pos];
    m_bare = c != '{' && c != '[' && c != '"';
}

void JsonArraySplitter::keepPartial(std::size_t from, std::size_t to)
{
    const std::size_t n = to - from;
    m_recordSize += static_cast<std::int64_t>(n);
    if (m_tooLarge)
        return;
    if (m_recordSize > m_maxRecordBytes) {
        // Keep scanning to find where it ends, but stop holding its bytes.
        m_tooLarge = true;
        std::string().swap(m_partial);
        return;
    }
    m_partial.append(m_reader.data() + from, n);
}

bool JsonArraySplitter::scanRecord()
{
    const char* const data = m_reader.data();
    const char* p = data + m_pos;
    const char* const end = data + m_reader.size();

    if (m_bare) {
        while (p < end && *p != ',' && *p != ']' && !isJsonSpace(*p))
            ++p;
        m_pos = static_cast<std::size_t>(p - data);
        return p < end;
    }

    while (p < end) {
        if (m_inString) {
            if (m_escape) {
                m_escape = false;
                ++p;
                continue;
            }
            // Captions are most of the bytes: skip through string contents without the state switch.
            while (p < end && *p != '"' && *p != '\\')
                ++p;
            if (p == end)
                break;
            if (*p == '\\') {
                m_escape = true;
                ++p;
                continue;
            }
            m_inString = false;
            ++p;
            if (m_brackets.empty()) { // the element was a bare string
                m_pos = static_cast<std::size_t>(p - data);
                return true;
            }
            continue;
        }
        const char c = *p;
        if (c == '"') {
            m_inString = true;
        } else if (c == '{' || c == '[') {
            m_brackets.push_back(c);
        } else if (c == '}' || c == ']') {
            const char open = c == '}' ? '{' : '[';
            if (m_brackets.empty() || m_brackets.back() != open) {
                m_pos = static_cast<std::size_t>(p - data);
                m_brackets.clear();
                m_brackets.push_back('!'); // marks the mismatch for next()
                return true;
            }
            m_brackets.pop_back();
            if (m_brackets.empty()) {
                m_pos = static_cast<std::size_t>(p + 1 - data);
                return true;
            }
        }
        ++p;
    }
    m_pos = m_reader.size();
    return false;
}

JsonArraySplitter::Result JsonArraySplitter::next(RawRecord* out)
{
    for (;;) {
        if (m_state == State::Done)
            return Result::End;
        if (m_state == State::Failed)
            return Result::Error;

        if (m_pos == m_reader.size()) {
            if (m_state == State::InRecord)
                keepPartial(m_recordStart, m_reader.size());
            if (!fill()) {
                const std::int64_t at = m_reader.offset() + static_cast<std::int64_t>(m_reader.size());
                switch (m_state) {
                case State::Start:
                    return fail(at, tr("the file is empty; expected a JSON array"), false);
                case State::InRecord:
                    return fail(at,
                                tr("the file ends at byte %1 inside record %2, which starts at byte %3 "
                                   "(truncated file?)")
                                    .arg(at)
                                    .arg(m_index + 1) // people count records from 1
                                    .arg(m_recordOffset),
                                true);
                case State::AfterClose:
                    if (!m_error.isEmpty())
                        return fail(at, m_error, false);
                    m_state = State::Done;
                    return Result::End;
                default:
                    return fail(at, tr("the file ends at byte %1 before the array is closed (truncated file?)").arg(at),
                                false);
                }
            }
            if (m_state == State::InRecord)
                m_recordStart = 0;
        }

        const auto here = [this] { return m_reader.offset() + static_cast<std::int64_t>(m_pos); };
        switch (m_state) {
        case State::Start: {
            while (m_pos < m_reader.size() && isJsonSpace(m_reader.data()[m_pos]))
                ++m_pos;
            if (m_pos == m_reader.size())
                continue;
            if (m_reader.data()[m_pos] != '[')
                return fail(here(),
                            tr("the file does not start with '[' (byte %1): it is not a JSON array").arg(here()),
                            false);
            ++m_pos;
            m_state = State::AfterOpen;
            continue;
        }
        case State::AfterOpen:
        case State::AfterComma: {
            while (m_pos < m_reader.size() && isJsonSpace(m_reader.data()[m_pos]))
                ++m_pos;
            if (m_pos == m_reader.size())
                continue;
            const char c = m_reader.data()[m_pos];
            if (c == ']') {
                if (m_state == State::AfterComma)
                    return fail(here(), tr("a comma is followed by ']' at byte %1 (trailing comma)").arg(here()),
                                false);
                ++m_pos;
                m_state = State::AfterClose;
                continue;
            }
            if (c == ',')
                return fail(here(), tr("unexpected ',' at byte %1 where a record should start").arg(here()), false);
            beginRecord();
            m_state = State::InRecord;
            continue;
        }
        case State::InRecord: {
            if (!scanRecord())
                continue;
            if (m_brackets.size() == 1 && m_brackets.front() == '!')
                return fail(here(),
                            tr("mismatched '%1' at byte %2 in record %3, which starts at byte %4")
                                .arg(QChar::fromLatin1(m_reader.data()[m_pos]))
                                .arg(here())
                                .arg(m_index + 1)
                                .arg(m_recordOffset),
                            true);
            const std::size_t n = m_pos - m_recordStart;
            const std::int64_t total = m_recordSize + static_cast<std::int64_t>(n);
            out->index = m_index++;
            out->offset = m_recordOffset;
            out->size = total;
            out->tooLarge = m_tooLarge || total > m_maxRecordBytes;
            if (out->tooLarge) {
                out->text = {};
                std::string().swap(m_partial);
            } else if (m_partial.empty()) {
                out->text = std::string_view(m_reader.data() + m_recordStart, n);
            } else {
                m_partial.append(m_reader.data() + m_recordStart, n);
                out->text = m_partial;
            }
            m_state = State::AfterRecord;
            return Result::Record;
        }
        case State::AfterRecord: {
            while (m_pos < m_reader.size() && isJsonSpace(m_reader.data()[m_pos]))
                ++m_pos;
            if (m_pos == m_reader.size())
                continue;
            const char c = m_reader.data()[m_pos];
            if (c == ',') {
                ++m_pos;
                m_state = State::AfterComma;
            } else if (c == ']') {
                ++m_pos;
                m_state = State::AfterClose;
            } else {
                return fail(here(), tr("expected ',' or ']' after record %1 at byte %2").arg(m_index).arg(here()),
                            false);
            }
            continue;
        }
        case State::AfterClose: {
            while (m_pos < m_reader.size() && isJsonSpace(m_reader.data()[m_pos]))
                ++m_pos;
            if (m_pos < m_reader.size())
                return fail(here(), tr("unexpected data after the end of the array at byte %1").arg(here()), false);
            continue;
        }
        case State::Done:
        case State::Failed:
            break;
        }
    }
}

} // namespace facet
