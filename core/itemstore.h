#pragma once

#include "imagedecoder.h"
#include "query.h"
#include "types.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>
#include <vector>

namespace facet {

class Project;

/** One caption version with its provenance. */
struct CaptionVersion
{
    std::int64_t id = 0;
    QString text;
    Origin origin = Origin::Imported;
    QString model, prompt, params, author, createdAt;
    /** The action that added this version was undone: it stays in the list but is not the caption. */
    bool undone = false;
};

/** One facet-labelled span of a caption (character offsets into the caption's QString). */
struct Segment
{
    int start = 0;
    int end = 0;
    QStringList facets; ///< primary first
    bool byReviewer = false;
};

/** What the grid needs per row: small, fetched a page at a time. */
struct ItemSummary
{
    ItemId id = 0;
    QString extId;
    QString source;
    QString image;          ///< path as in the record
    ImageLocation location; ///< where to read the image bytes
    ImageState imageState = ImageState::None;
    Status status = Status::Pending;
    bool recaptioned = false;
    int chars = 0;
    QString captionHead; ///< first ~200 characters of the current caption
    QStringList facets;  ///< facets the current caption covers
};

/** Everything about one item, for the detail panel and `facet show`. */
struct ItemDetail
{
    ItemSummary summary;
    QString imageError;
    QString reviewer, reason, reviewedAt, updatedAt;
    std::int64_t currentVersion = 0;
    QList<CaptionVersion> versions; ///< oldest first
    QList<Segment> segments;        ///< of the current version
    QString caption;                ///< current caption text
    struct HistoryEntry
    {
        std::int64_t journalId = 0;
        QString kind, summary, author, at;
        bool undone = false;
    };
    QList<HistoryEntry> history; ///< newest first
};

struct SourceCounts
{
    std::int64_t id = 0;
    QString name, path, format;
    std::int64_t total = 0, pending = 0, accepted = 0, rejected = 0;
};

struct ProjectStats
{
    std::int64_t items = 0;
    std::int64_t pending = 0, accepted = 0, rejected = 0;
    std::int64_t imagesOk = 0, imagesMissing = 0, imagesBroken = 0, imagesNone = 0;
    std::int64_t versions = 0;
    QMap<QString, std::int64_t> sources;                        ///< name -> items
    QMap<QString, std::int64_t> facets;                         ///< facet -> sentences in current captions
    QMap<QString, QMap<QString, std::int64_t>> facetsPerSource; ///< source -> facet -> items covering it
};

/** Read-side queries over a project. Cheap to construct; uses the project's connection. */
class ItemStore final
{
    Q_DECLARE_TR_FUNCTIONS(facet::ItemStore)

public:
    explicit ItemStore(Project& project);

    /** Internal ids matching the query, in import order. */
    std::vector<ItemId> ids(const Query& query, std::int64_t limit = -1);
    std::int64_t count(const Query& query);
    /** Summaries for the given ids, in the same order (missing ids are left out). */
    QList<ItemSummary> summaries(const std::vector<ItemId>& ids);
    std::optional<ItemDetail> detail(ItemId id);
    /** Internal id for a record id (first match across sources). */
    std::optional<ItemId> findByExtId(const QString& extId);
    QList<SourceCounts> sources();
    ProjectStats stats();

private:
    Project& m_project;
};

} // namespace facet
