#include "segmenter.h"

#include <QStringList>

#include <array>
#include <cstring>
#include <string_view>
#include <unordered_set>

namespace facet {

namespace {

bool isSpace(QChar c)
{
    return c.isSpace();
}

bool isCjk(char16_t c)
{
    return (c >= 0x3040 && c <= 0x30FF)     // kana
           || (c >= 0x3400 && c <= 0x4DBF)  // CJK extension A
           || (c >= 0x4E00 && c <= 0x9FFF)  // CJK unified ideographs
           || (c >= 0xF900 && c <= 0xFAFF)  // compatibility ideographs
           || (c >= 0xAC00 && c <= 0xD7AF); // hangul syllables
}

// 。！？ and the half-width ideographic full stop.
bool isCjkTerminator(char16_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF61;
}

bool isTerminator(char16_t c)
{
    return c == u'.' || c == u'!' || c == u'?' || c == 0x2026 || isCjkTerminator(c);
}

// Characters that close a sentence together with its terminator: `He said "Stop."`, `(really?)`,
// `**Bold.**`, `“好。”`.
bool isCloser(char16_t c)
{
    switch (c) {
    case u'"':
    case u'\'':
    case u')':
    case u']':
    case u'}':
    case u'*':
    case u'_':
    case 0x2019: // ’
    case 0x201D: // ”
    case 0x00BB: // »
    case 0x3009: // 〉
    case 0x300B: // 》
    case 0x300D: // 」
    case 0x300F: // 』
    case 0x3011: // 】
    case 0xFF09: // ）
        return true;
    default:
        return false;
    }
}

// Lower-cases an ASCII token into `out` (room for 16 characters); false if it is longer or not ASCII,
// which no abbreviation is.
bool asciiLower(QStringView token, char* out)
{
    if (token.size() >= 16)
        return false;
    for (qsizetype i = 0; i < token.size(); ++i) {
        const char16_t c = token[i].unicode();
        if (c >= 0x80)
            return false;
        out[i] = static_cast<char>(c >= u'A' && c <= u'Z' ? c + 32 : c);
    }
    out[token.size()] = 0;
    return true;
}

template <std::size_t N> std::unordered_set<std::string_view> makeSet(const std::array<const char*, N>& words)
{
    return std::unordered_set<std::string_view>(words.begin(), words.end());
}

// Titles and Latin abbreviations that are practically never the last word of a caption sentence.
constexpr std::array<const char*, 29> kNeverEnds = {
    "mr", "mrs", "ms",  "dr", "st",  "mt",     "prof", "sgt", "capt", "col", "gen", "lt", "rev", "hon", "fr",
    "vs", "e.g", "i.e", "cf", "viz", "approx", "ca",   "fig", "figs", "vol", "nos", "pp", "est", "no",
};

// Abbreviations that often end a sentence but just as often precede a capitalised name
// ("the U.S. Capitol"): they end one only before a typical sentence opener.
constexpr std::array<const char*, 15> kEndsBeforeOpener = {
    "etc", "u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m", "jr", "sr", "inc", "ltd", "co", "corp", "ft",
};

// Words that typically open a sentence in a caption. Single letters are left out on purpose so that
// "J. A. Smith" stays whole.
constexpr std::array<const char*, 48> kOpeners = {
    "the",  "this", "that",   "these", "those",   "it",           "its",      "there",       "in",    "on",
    "at",   "to",   "behind", "below", "above",   "beside",       "next",     "overall",     "he",    "she",
    "they", "his",  "her",    "their", "both",    "each",         "one",      "two",         "three", "several",
    "many", "some", "most",   "all",   "an",      "we",           "however",  "while",       "from",  "with",
    "and",  "but",  "also",   "then",  "finally", "additionally", "moreover", "furthermore",
};

enum class DotKind
{
    Normal,
    Never,
    BeforeOpener
};

// Classifies the word that ends with the '.' at dotPos.
DotKind dotKind(QStringView t, int runStart, int dotPos, int nextPos)
{
    int w = dotPos;
    while (w > runStart) {
        const QChar ch = t[w - 1];
        if (ch.isLetter())
            --w;
        else if (ch == u'.' && w - 2 >= runStart && t[w - 2].isLetter())
            --w;
        else
            break;
    }
    if (w == dotPos)
        return DotKind::Normal;
    if (w > runStart && (t[w - 1].isDigit() || t[w - 1].isLetter()))
        return DotKind::Normal; // "1st.", "21st."
    const QStringView token = t.mid(w, dotPos - w);
    char lower[16];
    if (asciiLower(token, lower)) {
        if (std::strcmp(lower, "no") == 0)
            return nextPos < t.size() && t[nextPos].isDigit() ? DotKind::Never : DotKind::Normal;
        static const auto never = makeSet(kNeverEnds);
        static const auto beforeOpener = makeSet(kEndsBeforeOpener);
        if (never.count(lower))
            return DotKind::Never;
        if (beforeOpener.count(lower))
            return DotKind::BeforeOpener;
    }
    // Initials: "J. K. Rowling", "J.R.R. Tolkien".
    bool initials = true;
    for (qsizetype k = 0; k < token.size(); ++k) {
        const QChar ch = token[k];
        const bool letterSlot = (k % 2) == 0;
        if (letterSlot ? !ch.isUpper() : ch != u'.') {
            initials = false;
            break;
        }
    }
    return initials ? DotKind::BeforeOpener : DotKind::Normal;
}

bool startsWithOpener(QStringView t, int pos, int end)
{
    if (pos >= end || !t[pos].isUpper())
        return false;
    int e = pos;
    while (e < end && t[e].isLetter())
        ++e;
    static const auto openers = makeSet(kOpeners);
    char lower[16];
    return e - pos >= 2 && asciiLower(t.mid(pos, e - pos), lower) && openers.count(lower);
}

void emitSpan(QStringView t, int start, int end, std::vector<TextSpan>& out)
{
    while (start < end && isSpace(t[start]))
        ++start;
    while (end > start && isSpace(t[end - 1]))
        --end;
    for (int k = start; k < end; ++k) {
        if (t[k].isLetterOrNumber()) {
            out.push_back({start, end});
            return;
        }
    }
}

// Splits one run of text (no hard breaks inside) into sentences.
void splitRun(QStringView t, int a, int b, std::vector<TextSpan>& out)
{
    int segStart = a;
    int i = a;
    while (i < b) {
        const char16_t c = t[i].unicode();
        if (!isTerminator(c)) {
            ++i;
            continue;
        }
        int j = i + 1;
        if (isCjkTerminator(c)) {
            while (j < b && (isTerminator(t[j].unicode()) || isCloser(t[j].unicode())))
                ++j;
            emitSpan(t, segStart, j, out);
            segStart = i = j;
            continue;
        }
        bool ellipsis = c == 0x2026;
        if (c == u'.') {
            if (j < b && t[j].isDigit()) { // 3.5, v2.1
                i = j;
                continue;
            }
            if (j < b && t[j] == u'.')
                ellipsis = true;
        }
        while (j < b && (isTerminator(t[j].unicode()) && !isCjkTerminator(t[j].unicode())))
            ++j;
        while (j < b && isCloser(t[j].unicode()))
            ++j;
        bool boundary = false;
        if (j >= b) {
            boundary = true;
        } else if (isCjk(t[j].unicode())) {
            boundary = c != u'.'; // "好!然后" splits; a '.' glued to CJK is more likely a typo
        } else if (isSpace(t[j])) {
            int m = j;
            while (m < b && isSpace(t[m]))
                ++m;
            if (m >= b) {
                boundary = true;
            } else if (t[m].isLower()) {
                boundary = false; // "e.g. the", `"Stop!" he said`, "U.S. flag"
            } else if (c == u'.' && !ellipsis && j == i + 1) {
                switch (dotKind(t, a, i, m)) {
                case DotKind::Never:
                    boundary = false;
                    break;
                case DotKind::BeforeOpener:
                    boundary = startsWithOpener(t, m, b);
                    break;
                case DotKind::Normal:
                    boundary = true;
                    break;
                }
            } else if (c == u'.' && !ellipsis) {
                // '.' followed by closers: `"Dr." Then` is rare, `said "Stop." Then` is common.
                boundary = dotKind(t, a, i, m) != DotKind::Never;
            } else {
                boundary = true;
            }
        }
        if (boundary) {
            emitSpan(t, segStart, j, out);
            segStart = j;
        }
        i = j;
    }
    emitSpan(t, segStart, b, out);
}

// Returns the position after a list marker or heading mark starting at k (k itself if none).
int markerEnd(QStringView t, int k, int lineEnd, bool* heading)
{
    auto skipSpaces = [&](int p) {
        while (p < lineEnd && (t[p] == u' ' || t[p] == u'\t'))
            ++p;
        return p;
    };
    const char16_t c = t[k].unicode();
    if (c == u'-' || c == u'*' || c == u'+' || c == 0x2022 /* • */) {
        if (k + 1 < lineEnd && (t[k + 1] == u' ' || t[k + 1] == u'\t'))
            return skipSpaces(k + 1);
        return k;
    }
    if (t[k].isDigit()) {
        int j = k;
        while (j < lineEnd && j - k < 3 && t[j].isDigit())
            ++j;
        if (j < lineEnd && (t[j] == u'.' || t[j] == u')') && j + 1 < lineEnd && (t[j + 1] == u' ' || t[j + 1] == u'\t'))
            return skipSpaces(j + 1);
        return k;
    }
    if (c == u'#') {
        int j = k;
        while (j < lineEnd && j - k < 6 && t[j] == u'#')
            ++j;
        if (j < lineEnd && t[j] == u' ') {
            *heading = true;
            return skipSpaces(j);
        }
    }
    return k;
}

// A line that is entirely bold: "**Spatial layout:**", "**Lighting**:".
bool isBoldHeading(QStringView t, int m, int e)
{
    if (e - m < 5 || t[m] != u'*' || t[m + 1] != u'*')
        return false;
    if (t[e - 1] == u':' && t[e - 2] == u'*' && t[e - 3] == u'*')
        return true;
    return t[e - 1] == u'*' && t[e - 2] == u'*';
}

} // namespace

std::vector<TextSpan> Segmenter::split(QStringView t)
{
    std::vector<TextSpan> out;
    const int n = static_cast<int>(t.size());
    int runStart = -1;
    int runEnd = -1;
    bool breakAfter = false;
    auto flush = [&] {
        if (runStart >= 0 && runEnd > runStart)
            splitRun(t, runStart, runEnd, out);
        runStart = runEnd = -1;
    };
    int pos = 0;
    for (;;) {
        int lineEnd = static_cast<int>(t.indexOf(u'\n', pos));
        if (lineEnd < 0)
            lineEnd = n;
        int k = pos;
        while (k < lineEnd && isSpace(t[k]))
            ++k;
        if (k == lineEnd) {
            flush();
            breakAfter = false;
        } else {
            bool heading = false;
            const int m = markerEnd(t, k, lineEnd, &heading);
            int e = lineEnd;
            while (e > m && isSpace(t[e - 1]))
                --e;
            if (!heading)
                heading = isBoldHeading(t, m, e);
            const bool continues = runStart >= 0 && m == k && !breakAfter && t[k].isLower();
            if (!continues) {
                flush();
                runStart = m;
            }
            if (e > m)
                runEnd = e;
            breakAfter = heading || (e > m && t[e - 1] == u':');
        }
        if (lineEnd >= n)
            break;
        pos = lineEnd + 1;
    }
    flush();
    return out;
}

QStringList Segmenter::sentences(const QString& text)
{
    QStringList result;
    for (const TextSpan& s : split(text))
        result.append(text.mid(s.start, s.length()));
    return result;
}

} // namespace facet
