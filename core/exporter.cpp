#include "exporter.h"

#include "database.h"
#include "error.h"
#include "facetindexer.h"
#include "project.h"
#include "types.h"

#include <nlohmann/json.hpp>

#include <QFileInfo>
#include <QSaveFile>
#include <QStringList>

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace facet {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kDefaultPrompt = "Analyze the image in a comprehensive and detailed manner.";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD
constexpr std::size_t kFlushBytes = 1 << 20;
constexpr std::int64_t kProgressEvery = 1000;

/** Length of the well-formed UTF-8 sequence at p (whose first byte is >= 0x80), or 0 if it is not. */
std::size_t utf8SequenceLength(const unsigned char* p, const unsigned char* end)
{
    const unsigned char c = *p;
    std::size_t n = 0;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;
    if (static_cast<std::size_t>(end - p) < n)
        return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xF0 && p[1] < 0x90)) // overlong forms
        return 0;
    if (c == 0xED && p[1] > 0x9F) // UTF-16 surrogates
        return 0;
    if (c == 0xF4 && p[1] > 0x8F) // beyond U+10FFFF
        return 0;
    return n;
}

/**
 * True when `s` is already one line of well-formed UTF-8 without control characters, so it can be
 * copied as is. Eight bytes at a time: a byte below 0x20 or above 0x7F sets its top bit in
 * (w - 0x20..20) | w, and the lowest such byte is never masked by a borrow.
 */
bool isCleanLine(std::string_view s)
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            std::uint64_t w = 0;
            std::memcpy(&w, p + i, 8);
            if ((((w - 0x2020202020202020ULL) | w) & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = p[i];
        if (c < 0x20)
            return false;
        if (c < 0x80) {
            ++i;
            continue;
        }
        const std::size_t len = utf8SequenceLength(p + i, p + n);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

void appendUtf8OrReplacement(std::string& out, const unsigned char* p, const unsigned char* end, std::size_t* i)
{
    const std::size_t len = utf8SequenceLength(p + *i, end);
    if (len) {
        out.append(reinterpret_cast<const char*>(p + *i), len);
        *i += len;
    } else {
        out.append(kReplacement);
        ++*i;
    }
}

void appendControlEscape(std::string& out, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '\b':
        out.append("\\b");
        return;
    case '\f':
        out.append("\\f");
        return;
    case '\n':
        out.append("\\n");
        return;
    case '\r':
        out.append("\\r");
        return;
    case '\t':
        out.append("\\t");
        return;
    default:
        out.append("\\u00");
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xF]);
    }
}

/**
 * The stored record as one line. Pretty-printed sources store records with line breaks and
 * indentation; JSONL needs one line per record, so whitespace outside strings is dropped. Every
 * token (strings with their escapes, numbers, key order) stays byte-for-byte what was imported,
 * which re-serialising through a JSON library would not guarantee (it rewrites \u escapes and
 * number spellings). Malformed UTF-8 and raw control characters, which only hostile stored text
 * could contain, are replaced or escaped so that the output is always valid UTF-8.
 */
void appendRecordLine(std::string& out, std::string_view raw)
{
    if (isCleanLine(raw)) {
        out.append(raw);
        return;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
    const auto* end = p + raw.size();
    const std::size_t n = raw.size();
    bool inString = false;
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c >= 0x80) {
            appendUtf8OrReplacement(out, p, end, &i);
            continue;
        }
        if (inString) {
            if (c == '\\' && i + 1 < n && p[i + 1] >= 0x20 && p[i + 1] < 0x80) {
                out.push_back(static_cast<char>(c));
                out.push_back(static_cast<char>(p[i + 1]));
                i += 2;
                continue;
            }
            if (c == '\\')
                out.append("\\\\");
            else if (c < 0x20)
                appendControlEscape(out, c);
            else
                out.push_back(static_cast<char>(c));
            if (c == '"')
                inString = false;
        } else if (c > 0x20) {
            out.push_back(static_cast<char>(c));
            if (c == '"')
                inString = true;
        }
        ++i;
    }
}

/** A JSON string literal, written as nlohmann's dump() would (no \u escapes above 0x7F). */
void appendJsonString(std::string& out, std::string_view s)
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    const std::size_t n = s.size();
    out.push_back('"');
    std::size_t i = 0;
    while (i < n) {
        std::size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            ++run;
        out.append(reinterpret_cast<const char*>(p + i), run - i);
        i = run;
        if (i >= n)
            break;
        const unsigned char c = p[i];
        if (c >= 0x80) {
            appendUtf8OrReplacement(out, p, end, &i);
            continue;
        }
        if (c == '"')
            out.append("\\\"");
        else if (c == '\\')
            out.append("\\\\");
        else
            appendControlEscape(out, c);
        ++i;
    }
    out.push_back('"');
}

void appendJsonStringOrNull(std::string& out, const Statement& st, int column)
{
    if (st.isNull(column))
        out.append("null");
    else
        appendJsonString(out, st.textView(column));
}

void appendJsonString(std::string& out, const QString& s)
{
    appendJsonString(out, std::string_view(s.toUtf8()));
}

/** The conversation a record imported without one gets: the ShareGPT4V prompt and the caption. */
void appendSynthesised(std::string& out, std::string_view id, const std::optional<std::string_view>& image,
                       std::string_view caption)
{
    out.append("{\"id\":");
    appendJsonString(out, id);
    if (image) {
        out.append(",\"image\":");
        appendJsonString(out, *image);
    }
    // A text-only record must not claim an image: LLaVA-style loaders expect one per <image> token.
    std::string prompt = image ? std::string("<image>\n") : std::string();
    prompt.append(kDefaultPrompt);
    out.append(",\"conversations\":[{\"from\":\"human\",\"value\":");
    appendJsonString(out, prompt);
    out.append("},{\"from\":\"gpt\",\"value\":");
    appendJsonString(out, caption);
    out.append("}]}");
}

const QStringList& canonicalFacets()
{
    static const QStringList keys = {QStringLiteral("world_knowledge"), QStringLiteral("attributes"),
                                     QStringLiteral("spatial"), QStringLiteral("art"), QStringLiteral("other")};
    return keys;
}

/** Streams the rows of the selection in import order (items.id) without buffering the records. */
class RowSource final
{
public:
    RowSource(Database& db, const Query& query, const std::string& columns, const std::string& joins)
    {
        const std::string from = std::string("FROM ") + Query::from() + ' ' + joins;
        const std::string where = query.where().toStdString();
        const std::string streaming = "SELECT " + columns + ' ' + from + " WHERE " + where + " ORDER BY i.id";
        // When the selection is driven by an index other than the rowid (a list of record ids), SQLite
        // would sort the whole result, record text included, in a temporary B-tree. Then fetch the
        // sorted ids first (8 bytes each) and each row by its primary key.
        if (!needsSort(db, streaming)) {
            m_rows.emplace(db.prepare(streaming));
            query.bind(*m_rows);
            return;
        }
        Statement ids = db.prepare("SELECT i.id FROM " + std::string(Query::from()) + " WHERE " + where
                                   + " ORDER BY i.id");
        query.bind(ids);
        while (ids.step())
            m_ids.push_back(ids.int64(0));
        m_byId = true;
        m_rows.emplace(db.prepare("SELECT " + columns + ' ' + from + " WHERE i.id = ?"));
    }

    bool next()
    {
        if (!m_byId)
            return m_rows->step();
        while (m_next < m_ids.size()) {
            m_rows->reset();
            m_rows->bind(1, m_ids[m_next++]);
            if (m_rows->step())
                return true;
        }
        return false;
    }

    const Statement& row() const { return *m_rows; }

private:
    static bool needsSort(Database& db, const std::string& sql)
    {
        Statement plan = db.prepare("EXPLAIN QUERY PLAN " + sql);
        while (plan.step())
            if (plan.textView(3).find("TEMP B-TREE") != std::string_view::npos)
                return true;
        return false;
    }

    std::optional<Statement> m_rows;
    std::vector<std::int64_t> m_ids;
    std::size_t m_next = 0;
    bool m_byId = false;
};

/**
 * One read transaction around the whole export, so that the count, the id list and every row come
 * from the same snapshot even while the GUI or another `facet` process commits (WAL readers see the
 * database as of their first read). Left alone when the caller already has a transaction open.
 */
class ReadSnapshot final
{
public:
    explicit ReadSnapshot(Database& db)
        : m_db(db)
        , m_own(sqlite3_get_autocommit(db.handle()) != 0)
    {
        if (m_own)
            m_db.exec("BEGIN");
    }
    ~ReadSnapshot()
    {
        if (m_own)
            sqlite3_exec(m_db.handle(), "COMMIT", nullptr, nullptr, nullptr);
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    Database& m_db;
    bool m_own;
};

/** Accumulates output and hands it to the QSaveFile in large blocks. */
class Writer final
{
public:
    Writer(QSaveFile& file, const QString& path)
        : m_file(file)
        , m_path(path)
    {
        m_buffer.reserve(kFlushBytes + (64 << 10));
    }

    std::string& buffer() { return m_buffer; }

    void maybeFlush()
    {
        if (m_buffer.size() >= kFlushBytes)
            flush();
    }

    void flush()
    {
        if (m_buffer.empty())
            return;
        const auto size = static_cast<qint64>(m_buffer.size());
        if (m_file.write(m_buffer.data(), size) != size)
            throw Error(Exporter::tr("Cannot write %1: %2").arg(m_path, m_file.errorString()));
        m_buffer.clear();
    }

private:
    QSaveFile& m_file;
    QString m_path;
    std::string m_buffer;
};

void writeShareGpt4v(std::string& out, const Statement& row)
{
    const std::string_view extId = row.textView(0);
    const int captionTurn = row.integer(2);
    const bool hasRecord = !row.isNull(3);
    const std::string_view caption = row.textView(4);
    const bool untouched = row.int64(5) != 0;

    if (captionTurn < 0 || !hasRecord) {
        std::optional<std::string_view> image;
        if (!row.isNull(1))
            image = row.textView(1);
        appendSynthesised(out, extId, image, caption);
        return;
    }
    const std::string_view raw = row.textView(3);
    if (untouched) {
        appendRecordLine(out, raw);
        return;
    }
    // Edited: the record keeps every field and turn in its order; only the caption turn changes.
    ordered_json record = ordered_json::parse(raw, nullptr, false);
    if (record.is_discarded() || !record.is_object() || !record.contains("conversations")
        || !record["conversations"].is_array() || record["conversations"].size() <= std::size_t(captionTurn)
        || !record["conversations"][std::size_t(captionTurn)].is_object())
        throw Error(Exporter::tr("Record %1: its stored JSON has no conversation turn %2 to put the caption in")
                        .arg(QString::fromUtf8(extId.data(), qsizetype(extId.size())))
                        .arg(captionTurn));
    // dump() with `replace` below turns malformed UTF-8 in the caption into U+FFFD.
    record["conversations"][std::size_t(captionTurn)]["value"] = std::string(caption);
    out.append(record.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
}

void writeFlat(std::string& out, const Statement& row, Statement& segments)
{
    static const char* const statusNames[] = {"pending", "accepted", "rejected"};
    static const char* const originNames[] = {"imported", "human", "model"};

    out.append("{\"id\":");
    appendJsonString(out, row.textView(0));
    out.append(",\"image\":");
    appendJsonStringOrNull(out, row, 1);
    out.append(",\"caption\":");
    const std::string_view caption = row.textView(3);
    appendJsonString(out, caption);

    out.append(",\"segments\":[");
    // facet -> its sentences; the five known facets first in their fixed order, then any others.
    QList<QPair<QString, QList<QString>>> byFacet;
    if (!row.isNull(2)) {
        segments.reset();
        segments.bind(1, row.int64(2));
        QList<StoredSegment> stored;
        if (segments.step()) {
            const std::string_view data = segments.textView(0);
            stored = unpackSegments(QByteArrayView(data.data(), qsizetype(data.size())));
        }
        segments.reset();
        QString text; // converted only when the caption has segments: offsets count UTF-16 units
        bool first = true;
        for (const StoredSegment& segment : stored) {
            if (first)
                text = QString::fromUtf8(caption.data(), qsizetype(caption.size()));
            const qsizetype start = std::clamp<qsizetype>(segment.start, 0, text.size());
            const qsizetype end = std::clamp<qsizetype>(segment.end, start, text.size());
            const QString sentence = text.mid(start, end - start);
            const QStringList& facets = segment.facets;
            out.append(first ? "{\"text\":" : ",{\"text\":");
            first = false;
            appendJsonString(out, sentence);
            out.append(",\"facets\":[");
            for (qsizetype k = 0; k < facets.size(); ++k) {
                if (k)
                    out.push_back(',');
                appendJsonString(out, facets.at(k));
                auto it = std::find_if(byFacet.begin(), byFacet.end(),
                                       [&](const auto& entry) { return entry.first == facets.at(k); });
                if (it == byFacet.end())
                    byFacet.append({facets.at(k), {sentence}});
                else
                    it->second.append(sentence);
            }
            out.append("]}");
        }
    }
    out.append("],\"facets\":{");
    std::stable_sort(byFacet.begin(), byFacet.end(), [](const auto& a, const auto& b) {
        auto rank = [](const QString& key) {
            const qsizetype r = canonicalFacets().indexOf(key);
            return r < 0 ? canonicalFacets().size() : r;
        };
        return rank(a.first) < rank(b.first);
    });
    for (qsizetype k = 0; k < byFacet.size(); ++k) {
        if (k)
            out.push_back(',');
        appendJsonString(out, byFacet.at(k).first);
        out.append(":[");
        for (qsizetype s = 0; s < byFacet.at(k).second.size(); ++s) {
            if (s)
                out.push_back(',');
            appendJsonString(out, byFacet.at(k).second.at(s));
        }
        out.push_back(']');
    }
    out.append("},\"status\":");
    const std::int64_t status = row.int64(4);
    if (status >= 0 && status <= 2)
        appendJsonString(out, std::string_view(statusNames[status]));
    else
        out.append("null");
    out.append(",\"origin\":");
    const std::int64_t origin = row.isNull(5) ? -1 : row.int64(5);
    if (origin >= 0 && origin <= 2)
        appendJsonString(out, std::string_view(originNames[origin]));
    else
        out.append("null");
    out.append(",\"model\":");
    appendJsonStringOrNull(out, row, 6);
    out.append(",\"reviewer\":");
    appendJsonStringOrNull(out, row, 7);
    out.append(",\"updated_at\":");
    appendJsonStringOrNull(out, row, 8);
    out.push_back('}');
}

} // namespace

Exporter::Exporter(Project& project)
    : m_project(project)
{
}

ExportReport Exporter::run(const ExportOptions& options, const Progress& progress)
{
    if (options.output.isEmpty())
        throw Error(tr("No output file given"));
    const QFileInfo target(options.output);
    const QFileInfo projectFile(m_project.path());
    if (target.exists() && target.canonicalFilePath() == projectFile.canonicalFilePath())
        throw Error(tr("Refusing to export onto the project file %1").arg(options.output));
    if (target.exists() && target.isDir())
        throw Error(tr("Cannot write %1: it is a folder").arg(options.output));

    Query query;
    if (options.selection.isEmpty())
        query.addClause(QStringLiteral("i.status = ?"), {std::int64_t(Status::Accepted)});
    else
        query = options.selection.toQuery();

    Database& db = m_project.db();
    ReadSnapshot snapshot(db);
    std::int64_t total = -1;
    if (progress.report) {
        // SQLite keeps the LEFT JOINs in a count even when nothing reads them, and visiting every
        // caption row costs more than the index-only count (a quarter second for 200K records).
        const std::string from = query.countFrom().toStdString();
        Statement count = db.prepare("SELECT count(*) FROM " + from + " WHERE " + query.where().toStdString());
        query.bind(count);
        total = count.step() ? count.int64(0) : 0;
        progress(0, total, tr("Exporting to %1").arg(options.output));
    }

    const bool flat = options.format == ExportFormat::Flat;
    const std::string columns =
        flat ? "i.ext_id, i.image, v.id, v.text, i.status, v.origin, v.model, i.reviewer, i.updated_at"
             // An item is untouched when its current caption is the first one it ever had and was
             // imported: then the stored record is exactly what should come back.
             : "i.ext_id, i.image, i.caption_turn, r.json, v.text, "
               "v.id IS NULL OR (v.origin = 0 AND NOT EXISTS(SELECT 1 FROM caption_versions w "
               "WHERE w.item_id = i.id AND w.id < v.id))";
    const std::string joins = flat ? std::string() : std::string("LEFT JOIN records r ON r.item_id = i.id");

    QSaveFile file(options.output);
    if (!file.open(QIODevice::WriteOnly))
        throw Error(tr("Cannot write %1: %2").arg(options.output, file.errorString()));

    ExportReport report;
    try {
        RowSource rows(db, query, columns, joins);
        Writer writer(file, options.output);
        std::string& out = writer.buffer();
        std::optional<Statement> segments;
        if (flat)
            segments.emplace(db.prepare("SELECT data FROM version_segments WHERE version_id = ?"));

        if (options.array)
            out.append("[");
        while (rows.next()) {
            if (progress.cancelled())
                throw Cancelled();
            if (options.array)
                out.append(report.written ? ",\n" : "\n");
            const Statement& row = rows.row();
            if (flat)
                writeFlat(out, row, *segments);
            else
                writeShareGpt4v(out, row);
            if (!options.array)
                out.push_back('\n');
            ++report.written;
            writer.maybeFlush();
            if (report.written % kProgressEvery == 0)
                progress(report.written, total, tr("Exporting to %1").arg(options.output));
        }
        if (options.array)
            out.append(report.written ? "\n]\n" : "]\n");
        writer.flush();
        if (progress.cancelled())
            throw Cancelled();
        if (!file.commit())
            throw Error(tr("Cannot write %1: %2").arg(options.output, file.errorString()));
    } catch (...) {
        file.cancelWriting();
        throw;
    }
    progress(report.written, total,
             tr("Exported %n record(s) to %1", nullptr, int(report.written)).arg(options.output));
    return report;
}

} // namespace facet
