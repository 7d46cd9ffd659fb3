#include "facetmodel.h"

#include "database.h"
#include "error.h"

#include <QCryptographicHash>
#include <QFile>
#include <QMap>
#include <QSet>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace facet {

namespace {

constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

struct Fnv
{
    std::uint64_t h = kFnvOffset;

    void add(char16_t c)
    {
        h ^= c;
        h *= kFnvPrime;
    }
    void add(const char16_t* p, int n)
    {
        for (int k = 0; k < n; ++k)
            add(p[k]);
    }
    void add(const char* latin1)
    {
        for (; *latin1; ++latin1)
            add(static_cast<char16_t>(static_cast<unsigned char>(*latin1)));
    }
};

// Feature keys are built from per-token hashes so that every token is hashed once per sentence:
// key("b:on the") = mix(mix(seed("b"), hash("on")), hash("the")). featureKey() computes the same
// from a canonical name.
std::uint64_t mix(std::uint64_t key, std::uint64_t token)
{
    std::uint64_t h = (key ^ (token + 0x9E3779B97F4A7C15ULL + (key << 6) + (key >> 2))) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
}

std::uint64_t seed(const char* kind)
{
    Fnv h;
    h.add(kind);
    return h.h;
}

const std::uint64_t kSeedWord = seed("w");
const std::uint64_t kSeedPair = seed("b");
const std::uint64_t kSeedPhrase = seed("p");
const std::uint64_t kSeedAnchored = seed("a");
const std::uint64_t kSeedVerb = seed("v");
const std::uint64_t kSeedPattern = seed("pat");
const std::uint64_t kSeedComplement = seed("c");
const std::uint64_t kSeedSubjectHead = seed("h");

constexpr const char* kPatternNames[] = {"name",       "name_multi",    "quoted",   "all_caps",     "heading",
                                         "cjk",        "no_terminator", "locative", "name_subject", "main_locative",
                                         "body_place", "pose",          "generic"};

bool isCjk(char16_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF)
           || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xAC00 && c <= 0xD7AF);
}

bool isSymbolToken(char16_t c)
{
    switch (c) {
    case u'%':
    case u'$':
    case 0x20AC: // €
    case 0x00A3: // £
    case 0x00A5: // ¥
    case 0x00A9: // ©
    case 0x00AE: // ®
    case 0x2122: // ™
    case 0x00B0: // °
        return true;
    default:
        return false;
    }
}

struct Token
{
    int start = 0; // in the sentence
    int end = 0;
    int off = 0; // normalised text in the scratch buffer
    int len = 0;
    bool cap = false;
    bool allCaps = false;
    bool initial = false;    // first word of the sentence or first after a colon
    bool possessive = false; // "Tokyo's"
    bool cjk = false;
    bool number = false;
    unsigned word = 0;      // WordClass bits, set by tagWords()
    std::uint64_t hash = 0; // FNV-1a of the normalised text, set by tagWords()
};

// Closed word classes the patterns and the clause finder look for.
enum WordClass : unsigned
{
    Verb = 1u << 0,
    PlaceVerb = 1u << 1,
    PlacePreposition = 1u << 2,
    Starter = 1u << 3,
    Connector = 1u << 4,
    Particle = 1u << 5,
    Motion = 1u << 6,
    PathVerb = 1u << 7,
    BodyPart = 1u << 8,
    Arranging = 1u << 9,
    Pronoun = 1u << 10,
    Determiner = 1u << 11,
    Auxiliary = 1u << 12,
    Generic = 1u << 13,
};

bool bufEndsWith(const std::vector<char16_t>& buf, std::size_t off, const char* suffix)
{
    const std::size_t n = std::char_traits<char>::length(suffix);
    if (buf.size() - off < n)
        return false;
    for (std::size_t k = 0; k < n; ++k) {
        if (buf[buf.size() - n + k] != static_cast<char16_t>(suffix[k]))
            return false;
    }
    return true;
}

// Light, deterministic normalisation so that cue "colour" matches "colours" and "fox" matches "fox's".
// Not a real stemmer: it only folds the plural and possessive endings captions use.
void stem(std::vector<char16_t>& buf, std::size_t off, bool* possessive)
{
    if (buf.size() - off > 2 && bufEndsWith(buf, off, "'s")) {
        buf.resize(buf.size() - 2);
        *possessive = true;
    } else if (buf.size() - off > 1 && buf.back() == u'\'') {
        buf.pop_back();
    }
    const std::size_t len = buf.size() - off;
    if (len <= 3)
        return;
    const char16_t last = buf.back();
    const char16_t prev = buf[buf.size() - 2];
    if (len > 4 && bufEndsWith(buf, off, "ies")) {
        buf.resize(buf.size() - 3);
        buf.push_back(u'y');
    } else if (len > 4 && bufEndsWith(buf, off, "es")
               && (bufEndsWith(buf, off, "sses") || buf[buf.size() - 3] == u'x' || buf[buf.size() - 3] == u'z'
                   || bufEndsWith(buf, off, "ches") || bufEndsWith(buf, off, "shes"))) {
        buf.resize(buf.size() - 2);
    } else if (last == u's' && prev != u's' && prev != u'u' && prev != u'i' && prev != u'a') {
        buf.pop_back();
    }
}

bool viewEqualsLatin1(QStringView v, const char* s)
{
    qsizetype k = 0;
    for (; s[k]; ++k) {
        if (k >= v.size() || v[k].toLower() != QLatin1Char(s[k]))
            return false;
    }
    return k == v.size();
}

// Splits a sentence into normalised tokens: Latin words (lower case, stemmed, letters+digits such as
// "f40"), numbers folded into #year/#num/#ord, a few symbols, and single CJK characters.
void tokenize(QStringView s, std::vector<Token>& toks, std::vector<char16_t>& buf)
{
    toks.clear();
    buf.clear();
    const int n = static_cast<int>(s.size());
    bool initialNext = true;
    int i = 0;
    while (i < n) {
        const QChar qc = s[i];
        const char16_t c = qc.unicode();
        Token t;
        t.start = i;
        t.off = static_cast<int>(buf.size());
        if (isCjk(c)) {
            t.end = i + 1;
            t.cjk = true;
            buf.push_back(c);
        } else if (qc.isLetter()) {
            int j = i + 1;
            while (j < n) {
                const QChar x = s[j];
                const char16_t u = x.unicode();
                const bool wordChar = u < 0x80 ? (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
                                                     || (u >= u'0' && u <= u'9')
                                               : (x.isLetterOrNumber() || x.isMark()) && !isCjk(u);
                if (wordChar) {
                    ++j;
                } else if ((u == u'\'' || u == 0x2019) && j + 1 < n && s[j + 1].isLetter()
                           && !isCjk(s[j + 1].unicode())) {
                    ++j;
                } else {
                    break;
                }
            }
            int letters = 0;
            int uppers = 0;
            for (int k = i; k < j; ++k) {
                const QChar x = s[k];
                if (x.isLetter()) {
                    ++letters;
                    if (x.isUpper())
                        ++uppers;
                }
                const char16_t c16 = x.unicode();
                char16_t l = c16 < 0x80 ? (c16 >= u'A' && c16 <= u'Z' ? static_cast<char16_t>(c16 + 32) : c16)
                                        : x.toLower().unicode();
                if (l == 0x2019)
                    l = u'\'';
                buf.push_back(l);
            }
            t.end = j;
            t.cap = qc.isUpper();
            t.allCaps = letters >= 2 && uppers == letters;
            stem(buf, static_cast<std::size_t>(t.off), &t.possessive);
        } else if (qc.isDigit()) {
            int j = i;
            bool fraction = false;
            while (j < n && (s[j].isDigit() || ((s[j] == u'.' || s[j] == u',') && j + 1 < n && s[j + 1].isDigit()))) {
                if (!s[j].isDigit())
                    fraction = true;
                ++j;
            }
            int k = j;
            while (k < n && s[k].isLetter() && !isCjk(s[k].unicode()))
                ++k;
            const QStringView suffix = s.mid(j, k - j);
            const char* cls = "#num";
            if (!fraction && j - i == 4 && (suffix.isEmpty() || viewEqualsLatin1(suffix, "s"))) {
                const int value = s.mid(i, 4).toInt();
                if (value >= 1000 && value <= 2099) {
                    cls = "#year";
                    j = k;
                }
            }
            if (viewEqualsLatin1(suffix, "st") || viewEqualsLatin1(suffix, "nd") || viewEqualsLatin1(suffix, "rd")
                || viewEqualsLatin1(suffix, "th")) {
                cls = "#ord";
                j = k;
            }
            t.end = j;
            t.number = true;
            for (const char* p = cls; *p; ++p)
                buf.push_back(static_cast<char16_t>(*p));
        } else if (isSymbolToken(c)) {
            t.end = i + 1;
            buf.push_back(c);
        } else {
            if (c == u':')
                initialNext = true;
            ++i;
            continue;
        }
        t.len = static_cast<int>(buf.size()) - t.off;
        t.initial = initialNext;
        initialNext = false;
        toks.push_back(t);
        i = t.end;
    }
}

// Words that start a sentence without naming anything: a capitalised run that begins with one of
// these at the start of a sentence is a name only from its second word on ("The Eiffel Tower").
constexpr std::array<const char*, 58> kStarters = {
    "the",    "a",    "an",      "this",  "these",  "that",   "those", "it",     "its",     "there",
    "in",     "on",   "at",      "to",    "behind", "below",  "above", "beside", "next",    "overall",
    "he",     "she",  "they",    "his",   "her",    "their",  "both",  "each",   "one",     "two",
    "three",  "four", "several", "many",  "some",   "most",   "all",   "we",     "however", "while",
    "from",   "with", "as",      "under", "over",   "near",   "along", "across", "through", "between",
    "around", "for",  "of",      "by",    "after",  "during", "when",  "no",
};

// Lower-case words allowed inside a name ("Palace of Versailles", "Leonardo da Vinci").
constexpr std::array<const char*, 13> kConnectors = {
    "of", "the", "de", "del", "la", "le", "du", "da", "van", "von", "di", "and", "y",
};

bool nameGap(QStringView s, int from, int to)
{
    if (to - from > 3)
        return false;
    for (int k = from; k < to; ++k) {
        const QChar c = s[k];
        if (c != u' ' && c != u'-' && c != u'.' && c != u'\'' && c.unicode() != 0x2019)
            return false;
    }
    return true;
}

// Verbs (normalised) whose complement is a place: "sits on", "hangs above", "is parked beside".
constexpr std::array<const char*, 56> kPlaceVerbs = {
    "sit",       "seated",  "stand",   "standing",   "lie",      "lying",     "hang",     "hanging",
    "lean",      "leaning", "rest",    "resting",    "perch",    "perched",   "rise",     "rising",
    "stretch",   "occupy",  "fill",    "line",       "surround", "float",     "floating", "stay",
    "visible",   "seen",    "placed",  "positioned", "located",  "mounted",   "moored",   "parked",
    "arranged",  "tucked",  "nestled", "crouch",     "crouched", "kneel",     "stacked",  "piled",
    "scattered", "wind",    "span",    "loom",       "set",      "displayed", "dot",      "flank",
    "overlook",  "jut",     "sprawl",  "spread",     "gather",   "gathered",  "cluster",  "clustered",
};

// Place verbs whose direct object is the place: "houses *line the waterfront*", "a crowd *fills the
// square*", "a herd *crosses a muddy river*". Their main-verb use places the subject like "sits on".
constexpr std::array<const char*, 14> kArrangingVerbs = {
    "line",     "fill",  "occupy", "surround", "flank",    "span", "dot",
    "overlook", "cross", "border", "straddle", "encircle", "ring", "fringe",
};

// Prepositions that open a place or relation.
constexpr std::array<const char*, 30> kPlacePrepositions = {
    "on",     "in",      "at",    "against",    "behind",  "above",  "below",      "under",   "beneath", "beside",
    "near",   "across",  "along", "over",       "between", "around", "inside",     "outside", "atop",    "next",
    "toward", "towards", "among", "underneath", "onto",    "into",   "throughout", "through", "by",      "upon",
};

// Finite verbs of caption sentences (normalised: "sits" -> "sit"); the first one in a sentence is
// taken as its main verb, which says more about the facet than the words around it ("sits on"
// locates, "wears" describes, "reads" quotes). Copulas also pair with the next word ("is painted").
constexpr std::array<const char*, 96> kVerbs = {
    "is",      "are",       "was",       "were",    "be",       "been",    "has",   "have",   "had",      "appear",
    "seem",    "look",      "sit",       "stand",   "lie",      "hang",    "lean",  "rest",   "perch",    "rise",
    "stretch", "occupy",    "fill",      "line",    "surround", "float",   "stay",  "run",    "wind",     "span",
    "cross",   "lead",      "face",      "point",   "extend",   "reach",   "loom",  "tower",  "dominate", "frame",
    "wear",    "hold",      "carry",     "ride",    "walk",     "play",    "eat",   "drink",  "smile",    "laugh",
    "gaze",    "stare",     "grip",      "kick",    "swim",     "graze",   "chew",  "wave",   "push",     "pull",
    "glide",   "carve",     "crash",     "cover",   "contain",  "include", "show",  "depict", "capture",  "feature",
    "display", "present",   "read",      "say",     "give",     "create",  "make",  "lend",   "add",      "evoke",
    "convey",  "emphasise", "emphasize", "suggest", "draw",     "cast",    "bathe", "light",  "glow",     "reflect",
    "catch",   "set",       "date",      "mark",    "belong",   "stem",
};

// Adverb particles that follow a motion verb ("heads out of", "drifts down"): with prepositions and
// determiners they mark the word before them as a likely verb when no listed verb is found.
constexpr std::array<const char*, 8> kParticles = {
    "out", "up", "down", "away", "off", "back", "forward", "past",
};

// Verbs of motion along a path ("drifts through", "heads out of"): like place verbs, their
// prepositional object is a place.
constexpr std::array<const char*, 28> kMotionVerbs = {
    "run",    "walk",   "cross", "drift", "glide", "ride",  "travel", "head",  "climb", "fly",
    "swim",   "flow",   "move",  "lead",  "drive", "sail",  "roll",   "pass",  "jump",  "dive",
    "wander", "stroll", "race",  "pour",  "fall",  "spill", "extend", "reach",
};

// Motion verbs that are never nouns in captions, so they can be taken as the main verb on sight
// (unlike "head", "race" or "fall").
constexpr std::array<const char*, 12> kPathVerbs = {
    "drift", "glide", "travel", "climb", "fly", "flow", "sail", "wander", "stroll", "spill", "pour", "crawl",
};

// Parts of a body (normalised): "around his neck", "behind her back", "in his lap" place nothing in
// the scene, they describe a pose.
constexpr std::array<const char*, 41> kBodyParts = {
    "head",  "neck",     "shoulder", "arm",  "hand", "wrist", "finger", "chest", "back", "waist", "hip",
    "lap",   "leg",      "knee",     "foot", "feet", "face",  "chin",   "cheek", "eye",  "mouth", "lip",
    "ear",   "forehead", "hair",     "body", "paw",  "jaw",   "tail",   "beak",  "fist", "elbow", "palm",
    "thumb", "toe",      "nose",     "brow", "wing", "claw",  "mane",   "ankle",
};

std::uint64_t latin1Hash(const char* w)
{
    Fnv h;
    h.add(w);
    return h.h;
}

// Sets Token::word from the closed word lists with one hash lookup per token.
void tagWords(std::vector<Token>& toks, const std::vector<char16_t>& buf)
{
    static const std::unordered_map<std::uint64_t, unsigned> classes = [] {
        std::unordered_map<std::uint64_t, unsigned> m;
        for (const char* w : kVerbs)
            m[latin1Hash(w)] |= Verb;
        for (const char* w : kPlaceVerbs)
            m[latin1Hash(w)] |= PlaceVerb;
        for (const char* w : kPlacePrepositions)
            m[latin1Hash(w)] |= PlacePreposition;
        for (const char* w : kStarters)
            m[latin1Hash(w)] |= Starter;
        for (const char* w : kConnectors)
            m[latin1Hash(w)] |= Connector;
        for (const char* w : kParticles)
            m[latin1Hash(w)] |= Particle;
        for (const char* w : kMotionVerbs)
            m[latin1Hash(w)] |= Motion;
        for (const char* w : kPathVerbs)
            m[latin1Hash(w)] |= PathVerb | Motion;
        for (const char* w : kBodyParts)
            m[latin1Hash(w)] |= BodyPart;
        for (const char* w : kArrangingVerbs)
            m[latin1Hash(w)] |= Arranging;
        for (const char* w : {"he", "she", "it", "they", "we"})
            m[latin1Hash(w)] |= Pronoun;
        for (const char* w :
             {"the", "a",    "an",   "this",  "that", "these", "those", "its",   "his",  "her",     "their", "our",
              "my",  "your", "each", "every", "no",   "one",   "two",   "three", "four", "several", "some"})
            m[latin1Hash(w)] |= Determiner;
        for (const char* w : {"is", "are", "was", "were", "be", "been", "has", "have", "had"})
            m[latin1Hash(w)] |= Auxiliary;
        for (const char* w :
             {"can", "may", "often", "usually", "generally", "normally", "rarely", "seldom", "because", "when"})
            m[latin1Hash(w)] |= Generic;
        return m;
    }();
    // The same table with open addressing: this lookup runs for every token of every caption, and
    // std::unordered_map's node chasing costs more than the rest of the tagging.
    struct Table
    {
        std::vector<std::uint64_t> keys;
        std::vector<unsigned> values;
        std::size_t mask = 0;
    };
    static const Table table = [] {
        Table t;
        std::size_t capacity = 16;
        while (capacity < classes.size() * 4)
            capacity <<= 1;
        t.keys.assign(capacity, 0);
        t.values.assign(capacity, 0);
        t.mask = capacity - 1;
        for (const auto& [key, value] : classes) {
            std::size_t i = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 40) & t.mask;
            while (t.keys[i])
                i = (i + 1) & t.mask;
            t.keys[i] = key;
            t.values[i] = value;
        }
        return t;
    }();
    for (Token& t : toks) {
        Fnv h;
        h.add(buf.data() + t.off, t.len);
        t.hash = h.h;
        t.word = 0;
        if (t.cjk || t.number)
            continue;
        for (std::size_t i = static_cast<std::size_t>((h.h * 0x9E3779B97F4A7C15ULL) >> 40) & table.mask;;
             i = (i + 1) & table.mask) {
            if (table.keys[i] == h.h) {
                t.word = table.values[i];
                break;
            }
            if (!table.keys[i])
                break;
        }
    }
}

struct PatternHit
{
    const char* name;
    int start;
    int end;
};

// "his", "her", "its", "their": a body part after one of these belongs to someone in the picture
// ("behind his back"), unlike "at the foot of the bed" or "at the head of the table".
bool isPossessive(const std::vector<char16_t>& buf, const Token& t)
{
    const QStringView w(reinterpret_cast<const QChar*>(buf.data() + t.off), t.len);
    return viewEqualsLatin1(w, "his") || viewEqualsLatin1(w, "her") || viewEqualsLatin1(w, "it")
           || viewEqualsLatin1(w, "its") || viewEqualsLatin1(w, "their");
}

// A body part of someone in the picture at token j: "his neck", "her left shoulder", "their hind legs"
// (the possessive right before it or one word earlier), not "the foot of the bed".
bool someonesBodyPart(const std::vector<Token>& toks, const std::vector<char16_t>& buf, int j, int from)
{
    if (!(toks[static_cast<std::size_t>(j)].word & BodyPart))
        return false;
    return (j - 1 >= from && isPossessive(buf, toks[static_cast<std::size_t>(j - 1)]))
           || (j - 2 >= from && isPossessive(buf, toks[static_cast<std::size_t>(j - 2)]));
}

// The fixed detectors whose weights a model document sets under "patterns".
void detectPatterns(QStringView s, const std::vector<Token>& toks, const std::vector<char16_t>& buf,
                    std::vector<PatternHit>& out)
{
    out.clear();
    const int n = static_cast<int>(toks.size());
    // Capitalised names not explained by sentence case.
    bool name = false;
    bool multi = false;
    int nameStart = 0;
    int nameEnd = 0;
    for (int i = 0; i < n;) {
        const Token& t = toks[static_cast<std::size_t>(i)];
        if (!t.cap || t.number || t.cjk || (t.len == 1 && buf[static_cast<std::size_t>(t.off)] == u'i')) {
            ++i;
            continue;
        }
        int j = i + 1;
        int caps = 1;
        int last = i;
        while (j < n) {
            const Token& u = toks[static_cast<std::size_t>(j)];
            const Token& p = toks[static_cast<std::size_t>(last)];
            if (u.cap && !u.number && !u.cjk && nameGap(s, p.end, u.start)) {
                ++caps;
                last = j++;
                continue;
            }
            if (!u.cap && j + 1 < n && (u.word & Connector) && nameGap(s, p.end, u.start)) {
                const Token& v = toks[static_cast<std::size_t>(j + 1)];
                if (v.cap && !v.number && !v.cjk && nameGap(s, u.end, v.start)) {
                    ++caps;
                    last = j + 1;
                    j += 2;
                    continue;
                }
            }
            break;
        }
        int first = i;
        int runCaps = caps;
        bool counts = true;
        if (t.initial) {
            if (t.word & Starter) {
                ++first;
                --runCaps;
                counts = runCaps >= 1 && first <= last;
            } else {
                counts = caps >= 2 || t.possessive;
            }
        }
        if (counts && runCaps >= 1) {
            if (!name) {
                nameStart = toks[static_cast<std::size_t>(first)].start;
                nameEnd = toks[static_cast<std::size_t>(last)].end;
            }
            name = true;
            if (runCaps >= 2 && !multi) {
                multi = true;
                out.push_back({"name_multi", toks[static_cast<std::size_t>(first)].start,
                               toks[static_cast<std::size_t>(last)].end});
            }
        }
        i = last + 1;
    }
    if (name)
        out.push_back({"name", nameStart, nameEnd});
    // A place verb followed within two words by a place preposition: the sentence says where.
    for (int i = 0; i < n; ++i) {
        const Token& t = toks[static_cast<std::size_t>(i)];
        if (!(t.word & PlaceVerb))
            continue;
        bool found = false;
        for (int j = i + 1; j < n && j <= i + 3; ++j) {
            if (toks[static_cast<std::size_t>(j)].word & PlacePreposition) {
                out.push_back({"locative", t.start, toks[static_cast<std::size_t>(j)].end});
                found = true;
                break;
            }
        }
        if (found)
            break;
    }
    // A place preposition whose object is a body part ("hangs around his neck", "clasped behind his
    // back"): the sentence describes a pose, not where something is in the picture.
    for (int i = 0; i + 1 < n; ++i) {
        if (!(toks[static_cast<std::size_t>(i)].word & PlacePreposition))
            continue;
        bool found = false;
        for (int j = i + 1; j < n && j <= i + 3 && !found; ++j) {
            if (someonesBodyPart(toks, buf, j, i + 1)) {
                out.push_back(
                    {"body_place", toks[static_cast<std::size_t>(i)].start, toks[static_cast<std::size_t>(j)].end});
                found = true;
            }
        }
        if (found)
            break;
    }
    // A general statement rather than a description of the picture: an ability or habit ("Chameleons
    // *can* move each eye", "is *usually* served") or an explanation ("*because*", "forms *when*").
    // "can be seen" describes the picture and does not count.
    for (int i = 1; i < n; ++i) {
        const Token& t = toks[static_cast<std::size_t>(i)];
        if (!(t.word & Generic))
            continue;
        if (i + 1 < n && (toks[static_cast<std::size_t>(i + 1)].word & Auxiliary))
            continue;
        const QStringView next = i + 1 < n ? QStringView(reinterpret_cast<const QChar*>(
                                                             buf.data() + toks[static_cast<std::size_t>(i + 1)].off),
                                                         toks[static_cast<std::size_t>(i + 1)].len)
                                           : QStringView();
        if (viewEqualsLatin1(next, "see") || viewEqualsLatin1(next, "also") || viewEqualsLatin1(next, "just"))
            continue;
        out.push_back({"generic", t.start, t.end});
        break;
    }
    for (const Token& t : toks) {
        if (t.allCaps && !t.number) {
            out.push_back({"all_caps", t.start, t.end});
            break;
        }
    }
    for (const Token& t : toks) {
        if (t.cjk) {
            out.push_back({"cjk", t.start, t.end});
            break;
        }
    }
    // Quoted text: “…”, 「…」, 『…』, 《…》, "…" and '…' (an apostrophe inside a word is not a quote).
    const int len = static_cast<int>(s.size());
    for (int i = 0; i < len; ++i) {
        const char16_t c = s[i].unicode();
        char16_t close = 0;
        switch (c) {
        case 0x201C:
            close = 0x201D;
            break;
        case 0x300C:
            close = 0x300D;
            break;
        case 0x300E:
            close = 0x300F;
            break;
        case 0x300A:
            close = 0x300B;
            break;
        case 0x2018:
            close = 0x2019;
            break;
        case u'"':
            close = u'"';
            break;
        case u'\'':
            if (i == 0 || s[i - 1].isSpace() || s[i - 1] == u'(')
                close = u'\'';
            break;
        default:
            break;
        }
        if (!close)
            continue;
        bool content = false;
        for (int j = i + 1; j < len; ++j) {
            const QChar x = s[j];
            if (x.unicode() == close && (close != u'\'' || j + 1 >= len || !s[j + 1].isLetter())) {
                if (content) {
                    out.push_back({"quoted", i, j + 1});
                    i = len;
                }
                break;
            }
            if (x.isLetterOrNumber())
                content = true;
        }
    }
    // Headings and fragments, judged on the trimmed text.
    int a = 0;
    int b = len;
    while (a < b && s[a].isSpace())
        ++a;
    while (b > a && s[b - 1].isSpace())
        --b;
    if (b - a >= 2) {
        const QStringView t = s.mid(a, b - a);
        const bool bold = t.startsWith(u"**") && (t.endsWith(u"**") || t.endsWith(u"**:"));
        if (bold || t.endsWith(u':'))
            out.push_back({"heading", a, b});
        int e = b;
        while (e > a
               && (s[e - 1] == u'*' || s[e - 1] == u'"' || s[e - 1] == u'\'' || s[e - 1] == u')'
                   || s[e - 1].unicode() == 0x201D || s[e - 1].unicode() == 0x300D))
            --e;
        const char16_t lastChar = e > a ? s[e - 1].unicode() : 0;
        const bool terminated = lastChar == u'.' || lastChar == u'!' || lastChar == u'?' || lastChar == 0x2026
                                || lastChar == 0x3002 || lastChar == 0xFF01 || lastChar == 0xFF1F;
        if (!terminated)
            out.push_back({"no_terminator", a, b});
    }
}

QString bufText(const std::vector<char16_t>& buf, const Token& t)
{
    return QString(reinterpret_cast<const QChar*>(buf.data() + t.off), t.len);
}

// Canonical feature name of a cue as written in a model document, or empty if it has no words.
QString canonicalCue(const QString& text)
{
    QString body = text.trimmed();
    const bool anchored = body.startsWith(u'^');
    if (anchored)
        body.remove(0, 1);
    QStringList tokens;
    std::vector<Token> toks;
    std::vector<char16_t> buf;
    for (const QString& piece : body.split(u' ', Qt::SkipEmptyParts)) {
        if (piece == u"#year" || piece == u"#num" || piece == u"#ord") {
            tokens.append(piece);
            continue;
        }
        tokenize(piece, toks, buf);
        for (const Token& t : toks)
            tokens.append(bufText(buf, t));
    }
    if (tokens.isEmpty())
        return {};
    if (anchored)
        return QStringLiteral("a:") + tokens.join(u' ');
    if (tokens.size() == 1)
        return QStringLiteral("w:") + tokens.first();
    return QStringLiteral("p:") + tokens.join(u' ');
}

bool validKey(const QString& key)
{
    if (key.isEmpty() || key.size() > 40 || !(key[0] >= u'a' && key[0] <= u'z'))
        return false;
    for (const QChar c : key) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_'))
            return false;
    }
    return true;
}

QString fromStd(const std::string& s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

constexpr std::uint32_t kNoRow = 0xFFFFFFFFu;

// Open addressing with linear probing over pre-hashed keys: classification does a few lookups per
// word, and std::unordered_map's node chasing was a quarter of its time.
class FlatIndex
{
public:
    void build(const std::vector<std::pair<std::uint64_t, std::uint32_t>>& entries)
    {
        std::size_t capacity = 16;
        while (capacity < entries.size() * 2)
            capacity <<= 1;
        m_keys.assign(capacity, 0);
        m_values.assign(capacity, kNoRow);
        m_mask = capacity - 1;
        for (auto [key, value] : entries) {
            key = key ? key : 1; // 0 marks an empty slot
            std::size_t i = slot(key);
            while (m_keys[i] && m_keys[i] != key)
                i = (i + 1) & m_mask;
            m_keys[i] = key;
            m_values[i] = value;
        }
    }

    std::uint32_t find(std::uint64_t key) const
    {
        if (m_keys.empty())
            return kNoRow;
        key = key ? key : 1;
        for (std::size_t i = slot(key);; i = (i + 1) & m_mask) {
            if (m_keys[i] == key)
                return m_values[i];
            if (!m_keys[i])
                return kNoRow;
        }
    }

    bool contains(std::uint64_t key) const { return find(key) != kNoRow; }

private:
    std::size_t slot(std::uint64_t key) const
    {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & m_mask;
    }

    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_values;
    std::size_t m_mask = 0;
};

} // namespace

// A cue counts for the predicate-head pattern when its hand weight for a facet reaches this.
constexpr double kHeadWeight = 1.5;

struct FacetModel::Data
{
    struct Def
    {
        QString cue; // as written in a document; empty for features only the trainer produced
        QMap<QString, double> hand;
        QMap<QString, double> learned;
        QMap<QString, double> carries; // the yes/no heads' residuals
    };

    QByteArray fingerprint; // see FacetModel::fingerprint()
    QList<FacetInfo> facets;
    QList<bool> declared;
    QMap<QString, double> handBias;
    QMap<QString, double> learnedBias;
    QMap<QString, double> handScale; // learned: how much the hand weights of each facet count (default 1)
    std::optional<double> secondary;
    std::optional<double> other;
    std::optional<double> subjectWeight;
    bool hasLearned = false;
    QSet<QString> learnedFacets; // the facets the learned section covers
    // The learned yes/no heads ("does the sentence also carry this facet?") that decide secondary
    // facets; empty when the learned section has none (then the softmax's leftover decides).
    QMap<QString, double> carriesBias;
    QMap<QString, double> carriesThreshold;
    std::map<QString, Def> defs;

    // Compiled for scoring.
    int nf = 0;
    FlatIndex index;            // feature key -> row
    std::vector<float> weights; // rows x nf
    std::vector<double> bias;
    std::vector<float> carriesWeights;      // rows x nf, zero for facets without a head
    std::vector<double> carriesBiasOf;      // per facet
    std::vector<double> carriesThresholdOf; // per facet; negative: no head (the softmax decides)
    FlatIndex prefixes;                     // proper prefixes of phrases and anchored phrases
    FlatIndex cueFacet;                     // word/phrase cue key -> facet its hand weights favour (>= kHeadWeight)
    std::vector<std::uint64_t> headKeys;    // per facet: key of "pat:predicate_<facet>"
    std::vector<std::uint64_t> subjectKeys; // per facet: key of "pat:subject_<facet>"
    int maxPhrase = 1;

    int facetIndex(QStringView key) const
    {
        for (qsizetype k = 0; k < facets.size(); ++k) {
            if (facets[k].key == key)
                return static_cast<int>(k);
        }
        return -1;
    }

    void ensureFacet(const QString& key)
    {
        if (facetIndex(key) < 0) {
            facets.append({key, key, {}, {}});
            declared.append(false);
        }
    }

    void compile()
    {
        nf = static_cast<int>(facets.size());
        weights.clear();
        maxPhrase = 1;
        bias.assign(static_cast<std::size_t>(nf), 0.0);
        for (int f = 0; f < nf; ++f) {
            const QString& key = facets[f].key;
            bias[static_cast<std::size_t>(f)] = handBias.value(key) + learnedBias.value(key);
        }
        std::vector<std::pair<std::uint64_t, std::uint32_t>> rows;
        std::vector<std::pair<std::uint64_t, std::uint32_t>> prefixKeys;
        carriesWeights.clear();
        carriesBiasOf.assign(static_cast<std::size_t>(nf), 0.0);
        carriesThresholdOf.assign(static_cast<std::size_t>(nf), -1.0);
        for (int f = 0; f < nf; ++f) {
            const QString& key = facets[f].key;
            if (carriesThreshold.contains(key)) {
                carriesBiasOf[static_cast<std::size_t>(f)] = handBias.value(key) + carriesBias.value(key);
                carriesThresholdOf[static_cast<std::size_t>(f)] = carriesThreshold.value(key);
            }
        }
        std::vector<float> row(static_cast<std::size_t>(nf));
        std::vector<float> carriesRow(static_cast<std::size_t>(nf));
        for (const auto& [name, def] : defs) {
            std::fill(row.begin(), row.end(), 0.0f);
            std::fill(carriesRow.begin(), carriesRow.end(), 0.0f);
            bool any = false;
            for (int f = 0; f < nf; ++f) {
                const QString& key = facets[f].key;
                const double hand = handScale.value(key, 1.0) * def.hand.value(key);
                const double w = hand + def.learned.value(key);
                row[static_cast<std::size_t>(f)] = static_cast<float>(w);
                // A head starts from the same hand weights, as in training.
                const double c = carriesThresholdOf[static_cast<std::size_t>(f)] >= 0 ? hand + def.carries.value(key)
                                                                                      : 0.0;
                carriesRow[static_cast<std::size_t>(f)] = static_cast<float>(c);
                any = any || w != 0.0 || c != 0.0;
            }
            if (!any)
                continue;
            rows.emplace_back(featureKey(name),
                              static_cast<std::uint32_t>(weights.size() / static_cast<std::size_t>(nf)));
            weights.insert(weights.end(), row.begin(), row.end());
            carriesWeights.insert(carriesWeights.end(), carriesRow.begin(), carriesRow.end());
            if (name.startsWith(u"p:") || name.startsWith(u"a:")) {
                const QStringList parts = name.mid(2).split(u' ');
                maxPhrase = std::max(maxPhrase, static_cast<int>(parts.size()));
                QString prefix = name.left(2);
                for (qsizetype k = 0; k + 1 < parts.size(); ++k) {
                    if (k)
                        prefix += u' ';
                    prefix += parts[k];
                    prefixKeys.emplace_back(featureKey(prefix), 0);
                }
            }
        }
        index.build(rows);
        prefixes.build(prefixKeys);
        std::vector<std::pair<std::uint64_t, std::uint32_t>> cues;
        for (const auto& [name, def] : defs) {
            if (!name.startsWith(u"w:") && !name.startsWith(u"p:"))
                continue;
            int best = -1;
            double bestWeight = kHeadWeight;
            for (int f = 0; f < nf; ++f) {
                const double w = def.hand.value(facets[f].key);
                if (w >= bestWeight) {
                    best = f;
                    bestWeight = w;
                }
            }
            if (best >= 0)
                cues.emplace_back(featureKey(name), static_cast<std::uint32_t>(best));
        }
        cueFacet.build(cues);
        headKeys.clear();
        for (int f = 0; f < nf; ++f)
            headKeys.push_back(featureKey(QString(QStringLiteral("pat:predicate_") + facets[f].key)));
        subjectKeys.clear();
        for (int f = 0; f < nf; ++f)
            subjectKeys.push_back(featureKey(QString(QStringLiteral("pat:subject_") + facets[f].key)));
    }
};

namespace {

using Data = FacetModel::Data;

// The main verb (the first listed verb after the first word) and the subject before it. A leading
// prepositional phrase closed by a comma ("Behind the plate, a jug ...") is not part of the subject.
struct Clause
{
    int verb = -1;        // token index of the main verb, -1 if none (fragments, CJK)
    int subjectStart = 0; // tokens [subjectStart, verb) form the subject
    // When the main predicate places or moves something ("stands on a stone pedestal", "is parked
    // beside…", "drifts through dark blue water"), tokens [placeFrom, placeTo) are the object of its
    // preposition up to the next comma: words there describe the place, not what the sentence is
    // about, and count at the subject weight like the subject's modifiers do.
    int placeFrom = -1;
    int placeTo = -1;
};

Clause findClause(QStringView s, const std::vector<Token>& toks, const std::vector<char16_t>& buf)
{
    Clause c;
    const int n = static_cast<int>(toks.size());
    // Many listed verbs are nouns too ("light", "face", "tower", "line", "frame"): a listed word is not
    // the verb inside a name ("The Eiffel *Tower* rises"), right after a determiner ("the *light*
    // falls", "its *face*"), or when a listed verb follows it ("the street *lights* glow", "the clock
    // *face* shows"; auxiliaries excepted: "has been").
    for (int i = 1; i < n; ++i) {
        const Token& t = toks[static_cast<std::size_t>(i)];
        if (!(t.word & (Verb | PathVerb)))
            continue;
        if ((t.cap && !t.initial) || (toks[static_cast<std::size_t>(i - 1)].word & Determiner))
            continue;
        if (!(t.word & Auxiliary) && i + 1 < n && (toks[static_cast<std::size_t>(i + 1)].word & (Verb | PathVerb))
            && !(toks[static_cast<std::size_t>(i + 1)].cap))
            continue;
        c.verb = i;
        break;
    }
    // No listed verb: take the first unlisted lower-case word that looks finite, i.e. it ends in -s
    // ("drifts") or follows a plural ("shrubs dot"), and is followed by a determiner, preposition or
    // particle ("drifts through", "dot the", "heads out"). Catches the long tail of motion verbs the
    // closed list misses, so that they get subject weighting and main-verb features too.
    constexpr unsigned closed = Starter | PlacePreposition | Connector | Particle;
    const auto endsInS = [&](const Token& t) {
        return t.end - t.start >= 3 && s[t.end - 1] == u's' && s[t.end - 2] != u's' && s[t.end - 2] != u'\'';
    };
    for (int i = 1; c.verb < 0 && i + 1 < n; ++i) {
        const Token& t = toks[static_cast<std::size_t>(i)];
        const Token& prev = toks[static_cast<std::size_t>(i - 1)];
        const Token& next = toks[static_cast<std::size_t>(i + 1)];
        // After a subject pronoun ("He raises his fist", "They wade into the river") the word is a
        // verb whatever its ending.
        const bool afterPronoun = (prev.word & Pronoun) && i == 1;
        if (t.cap || t.number || t.cjk || t.possessive || (t.word & closed) || prev.number
            || ((prev.word & closed) && !afterPronoun) || prev.cjk
            || !(next.word & (Starter | PlacePreposition | Particle)) || next.cap)
            continue;
        if (endsInS(t) || (endsInS(prev) && !prev.cap) || afterPronoun)
            c.verb = i;
    }
    if (c.verb > 0) {
        const Token& v = toks[static_cast<std::size_t>(c.verb)];
        int k = c.verb + 1;
        bool locative = (v.word & (PlaceVerb | Motion)) != 0;
        if (!locative && k < n && (toks[static_cast<std::size_t>(k)].word & PlaceVerb)) { // "is parked", "are seated"
            locative = true;
            ++k;
        }
        const QStringView verbText(reinterpret_cast<const QChar*>(buf.data() + v.off), v.len);
        if (!locative && k < n && (toks[static_cast<std::size_t>(k)].word & PlacePreposition)
            && (viewEqualsLatin1(verbText, "is") || viewEqualsLatin1(verbText, "are"))) // "is in the lower left corner"
            locative = true;
        const auto commaBefore = [&](int t) {
            const Token& a = toks[static_cast<std::size_t>(t - 1)];
            return s.mid(a.end, toks[static_cast<std::size_t>(t)].start - a.end).contains(u',');
        };
        // "line the waterfront", "crosses a muddy river": the direct object of an arranging verb is
        // the place itself.
        const bool directPlace = (v.word & Arranging) && k < n && (toks[static_cast<std::size_t>(k)].word & Starter)
                                 && !(toks[static_cast<std::size_t>(k)].word & PlacePreposition) && !commaBefore(k);
        if (directPlace) {
            c.placeFrom = k;
            c.placeTo = k;
            while (c.placeTo < n && !commaBefore(c.placeTo))
                ++c.placeTo;
        }
        for (int limit = k + 2; locative && !directPlace && k < n && k <= limit; ++k) {
            if (commaBefore(k))
                break;
            if (toks[static_cast<std::size_t>(k)].word & (PlacePreposition | Particle)) { // "on", "down", "past"
                c.placeFrom = k + 1;
                c.placeTo = k + 1;
                while (c.placeTo < n && !commaBefore(c.placeTo))
                    ++c.placeTo;
                break;
            }
        }
        // "hangs around his neck", "rests on her lap": a place phrase about someone's body describes a
        // pose (pattern body_place), so the predicate does not count as placing anything.
        for (int j = c.placeFrom; j >= 1 && j < n && j < c.placeFrom + 3; ++j) {
            if (someonesBodyPart(toks, buf, j, c.placeFrom)) {
                c.placeFrom = -1;
                c.placeTo = -1;
                break;
            }
        }
    }
    if (c.verb > 0 && (toks[0].word & PlacePreposition)) {
        const int limit = toks[static_cast<std::size_t>(c.verb)].start;
        const qsizetype comma = s.left(limit).indexOf(u',');
        if (comma >= 0) {
            int k = 0;
            while (k < c.verb && toks[static_cast<std::size_t>(k)].start < comma)
                ++k;
            c.subjectStart = k;
        }
    }
    return c;
}

// Walks every feature of a sentence. `sink(key, start, end, inSubject, nameFn)` is called for each
// candidate; with `all` unset, only unigrams/bigrams/verbs/patterns that the model weights are
// offered (phrases are always looked up). `inSubject` marks words and phrases that lie wholly in the
// subject, which the model counts at its subject weight. nameFn() builds the canonical name on demand.
template <class Sink> void scanSentence(const Data& d, QStringView s, bool all, Sink&& sink)
{
    thread_local std::vector<Token> toks;
    thread_local std::vector<char16_t> buf;
    thread_local std::vector<PatternHit> patterns;
    tokenize(s, toks, buf);
    tagWords(toks, buf);
    const int n = static_cast<int>(toks.size());
    const Clause clause = findClause(s, toks, buf);
    const auto inSubject = [&](int first, int last) {
        return (clause.verb > 0 && first >= clause.subjectStart && last < clause.verb)
               || (clause.placeFrom >= 0 && first >= clause.placeFrom && last < clause.placeTo);
    };
    // The row of a feature in the model, or kNoRow; in `all` mode every feature is offered.
    std::uint32_t row = kNoRow;
    const auto known = [&](std::uint64_t key) {
        row = d.index.find(key);
        return all || row != kNoRow;
    };
    for (int i = 0; i < n; ++i) {
        const Token& t = toks[static_cast<std::size_t>(i)];
        const std::uint64_t word = mix(kSeedWord, t.hash);
        if (known(word))
            sink(word, row, t.start, t.end, inSubject(i, i),
                 [&]() -> QString { return QStringLiteral("w:") + bufText(buf, t); });
        if (i + 1 < n) {
            const Token& u = toks[static_cast<std::size_t>(i + 1)];
            const std::uint64_t pair = mix(mix(kSeedPair, t.hash), u.hash);
            if (known(pair))
                sink(pair, row, t.start, u.end, inSubject(i, i + 1),
                     [&]() -> QString { return QStringLiteral("b:") + bufText(buf, t) + u' ' + bufText(buf, u); });
        }
        // Phrases and (at the first token) anchored phrases, pruned by the prefix set.
        for (const bool anchored : {false, true}) {
            if (anchored && i != 0)
                break;
            std::uint64_t key = anchored ? kSeedAnchored : kSeedPhrase;
            for (int k = i; k < n && k - i < d.maxPhrase; ++k) {
                const Token& v = toks[static_cast<std::size_t>(k)];
                key = mix(key, v.hash);
                const std::uint32_t phraseRow = (k > i || anchored) ? d.index.find(key) : kNoRow;
                if (phraseRow != kNoRow) {
                    sink(key, phraseRow, t.start, v.end, !anchored && inSubject(i, k),
                         [&, i, k, anchored]() -> QString {
                             QString name = anchored ? QStringLiteral("a:") : QStringLiteral("p:");
                             for (int m = i; m <= k; ++m) {
                                 if (m > i)
                                     name += u' ';
                                 name += bufText(buf, toks[static_cast<std::size_t>(m)]);
                             }
                             return name;
                         });
                }
                if (!d.prefixes.contains(key))
                    break;
            }
        }
    }
    if (clause.verb > 0) {
        const Token& t = toks[static_cast<std::size_t>(clause.verb)];
        const std::uint64_t verbKey = mix(kSeedVerb, t.hash);
        if (known(verbKey))
            sink(verbKey, row, t.start, t.end, false,
                 [&]() -> QString { return QStringLiteral("v:") + bufText(buf, t); });
        const QStringView verb(reinterpret_cast<const QChar*>(buf.data() + t.off), t.len);
        const bool copula = viewEqualsLatin1(verb, "is") || viewEqualsLatin1(verb, "are")
                            || viewEqualsLatin1(verb, "was") || viewEqualsLatin1(verb, "were");
        if (clause.verb + 1 < n) {
            // The verb with its next word: "is painted", "sit on", "hang over", "wear a".
            const Token& u = toks[static_cast<std::size_t>(clause.verb + 1)];
            const std::uint64_t pairKey = mix(verbKey, u.hash);
            if (known(pairKey))
                sink(pairKey, row, t.start, u.end, false,
                     [&]() -> QString { return QStringLiteral("v:") + bufText(buf, t) + u' ' + bufText(buf, u); });
        }
        // The closed-class word that opens the complement, after a copula's participle or adjective:
        // "sits *on*", "is parked *beside*", "is covered *with*", "wears *a*", "heads *out*". Whether
        // the predicate is a place phrase or an object says more than the verb itself.
        int j = clause.verb + 1;
        if (copula && j < n && !(toks[static_cast<std::size_t>(j)].word & (Starter | PlacePreposition | Particle)))
            ++j;
        if (j < n) {
            const Token& u = toks[static_cast<std::size_t>(j)];
            if (!u.cjk && !u.number && (u.word & (Starter | PlacePreposition | Connector | Particle))) {
                const std::uint64_t openKey = mix(kSeedComplement, u.hash);
                if (known(openKey))
                    sink(openKey, row, u.start, u.end, false,
                         [&]() -> QString { return QStringLiteral("c:") + bufText(buf, u); });
            }
        }
    }
    // Predicate head: the facet of the first strong lexicon cue within four words after the main
    // verb. The predicate, more than the subject, says what a caption sentence is about.
    if (clause.verb > 0) {
        bool found = false;
        for (int j = clause.verb + 1; j < n && j <= clause.verb + 4 && !found; ++j) {
            std::uint64_t key = kSeedPhrase;
            std::uint32_t facet = d.cueFacet.find(mix(kSeedWord, toks[static_cast<std::size_t>(j)].hash));
            for (int k = j; facet == kNoRow && k < n && k - j < d.maxPhrase; ++k) {
                key = mix(key, toks[static_cast<std::size_t>(k)].hash);
                if (k > j)
                    facet = d.cueFacet.find(key);
                if (!d.prefixes.contains(key))
                    break;
            }
            if (facet == kNoRow)
                continue;
            found = true;
            const std::uint64_t headKey = d.headKeys[facet];
            const Token& h = toks[static_cast<std::size_t>(j)];
            if (known(headKey))
                sink(headKey, row, h.start, h.end, false, [&, facet]() -> QString {
                    return QStringLiteral("pat:predicate_") + d.facets[static_cast<int>(facet)].key;
                });
        }
    }
    // Subject head: the last word of the subject's first noun phrase ("The *palette* of the painting
    // is…", "The *boxer* on the left wears…"). What the sentence is about is named there, and a colour
    // list in the predicate should not outvote "palette" or "lighting" in the subject.
    if (clause.verb > clause.subjectStart) {
        int head = -1;
        for (int i = clause.subjectStart; i < clause.verb; ++i) {
            const Token& t = toks[static_cast<std::size_t>(i)];
            if (i > clause.subjectStart && (t.word & (PlacePreposition | Connector))) // "of", "on", "with"
                break;
            if (i > clause.subjectStart
                && s.mid(toks[static_cast<std::size_t>(i - 1)].end, t.start - toks[static_cast<std::size_t>(i - 1)].end)
                       .contains(u','))
                break;
            if (!(t.word & Starter) && !t.number && !t.cjk)
                head = i;
        }
        if (head >= 0) {
            const Token& h = toks[static_cast<std::size_t>(head)];
            const std::uint64_t headWord = mix(kSeedSubjectHead, h.hash);
            if (known(headWord))
                sink(headWord, row, h.start, h.end, false,
                     [&]() -> QString { return QStringLiteral("h:") + bufText(buf, h); });
            std::uint32_t facet = d.cueFacet.find(mix(kSeedWord, h.hash));
            if (facet == kNoRow && head > clause.subjectStart)
                facet = d.cueFacet.find(mix(mix(kSeedPhrase, toks[static_cast<std::size_t>(head - 1)].hash), h.hash));
            if (facet != kNoRow) {
                const std::uint64_t key = d.subjectKeys[facet];
                if (known(key))
                    sink(key, row, h.start, h.end, false, [&, facet]() -> QString {
                        return QStringLiteral("pat:subject_") + d.facets[static_cast<int>(facet)].key;
                    });
            }
        }
    }
    detectPatterns(s, toks, buf, patterns);
    // A pose: the main verb acts with or on someone's body ("raises *his right fist*", "sits with *her
    // hands* folded", "is resting *its head* on a cushion"). Such a sentence describes what a person or
    // animal does, even when a place phrase follows.
    if (clause.verb > 0) {
        for (int j = clause.verb + 1; j < n && j <= clause.verb + 4; ++j) {
            const Token& t = toks[static_cast<std::size_t>(j)];
            const Token& a = toks[static_cast<std::size_t>(j - 1)];
            if (s.mid(a.end, t.start - a.end).contains(u','))
                break;
            if (someonesBodyPart(toks, buf, j, clause.verb + 1)) {
                patterns.push_back({"pose", toks[static_cast<std::size_t>(clause.verb)].start, t.end});
                break;
            }
        }
    }
    // The main predicate itself places or moves something ("stands on", "is parked beside", "drifts
    // through"), as opposed to a place verb elsewhere in the sentence ("a woman sitting on a bench").
    if (clause.placeFrom > 0) {
        const Token& v = toks[static_cast<std::size_t>(clause.verb)];
        patterns.push_back({"main_locative", v.start, toks[static_cast<std::size_t>(clause.placeFrom - 1)].end});
    }
    // A name in the subject ("The Eiffel Tower rises above…"): the sentence identifies its subject,
    // which makes it world knowledge even when the predicate only places it.
    if (clause.verb > 0) {
        const int verbStart = toks[static_cast<std::size_t>(clause.verb)].start;
        const int subjectFrom = toks[static_cast<std::size_t>(clause.subjectStart)].start;
        for (const PatternHit& p : patterns) {
            if (std::strcmp(p.name, "name") == 0 && p.start >= subjectFrom && p.end <= verbStart) {
                patterns.push_back({"name_subject", p.start, p.end});
                break;
            }
        }
    }
    for (const PatternHit& p : patterns) {
        const std::uint64_t key = mix(kSeedPattern, latin1Hash(p.name));
        if (known(key))
            sink(key, row, p.start, p.end, false,
                 [&]() -> QString { return QStringLiteral("pat:") + QLatin1String(p.name); });
    }
}

} // namespace

FacetModel::FacetModel()
    : d(std::make_shared<Data>())
{
}

FacetModel::FacetModel(std::shared_ptr<const Data> data)
    : d(std::move(data))
{
}

std::uint64_t FacetModel::featureKey(QStringView canonicalName)
{
    const qsizetype colon = canonicalName.indexOf(u':');
    Fnv kind;
    for (qsizetype k = 0; k < colon; ++k)
        kind.add(canonicalName[k].unicode());
    std::uint64_t key = kind.h;
    for (const QStringView token : canonicalName.mid(colon + 1).split(u' ')) {
        Fnv h;
        h.add(reinterpret_cast<const char16_t*>(token.utf16()), static_cast<int>(token.size()));
        key = mix(key, h.h);
    }
    return key;
}

QStringList FacetModel::patternNames()
{
    QStringList names;
    for (const char* p : kPatternNames)
        names.append(QString::fromLatin1(p));
    return names;
}

namespace {

// FacetModel::fingerprint(): of one document, and of a model laid over another (merged()).
QByteArray documentFingerprint(const QByteArray& json)
{
    return QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex().left(16);
}

QByteArray mergedFingerprint(const QByteArray& base, const QByteArray& extra)
{
    return QCryptographicHash::hash(QByteArray(base + '+' + extra), QCryptographicHash::Sha256).toHex().left(16);
}

QByteArray modelFileBytes(const QString& path) // a file or a Qt resource
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(FacetModel::tr("Cannot read facet model %1: %2").arg(path, file.errorString()));
    return file.readAll();
}

} // namespace

FacetModel FacetModel::fromJson(const QByteArray& json, const QString& origin)
{
    const QString where = origin.isEmpty() ? tr("facet model") : origin;
    const nlohmann::json doc = nlohmann::json::parse(json.constBegin(), json.constEnd(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw Error(tr("%1: not a JSON object").arg(where));

    auto data = std::make_shared<Data>();
    auto fail = [&](const QString& what) { throw Error(tr("%1: %2").arg(where, what)); };
    auto number = [&](const nlohmann::json& v, const QString& what) {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            fail(tr("%1 must be a number").arg(what));
        return v.get<double>();
    };
    auto facetKey = [&](const std::string& key) {
        const QString k = fromStd(key);
        if (!validKey(k))
            fail(tr("'%1' is not a valid facet key (use lower-case letters, digits and _)").arg(k));
        data->ensureFacet(k);
        return k;
    };

    if (doc.contains("facets")) {
        const auto& facets = doc["facets"];
        if (!facets.is_array())
            fail(tr("\"facets\" must be an array"));
        for (const auto& f : facets) {
            if (!f.is_object() || !f.contains("key") || !f["key"].is_string())
                fail(tr("every facet needs a \"key\""));
            const QString key = facetKey(f["key"].get<std::string>());
            const int idx = data->facetIndex(key);
            FacetInfo& info = data->facets[idx];
            auto str = [&](const char* field) {
                return f.contains(field) && f[field].is_string() ? fromStd(f[field].get<std::string>()) : QString();
            };
            info.name = str("name").isEmpty() ? key : str("name");
            info.color = str("color");
            info.description = str("description");
            data->declared[idx] = true;
        }
    }
    if (doc.contains("bias")) {
        if (!doc["bias"].is_object())
            fail(tr("\"bias\" must be an object"));
        for (const auto& [key, value] : doc["bias"].items())
            data->handBias[facetKey(key)] = number(value, tr("bias of %1").arg(fromStd(key)));
    }
    auto readThresholds = [&](const nlohmann::json& t) {
        if (!t.is_object())
            fail(tr("\"thresholds\" must be an object"));
        if (t.contains("secondary"))
            data->secondary = number(t["secondary"], tr("thresholds.secondary"));
        if (t.contains("other"))
            data->other = number(t["other"], tr("thresholds.other"));
    };
    if (doc.contains("thresholds"))
        readThresholds(doc["thresholds"]);
    if (doc.contains("subject_weight"))
        data->subjectWeight = number(doc["subject_weight"], tr("subject_weight"));
    if (doc.contains("patterns")) {
        if (!doc["patterns"].is_object())
            fail(tr("\"patterns\" must be an object"));
        const QStringList known = patternNames();
        for (const auto& [name, weights] : doc["patterns"].items()) {
            const QString pattern = fromStd(name);
            if (pattern.startsWith(u"predicate_"))
                facetKey(name.substr(10));
            else if (pattern.startsWith(u"subject_"))
                facetKey(name.substr(8));
            else if (!known.contains(pattern))
                fail(tr("unknown pattern '%1' (known: %2, predicate_<facet>, subject_<facet>)")
                         .arg(pattern, known.join(QStringLiteral(", "))));
            if (!weights.is_object())
                fail(tr("pattern '%1' needs an object of facet weights").arg(pattern));
            Data::Def& def = data->defs[QStringLiteral("pat:") + pattern];
            def.cue = pattern;
            for (const auto& [key, w] : weights.items())
                def.hand[facetKey(key)] = number(w, tr("weight of pattern %1").arg(pattern));
        }
    }
    if (doc.contains("cues")) {
        if (!doc["cues"].is_object())
            fail(tr("\"cues\" must be an object of facet -> weight -> cue list"));
        for (const auto& [key, groups] : doc["cues"].items()) {
            const QString facet = facetKey(key);
            if (!groups.is_object())
                fail(tr("cues of %1 must be an object of weight -> cue list").arg(facet));
            for (const auto& [weightText, list] : groups.items()) {
                bool ok = false;
                const double w = fromStd(weightText).toDouble(&ok);
                if (!ok || !std::isfinite(w))
                    fail(tr("cue weight '%1' of %2 is not a number").arg(fromStd(weightText), facet));
                if (!list.is_array())
                    fail(tr("cues of %1 with weight %2 must be a list").arg(facet, fromStd(weightText)));
                for (const auto& cue : list) {
                    if (!cue.is_string())
                        fail(tr("cues of %1 must be strings").arg(facet));
                    const QString text = fromStd(cue.get<std::string>());
                    const QString name = canonicalCue(text);
                    if (name.isEmpty())
                        fail(tr("cue '%1' of %2 has no words").arg(text, facet));
                    Data::Def& def = data->defs[name];
                    if (def.cue.isEmpty())
                        def.cue = text;
                    def.hand[facet] = w;
                }
            }
        }
    }
    if (doc.contains("learned")) {
        const auto& l = doc["learned"];
        if (!l.is_object() || !l.contains("facets") || !l["facets"].is_array())
            fail(tr("\"learned\" needs a \"facets\" array"));
        QStringList order;
        for (const auto& k : l["facets"]) {
            if (!k.is_string())
                fail(tr("learned.facets must be strings"));
            order.append(facetKey(k.get<std::string>()));
        }
        data->learnedFacets = QSet<QString>(order.cbegin(), order.cend());
        auto vector = [&](const nlohmann::json& v, const QString& what) {
            if (!v.is_array() || v.size() != static_cast<std::size_t>(order.size()))
                fail(tr("%1 must have one number per learned facet").arg(what));
            std::vector<double> out;
            for (const auto& x : v)
                out.push_back(number(x, what));
            return out;
        };
        if (l.contains("bias")) {
            const auto b = vector(l["bias"], tr("learned.bias"));
            for (qsizetype f = 0; f < order.size(); ++f)
                data->learnedBias[order[f]] = b[static_cast<std::size_t>(f)];
        }
        if (l.contains("hand_scale")) {
            const auto a = vector(l["hand_scale"], tr("learned.hand_scale"));
            for (qsizetype f = 0; f < order.size(); ++f)
                data->handScale[order[f]] = a[static_cast<std::size_t>(f)];
        }
        const bool carries = l.contains("carries");
        if (carries) {
            const auto& c = l["carries"];
            if (!c.is_object() || !c.contains("bias") || !c.contains("thresholds"))
                fail(tr("learned.carries needs \"bias\" and \"thresholds\""));
            const auto b = vector(c["bias"], tr("learned.carries.bias"));
            const auto t = vector(c["thresholds"], tr("learned.carries.thresholds"));
            for (qsizetype f = 0; f < order.size(); ++f) {
                const double threshold = t[static_cast<std::size_t>(f)];
                if (threshold < 0.0 || threshold > 1.0)
                    fail(tr("learned.carries.thresholds must lie between 0 and 1"));
                data->carriesBias[order[f]] = b[static_cast<std::size_t>(f)];
                data->carriesThreshold[order[f]] = threshold;
            }
        }
        if (l.contains("features")) {
            if (!l["features"].is_object())
                fail(tr("learned.features must be an object"));
            for (const auto& [name, w] : l["features"].items()) {
                const QString feature = fromStd(name);
                const int colon = static_cast<int>(feature.indexOf(u':'));
                if (colon <= 0 || colon + 1 >= feature.size())
                    fail(tr("learned feature '%1' has no kind prefix").arg(feature));
                // One number per learned facet, then as many again for the yes/no heads.
                const std::size_t n = static_cast<std::size_t>(order.size());
                if (!w.is_array() || w.size() != (carries ? 2 * n : n))
                    fail(carries ? tr("learned feature %1 must have two numbers per learned facet").arg(feature)
                                 : tr("learned feature %1 must have one number per learned facet").arg(feature));
                std::vector<double> v;
                for (const auto& x : w)
                    v.push_back(number(x, tr("learned feature %1").arg(feature)));
                Data::Def& def = data->defs[feature];
                for (qsizetype f = 0; f < order.size(); ++f) {
                    const auto k = static_cast<std::size_t>(f);
                    if (v[k] != 0.0)
                        def.learned[order[f]] = v[k];
                    if (carries && v[n + k] != 0.0)
                        def.carries[order[f]] = v[n + k];
                }
            }
        }
        if (l.contains("thresholds"))
            readThresholds(l["thresholds"]);
        if (l.contains("subject_weight"))
            data->subjectWeight = number(l["subject_weight"], tr("learned.subject_weight"));
        data->hasLearned = true;
    }
    data->fingerprint = documentFingerprint(json);
    data->compile();
    return FacetModel(std::move(data));
}

FacetModel FacetModel::fromFile(const QString& path)
{
    return fromJson(modelFileBytes(path), path);
}

const FacetModel& FacetModel::defaultModel()
{
    static const FacetModel model =
        fromFile(QStringLiteral(":/facets/default.json")).merged(fromFile(QStringLiteral(":/facets/learned.json")));
    return model;
}

FacetModel FacetModel::lexiconModel()
{
    return fromFile(QStringLiteral(":/facets/default.json"));
}

QString FacetModel::projectCues(Database& db)
{
    Statement st = db.prepare("SELECT value FROM meta WHERE key = 'facet_cues'");
    return st.step() && !st.isNull(0) ? st.text(0) : QString();
}

QString FacetModel::fingerprint() const
{
    return QString::fromLatin1(d->fingerprint);
}

QString FacetModel::indexedBy(Database& db)
{
    Statement st = db.prepare("SELECT value FROM meta WHERE key = 'facet_model'");
    return st.step() && !st.isNull(0) ? st.text(0) : QString();
}

void FacetModel::setIndexedBy(Database& db, const QString& fingerprint)
{
    Statement st = db.prepare("INSERT INTO meta(key, value) VALUES('facet_model', ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, fingerprint).run();
}

QString FacetModel::projectFingerprint(Database& db)
{
    // defaultModel() is default.json merged with learned.json, forProject() that merged with the
    // cues: the same fingerprints from the documents' bytes, without parsing and compiling them.
    static const QByteArray builtIn = mergedFingerprint(
        documentFingerprint(modelFileBytes(QStringLiteral(":/facets/default.json"))),
        documentFingerprint(modelFileBytes(QStringLiteral(":/facets/learned.json"))));
    const QString cues = projectCues(db);
    return QString::fromLatin1(
        cues.trimmed().isEmpty() ? builtIn : mergedFingerprint(builtIn, documentFingerprint(cues.toUtf8())));
}

bool FacetModel::projectIsCurrent(Database& db)
{
    return indexedBy(db) == projectFingerprint(db);
}

FacetModel FacetModel::forProject(Database& db)
{
    const QString cues = projectCues(db);
    if (cues.trimmed().isEmpty())
        return defaultModel();
    return defaultModel().merged(fromJson(cues.toUtf8(), tr("the project's facet cues")));
}

void FacetModel::setProjectCues(Database& db, const QByteArray& json)
{
    if (json.trimmed().isEmpty()) {
        db.exec("DELETE FROM meta WHERE key = 'facet_cues'");
        return;
    }
    defaultModel().merged(fromJson(json, tr("the project's facet cues"))); // validates
    Statement st = db.prepare("INSERT INTO meta(key, value) VALUES('facet_cues', ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, QString::fromUtf8(json)).run();
}

FacetModel FacetModel::merged(const FacetModel& extra) const
{
    auto data = std::make_shared<Data>(*d);
    const Data& e = *extra.d;
    for (qsizetype k = 0; k < e.facets.size(); ++k) {
        const FacetInfo& info = e.facets[k];
        const int idx = data->facetIndex(info.key);
        if (idx < 0) {
            data->facets.append(info);
            data->declared.append(e.declared[k]);
        } else if (e.declared[k]) {
            data->facets[idx] = info;
            data->declared[idx] = true;
        }
    }
    for (auto it = e.handBias.cbegin(); it != e.handBias.cend(); ++it)
        data->handBias[it.key()] = it.value();
    if (e.secondary)
        data->secondary = e.secondary;
    if (e.other)
        data->other = e.other;
    if (e.subjectWeight)
        data->subjectWeight = e.subjectWeight;
    if (e.hasLearned) {
        data->learnedBias = e.learnedBias;
        data->learnedFacets = e.learnedFacets;
        data->handScale = e.handScale;
        data->carriesBias = e.carriesBias;
        data->carriesThreshold = e.carriesThreshold;
        for (auto& [name, def] : data->defs) {
            def.learned.clear();
            def.carries.clear();
        }
        data->hasLearned = true;
    }
    for (const auto& [name, def] : e.defs) {
        Data::Def& target = data->defs[name];
        if (target.cue.isEmpty())
            target.cue = def.cue;
        for (auto it = def.hand.cbegin(); it != def.hand.cend(); ++it)
            target.hand[it.key()] = it.value();
        if (e.hasLearned) {
            target.learned = def.learned;
            target.carries = def.carries;
        }
    }
    data->fingerprint = mergedFingerprint(d->fingerprint, e.fingerprint);
    data->compile();
    return FacetModel(std::move(data));
}

const QList<FacetInfo>& FacetModel::facets() const
{
    return d->facets;
}

QStringList FacetModel::keys() const
{
    QStringList k;
    for (const FacetInfo& f : d->facets)
        k.append(f.key);
    return k;
}

int FacetModel::indexOf(QStringView key) const
{
    return d->facetIndex(key);
}

bool FacetModel::needsOwnEvidence(int index) const
{
    return d->hasLearned && index >= 0 && index < d->facets.size() && !d->learnedFacets.contains(d->facets[index].key);
}

bool FacetModel::hasLearnedWeights() const
{
    return d->hasLearned;
}

double FacetModel::secondaryThreshold() const
{
    return d->secondary.value_or(0.25);
}

double FacetModel::otherThreshold() const
{
    return d->other.value_or(0.0);
}

double FacetModel::subjectWeight() const
{
    return d->subjectWeight.value_or(1.0);
}

std::vector<FeatureHit> FacetModel::features(QStringView sentence, Extract mode, bool withNames) const
{
    std::vector<FeatureHit> hits;
    std::unordered_map<std::uint64_t, std::size_t> seen;
    scanSentence(*d, sentence, mode == Extract::All,
                 [&](std::uint64_t key, std::uint32_t, int start, int end, bool inSubject, auto&& nameFn) {
                     const auto it = seen.find(key);
                     if (it != seen.end()) {
                         // A feature that also occurs outside the subject counts in full.
                         hits[it->second].inSubject = hits[it->second].inSubject && inSubject;
                         return;
                     }
                     FeatureHit h;
                     h.key = key;
                     h.start = start;
                     h.end = end;
                     h.inSubject = inSubject;
                     if (withNames)
                         h.name = nameFn();
                     seen.emplace(key, hits.size());
                     hits.push_back(std::move(h));
                 });
    return hits;
}

int FacetModel::score(QStringView sentence, double* scores, double* carries) const
{
    const Data& data = *d;
    const int nf = data.nf;
    for (int f = 0; f < nf; ++f)
        scores[f] = data.bias[static_cast<std::size_t>(f)];
    if (carries) {
        for (int f = 0; f < nf; ++f)
            carries[f] = data.carriesBiasOf[static_cast<std::size_t>(f)];
    }
    thread_local std::vector<std::pair<std::uint32_t, bool>> rows; // row, wholly in the subject
    rows.clear();
    scanSentence(data, sentence, false, [&](std::uint64_t, std::uint32_t row, int, int, bool inSubject, auto&&) {
        for (auto& [seen, subject] : rows) {
            if (seen == row) {
                subject = subject && inSubject;
                return;
            }
        }
        rows.emplace_back(row, inSubject);
    });
    const double subjectWeight = data.subjectWeight.value_or(1.0);
    for (const auto& [row, subject] : rows) {
        const std::size_t offset = static_cast<std::size_t>(row) * static_cast<std::size_t>(nf);
        const float* w = data.weights.data() + offset;
        const double x = subject ? subjectWeight : 1.0;
        for (int f = 0; f < nf; ++f)
            scores[f] += x * w[f];
        if (carries) {
            const float* c = data.carriesWeights.data() + offset;
            for (int f = 0; f < nf; ++f)
                carries[f] += x * c[f];
        }
    }
    return static_cast<int>(rows.size());
}

double FacetModel::carriesThreshold(int index) const
{
    return index >= 0 && index < d->nf ? d->carriesThresholdOf[static_cast<std::size_t>(index)] : -1.0;
}

bool FacetModel::hasCarries() const
{
    return std::any_of(d->carriesThresholdOf.cbegin(), d->carriesThresholdOf.cend(), [](double t) { return t >= 0.0; });
}

namespace {

// A feature's row of one of the compiled weight tables (rows x nf), empty when the model has no row.
std::vector<double> weightRow(const FacetModel::Data& data, const std::vector<float>& table, const QString& featureName)
{
    const std::uint32_t row = data.index.find(FacetModel::featureKey(featureName));
    if (row == kNoRow)
        return {};
    const float* w = table.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(data.nf);
    return std::vector<double>(w, w + data.nf);
}

} // namespace

std::vector<double> FacetModel::carriesWeights(const QString& featureName) const
{
    return weightRow(*d, d->carriesWeights, featureName);
}

std::vector<double> FacetModel::carriesBias() const
{
    return d->carriesBiasOf;
}

std::vector<double> FacetModel::weights(const QString& featureName) const
{
    return weightRow(*d, d->weights, featureName);
}

std::vector<double> FacetModel::bias() const
{
    return d->bias;
}

std::vector<double> FacetModel::handWeights(const QString& featureName) const
{
    std::vector<double> out(static_cast<std::size_t>(d->nf), 0.0);
    const auto it = d->defs.find(featureName);
    if (it == d->defs.end())
        return out;
    for (int f = 0; f < d->nf; ++f)
        out[static_cast<std::size_t>(f)] = it->second.hand.value(d->facets[f].key);
    return out;
}

std::vector<double> FacetModel::handBias() const
{
    std::vector<double> out;
    for (const FacetInfo& f : d->facets)
        out.push_back(d->handBias.value(f.key));
    return out;
}

QString FacetModel::describeFeature(const QString& featureName) const
{
    const auto it = d->defs.find(featureName);
    const bool lexicon = it != d->defs.end() && !it->second.hand.isEmpty();
    const QString body = featureName.mid(featureName.indexOf(u':') + 1);
    if (featureName.startsWith(u"pat:")) {
        static const QMap<QString, const char*> labels = {
            {QStringLiteral("name"), QT_TR_NOOP("capitalised name")},
            {QStringLiteral("name_multi"), QT_TR_NOOP("multi-word name")},
            {QStringLiteral("quoted"), QT_TR_NOOP("quoted text")},
            {QStringLiteral("all_caps"), QT_TR_NOOP("all-capitals word")},
            {QStringLiteral("heading"), QT_TR_NOOP("heading")},
            {QStringLiteral("cjk"), QT_TR_NOOP("Chinese/Japanese text")},
            {QStringLiteral("no_terminator"), QT_TR_NOOP("no final punctuation")},
            {QStringLiteral("locative"), QT_TR_NOOP("place verb with preposition")},
            {QStringLiteral("name_subject"), QT_TR_NOOP("name in the subject")},
            {QStringLiteral("main_locative"), QT_TR_NOOP("main verb places something")},
            {QStringLiteral("body_place"), QT_TR_NOOP("place phrase about a body part")},
            {QStringLiteral("pose"), QT_TR_NOOP("pose: the verb acts with someone's body")},
            {QStringLiteral("generic"), QT_TR_NOOP("general statement (can, usually, because)")},
        };
        if (body.startsWith(u"predicate_"))
            return tr("pattern: predicate starts with a %1 cue").arg(body.mid(10));
        if (body.startsWith(u"subject_"))
            return tr("pattern: subject is a %1 cue").arg(body.mid(8));
        return tr("pattern: %1").arg(labels.contains(body) ? tr(labels.value(body)) : body);
    }
    const QString cue = lexicon && !it->second.cue.isEmpty() ? it->second.cue : body;
    if (featureName.startsWith(u"a:"))
        return tr("sentence opening \"%1\"").arg(cue.startsWith(u'^') ? cue.mid(1) : cue);
    if (featureName.startsWith(u"p:"))
        return tr("phrase \"%1\"").arg(cue);
    if (featureName.startsWith(u"b:"))
        return tr("word pair \"%1\"").arg(cue);
    if (featureName.startsWith(u"v:"))
        return tr("main verb \"%1\"").arg(cue);
    if (featureName.startsWith(u"h:"))
        return tr("subject \"%1\"").arg(cue);
    if (featureName.startsWith(u"c:"))
        return tr("complement opens with \"%1\"").arg(cue);
    return lexicon ? tr("word \"%1\"").arg(cue) : tr("learned word \"%1\"").arg(cue);
}

} // namespace facet
