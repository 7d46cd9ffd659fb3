#pragma once

#include "facetclassifier.h"
#include "facetmodel.h"
#include "itemstore.h"
#include "progress.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace facet {

class Database;
class Project;
struct Selection;

/**
 * Writes the facet segments of caption versions: one row of `version_segments(version_id, data,
 * facets)` per version: its segments packed by packSegments(), and its facet counts
 * "key:count,key:count", where a count is the number of segments that carry the facet (primary or
 * secondary; parseFacetCounts() reads them back).
 *
 * Cheap enough to call for every imported caption: statements are prepared once per connection,
 * the segments and counts are packed on the classifying threads, and a fresh version costs one
 * lookup and one row (an import's, one row: docs/facets.md has the figures).
 * indexVersion() joins the caller's transaction when there is one (the importer's), otherwise it
 * runs in its own.
 *
 * A default-constructed indexer classifies with the model of the project it writes to
 * (FacetModel::forProject: the built-in model plus the project's own cues); one constructed with a
 * model uses that model everywhere.
 *
 * Keeps prepared statements for the connection it was last used with; use one indexer per thread.
 */
class FacetIndexer final
{
    Q_DECLARE_TR_FUNCTIONS(facet::FacetIndexer)

public:
    FacetIndexer();
    explicit FacetIndexer(FacetModel model);
    ~FacetIndexer();
    FacetIndexer(const FacetIndexer&) = delete;
    FacetIndexer& operator=(const FacetIndexer&) = delete;

    /**
     * (Re)writes the segments and facet counts of one caption version from its text. Segments a
     * reviewer labelled (labelledBy = 1) keep their facets when a segment with the same span is
     * produced again; everything else is classified afresh.
     */
    void indexVersion(Database& db, std::int64_t versionId, const QString& text);

    /**
     * indexVersion() for many versions at once: segments and classifies them on all cores (the
     * global QThreadPool), then writes them in order on this thread, in the caller's transaction if
     * there is one. For importers that can hand over captions in batches of a few hundred.
     */
    void indexVersions(Database& db, const std::vector<std::pair<std::int64_t, QString>>& versions);

    /**
     * Pipelined form of indexVersions() for the importer: starts classifying `versions` on the
     * thread pool (all its threads but one, which the caller keeps), then writes the batch started
     * by the previous call (classifying on this thread whatever of it the pool has not taken yet,
     * then waiting for the rest) and returns, so the caller parses the next records while this
     * batch is classified. The versions must be new (never indexed, as an import's are): their rows
     * are inserted without looking for earlier ones.
     * finishPending() writes the last batch; both run in the caller's transaction. A pending batch
     * belongs to the connection it was started on: using the indexer with another connection before
     * finishPending() throws facet::Error.
     */
    void indexVersionsPipelined(Database& db, std::vector<std::pair<std::int64_t, QString>> versions);
    void finishPending(Database& db);

    /**
     * `facet facets P [selector]`: re-indexes every caption version of the selected items (all items
     * when the selection is empty), in batched transactions of kBatch versions (classified on all
     * cores), reporting progress after each batch. Cancelling throws facet::Cancelled: the batch in
     * progress is rolled back, batches already committed stay (each version's rows are always
     * complete and consistent, and running the command again finishes the job). Returns the number
     * of versions indexed.
     */
    std::int64_t reindex(Project& project, const Selection& selection, const Progress& progress = {});

    /**
     * Sets the facets of one segment as a reviewer's decision (labelledBy = 1) and updates the
     * version's facet counts. `facets` is primary first; keys must be facet keys
     * ([a-z][a-z0-9_]*). Throws facet::Error if the segment does not exist or a key is invalid.
     */
    static void setReviewerFacets(Database& db, std::int64_t versionId, int idx, const QStringList& facets);

    static constexpr int kBatch = 2000;

private:
    struct Connection;
    Connection& connectionFor(Database& db);
    struct Analysis;
    static Analysis analyse(const Connection& c, const QString& text);
    static void write(Connection& c, Database& db, std::int64_t versionId, const Analysis& analysis);
    /** write() for a version never indexed before: no earlier row, no reviewer labels to keep. */
    static void insertFresh(Connection& c, std::int64_t versionId, const Analysis& analysis);

    std::optional<FacetModel> m_model;
    std::unique_ptr<Connection> m_connection;
    struct Pending;
    std::unique_ptr<Pending> m_pending; ///< declared last: destroyed (and waited for) first
};

/** A segment as the project stores it: segmentsOf() and ItemDetail show these as Segment. */
struct StoredSegment
{
    int start = 0;
    int end = 0;
    QStringList facets; ///< primary first
    int labelledBy = 0; ///< 0 the classifier, 1 a reviewer, 2 the recaptioning model

    bool operator==(const StoredSegment&) const = default;
};

/**
 * A version's segments packed into one short text, the `data` column of `version_segments(version_id,
 * data)`: one row per caption version instead of one per sentence, which is what keeps facets cheap
 * enough to compute during import (docs/facets.md, "Storage", has the layout). Offsets are UTF-16
 * units and must satisfy 0 <= start <= end; facet keys must be non-empty and contain no ',' or '|'.
 * Throws facet::Error otherwise.
 */
QByteArray packSegments(const QList<StoredSegment>& segments);
/** The inverse of packSegments(). Throws facet::Error if `data` is not a packed segment list. */
QList<StoredSegment> unpackSegments(QByteArrayView data);

/** The stored segments of a caption version, in order (empty if it was never indexed). */
QList<StoredSegment> storedSegments(Database& db, std::int64_t versionId);
/**
 * Replaces the stored segments of a caption version and recounts its facets, in the
 * caller's transaction (the caller opens one when it writes more than this).
 */
void storeSegments(Database& db, std::int64_t versionId, const QList<StoredSegment>& segments);

/** The segments of a caption version, in order (empty if it was never indexed). */
QList<Segment> segmentsOf(Database& db, std::int64_t versionId);

/**
 * The `facets` column of `version_segments`, "world_knowledge:2,art:1", as (facet, segments) pairs.
 * Malformed parts are skipped. `facet:KEY` queries find ",KEY:" in "," + the column (query.cpp).
 */
QList<std::pair<QString, int>> parseFacetCounts(QStringView facets);

} // namespace facet
