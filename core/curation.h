#pragma once

#include "query.h"
#include "types.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace facet {

class FacetIndexer;
class Project;

/** One entry of the action journal, for `facet history` and the GUI's undo menu. */
struct JournalEntry
{
    std::int64_t id = 0;
    QString kind;    ///< "review", "edit", "segment", ...
    QString summary; ///< user-facing ("Accept 1,000 items")
    QString author;
    QString at;
    bool undone = false;
    std::int64_t items = 0;
};

/** One caption written by a model, for Curation::addModelVersions(). */
struct ModelCaption
{
    ItemId item = 0;
    QString text;
    QString model;
    QString prompt; ///< the prompt as sent (variables filled in)
    QString params; ///< JSON: max_tokens, detail, temperature, tokens used, finish_reason, job
};

/**
 * Every user action on items: review status, caption edits, undo and redo. Each call is one
 * transaction that writes the change and its journal rows together, so a killed process either did
 * the whole action or none of it, and undo works across restarts and between the GUI and the CLI.
 */
class Curation final
{
    Q_DECLARE_TR_FUNCTIONS(facet::Curation)

public:
    explicit Curation(Project& project);
    ~Curation();

    /** How many selected items would change status (items already in that status do not count). */
    std::int64_t countStatusChanges(const Selection& selection, Status status);

    /**
     * Sets the status of every selected item that is not already in it; returns how many changed.
     * `reason` is kept for rejections. With dryRun nothing is written.
     */
    std::int64_t setStatus(const Selection& selection, Status status, const QString& reviewer,
                           const QString& reason = {}, bool dryRun = false);

    /** Adds a human caption version and makes it current; returns the new version id. */
    std::int64_t editCaption(ItemId item, const QString& text, const QString& author);

    /**
     * Adds a caption version of any origin (model captions, segment edits) as one journalled action.
     * `kind`/`summary` name the action in the history. `inTransaction(versionId)` runs inside the
     * same transaction after the version was written and indexed (segment edits carry reviewer
     * labels over there, so the version and its labels commit together).
     */
    std::int64_t addVersion(ItemId item, const QString& text, Origin origin, const QString& author, const QString& kind,
                            const QString& summary, const QString& model = {}, const QString& prompt = {},
                            const QString& params = {},
                            const std::function<void(std::int64_t versionId)>& inTransaction = {});

    /**
     * Adds model captions (origin model) in one transaction, one journalled action per item: each
     * becomes its item's current caption, the item is marked recaptioned and put back to pending with
     * a journal_status row, so undo restores the old status, reviewer and reason along with the old
     * caption (the recaptioned mark stays: the model version still exists). `inTransaction(index,
     * versionId, added)` runs inside the same transaction after each caption, so a caller records
     * its own bookkeeping atomically with the caption; a caption equal to the current one adds
     * nothing (added is false, versionId is the current version). Facet segments are the caller's
     * job (the recaption runner writes the model's own labels or classifies). Returns the version ids.
     */
    std::vector<std::int64_t> addModelVersions(
        const QList<ModelCaption>& captions, const QString& author,
        const std::function<void(qsizetype index, std::int64_t versionId, bool added)>& inTransaction = {});

    /**
     * "Keep this version": makes an existing caption version of the item current again, as one
     * journalled action (undo returns to the version that was current); no version is written or
     * deleted. Returns false when it already is the current one; throws facet::Error when the
     * version does not belong to the item.
     */
    bool keepVersion(ItemId item, std::int64_t versionId, const QString& author);

    /** Undoes the newest action not yet undone; returns it, or nothing when there is none. */
    std::optional<JournalEntry> undo();
    /** Redoes the most recently undone action. */
    std::optional<JournalEntry> redo();
    bool canUndo();
    bool canRedo();
    QList<JournalEntry> history(int limit = 50);

    /** The name recorded as reviewer when none is given: $FACET_REVIEWER, else the login name. */
    static QString defaultReviewer();

private:
    /** Segments and facet labels for a version just added, in the caller's transaction. */
    void indexFacets(std::int64_t versionId, const QString& text);

    Project& m_project;
    std::unique_ptr<FacetIndexer> m_indexer; ///< created on first use: loading the model costs a little
};

} // namespace facet
