#pragma once

#include "types.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace facet {

class Project;

/**
 * Edits of one caption segment (a sentence as FacetIndexer stored it for the item's current
 * version), each one journalled action that Curation::undo()/redo() reverse:
 *
 * - editSegment() and deleteSegment() splice the caption text and add a human version through
 *   Curation::addVersion; the caption stays the single source of truth, so the segments of the new
 *   version are computed from its text, and the reviewer labels of the untouched segments are
 *   carried over to the same sentences at their shifted spans in the same transaction.
 * - relabelSegment() sets a reviewer's facets on a segment of the current version and records the
 *   old and new labels in journal_segment.
 *
 * `segmentIndex` is the segment's idx in the current version (ItemDetail::segments order).
 * All throw facet::Error for an unknown item or segment; nothing is written then.
 */
class SegmentEdits final
{
    Q_DECLARE_TR_FUNCTIONS(facet::SegmentEdits)

public:
    explicit SegmentEdits(Project& project);

    /** Replaces the segment's span with `newText`; returns the new version id. */
    std::int64_t editSegment(ItemId item, int segmentIndex, const QString& newText, const QString& author);
    /** Removes the segment and the whitespace joining it to its neighbour; returns the new version id. */
    std::int64_t deleteSegment(ItemId item, int segmentIndex, const QString& author);
    /** Sets the reviewer facets (primary first) of the segment; returns the journal entry id. */
    std::int64_t relabelSegment(ItemId item, int segmentIndex, const QStringList& facets, const QString& author);

private:
    std::int64_t splice(ItemId item, int segmentIndex, bool remove, const QString& newText, const QString& author);

    Project& m_project;
};

} // namespace facet
