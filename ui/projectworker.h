#pragma once

#include "curation.h"
#include "facetmodel.h"
#include "itemstore.h"
#include "types.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace facet {

class Project;

/** The ids of one query result, shared read-only between the worker and the GUI thread. */
using IdList = std::shared_ptr<const std::vector<ItemId>>;

/** Rows per page fetched by the grid model. */
inline constexpr int kGridPageSize = 256;

/**
 * All SQL the review window needs, on a thread of its own with its own connection to the project
 * (SQLite connections are per thread). The GUI calls the request*() functions, which are
 * thread-safe: they only queue work. Results come back as signals. Requests that a newer one made
 * pointless (a page of an old query, the detail of an item the user already moved past) are skipped.
 *
 * A timer polls PRAGMA data_version so that changes made by the CLI or another window show up.
 */
class ProjectWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectWorker)

public:
    ProjectWorker(const QString& path, bool readOnly);
    ~ProjectWorker() override;

    /** Opens the worker's connection; call once, after the worker was moved to its thread. */
    void requestOpen();
    /** Runs a query; `generation` tags the result so stale answers can be dropped. */
    void requestQuery(quint64 generation, const QString& filter);
    void requestPage(quint64 generation, int page);
    void requestDetail(ItemId id);
    void requestCounts();
    void requestSetStatus(const QList<ItemId>& ids, Status status, const QString& reason);
    void requestEditCaption(ItemId id, const QString& text);
    /** Sentence actions of the "By facet" tab (SegmentEdits), each one undoable action. */
    void requestEditSegment(ItemId id, int segment, const QString& text);
    void requestDeleteSegment(ItemId id, int segment);
    /** `label` is the facet's display name for the status message (FacetColors is GUI-thread only). */
    void requestRelabelSegment(ItemId id, int segment, const QStringList& facets, const QString& label);
    void requestUndo();
    void requestRedo();
    /** How many items matching `filter` (empty: all) would change to `status`. */
    void requestCountChanges(const QString& filter, Status status);

    /** Poll interval for changes by other processes; tests shorten it. */
    void setPollInterval(int ms);

Q_SIGNALS:
    void opened(const QString& projectName);
    /**
     * The project's facet model (the default model with the project's own cues), sent at open
     * before opened() and again when another process changed the cues, for the review window's
     * project facets and "Why this facet?" explanations.
     */
    void facetModelReady(const facet::FacetModel& model);
    /**
     * Whether the project's stored facets came from its current model (FacetModel::projectIsCurrent),
     * sent with every facetModelReady() and whenever the stored fingerprint changes (a recompute,
     * here or in another process). False: the window offers File > Recompute Facets.
     */
    void facetsCurrentChanged(bool current);
    /** The project's own cues could not be read or parsed; `message` says why. */
    void facetModelFailed(const QString& message);
    void openFailed(const QString& message);
    void idsReady(quint64 generation, const facet::IdList& ids);
    void queryFailed(quint64 generation, const QString& message);
    void pageReady(quint64 generation, int page, const QList<facet::ItemSummary>& rows);
    void detailReady(const facet::ItemDetail& detail);
    void detailMissing(facet::ItemId id);
    void countsReady(const QList<facet::SourceCounts>& sources);
    void undoStateChanged(bool canUndo, bool canRedo, const QString& undoText, const QString& redoText);
    /** This worker changed these items (status or caption); `message` is for the status bar. */
    void itemsChanged(const QList<facet::ItemId>& ids, const QString& message);
    /** An undo or redo ran; `ids` are the items it touched (capped), `message` says what. */
    void journalReplayed(const QList<facet::ItemId>& ids, const QString& message);
    void countChangesReady(const QString& filter, facet::Status status, qint64 count);
    /** Another connection committed: everything shown may be stale. */
    void changedElsewhere();
    void actionFailed(const QString& message);

private:
    void open();
    void runQuery(quint64 generation, const QString& filter);
    void loadPage(quint64 generation, int page);
    void loadDetail(ItemId id);
    void loadCounts();
    void emitUndoState();
    void poll();
    /** Sends the project's facet model; unless `force`, only when its stored cues changed. */
    void loadFacetModel(bool force);
    void scheduleCounts();
    QList<ItemId> itemsOfJournalEntry(std::int64_t journalId);
    template <typename F> void post(F&& f);

    const QString m_path;
    const bool m_readOnly;
    std::unique_ptr<Project> m_project;
    IdList m_ids;
    std::atomic<quint64> m_generation{0};
    std::atomic<ItemId> m_wantedDetail{0};
    std::int64_t m_dataVersion = -1;
    QString m_facetCues;                 // the cue document the last facetModelReady() was built from
    QString m_modelFingerprint;          // the fingerprint of that model
    std::optional<bool> m_facetsCurrent; // what facetsCurrentChanged() last said
    QTimer* m_pollTimer = nullptr;
    QTimer* m_countsTimer = nullptr;
    int m_pollInterval = 1000;
};

} // namespace facet

Q_DECLARE_METATYPE(facet::IdList)
Q_DECLARE_METATYPE(facet::ItemSummary)
Q_DECLARE_METATYPE(facet::ItemDetail)
Q_DECLARE_METATYPE(facet::SourceCounts)
Q_DECLARE_METATYPE(facet::FacetModel)
