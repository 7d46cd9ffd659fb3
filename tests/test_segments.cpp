// Segment edits: splicing the caption, carrying reviewer labels over, relabelling, and undo/redo of
// each through the journal, also after the project was closed and opened again.

#include "curation.h"
#include "database.h"
#include "error.h"
#include "facetindexer.h"
#include "importer.h"
#include "itemstore.h"
#include "project.h"
#include "segmentedits.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace facet;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString kCaption = u"The Eiffel Tower was built in 1889 for the World's Fair in Paris. "
                         "A red umbrella lies on the left of the wooden bench. "
                         "The painting uses soft brushstrokes in an impressionist style."_s;

QString captionOf(Project& p, const QString& extId)
{
    Statement st = p.db().prepare("SELECT v.text FROM items i JOIN caption_versions v ON v.id = i.current_version "
                                  "WHERE i.ext_id = ?");
    st.bind(1, extId);
    return st.step() ? st.text(0) : QString();
}

std::int64_t currentVersion(Project& p, ItemId id)
{
    Statement st = p.db().prepare("SELECT current_version FROM items WHERE id = ?");
    st.bind(1, id);
    return st.step() ? st.int64(0) : 0;
}

std::int64_t scalar(Project& p, const char* sql, std::int64_t arg)
{
    Statement st = p.db().prepare(sql);
    st.bind(1, arg);
    return st.step() ? st.int64(0) : -1;
}

QString segmentText(Project& p, ItemId id, int idx)
{
    const QList<Segment> segs = segmentsOf(p.db(), currentVersion(p, id));
    const QString text = captionOf(p, u"a"_s);
    const Segment& s = segs.at(idx);
    return text.mid(s.start, s.end - s.start);
}

} // namespace

class TestSegments final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_path;
    ItemId m_item = 0;

    std::unique_ptr<Project> open() { return Project::open(m_path); }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        m_path = m_tmp.filePath(u"p%1.facet"_s.arg(++n));
        QJsonArray records;
        for (const QString& id : {u"a"_s, u"b"_s}) {
            QJsonObject human{{u"from"_s, u"human"_s}, {u"value"_s, u"<image>\nDescribe the image."_s}};
            QJsonObject gpt{{u"from"_s, u"gpt"_s}, {u"value"_s, kCaption}};
            QJsonObject rec;
            rec.insert(u"id"_s, id);
            rec.insert(u"image"_s, QString(id + u".jpg"_s));
            rec.insert(u"conversations"_s, QJsonArray{human, gpt});
            records.append(rec);
        }
        const QString json = test::writeFile(m_tmp, u"src%1.json"_s.arg(n), QJsonDocument(records).toJson());
        auto p = Project::open(m_path, Project::OpenMode::CreateIfMissing);
        ImportOptions options;
        options.name = u"demo"_s;
        Importer(*p).run({json}, options);
        Statement st = p->db().prepare("SELECT id FROM items WHERE ext_id = 'a'");
        QVERIFY(st.step());
        m_item = st.int64(0);
        QCOMPARE(segmentsOf(p->db(), currentVersion(*p, m_item)).size(), 3);
    }

    void moveShowsInTheItemsHistory()
    {
        // The History tab and `facet show` list every action on the record; a move changes no
        // status and adds no caption version, so it is found through the segment journal.
        auto p = open();
        SegmentEdits(*p).relabelSegment(m_item, 1, {u"art"_s}, u"rev"_s);
        const std::optional<ItemDetail> found = ItemStore(*p).detail(m_item);
        QVERIFY(found);
        const ItemDetail& d = *found;
        QVERIFY(!d.history.isEmpty());
        QCOMPARE(d.history.first().kind, u"segment"_s);
        QVERIFY2(d.history.first().summary.contains(u"art"_s), qPrintable(d.history.first().summary));
        // The other record's history does not show it.
        Statement other = p->db().prepare("SELECT id FROM items WHERE ext_id = 'b'");
        QVERIFY(other.step());
        const std::optional<ItemDetail> otherDetail = ItemStore(*p).detail(other.int64(0));
        QVERIFY(otherDetail);
        for (const ItemDetail::HistoryEntry& h : otherDetail->history)
            QVERIFY(h.kind != u"segment");
    }

    void undoneEditIsMarkedInTheVersionList()
    {
        // An undone edit leaves its caption version behind; the list says it was undone, so it is
        // not taken for the newest text, and a redo makes it current again without the mark.
        auto p = open();
        const std::int64_t edited = SegmentEdits(*p).deleteSegment(m_item, 0, u"rev"_s);
        auto undoneOf = [&](std::int64_t version) {
            const std::optional<ItemDetail> d = ItemStore(*p).detail(m_item); // kept alive for the loop
            for (const CaptionVersion& v : d->versions)
                if (v.id == version)
                    return v.undone;
            return false;
        };
        QVERIFY(!undoneOf(edited));
        Curation curation(*p);
        QVERIFY(curation.undo().has_value());
        QVERIFY(undoneOf(edited));
        QVERIFY(ItemStore(*p).detail(m_item)->currentVersion != edited);
        QVERIFY(curation.redo().has_value());
        QVERIFY(!undoneOf(edited));
        QCOMPARE(ItemStore(*p).detail(m_item)->currentVersion, edited);
    }

    void editSplicesExactTextAndCarriesLabels()
    {
        auto p = open();
        // A reviewer label on the last sentence must survive an edit of the first one.
        SegmentEdits(*p).relabelSegment(m_item, 2, {u"art"_s, u"attributes"_s}, u"rev"_s);
        const std::int64_t before = currentVersion(*p, m_item);
        const std::int64_t v = SegmentEdits(*p).editSegment(m_item, 0, u"The tower opened in 1889."_s, u"rev"_s);
        QVERIFY(v != before);
        QCOMPARE(captionOf(*p, u"a"_s),
                 u"The tower opened in 1889. A red umbrella lies on the left of the wooden bench. "
                 "The painting uses soft brushstrokes in an impressionist style."_s);
        QCOMPARE(scalar(*p, "SELECT origin FROM caption_versions WHERE id = ?", v), 1); // human
        QCOMPARE(scalar(*p,
                        "SELECT count(*) FROM journal WHERE kind = 'segment-edit' AND id = "
                        "(SELECT max(id) FROM journal) AND ? > 0",
                        1),
                 1);
        const QList<Segment> segs = segmentsOf(p->db(), v);
        QCOMPARE(segs.size(), 3);
        QVERIFY(segs.at(2).byReviewer);
        QCOMPARE(segs.at(2).facets, (QStringList{u"art"_s, u"attributes"_s}));
        QVERIFY(!segs.at(1).byReviewer);
        QCOMPARE(segmentText(*p, m_item, 2), u"The painting uses soft brushstrokes in an impressionist style."_s);
        // The other item is untouched.
        QCOMPARE(captionOf(*p, u"b"_s), kCaption);
    }

    void deleteRemovesSpanAndJoiningSpace()
    {
        auto p = open();
        SegmentEdits(*p).deleteSegment(m_item, 1, u"rev"_s);
        QCOMPARE(captionOf(*p, u"a"_s), u"The Eiffel Tower was built in 1889 for the World's Fair in Paris. "
                                        "The painting uses soft brushstrokes in an impressionist style."_s);
        // The last sentence takes the space before it, so the caption does not end in a space.
        SegmentEdits(*p).deleteSegment(m_item, 1, u"rev"_s);
        QCOMPARE(captionOf(*p, u"a"_s), u"The Eiffel Tower was built in 1889 for the World's Fair in Paris."_s);
        QCOMPARE(segmentsOf(p->db(), currentVersion(*p, m_item)).size(), 1);
        // The last sentence cannot go: a caption is never left empty.
        QVERIFY_THROWS_EXCEPTION(Error, SegmentEdits(*p).deleteSegment(m_item, 0, u"rev"_s));
        QCOMPARE(captionOf(*p, u"a"_s), u"The Eiffel Tower was built in 1889 for the World's Fair in Paris."_s);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal WHERE kind = 'segment-delete' AND ? > 0", 1), 2);
    }

    void relabelIsKeptAfterReindex()
    {
        auto p = open();
        SegmentEdits(*p).relabelSegment(m_item, 1, {u"art"_s}, u"rev"_s);
        const std::int64_t v = currentVersion(*p, m_item);
        FacetIndexer().indexVersion(p->db(), v, captionOf(*p, u"a"_s));
        const QList<Segment> segs = segmentsOf(p->db(), v);
        QVERIFY(segs.at(1).byReviewer);
        QCOMPARE(segs.at(1).facets, QStringList{u"art"_s});
        QCOMPARE(storedSegments(p->db(), v).at(1).labelledBy, 1);
        // The counts follow the label.
        Statement st = p->db().prepare("SELECT facets FROM version_segments WHERE version_id = ?");
        st.bind(1, v);
        QVERIFY(st.step());
        int art = 0;
        for (const auto& [facet, n] : parseFacetCounts(st.text(0)))
            art += facet == u"art"_s ? n : 0;
        QVERIFY(art >= 1);
    }

    void undoRedoRelabelAcrossReopen()
    {
        std::int64_t v = 0;
        QString oldFacets;
        {
            auto p = open();
            v = currentVersion(*p, m_item);
            const QList<StoredSegment> segments = storedSegments(p->db(), v);
            QVERIFY(segments.size() > 1);
            oldFacets = segments.at(1).facets.join(u',');
            QVERIFY(oldFacets != u"art"_s);
            SegmentEdits(*p).relabelSegment(m_item, 1, {u"art"_s}, u"rev"_s);
        }
        {
            auto p = open();
            const auto e = Curation(*p).undo();
            QVERIFY(e);
            QCOMPARE(e->kind, u"segment"_s);
        }
        {
            auto p = open();
            const QList<StoredSegment> segments = storedSegments(p->db(), v);
            QVERIFY(segments.size() > 1);
            QCOMPARE(segments.at(1).facets.join(u','), oldFacets);
            QCOMPARE(segments.at(1).labelledBy, 0);
            QVERIFY(Curation(*p).redo());
        }
        auto p = open();
        const QList<StoredSegment> segments = storedSegments(p->db(), v);
        QVERIFY(segments.size() > 1);
        QCOMPARE(segments.at(1).facets, QStringList{u"art"_s});
        QCOMPARE(segments.at(1).labelledBy, 1);
    }

    void undoRedoEditAndDeleteAcrossReopen()
    {
        {
            auto p = open();
            SegmentEdits(*p).editSegment(m_item, 1, u"A blue umbrella."_s, u"rev"_s);
            SegmentEdits(*p).deleteSegment(m_item, 0, u"rev"_s);
            QCOMPARE(captionOf(*p, u"a"_s),
                     u"A blue umbrella. The painting uses soft brushstrokes in an impressionist style."_s);
        }
        {
            auto p = open();
            QVERIFY(Curation(*p).undo());
            QCOMPARE(captionOf(*p, u"a"_s), u"The Eiffel Tower was built in 1889 for the World's Fair in Paris. "
                                            "A blue umbrella. The painting uses soft brushstrokes in an "
                                            "impressionist style."_s);
            QVERIFY(Curation(*p).undo());
            QCOMPARE(captionOf(*p, u"a"_s), kCaption);
        }
        auto p = open();
        QVERIFY(Curation(*p).redo());
        QVERIFY(Curation(*p).redo());
        QCOMPARE(captionOf(*p, u"a"_s),
                 u"A blue umbrella. The painting uses soft brushstrokes in an impressionist style."_s);
    }

    void failedActionsWriteNothing()
    {
        auto p = open();
        const std::int64_t journal = scalar(*p, "SELECT count(*) FROM journal WHERE ? > 0", 1);
        const std::int64_t versions = scalar(*p, "SELECT count(*) FROM caption_versions WHERE ? > 0", 1);
        QVERIFY_THROWS_EXCEPTION(Error, SegmentEdits(*p).editSegment(m_item, 7, u"x"_s, u"rev"_s));
        QVERIFY_THROWS_EXCEPTION(Error, SegmentEdits(*p).relabelSegment(m_item, 9, {u"art"_s}, u"rev"_s));
        // An invalid facet key fails inside the transaction: the journal entry goes with it.
        QVERIFY_THROWS_EXCEPTION(Error, SegmentEdits(*p).relabelSegment(m_item, 0, {u"Not A Key"_s}, u"rev"_s));
        QVERIFY_THROWS_EXCEPTION(Error, SegmentEdits(*p).deleteSegment(9999, 0, u"rev"_s));
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal WHERE ? > 0", 1), journal);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal_segment WHERE ? > 0", 1), 0);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM caption_versions WHERE ? > 0", 1), versions);
        QCOMPARE(captionOf(*p, u"a"_s), kCaption);
    }

    void newActionDiscardsSegmentRedo()
    {
        auto p = open();
        SegmentEdits(*p).relabelSegment(m_item, 0, {u"art"_s}, u"rev"_s);
        QVERIFY(Curation(*p).undo());
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal_segment WHERE ? > 0", 1), 1);
        SegmentEdits(*p).relabelSegment(m_item, 1, {u"spatial"_s}, u"rev"_s);
        QVERIFY(!Curation(*p).canRedo());
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal_segment WHERE ? > 0", 1), 1);
    }

    void migratesFromSchemaTwo()
    {
        {
            auto p = open();
            p->db().exec("DROP TABLE journal_segment; UPDATE meta SET value = '2' WHERE key = 'schema_version'");
        }
        auto p = open();
        QCOMPARE(scalar(*p, "SELECT value FROM meta WHERE key = 'schema_version' AND ? > 0", 1),
                 Project::SchemaVersion);
        SegmentEdits(*p).relabelSegment(m_item, 0, {u"art"_s}, u"rev"_s);
        QCOMPARE(scalar(*p, "SELECT count(*) FROM journal_segment WHERE ? > 0", 1), 1);
    }
};

QTEST_GUILESS_MAIN(TestSegments)
#include "test_segments.moc"
