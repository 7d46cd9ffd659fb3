#include "importer.h"

#include "database.h"
#include "error.h"
#include "facetindexer.h"
#include "folderscanner.h"
#include "imagepath.h"
#include "jsonarraysplitter.h"
#include "jsonlinessplitter.h"
#include "project.h"
#include "recordparser.h"
#include "tarindexer.h"
#include "types.h"
#include "webdatasetname.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace facet {

QString sourceFormatKey(SourceFormat f)
{
    switch (f) {
    case SourceFormat::Auto:
        return QStringLiteral("auto");
    case SourceFormat::ShareGpt4v:
        return QStringLiteral("sharegpt4v");
    case SourceFormat::Jsonl:
        return QStringLiteral("jsonl");
    case SourceFormat::ShareCaptioner:
        return QStringLiteral("sharecaptioner");
    case SourceFormat::WebDataset:
        return QStringLiteral("webdataset");
    case SourceFormat::Folder:
        return QStringLiteral("folder");
    }
    return {};
}

bool sourceFormatFromKey(const QString& key, SourceFormat* out)
{
    for (SourceFormat f : {SourceFormat::Auto, SourceFormat::ShareGpt4v, SourceFormat::Jsonl,
                           SourceFormat::ShareCaptioner, SourceFormat::WebDataset, SourceFormat::Folder}) {
        if (sourceFormatKey(f) == key) {
            *out = f;
            return true;
        }
    }
    return false;
}

namespace {

constexpr int kMaxReportedIssues = 1000;
constexpr int kCheckEvery = 256; // records between cancel checks and progress reports
constexpr int kImportCacheKiB = 64 * 1024;
constexpr int kFullTextHashBytes = 8 * 1024 * 1024;

QString fromUtf8(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

bool isValidUtf8(std::string_view s)
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
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
        if (end - p <= n)
            return false;
        for (int i = 1; i <= n; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

/** A sidecar .txt holds the caption; the newline editors add at the end is not part of it. */
void trimSidecarText(std::string* s)
{
    if (s->size() >= 3 && s->compare(0, 3, "\xEF\xBB\xBF") == 0)
        s->erase(0, 3);
    while (!s->empty() && (s->back() == '\n' || s->back() == '\r'))
        s->pop_back();
}

/** Restores the connection's page cache size when the import ends, however it ends. */
class CacheSizeGuard final
{
public:
    explicit CacheSizeGuard(Database& db)
        : m_db(db)
    {
        Statement st = db.prepare("PRAGMA cache_size");
        m_old = st.step() ? st.int64(0) : -2000;
        // A bigger cache keeps the items indexes and the FTS segments being built in memory, which is
        // most of the speed of a large import; 64 MiB is still far below what the data costs elsewhere.
        db.exec("PRAGMA cache_size=-" + std::to_string(kImportCacheKiB));
    }
    ~CacheSizeGuard()
    {
        try {
            m_db.exec("PRAGMA cache_size=" + std::to_string(m_old));
        } catch (const Error&) {
            // The cache size only matters for speed; a failure here must not mask the import's outcome.
        }
    }
    CacheSizeGuard(const CacheSizeGuard&) = delete;
    CacheSizeGuard& operator=(const CacheSizeGuard&) = delete;

private:
    Database& m_db;
    std::int64_t m_old = -2000;
};

/**
 * Lets a bulk import write each page once. In WAL mode every page an import writes goes to the WAL
 * first and is copied again into the database by the checkpoint; an import is mostly new pages, which
 * a rollback journal does not save at all (it journals only pages that existed when the transaction
 * began). So when no other connection has the project open, as with a `facet import` from a
 * terminal, the import runs with a rollback journal and synchronous=FULL (the level at which a
 * rollback journal survives a power cut), and the project goes back to WAL afterwards. Atomicity is
 * the same: a killed import leaves a hot journal that SQLite rolls back when the project is next
 * opened, and Project::open switches the project back to WAL. At 200,000 records this saves about a
 * sixth of the import time (docs/performance.md). The price: while such an import runs, another
 * process cannot open the project ("Project … is locked by another program"), where in WAL mode it
 * could read the state before the import. When another connection
 * has the project open (the GUI imports on a worker while its window reads), the switch is refused
 * at once and the import runs in WAL mode.
 */
class RollbackJournalGuard final
{
public:
    explicit RollbackJournalGuard(Database& db)
        : m_db(db)
    {
        if (db.isReadOnly() || !db.isAutocommit())
            return;
        db.setBusyTimeout(0); // another connection is open: import in WAL mode rather than wait for it
        try {
            Statement st = db.prepare("PRAGMA journal_mode=DELETE");
            m_switched = st.step() && st.textView(0) == "delete";
        } catch (const Error&) {
            m_switched = false;
        }
        db.setBusyTimeout(Database::kBusyTimeoutMs);
        if (m_switched)
            db.exec("PRAGMA synchronous=FULL");
    }
    ~RollbackJournalGuard()
    {
        if (!m_switched)
            return;
        try {
            m_db.exec("PRAGMA journal_mode=WAL");
            m_db.exec("PRAGMA synchronous=NORMAL");
        } catch (const Error&) {
            // Only possible if another process opened the project meanwhile; every Project::open
            // switches the project back to WAL, so nothing depends on this succeeding.
        }
    }
    RollbackJournalGuard(const RollbackJournalGuard&) = delete;
    RollbackJournalGuard& operator=(const RollbackJournalGuard&) = delete;

private:
    Database& m_db;
    bool m_switched = false;
};

/** One item ready to be written. Views point into the reader's buffers. */
struct NewItem
{
    std::int64_t index = 0; ///< items.rec_index: position in the source
    std::string_view extId;
    std::optional<std::string_view> image;    ///< as written
    std::optional<std::string_view> imageAbs; ///< resolved
    std::string_view prefix;                  ///< for missing images
    ImageState state = ImageState::None;
    std::int64_t shardId = 0; ///< 0: not in a shard
    std::int64_t memberOffset = 0, memberSize = 0;
    int captionTurn = -1;
    std::optional<std::string_view> caption;
    std::string_view json;
};

/** A WebDataset sample or a folder image: the image and what its sidecars held. */
struct SidecarSample
{
    std::string key;
    std::string image; ///< member name or relative path; empty if none
    std::int64_t offset = 0, size = 0;
    bool hasTxt = false, hasJson = false;
    std::string txt, json;
    QString problem; ///< why the sample must be skipped, if it must

    void clear()
    {
        key.clear();
        image.clear();
        offset = size = 0;
        hasTxt = hasJson = false;
        txt.clear();
        json.clear();
        problem.clear();
    }
};

/** Counters of one source; merged into the report only when its transaction commits. */
struct Tally
{
    QString name;
    std::int64_t imported = 0, duplicates = 0, missing = 0;
    std::map<std::string, std::int64_t> missingByPrefix;
};

struct SourceRow
{
    std::int64_t id = 0;
    QString name;
};

/** The state of one Importer::run: prepared statements, counters and the current source. */
class ImportSession final
{
    Q_DECLARE_TR_FUNCTIONS(facet::Importer)

public:
    ImportSession(Database& db, const ImportOptions& options, const Progress& progress, ImportReport& report)
        : m_db(db)
        , m_options(options)
        , m_progress(progress)
        , m_report(report)
        , m_parser(options.maxCaptionBytes)
        , m_now(nowIso().toStdString())
    {
    }

    /** Imports one path into its source. Returns that source's counters. */
    Tally importPath(const QString& path, SourceFormat format);

    std::int64_t badRecords() const { return m_badRecords; }

private:
    void prepare();
    SourceRow sourceFor(const QString& absPath, const QString& name, SourceFormat format, const QString& imageRoot);
    void importJsonArray(const QString& path, bool shareCaptioner);
    void importJsonLines(const QString& path);
    void importTar(const QString& path);
    void importFolder(const QString& path);
    std::int64_t shardFor(const QString& absPath);

    bool addParsed(const RawRecord& raw, const ParsedRecord& rec, bool shareCaptioner, const QString& file);
    void addSidecarSample(SidecarSample& sample, std::int64_t issueIndex, std::int64_t shardId,
                          const std::string& imageAbsBase, const QString& file);
    /** Writes one item (its row, record and caption). False if its id is already in the source. */
    bool addItem(const NewItem& item);
    /**
     * The one place an imported caption version is created: the version row and its facet segments.
     * (The full-text entries are added for the whole source at once, at its end.)
     */
    void insertImportedVersion(std::int64_t versionId, std::int64_t itemId, std::string_view text);
    /** Classifies and writes the facets of the versions collected so far. */
    void flushFacets();
    /** Adds the versions inserted since the last call to the full-text index. */
    void fillFullText();

    /** Ok or Missing; a folder that does not exist answers for all the images in it with one stat. */
    ImageState imageState(const std::string& absolute);

    void skip(const QString& file, std::int64_t index, const QString& id, const QString& reason);
    void issue(const QString& file, std::int64_t index, const QString& id, const QString& reason);
    void tick(std::int64_t done, std::int64_t total, const QString& what);

    Database& m_db;
    const ImportOptions& m_options;
    const Progress& m_progress;
    ImportReport& m_report;
    RecordParser m_parser;
    FacetIndexer m_indexer; ///< facets are computed as captions arrive, in the import's transaction
    static constexpr std::size_t kFacetBatch = 512;
    std::vector<std::pair<std::int64_t, QString>> m_pendingFacets; ///< versions waiting for their facets
    static constexpr std::int64_t kFullTextChunk = 16384;
    std::int64_t m_fullTextFrom = 0; ///< first version of this source not in the full-text index yet
    bool m_fullTextTuned = false;    ///< kFullTextHashBytes set in this import
    const std::string m_now;

    std::optional<Statement> m_insertItem, m_insertRecord, m_insertVersion;

    // The source being imported.
    std::int64_t m_sourceId = 0;
    std::optional<ImageRoot> m_root;
    Tally m_tally;
    std::int64_t m_nextItemId = 0, m_nextVersionId = 0;
    std::int64_t m_recIndex = 0; ///< position of the next sample in a folder or shard source
    std::int64_t m_badRecords = 0;
    int m_sinceTick = 0;
    std::int64_t m_progressTotal = 0; ///< bytes of a file source; 0 for a folder (progress counts samples)

    // Reused buffers, so that a million records do not mean a million allocations.
    ParsedRecord m_parsed;
    ImageRoot::Resolved m_resolved;
    std::string m_synth;
    std::string m_extId;
    std::unordered_map<std::string, bool> m_folderExists;
};

void ImportSession::prepare()
{
    if (m_insertItem)
        return;
    // Ids are assigned here rather than by SQLite so that the item row can carry its current_version
    // from the start: one INSERT per table instead of an extra UPDATE per record.
    m_insertItem.emplace(m_db.prepare(
        "INSERT INTO items(id, source_id, ext_id, rec_index, image, image_abs, shard_id, member_offset, member_size, "
        "image_state, caption_turn, current_version, status, updated_at) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT(source_id, ext_id) DO NOTHING"));
    m_insertRecord.emplace(m_db.prepare("INSERT INTO records(item_id, json) VALUES(?, ?)"));
    m_insertVersion.emplace(m_db.prepare("INSERT INTO caption_versions(id, item_id, text, chars, origin, created_at) "
                                         "VALUES(?, ?, ?, ?, 0, ?)"));
}

SourceRow ImportSession::sourceFor(const QString& absPath, const QString& name, SourceFormat format,
                                   const QString& imageRoot)
{
    // Re-importing a file finds its source again: same path, and the name asked for (or the name
    // this path was given when that one was taken by another file).
    static const QRegularExpression suffixed(QStringLiteral("^(.*)-(\\d+)$"));
    Statement find = m_db.prepare("SELECT id, name FROM sources WHERE path = ? ORDER BY id");
    find.bind(1, absPath);
    while (find.step()) {
        const QString existing = find.text(1);
        const QRegularExpressionMatch m = suffixed.match(existing);
        if (existing == name || (m.hasMatch() && m.captured(1) == name))
            return {find.int64(0), existing};
    }
    QString unique = name;
    Statement taken = m_db.prepare("SELECT 1 FROM sources WHERE name = ?");
    for (int n = 2;; ++n) {
        taken.reset();
        taken.bind(1, unique);
        if (!taken.step())
            break;
        unique = name + QLatin1Char('-') + QString::number(n);
    }
    Statement insert = m_db.prepare(
        "INSERT INTO sources(name, path, format, image_root, imported_at, records) VALUES(?, ?, ?, ?, ?, 0)");
    insert.bind(1, unique)
        .bind(2, absPath)
        .bind(3, sourceFormatKey(format))
        .bind(4, imageRoot)
        .bind(5, std::string_view(m_now))
        .run();
    return {m_db.lastInsertId(), unique};
}

Tally ImportSession::importPath(const QString& path, SourceFormat format)
{
    prepare();
    const QFileInfo info(path);
    const QString absPath = QDir::cleanPath(info.absoluteFilePath());
    const bool isDir = info.isDir();
    if (format == SourceFormat::Auto)
        format = Importer::detect(path);

    QString root;
    if (isDir)
        root = absPath;
    else if (!m_options.imageRoot.isEmpty() && format != SourceFormat::WebDataset)
        root = QDir::cleanPath(QFileInfo(m_options.imageRoot).absoluteFilePath());
    else
        root = info.absolutePath();
    m_root.emplace(root);

    const QString baseName = isDir ? info.fileName() : info.completeBaseName();
    const SourceRow source = sourceFor(absPath, m_options.name.isEmpty() ? baseName : m_options.name, format,
                                       m_root->folder());
    m_sourceId = source.id;
    m_tally = Tally{};
    m_tally.name = source.name;
    m_recIndex = 0;
    m_sinceTick = 0;
    m_progressTotal = isDir ? 0 : info.size();
    {
        Statement st = m_db.prepare("SELECT coalesce(max(id), 0) + 1 FROM items");
        st.step();
        m_nextItemId = st.int64(0);
        Statement sv = m_db.prepare("SELECT coalesce(max(id), 0) + 1 FROM caption_versions");
        sv.step();
        m_nextVersionId = sv.int64(0);
    }
    m_fullTextFrom = m_nextVersionId;

    switch (format) {
    case SourceFormat::ShareGpt4v:
        importJsonArray(absPath, false);
        break;
    case SourceFormat::ShareCaptioner:
        importJsonArray(absPath, true);
        break;
    case SourceFormat::Jsonl:
        importJsonLines(absPath);
        break;
    case SourceFormat::WebDataset:
    case SourceFormat::Folder:
        if (isDir)
            importFolder(absPath);
        else
            importTar(absPath);
        break;
    case SourceFormat::Auto:
        break;
    }

    flushFacets();
    fillFullText();
    if (m_tally.imported > 0) {
        Statement st = m_db.prepare("UPDATE sources SET records = records + ?, imported_at = ? WHERE id = ?");
        st.bind(1, m_tally.imported).bind(2, std::string_view(m_now)).bind(3, m_sourceId).run();
    }
    const std::int64_t end = isDir ? m_recIndex : m_progressTotal;
    m_progress(end, end, info.fileName());
    return m_tally;
}

ImageState ImportSession::imageState(const std::string& absolute)
{
    const std::size_t slash = absolute.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        // Whole source folders are often absent (SAM, the web crawls): one stat per folder, not per image.
        if (m_folderExists.size() > 100000)
            m_folderExists.clear();
        std::string folder = absolute.substr(0, slash);
        auto it = m_folderExists.find(folder);
        if (it == m_folderExists.end()) {
            const bool exists = QFileInfo(QFile::decodeName(QByteArray::fromStdString(folder))).isDir();
            it = m_folderExists.emplace(std::move(folder), exists).first;
        }
        if (!it->second)
            return ImageState::Missing;
    }
    return ImageRoot::isRegularFile(absolute) ? ImageState::Ok : ImageState::Missing;
}

void ImportSession::tick(std::int64_t done, std::int64_t total, const QString& what)
{
    if (++m_sinceTick < kCheckEvery)
        return;
    m_sinceTick = 0;
    if (m_progress.cancelled())
        throw Cancelled();
    m_progress(done, total, what);
}

void ImportSession::issue(const QString& file, std::int64_t index, const QString& id, const QString& reason)
{
    if (m_report.errors.size() < kMaxReportedIssues)
        m_report.errors.append(ImportIssue{file, index, id, reason});
}

void ImportSession::skip(const QString& file, std::int64_t index, const QString& id, const QString& reason)
{
    ++m_report.skipped;
    ++m_badRecords;
    issue(file, index, id, reason);
}

void ImportSession::importJsonArray(const QString& path, bool shareCaptioner)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        throw Error(tr("Cannot read %1: %2").arg(path, file.errorString()));
    JsonArraySplitter splitter(&file, m_options.maxRecordBytes);
    const QString name = QFileInfo(path).fileName();
    RawRecord raw;
    for (;;) {
        const auto r = splitter.next(&raw);
        if (r == JsonArraySplitter::Result::End)
            break;
        if (r == JsonArraySplitter::Result::Error) {
            // Everything before the break is kept; the break itself is one lost record.
            skip(path, splitter.recordIndex(), QString(), splitter.errorString());
            break;
        }
        tick(splitter.bytesRead(), m_progressTotal, name);
        if (raw.tooLarge) {
            skip(path, raw.index, QString(),
                 tr("the record is %1 bytes long, more than the limit of %2 bytes (it starts at byte %3)")
                     .arg(raw.size)
                     .arg(m_options.maxRecordBytes)
                     .arg(raw.offset));
            continue;
        }
        const bool ok = shareCaptioner ? m_parser.parseShareCaptioner(raw.text, &m_parsed)
                                       : m_parser.parseConversation(raw.text, &m_parsed);
        if (!ok) {
            skip(path, raw.index, m_parsed.hasId ? fromUtf8(m_parsed.id) : QString(),
                 tr("%1 (the record starts at byte %2)").arg(m_parser.error()).arg(raw.offset));
            continue;
        }
        addParsed(raw, m_parsed, shareCaptioner, path);
    }
}

void ImportSession::importJsonLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        throw Error(tr("Cannot read %1: %2").arg(path, file.errorString()));
    JsonLinesSplitter splitter(&file, m_options.maxRecordBytes);
    const QString name = QFileInfo(path).fileName();
    RawRecord raw;
    for (;;) {
        const auto r = splitter.next(&raw);
        if (r == JsonLinesSplitter::Result::End)
            break;
        if (r == JsonLinesSplitter::Result::Error) {
            skip(path, splitter.recordIndex(), QString(), splitter.errorString());
            break;
        }
        tick(splitter.bytesRead(), m_progressTotal, name);
        if (raw.tooLarge) {
            skip(path, raw.index, QString(),
                 tr("line %1: the record is %2 bytes long, more than the limit of %3 bytes")
                     .arg(splitter.line())
                     .arg(raw.size)
                     .arg(m_options.maxRecordBytes));
            continue;
        }
        if (!m_parser.parseConversation(raw.text, &m_parsed)) {
            skip(path, raw.index, m_parsed.hasId ? fromUtf8(m_parsed.id) : QString(),
                 tr("line %1: %2").arg(splitter.line()).arg(m_parser.error()));
            continue;
        }
        addParsed(raw, m_parsed, false, path);
    }
}

bool ImportSession::addParsed(const RawRecord& raw, const ParsedRecord& rec, bool shareCaptioner, const QString& file)
{
    NewItem item;
    item.index = raw.index;
    if (rec.hasImage) {
        QString reason;
        if (!m_root->resolve(rec.image, &m_resolved, &reason)) {
            skip(file, raw.index, rec.hasId ? fromUtf8(rec.id) : QString(), reason);
            return false;
        }
        item.image = rec.image;
        item.imageAbs = m_resolved.absolute;
        item.state = imageState(m_resolved.absolute);
        item.prefix = ImageRoot::prefixOf(m_resolved.relative);
    }
    // Without an id, the image path names the record; a text-only row without one gets its position.
    if (rec.hasId && !rec.id.empty()) {
        item.extId = rec.id;
    } else if (rec.hasImage) {
        item.extId = rec.image;
    } else {
        m_extId = '#' + std::to_string(raw.index);
        item.extId = m_extId;
    }
    if (rec.hasCaption)
        item.caption = rec.caption;
    if (shareCaptioner) {
        // No conversations to keep: store what the record said; the exporter builds the turns.
        nlohmann::ordered_json o;
        o["image"] = rec.image;
        o["caption"] = rec.caption;
        m_synth = o.dump();
        item.json = m_synth;
    } else {
        item.captionTurn = rec.captionTurn;
        item.json = raw.text;
    }
    return addItem(item);
}

bool ImportSession::addItem(const NewItem& item)
{
    if (m_options.strict && m_badRecords > 0)
        return false; // everything will be rolled back: keep validating, stop writing
    const std::int64_t itemId = m_nextItemId;
    const std::int64_t versionId = m_nextVersionId;
    Statement& ins = *m_insertItem;
    ins.bind(1, itemId).bind(2, m_sourceId).bind(3, item.extId).bind(4, item.index);
    if (item.image)
        ins.bind(5, *item.image);
    else
        ins.bindNull(5);
    if (item.imageAbs)
        ins.bind(6, *item.imageAbs);
    else
        ins.bindNull(6);
    if (item.shardId > 0)
        ins.bind(7, item.shardId).bind(8, item.memberOffset).bind(9, item.memberSize);
    else
        ins.bindNull(7).bindNull(8).bindNull(9);
    ins.bind(10, static_cast<int>(item.state)).bind(11, item.captionTurn);
    if (item.caption)
        ins.bind(12, versionId);
    else
        ins.bindNull(12);
    ins.bind(13, std::string_view(m_now));
    ins.run();
    if (m_db.changes() == 0) {
        ++m_tally.duplicates;
        return false;
    }
    ++m_nextItemId;
    m_insertRecord->bind(1, itemId).bind(2, item.json).run();
    if (item.caption) {
        ++m_nextVersionId;
        insertImportedVersion(versionId, itemId, *item.caption);
    }
    ++m_tally.imported;
    if (item.state == ImageState::Missing) {
        ++m_tally.missing;
        ++m_tally.missingByPrefix[std::string(item.prefix)];
    }
    return true;
}

void ImportSession::insertImportedVersion(std::int64_t versionId, std::int64_t itemId, std::string_view text)
{
    m_insertVersion->bind(1, versionId)
        .bind(2, itemId)
        .bind(3, text)
        .bind(4, RecordParser::utf16Length(text))
        .bind(5, std::string_view(m_now))
        .run();
    // Facets are classified a batch at a time on all cores (FacetIndexer::indexVersions), then
    // written here in order, inside this import's transaction.
    m_pendingFacets.emplace_back(versionId, QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())));
    if (m_pendingFacets.size() >= kFacetBatch) {
        // Classified on the pool while the next batch is parsed; written on the next call.
        m_indexer.indexVersionsPipelined(m_db, std::move(m_pendingFacets));
        m_pendingFacets.clear();
        // This thread fills the full-text index while the pool classifies: on two cores the two
        // overlap instead of the index being built alone after the last record.
        if (m_nextVersionId - m_fullTextFrom >= kFullTextChunk)
            fillFullText();
    }
}

void ImportSession::fillFullText()
{
    if (m_nextVersionId <= m_fullTextFrom)
        return;
    if (!m_fullTextTuned) {
        // FTS5 writes its pending terms out as a new index segment whenever they pass `hashsize`
        // (1 MiB by default) and keeps merging the segments as they pile up: 200 MB of captions made
        // hundreds of small segments, merged over and over. With 8 MiB of pending terms the import's
        // full-text work drops by a quarter to a third for ~6 MiB more memory (docs/performance.md). The
        // setting is stored with the index (inside this transaction); small later writes, such as
        // an edit, never reach it.
        m_db.exec("INSERT INTO captions_fts(captions_fts, rank) VALUES('hashsize', "
                  + std::to_string(kFullTextHashBytes) + ")");
        m_fullTextTuned = true;
    }
    // The full-text index is filled in large chunks of versions, never per record: an FTS5 table
    // written to inside the transaction makes the next statement that needs a statement journal flush
    // the index's pending terms (xSavepoint), which per record cost more than all the other inserts
    // together; once per chunk it is one more flush of the kind FTS5 does every megabyte anyway.
    Statement fts = m_db.prepare("INSERT INTO captions_fts(rowid, text) "
                                 "SELECT id, text FROM caption_versions WHERE id >= ? AND id < ?");
    fts.bind(1, m_fullTextFrom).bind(2, m_nextVersionId).run();
    m_fullTextFrom = m_nextVersionId;
}

void ImportSession::flushFacets()
{
    m_indexer.finishPending(m_db);
    if (!m_pendingFacets.empty())
        m_indexer.indexVersions(m_db, m_pendingFacets);
    m_pendingFacets.clear();
}

std::int64_t ImportSession::shardFor(const QString& absPath)
{
    Statement find = m_db.prepare("SELECT id FROM shards WHERE path = ?");
    find.bind(1, absPath);
    if (find.step())
        return find.int64(0);
    Statement insert = m_db.prepare("INSERT INTO shards(source_id, path) VALUES(?, ?)");
    insert.bind(1, m_sourceId).bind(2, absPath).run();
    return m_db.lastInsertId();
}

void ImportSession::addSidecarSample(SidecarSample& s, std::int64_t issueIndex, std::int64_t shardId,
                                     const std::string& imageAbsBase, const QString& file)
{
    const std::int64_t recIndex = m_recIndex++;
    const QString id = fromUtf8(s.key);
    if (!s.problem.isEmpty()) {
        skip(file, issueIndex, id, s.problem);
        return;
    }
    std::optional<std::string_view> caption;
    if (s.hasTxt) {
        trimSidecarText(&s.txt);
        if (!isValidUtf8(s.txt)) {
            skip(file, issueIndex, id, tr("%1.txt is not valid UTF-8 text").arg(id));
            return;
        }
        if (static_cast<std::int64_t>(s.txt.size()) > m_options.maxCaptionBytes) {
            skip(file, issueIndex, id,
                 tr("the caption in %1.txt is %2 bytes long, more than the limit of %3 bytes")
                     .arg(id)
                     .arg(s.txt.size())
                     .arg(m_options.maxCaptionBytes));
            return;
        }
        caption = s.txt;
    }
    std::string jsonCaption;
    if (s.hasJson) {
        const nlohmann::json meta = nlohmann::json::parse(s.json, nullptr, false);
        if (meta.is_discarded() || !meta.is_object()) {
            skip(file, issueIndex, id, tr("%1.json is not a JSON object").arg(id));
            return;
        }
        // img2dataset keeps the caption in the .json too; the .txt wins when both exist.
        if (!caption) {
            const auto it = meta.find("caption");
            if (it != meta.end() && it->is_string()) {
                jsonCaption = it->get<std::string>();
                if (static_cast<std::int64_t>(jsonCaption.size()) > m_options.maxCaptionBytes) {
                    skip(file, issueIndex, id,
                         tr("the caption in %1.json is %2 bytes long, more than the limit of %3 bytes")
                             .arg(id)
                             .arg(jsonCaption.size())
                             .arg(m_options.maxCaptionBytes));
                    return;
                }
                caption = jsonCaption;
            }
        }
    }
    if (s.image.empty() && !caption) {
        skip(file, issueIndex, id, tr("sample %1 has neither an image nor a caption").arg(id));
        return;
    }

    NewItem item;
    item.index = recIndex;
    item.extId = shardId > 0 ? std::string_view(s.key) : std::string_view(s.image);
    std::string abs;
    if (!s.image.empty()) {
        item.image = s.image;
        if (shardId > 0) {
            item.imageAbs = imageAbsBase;
            item.shardId = shardId;
            item.memberOffset = s.offset;
            item.memberSize = s.size;
        } else {
            abs = imageAbsBase + '/' + s.image;
            item.imageAbs = abs;
        }
        item.state = ImageState::Ok; // it was just listed
    }
    item.caption = caption;
    if (s.hasJson) {
        item.json = s.json;
    } else {
        nlohmann::ordered_json o;
        if (!s.image.empty())
            o["image"] = s.image;
        if (caption)
            o["caption"] = std::string(*caption);
        m_synth = o.dump();
        item.json = m_synth;
    }
    addItem(item);
}

void ImportSession::importTar(const QString& path)
{
    TarIndexer tar(path);
    const std::int64_t shardId = shardFor(path);
    const std::string shardPath = QFile::encodeName(path).toStdString();
    const QString name = QFileInfo(path).fileName();

    SidecarSample sample;
    bool open = false;
    std::int64_t index = 0;
    std::vector<std::string> exts; // lowercased extensions of the open sample
    const auto flush = [&] {
        if (open)
            addSidecarSample(sample, index++, shardId, shardPath, path);
        open = false;
        sample.clear();
        exts.clear();
    };

    TarMember member;
    for (;;) {
        const auto r = tar.next(&member);
        if (r == TarIndexer::Result::End)
            break;
        if (r == TarIndexer::Result::Error) {
            // The open sample may be cut short; it goes with the break instead of half-imported.
            skip(path, index, open ? fromUtf8(sample.key) : QString(), tar.errorString());
            open = false;
            break;
        }
        tick(m_progressTotal > 0 ? tar.bytesRead() : m_recIndex, m_progressTotal, name);
        if (webdataset::isMeta(member.name))
            continue;
        const webdataset::KeyExt ke = webdataset::split(member.name);
        const std::size_t slash = ke.key.rfind('/');
        if (ke.ext.empty() || ke.key.size() == (slash == std::string_view::npos ? 0 : slash + 1))
            continue; // webdataset ignores names without a key or an extension too
        if (!open || ke.key != sample.key) {
            flush();
            open = true;
            sample.key.assign(ke.key);
        }
        std::string ext(ke.ext);
        for (char& c : ext)
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        bool repeated = false;
        for (const std::string& e : exts)
            repeated = repeated || e == ext;
        exts.push_back(ext);
        if (repeated) {
            if (sample.problem.isEmpty())
                sample.problem = tr("the shard holds %1 twice in a row").arg(fromUtf8(member.name));
            continue;
        }
        if (webdataset::isImageExtension(ke.ext)) {
            if (sample.image.empty()) { // a second image format of the same key is an extra view
                sample.image = member.name;
                sample.offset = member.offset;
                sample.size = member.size;
            }
        } else if (ext == "txt") {
            sample.hasTxt = true;
            if (!tar.readData(&sample.txt, m_options.maxCaptionBytes) && sample.problem.isEmpty())
                sample.problem = tr("%1: %2").arg(fromUtf8(member.name), tar.errorString());
        } else if (ext == "json") {
            sample.hasJson = true;
            if (!tar.readData(&sample.json, m_options.maxRecordBytes) && sample.problem.isEmpty())
                sample.problem = tr("%1: %2").arg(fromUtf8(member.name), tar.errorString());
        }
    }
    flush();
}

void ImportSession::importFolder(const QString& path)
{
    FolderScanner scanner(path);
    const std::string base = QFile::encodeName(path).toStdString();
    const QString name = QFileInfo(path).fileName();
    SidecarSample sample;
    std::int64_t index = 0;
    const auto readSidecar = [&sample](const QString& file, std::int64_t limit, std::string* out) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            sample.problem = tr("cannot read %1: %2").arg(file, f.errorString());
            return;
        }
        if (f.size() > limit) {
            sample.problem =
                tr("%1 is %2 bytes long, more than the limit of %3 bytes").arg(file).arg(f.size()).arg(limit);
            return;
        }
        const QByteArray bytes = f.readAll();
        out->assign(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    };
    scanner.scan(
        [&](const FolderSample& fs) {
            sample.clear();
            sample.key = fs.key.toStdString();
            sample.image = fs.image.toStdString();
            if (!fs.txtPath.isEmpty()) {
                sample.hasTxt = true;
                readSidecar(fs.txtPath, m_options.maxCaptionBytes, &sample.txt);
            }
            if (!fs.jsonPath.isEmpty() && sample.problem.isEmpty()) {
                sample.hasJson = true;
                readSidecar(fs.jsonPath, m_options.maxRecordBytes, &sample.json);
            }
            addSidecarSample(sample, index++, 0, base, path);
            tick(m_recIndex, 0, name);
        },
        [&](const QString& shard) { importTar(QDir::cleanPath(QFileInfo(shard).absoluteFilePath())); });
}

} // namespace

Importer::Importer(Project& project)
    : m_project(project)
{
}

SourceFormat Importer::detect(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw Error(tr("Cannot read %1: no such file or folder").arg(path));
    if (info.isDir())
        return FolderScanner::hasShards(path) ? SourceFormat::WebDataset : SourceFormat::Folder;

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(tr("Cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray head = file.read(1024);
    if (head.size() >= 262 && head.mid(257, 5) == QByteArrayLiteral("ustar"))
        return SourceFormat::WebDataset;
    if (head.startsWith("\x1f\x8b") || head.startsWith("BZh")
        || head.startsWith("\xFD"
                           "7zXZ")
        || head.startsWith("\x28\xB5\x2F\xFD"))
        throw Error(tr("%1 is compressed; decompress it first (tar shards must be plain .tar so that images "
                       "can be read from them by offset)")
                        .arg(path));
    if (info.suffix().compare(QLatin1String("tar"), Qt::CaseInsensitive) == 0)
        return SourceFormat::WebDataset; // an old-style tar without the "ustar" magic

    qsizetype i = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
        ++i;
    const char first = i < head.size() ? head[i] : '\0';

    if (first == '[') {
        // The first elements that parse decide: a {path: caption} pair is Share-Captioner output.
        file.seek(0);
        JsonArraySplitter splitter(&file, ImportOptions().maxRecordBytes);
        RawRecord raw;
        for (int n = 0; n < 16 && splitter.next(&raw) == JsonArraySplitter::Result::Record; ++n) {
            if (raw.tooLarge)
                continue;
            const nlohmann::json j = nlohmann::json::parse(raw.text, nullptr, false);
            if (j.is_discarded() || !j.is_object())
                continue;
            if (j.contains("conversations"))
                return SourceFormat::ShareGpt4v;
            if (j.size() == 1 && j.begin()->is_string() && j.begin().key() != "id" && j.begin().key() != "image")
                return SourceFormat::ShareCaptioner;
            return SourceFormat::ShareGpt4v;
        }
        return SourceFormat::ShareGpt4v;
    }
    if (first == '{') {
        // JSONL, unless it is one pretty-printed object: then no early line parses on its own.
        file.seek(0);
        JsonLinesSplitter splitter(&file, ImportOptions().maxRecordBytes);
        RawRecord raw;
        for (int n = 0; n < 3 && splitter.next(&raw) == JsonLinesSplitter::Result::Record; ++n) {
            if (!raw.tooLarge && nlohmann::json::accept(raw.text))
                return SourceFormat::Jsonl;
        }
        throw Error(tr("%1 starts with '{' but its lines are not JSON records: it is neither JSONL nor a JSON "
                       "array")
                        .arg(path));
    }
    throw Error(tr("%1 is not a format Facet Studio can import: expected a JSON array, JSONL, a .tar shard or "
                   "a folder of images")
                    .arg(path));
}

ImportReport Importer::run(const QStringList& paths, const ImportOptions& options, const Progress& progress)
{
    Database& db = m_project.db();
    // Sniff everything first: an unreadable or unknown path fails the whole run before anything is written.
    std::vector<SourceFormat> formats;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            throw Error(tr("Cannot read %1: no such file or folder").arg(path));
        SourceFormat f = options.format == SourceFormat::Auto ? detect(path) : options.format;
        if (info.isDir() && f != SourceFormat::Folder && f != SourceFormat::WebDataset)
            throw Error(tr("%1 is a folder, not a %2 file").arg(path, sourceFormatKey(f)));
        if (!info.isDir() && f == SourceFormat::Folder)
            throw Error(tr("%1 is not a folder").arg(path));
        if (!info.isDir() && !info.isReadable())
            throw Error(tr("Cannot read %1: permission denied").arg(path));
        formats.push_back(f);
    }

    ImportReport report;
    const RollbackJournalGuard journal(db);
    CacheSizeGuard cache(db);
    ImportSession session(db, options, progress, report);
    const auto merge = [&report](const Tally& t) {
        report.imported += t.imported;
        report.duplicates += t.duplicates;
        report.missingImages += t.missing;
        for (const auto& [prefix, n] : t.missingByPrefix)
            report.missingByPrefix[fromUtf8(prefix)] += n;
        report.sources.append(t.name);
    };

    if (options.strict) {
        Transaction tx(db);
        std::vector<Tally> tallies;
        for (qsizetype i = 0; i < paths.size(); ++i)
            tallies.push_back(session.importPath(paths[i], formats[static_cast<std::size_t>(i)]));
        if (session.badRecords() > 0) {
            report.committed = false; // the transaction rolls back as it goes out of scope
        } else {
            tx.commit();
            for (const Tally& t : tallies)
                merge(t);
        }
        return report;
    }

    for (qsizetype i = 0; i < paths.size(); ++i) {
        Transaction tx(db);
        const Tally t = session.importPath(paths[i], formats[static_cast<std::size_t>(i)]);
        tx.commit();
        merge(t);
    }
    return report;
}

} // namespace facet
