#pragma once

#include "query.h"
#include "types.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace facet {

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
     * `kind`/`summary` name the action in the history.
     */
    std::int64_t addVersion(ItemId item, const QString& text, Origin origin, const QString& author,
                            const QString& kind, const QString& summary, const QString& model = {},
                            const QString& prompt = {}, const QString& params = {});

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
    Project& m_project;
};

} // namespace facet
