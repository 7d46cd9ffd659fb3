#include "segmentedits.h"

#include "curation.h"
#include "database.h"
#include "error.h"
#include "facetindexer.h"
#include "project.h"

#include <QList>

#include <vector>

namespace facet {

using namespace Qt::Literals::StringLiterals;

namespace {

struct Current
{
    std::int64_t version = 0;
    QString extId;
    QString text;
    QList<Segment> segments;
};

Current currentOf(Database& db, ItemId item)
{
    Statement st = db.prepare("SELECT i.current_version, i.ext_id, v.text FROM items i "
                              "LEFT JOIN caption_versions v ON v.id = i.current_version WHERE i.id = ?");
    st.bind(1, item);
    if (!st.step())
        throw Error(SegmentEdits::tr("No item with internal id %1").arg(item));
    if (st.isNull(0))
        throw Error(SegmentEdits::tr("Item %1 has no caption").arg(st.text(1)));
    Current c;
    c.version = st.int64(0);
    c.extId = st.text(1);
    c.text = st.text(2);
    st.reset();
    c.segments = segmentsOf(db, c.version);
    return c;
}

const Segment& segmentAt(const Current& c, int index)
{
    if (index < 0 || index >= c.segments.size())
        throw Error(SegmentEdits::tr("The caption of %1 has no segment %2").arg(c.extId).arg(index + 1));
    const Segment& s = c.segments.at(index);
    if (s.start < 0 || s.end > c.text.size() || s.start > s.end)
        throw Error(SegmentEdits::tr("The segments of %1 do not match its caption; recompute facets").arg(c.extId));
    return s;
}

/** A reviewer label to re-apply on the new version: the sentence's text and where it is now. */
struct CarriedLabel
{
    QString text;
    int start = 0;
    QStringList facets;
};

} // namespace

SegmentEdits::SegmentEdits(Project& project)
    : m_project(project)
{
}

std::int64_t SegmentEdits::editSegment(ItemId item, int segmentIndex, const QString& newText, const QString& author)
{
    return splice(item, segmentIndex, false, newText, author);
}

std::int64_t SegmentEdits::deleteSegment(ItemId item, int segmentIndex, const QString& author)
{
    return splice(item, segmentIndex, true, {}, author);
}

std::int64_t SegmentEdits::splice(ItemId item, int segmentIndex, bool remove, const QString& newText,
                                  const QString& author)
{
    Database& db = m_project.db();
    const Current c = currentOf(db, item);
    const Segment& seg = segmentAt(c, segmentIndex);

    int from = seg.start;
    int to = seg.end;
    if (remove) {
        // Take the whitespace up to the next sentence with it; the last sentence takes the
        // whitespace before it instead, so no caption ends in a dangling space.
        while (to < c.text.size() && c.text.at(to).isSpace())
            ++to;
        if (to == c.text.size()) {
            while (from > 0 && c.text.at(from - 1).isSpace())
                --from;
        }
    }
    const QString replacement = remove ? QString() : newText;
    const QString text = c.text.left(from) + replacement + c.text.mid(to);
    if (text.trimmed().isEmpty())
        throw Error(
            tr("This is the only sentence of %1's caption; edit the caption or reject the item instead").arg(c.extId));
    const int shift = int(replacement.size()) - (to - from);

    std::vector<CarriedLabel> carried;
    for (qsizetype k = 0; k < c.segments.size(); ++k) {
        const Segment& s = c.segments.at(k);
        if (k == segmentIndex || !s.byReviewer)
            continue;
        CarriedLabel l;
        l.text = c.text.mid(s.start, s.end - s.start);
        l.start = s.start >= seg.end ? s.start + shift : s.start;
        l.facets = s.facets;
        carried.push_back(std::move(l));
    }

    const QString kind = remove ? u"segment-delete"_s : u"segment-edit"_s;
    const QString summary = remove ? tr("Delete sentence %1").arg(segmentIndex + 1)
                                   : tr("Edit sentence %1").arg(segmentIndex + 1);
    Curation curation(m_project);
    return curation.addVersion(item, text, Origin::Human, author, kind, summary, {}, {}, {},
                               [&](std::int64_t versionId) {
                                   if (carried.empty())
                                       return;
                                   const QList<Segment> now = segmentsOf(db, versionId);
                                   for (const CarriedLabel& l : carried) {
                                       // Same sentence at its shifted span; if the new text was split
                                       // differently there, the same sentence anywhere else.
                                       int match = -1;
                                       for (qsizetype k = 0; k < now.size() && match < 0; ++k) {
                                           const Segment& s = now.at(k);
                                           if (s.start == l.start && text.mid(s.start, s.end - s.start) == l.text)
                                               match = int(k);
                                       }
                                       for (qsizetype k = 0; k < now.size() && match < 0; ++k) {
                                           const Segment& s = now.at(k);
                                           if (!s.byReviewer && text.mid(s.start, s.end - s.start) == l.text)
                                               match = int(k);
                                       }
                                       if (match >= 0)
                                           FacetIndexer::setReviewerFacets(db, versionId, match, l.facets);
                                   }
                               });
}

std::int64_t SegmentEdits::relabelSegment(ItemId item, int segmentIndex, const QStringList& facets,
                                          const QString& author)
{
    Database& db = m_project.db();
    const QString who = author.isEmpty() ? Curation::defaultReviewer() : author;
    Transaction tx(db);
    const Current c = currentOf(db, item);
    segmentAt(c, segmentIndex);
    const QList<StoredSegment> stored = storedSegments(db, c.version);
    if (segmentIndex < 0 || segmentIndex >= stored.size())
        throw Error(tr("The caption of %1 has no segment %2").arg(c.extId).arg(segmentIndex + 1));
    const QString oldFacets = stored.at(segmentIndex).facets.join(u',');
    const std::int64_t oldLabelledBy = stored.at(segmentIndex).labelledBy;
    if (oldLabelledBy == 1 && oldFacets == facets.join(u','))
        return 0; // nothing changes: no journal entry

    // A new action discards the redo stack, as every Curation action does.
    db.exec("DELETE FROM journal WHERE undone = 1");
    FacetIndexer::setReviewerFacets(db, c.version, segmentIndex, facets);
    Statement j = db.prepare("INSERT INTO journal(kind, summary, author, created_at) VALUES(?, ?, ?, ?)");
    j.bind(1, u"segment"_s)
        .bind(2, tr("Move sentence %1 to %2").arg(segmentIndex + 1).arg(facets.value(0)) + u" — "_s + c.extId)
        .bind(3, who)
        .bind(4, nowIso())
        .run();
    const std::int64_t journalId = db.lastInsertId();
    Statement js = db.prepare("INSERT INTO journal_segment(journal_id, version_id, idx, old_facets, old_labelled_by, "
                              "new_facets, new_labelled_by) VALUES(?, ?, ?, ?, ?, ?, 1)");
    js.bind(1, journalId).bind(2, c.version).bind(3, segmentIndex).bind(4, oldFacets).bind(5, oldLabelledBy);
    js.bind(6, facets.join(u',')).run();
    tx.commit();
    return journalId;
}

} // namespace facet
