#pragma once

#include "progress.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace facet {

class Project;

enum class SourceFormat
{
    Auto,
    ShareGpt4v,
    Jsonl,
    ShareCaptioner,
    WebDataset,
    Folder
};

QString sourceFormatKey(SourceFormat f); // "auto", "sharegpt4v", "jsonl", "sharecaptioner", "webdataset", "folder"
bool sourceFormatFromKey(const QString& key, SourceFormat* out);

struct ImportOptions
{
    QString imageRoot; ///< --images; default: the source file's folder
    QString name;      ///< --name; default: the file's base name (folder name for folders)
    SourceFormat format = SourceFormat::Auto;
    bool strict = false; ///< commit nothing if any record is bad
    /** A record (array element, JSONL line, sidecar .json) larger than this is skipped unread. */
    std::int64_t maxRecordBytes = 64ll * 1024 * 1024;
    /** A caption (UTF-8 bytes) longer than this is refused: no real caption comes near it. */
    std::int64_t maxCaptionBytes = 1024ll * 1024;
};

/** One skipped record: where it was and why. */
struct ImportIssue
{
    QString file;
    std::int64_t index = -1; ///< 0-based position of the record in its file, -1 if not applicable
    QString id;              ///< the record's id when it had one
    QString reason;
};

struct ImportReport
{
    std::int64_t imported = 0;
    std::int64_t skipped = 0;
    std::int64_t duplicates = 0; ///< records whose id is already in this source (re-import is a no-op)
    std::int64_t missingImages = 0;
    QMap<QString, std::int64_t> missingByPrefix; ///< first path component ("sam", "coco", ...) -> count
    QList<ImportIssue> errors;                   ///< skipped records (capped at 1000 entries; `skipped` counts all)
    QStringList sources;                         ///< source names written
    bool committed = true;                       ///< false when --strict refused everything
};
// A break in a file's structure (a truncated JSON array, a damaged tar) is reported in `errors` with
// the byte offset and counts as one skipped record; the records before it are kept.
// missingByPrefix uses "." for images that sit directly in the image folder.

/**
 * Imports records from ShareGPT4V/LLaVA JSON arrays (streamed: memory does not grow with the file),
 * JSONL, Share-Captioner output, WebDataset tar shards and folders of images with .txt sidecars.
 * Each source file is one transaction: an interrupted import leaves nothing of that file behind.
 * With `strict`, all paths share one transaction that is rolled back if any record is bad.
 *
 * A folder (img2dataset output or images with sidecars) is one source: its images and the .tar
 * shards inside it. Images in a folder resolve against the folder itself; ImportOptions::imageRoot
 * applies to JSON and JSONL files.
 */
class Importer final
{
    Q_DECLARE_TR_FUNCTIONS(facet::Importer)

public:
    explicit Importer(Project& project);

    /** Sniffs the format of a file or folder; throws facet::Error if it is none of ours. */
    static SourceFormat detect(const QString& path);

    /** Imports each path. Throws facet::Error when a file cannot be read at all, Cancelled on cancel. */
    ImportReport run(const QStringList& paths, const ImportOptions& options, const Progress& progress = {});

private:
    Project& m_project;
};

} // namespace facet
