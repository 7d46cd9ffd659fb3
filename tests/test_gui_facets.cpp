// The "By facet" tab on the real main window: sections and counts as stored, an empty facet shown
// as such, a sentence edited in place, moved to another facet and deleted, each undone with Ctrl+Z
// and redone with Ctrl+Shift+Z, checked in the project file; W explains why a sentence has its facet,
// also after a reviewer moved it.

#include "database.h"
#include "detailpanel.h"
#include "facetclassifier.h"
#include "facetcolors.h"
#include "facetindexer.h"
#include "facetsections.h"
#include "gridmodel.h"
#include "gridview.h"
#include "importer.h"
#include "mainwindow.h"
#include "project.h"
#include "testutil.h"

#include <QApplication>
#include <QDialog>
#include <QFrame>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <cmath>

using namespace facet;
using namespace Qt::Literals::StringLiterals;

namespace {

// A sentence the classifier places in `spatial` on the strength of its place cues, then one about
// colours and materials.
const QString kSpatialSentence = u"A red cup sits in the lower left corner of the wooden table."_s;
const QString kSpatialCaption = kSpatialSentence + u" The cup is made of white porcelain with a thin blue rim."_s;

QString signedWeight(double w)
{
    return (w < 0 ? u"\u2212"_s : u"+"_s) + QString::number(std::abs(w), 'f', 2);
}

// As the panel writes a probability.
QString percent(double p)
{
    const int rounded = qRound(p * 100);
    return rounded == 0 && p > 0 ? u"<1%"_s : QString::number(rounded) + u'%';
}

const QString kCaption = u"The Eiffel Tower was built in 1889 for the World's Fair in Paris. "
                         "Its iron lattice is painted a warm bronze colour. "
                         "The photograph has a golden tone and a soft impressionist mood."_s;

} // namespace

class TestGuiFacets final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_explainDir;
    QString m_path;
    std::unique_ptr<Project> m_check;
    std::unique_ptr<MainWindow> m_window;

    QString caption()
    {
        Statement st = m_check->db().prepare(
            "SELECT v.text FROM items i JOIN caption_versions v ON v.id = i.current_version WHERE i.ext_id = 'a'");
        return st.step() ? st.text(0) : QString();
    }
    std::int64_t version()
    {
        Statement st = m_check->db().prepare("SELECT current_version FROM items WHERE ext_id = 'a'");
        return st.step() ? st.int64(0) : 0;
    }
    QString segmentFacets(int idx, int* labelledBy = nullptr)
    {
        const QList<StoredSegment> segments = storedSegments(m_check->db(), version());
        if (idx < 0 || idx >= segments.size())
            return {};
        if (labelledBy)
            *labelledBy = segments.at(idx).labelledBy;
        return segments.at(idx).facets.join(u',');
    }
    FacetSections* sections() const { return m_window->detailPanel()->facetSections(); }
    QTreeWidget* tree() const { return sections()->tree(); }
    bool detailShowsVersion(std::int64_t v) const
    {
        const ItemDetail* d = m_window->detailPanel()->detail();
        return d && d->currentVersion == v;
    }
    // Selects the first row of sentence `segment` in the tree.
    bool selectSegment(int segment)
    {
        for (int t = 0; t < tree()->topLevelItemCount(); ++t) {
            QTreeWidgetItem* top = tree()->topLevelItem(t);
            for (int c = 0; c < top->childCount(); ++c) {
                const QVariant v = top->child(c)->data(0, Qt::UserRole + 1);
                if (v.isValid() && v.toInt() == segment) {
                    tree()->setCurrentItem(top->child(c));
                    return sections()->currentSegment() == segment;
                }
            }
        }
        return false;
    }
    // A project file `name` in `dir` with one record, `extId`, whose caption is `caption`; `cues`, if
    // given, are stored as the project's own facet cues first.
    static QString oneRecordProject(const QTemporaryDir& dir, const QString& name, const QString& extId,
                                    const QString& caption, const QByteArray& cues = {})
    {
        QJsonObject human{{u"from"_s, u"human"_s}, {u"value"_s, u"<image>\nDescribe the image in detail."_s}};
        QJsonObject gpt{{u"from"_s, u"gpt"_s}, {u"value"_s, caption}};
        QJsonObject rec{
            {u"id"_s, extId}, {u"image"_s, QString(extId + u".jpg"_s)}, {u"conversations"_s, QJsonArray{human, gpt}}};
        const QString json = test::writeFile(dir, QString(name + u".json"_s), QJsonDocument(QJsonArray{rec}).toJson());
        const QString path = dir.filePath(QString(name + u".facet"_s));
        auto p = Project::open(path, Project::OpenMode::CreateIfMissing);
        if (!cues.isEmpty())
            FacetModel::setProjectCues(p->db(), cues);
        ImportOptions options;
        options.name = name;
        return Importer(*p).run({json}, options).imported == 1 ? path : QString();
    }
    // Waits for the grid, selects its first item, waits until the detail panel shows `extId` and
    // brings up the "By facet" tab.
    bool showFirstItem(const QString& extId)
    {
        if (!QTest::qWaitFor([this] { return m_window->isQueryLoaded() && m_window->gridModel()->summaryAt(0); }))
            return false;
        m_window->grid()->selectionModel()->setCurrentIndex(m_window->gridModel()->index(0),
                                                            QItemSelectionModel::ClearAndSelect);
        if (!QTest::qWaitFor([&] {
                const ItemDetail* d = m_window->detailPanel()->detail();
                return d && d->summary.extId == extId;
            }))
            return false;
        m_window->detailPanel()->tabs()->setCurrentWidget(sections());
        return true;
    }
    // Presses M on the selected sentence and, in the "Move to facet" menu it opens, triggers the
    // entry named `facetLabel` (or, with `trigger` unset, only looks for it); returns whether the
    // menu offered it.
    bool pressMoveAndChoose(const QString& facetLabel, bool trigger = true)
    {
        bool offered = false;
        QTimer::singleShot(0, this, [&offered, &facetLabel, trigger] {
            auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
            if (!menu)
                return;
            for (QAction* a : menu->actions()) {
                if (a->text() == facetLabel && a->isEnabled()) {
                    offered = true;
                    if (trigger)
                        a->trigger();
                }
            }
            menu->close();
        });
        tree()->setFocus();
        QTest::keyClick(tree(), Qt::Key_M);
        return offered;
    }
    void undoKey(bool redo)
    {
        m_window->activateWindow();
        QTRY_COMPARE(QApplication::activeWindow(), m_window.get());
        QTest::keyClick(m_window->grid(), Qt::Key_Z,
                        redo ? Qt::ControlModifier | Qt::ShiftModifier : Qt::ControlModifier);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QJsonArray records;
        for (const QString& id : {u"a"_s, u"b"_s, u"c"_s}) {
            QJsonObject human{{u"from"_s, u"human"_s}, {u"value"_s, u"<image>\nDescribe the image in detail."_s}};
            QJsonObject gpt{{u"from"_s, u"gpt"_s}, {u"value"_s, kCaption}};
            QJsonObject rec;
            rec.insert(u"id"_s, id);
            rec.insert(u"image"_s, QString(id + u".jpg"_s));
            rec.insert(u"conversations"_s, QJsonArray{human, gpt});
            records.append(rec);
        }
        const QString json = test::writeFile(m_dir, u"sharegpt4v.json"_s, QJsonDocument(records).toJson());
        m_path = m_dir.filePath(u"gui.facet"_s);
        {
            auto p = Project::open(m_path, Project::OpenMode::CreateIfMissing);
            ImportOptions options;
            options.name = u"demo"_s;
            QCOMPARE(Importer(*p).run({json}, options).imported, 3);
        }
        m_check = Project::open(m_path);
        m_window = std::make_unique<MainWindow>(m_dir.filePath(u"thumbs"_s));
        m_window->setPollInterval(200);
        QString error;
        QVERIFY2(m_window->openProject(m_path, &error), qPrintable(error));
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_check.reset();
    }

    void sectionsMatchTheProject()
    {
        QVERIFY(showFirstItem(u"a"_s));
        QCOMPARE(m_window->detailPanel()->tabs()->tabText(m_window->detailPanel()->tabs()->currentIndex()),
                 u"By facet"_s);

        // One section per facet in the fixed order; counts and rows as stored with the segments.
        QVERIFY(tree()->topLevelItemCount() >= FacetColors::keys().size());
        int empty = 0;
        for (int t = 0; t < FacetColors::keys().size(); ++t) {
            const QString key = FacetColors::keys().at(t);
            QTreeWidgetItem* top = tree()->topLevelItem(t);
            QCOMPARE(top->data(0, Qt::UserRole + 2).toString(), key);
            Statement st = m_check->db().prepare("SELECT facets FROM version_segments WHERE version_id = ?");
            st.bind(1, version());
            int stored = 0;
            if (st.step()) {
                for (const auto& [facet, n] : parseFacetCounts(st.text(0)))
                    stored += facet == key ? n : 0;
            }
            QVERIFY2(top->text(0).endsWith(u"(%1)"_s.arg(stored)), qPrintable(top->text(0)));
            if (stored == 0) {
                ++empty;
                QCOMPARE(top->childCount(), 1);
                QCOMPARE(top->child(0)->text(0), u"No %1 sentences"_s.arg(FacetColors::label(key).toLower()));
                QVERIFY(!top->child(0)->data(0, Qt::UserRole + 1).isValid());
            } else {
                QCOMPARE(top->childCount(), stored);
            }
        }
        QVERIFY(empty >= 1); // three sentences cannot cover all five facets here
        // Sentence rows hold the caption's text exactly (plain text).
        QVERIFY(selectSegment(0));
        QCOMPARE(tree()->currentItem()->text(0).left(20), kCaption.left(20));
    }

    void editSentenceInPlace()
    {
        const std::int64_t before = version();
        QVERIFY(selectSegment(1));
        tree()->setFocus();
        QTest::keyClick(tree(), Qt::Key_F2);
        QTRY_VERIFY(sections()->editor()->isVisible());
        QCOMPARE(sections()->editor()->toPlainText(), u"Its iron lattice is painted a warm bronze colour."_s);
        sections()->editor()->selectAll();
        QTest::keyClicks(sections()->editor(), u"Its lattice is dark brown."_s);
        QTest::keyClick(sections()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(!sections()->editor()->isVisible());
        const QString expected = u"The Eiffel Tower was built in 1889 for the World's Fair in Paris. "
                                 "Its lattice is dark brown. "
                                 "The photograph has a golden tone and a soft impressionist mood."_s;
        QTRY_COMPARE(caption(), expected);
        QVERIFY(version() != before);
        Statement st = m_check->db().prepare("SELECT origin FROM caption_versions WHERE id = ?");
        st.bind(1, version());
        QVERIFY(st.step());
        QCOMPARE(st.integer(0), 1); // human
        QTRY_VERIFY(detailShowsVersion(version()));
    }

    void moveSentenceToArt()
    {
        QVERIFY(selectSegment(0));
        QVERIFY(!segmentFacets(0).startsWith(u"art"_s));
        // M opens the "Move to facet" menu on the sentence; choose Art in it.
        QVERIFY(pressMoveAndChoose(u"Art"_s));
        int labelledBy = 0;
        QTRY_VERIFY(segmentFacets(0, &labelledBy).startsWith(u"art"_s));
        QCOMPARE(labelledBy, 1);
        // The status bar names the facet as the window does everywhere, not by its key.
        QTRY_COMPARE(m_window->statusBar()->currentMessage(), u"Moved the sentence to Art"_s);
        // The panel refreshes: the art section lists sentence 0 in italics (a reviewer's label).
        QTRY_VERIFY([this] {
            for (int t = 0; t < tree()->topLevelItemCount(); ++t) {
                QTreeWidgetItem* top = tree()->topLevelItem(t);
                if (top->data(0, Qt::UserRole + 2).toString() != u"art")
                    continue;
                for (int c = 0; c < top->childCount(); ++c) {
                    if (top->child(c)->data(0, Qt::UserRole + 1) == QVariant(0))
                        return top->child(c)->font(0).italic();
                }
            }
            return false;
        }());
    }

    void deleteSentenceThenUndoRedo()
    {
        const QString edited = caption();
        const std::int64_t editedVersion = version();
        QVERIFY(selectSegment(2));
        tree()->setFocus();
        QTest::keyClick(tree(), Qt::Key_Delete);
        QTRY_COMPARE(caption(), u"The Eiffel Tower was built in 1889 for the World's Fair in Paris. "
                                "Its lattice is dark brown."_s);
        // The reviewer's label of sentence 0 went over to the new version.
        int labelledBy = 0;
        QVERIFY(segmentFacets(0, &labelledBy).startsWith(u"art"_s));
        QCOMPARE(labelledBy, 1);
        QTRY_VERIFY(detailShowsVersion(version()));

        undoKey(false); // the delete
        QTRY_COMPARE(caption(), edited);
        QCOMPARE(version(), editedVersion);
        undoKey(false); // the move to art
        QTRY_VERIFY(!segmentFacets(0, &labelledBy).startsWith(u"art"_s));
        QCOMPARE(labelledBy, 0);
        undoKey(false); // the edit
        QTRY_COMPARE(caption(), kCaption);
        QTRY_VERIFY(detailShowsVersion(version()));
        QTRY_VERIFY(tree()->topLevelItemCount() >= 5);

        undoKey(true); // redo the edit
        QTRY_COMPARE(caption(), edited);
        undoKey(true); // redo the move
        QTRY_VERIFY(segmentFacets(0, &labelledBy).startsWith(u"art"_s));
        QCOMPARE(labelledBy, 1);
    }

    // W on a sentence row: the panel under the list explains the classifier's facets with the
    // cues that fired, keeps the focus in the tree, and hides again with W or Esc.
    void whyThisFacet()
    {
        QVERIFY(m_explainDir.isValid());
        const QString path = oneRecordProject(m_explainDir, u"why"_s, u"cup"_s, kSpatialCaption);
        QVERIFY(!path.isEmpty());
        QString error;
        QVERIFY2(m_window->openProject(path, &error), qPrintable(error));
        QVERIFY(showFirstItem(u"cup"_s));

        // What the panel must show, from the core (the project has no cues of its own).
        const Classification c = explain(kSpatialSentence);
        QCOMPARE(c.facets, QStringList({u"spatial"_s, u"attributes"_s})); // "red": attributes' yes/no head
        const FacetScore* attributes = c.score(u"attributes");
        QVERIFY(attributes && attributes->carries >= attributes->carriesThreshold
                && !attributes->carriesCues.isEmpty());
        const FacetScore* spatial = c.score(u"spatial");
        QVERIFY(spatial && !spatial->cues.isEmpty() && spatial->cues.first().weight > 0);
        const CueContribution top = spatial->cues.first();
        QVERIFY2(kSpatialSentence.contains(top.text, Qt::CaseInsensitive), qPrintable(top.text));

        QPlainTextEdit* panel = sections()->explanationView();
        QVERIFY(!panel->isVisible());
        QVERIFY(!panel->accessibleName().isEmpty());
        QVERIFY(selectSegment(0));
        tree()->setFocus();
        QTest::keyClick(tree(), Qt::Key_W);
        QTRY_VERIFY(panel->isVisible());
        QTRY_VERIFY2(panel->toPlainText().startsWith(u"The classifier says: Spatial"_s),
                     qPrintable(panel->toPlainText()));
        // The panel takes height from the list; the sentence it explains stays whole in view.
        QTRY_VERIFY(tree()->viewport()->rect().contains(tree()->visualItemRect(tree()->currentItem())));
        const QString text = panel->toPlainText();
        QVERIFY2(text.contains(u"\nSpatial — "_s), qPrintable(text));
        // The secondary facet is explained by its yes/no head, with the threshold it reached.
        QVERIFY2(text.contains(u"\nAttributes — carried with "_s + percent(attributes->carries) + u", needs "_s
                               + percent(attributes->carriesThreshold)),
                 qPrintable(text));
        QVERIFY2(text.contains(signedWeight(attributes->carriesCues.first().weight) + u"  "_s
                               + attributes->carriesCues.first().label),
                 qPrintable(text));
        // The strongest cue, with its signed weight, and the part of the sentence it matched.
        QVERIFY2(text.contains(signedWeight(top.weight) + u"  "_s + top.label), qPrintable(text));
        QVERIFY2(text.contains(top.text, Qt::CaseInsensitive), qPrintable(text));
        QVERIFY(!text.contains(u"Labelled by a reviewer"_s));
        QCOMPARE(QApplication::focusWidget(), tree());

        QTest::keyClick(tree(), Qt::Key_W);
        QVERIFY(!panel->isVisible());
        QTest::keyClick(tree(), Qt::Key_W);
        QVERIFY(panel->isVisible());
        QTest::keyClick(tree(), Qt::Key_Escape);
        QVERIFY(!panel->isVisible());

        // The row's context menu has the same entry.
        bool chosen = false;
        QTimer::singleShot(0, this, [&chosen] {
            auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
            if (!menu)
                return;
            for (QAction* a : menu->actions()) {
                if (a->text() == u"Why this facet?"_s && a->shortcut() == QKeySequence(Qt::Key_W)) {
                    chosen = true;
                    a->trigger();
                }
            }
            menu->close();
        });
        Q_EMIT tree()->customContextMenuRequested(tree()->visualItemRect(tree()->currentItem()).center());
        QVERIFY(chosen);
        QTRY_VERIFY(panel->isVisible());
        QVERIFY(panel->toPlainText().startsWith(u"The classifier says: Spatial"_s));
    }

    // A reviewer moves the sentence to Art: the open panel follows it and says who labelled it and
    // what the classifier says, with the cues of both facets.
    void whyAfterReviewerMove()
    {
        QPlainTextEdit* panel = sections()->explanationView();
        QVERIFY(panel->isVisible());
        QCOMPARE(sections()->currentSegment(), 0);
        QVERIFY(pressMoveAndChoose(u"Art"_s));
        // The row moved is the sentence's first one in the list; its other facets stay secondary.
        QTRY_VERIFY2(panel->toPlainText().startsWith(u"Labelled by a reviewer as Art"_s),
                     qPrintable(panel->toPlainText()));
        QVERIFY2(panel->toPlainText().section(u'\n', 0, 0).contains(u"; the classifier says: Spatial"_s),
                 qPrintable(panel->toPlainText()));
        QVERIFY(panel->isVisible());
        QCOMPARE(sections()->currentSegment(), 0);
        QCOMPARE(tree()->currentItem()->data(0, Qt::UserRole + 2).toString(), u"art"_s);
        const QString text = panel->toPlainText();
        QVERIFY2(text.contains(u"\nSpatial — "_s) && text.contains(u"\nArt — "_s), qPrintable(text));
    }

    // A cue whose matched text carries its own quotation marks (the quoted-text pattern) is shown
    // as written, not wrapped in a second pair.
    void whyShowsQuotedTextOnce()
    {
        const QString path = oneRecordProject(m_explainDir, u"quoted"_s, u"sign"_s,
                                              u"A wooden sign by the door reads \"OPEN\"."_s);
        QVERIFY(!path.isEmpty());
        QString error;
        QVERIFY2(m_window->openProject(path, &error), qPrintable(error));
        QVERIFY(showFirstItem(u"sign"_s));
        // A record nobody has touched says so in its History tab instead of showing an empty table.
        auto* history = m_window->findChild<QTreeWidget*>(u"historyView"_s);
        QVERIFY(history);
        QCOMPARE(history->topLevelItemCount(), 1);
        QCOMPARE(history->topLevelItem(0)->text(1), u"No review actions on this record yet"_s);
        QVERIFY(selectSegment(0));
        QPlainTextEdit* panel = sections()->explanationView();
        if (!panel->isVisible()) {
            tree()->setFocus();
            QTest::keyClick(tree(), Qt::Key_W);
        }
        QTRY_VERIFY(panel->isVisible() && panel->toPlainText().contains(u"\"OPEN\""_s));
        const QString text = panel->toPlainText();
        QVERIFY2(!text.contains(u"“\"OPEN\"”"_s), qPrintable(text));
    }

    // The explanation panel takes height from the list: the sentence it explains stays whole in
    // view when the panel opens or the user gives it more room.
    void whyKeepsTheSentenceInView()
    {
        QString caption;
        for (int k = 1; k <= 12; ++k)
            caption += u"Wooden table number %1 stands in the lower left corner of the frame. "_s.arg(k);
        const QString path = oneRecordProject(m_explainDir, u"tables"_s, u"tables"_s, caption.trimmed());
        QVERIFY(!path.isEmpty());
        QString error;
        QVERIFY2(m_window->openProject(path, &error), qPrintable(error));
        QVERIFY(showFirstItem(u"tables"_s));
        // A tall window, so that the list has room to give.
        const QSize windowSize = m_window->size();
        m_window->resize(windowSize.width(), 1500);
        const auto restore = qScopeGuard([&] { m_window->resize(windowSize); });
        QPlainTextEdit* panel = sections()->explanationView();
        QVERIFY(selectSegment(11));
        QTreeWidgetItem* row = tree()->currentItem();
        if (!panel->isVisible()) {
            tree()->setFocus();
            QTest::keyClick(tree(), Qt::Key_W);
        }
        QTRY_VERIFY(panel->isVisible());
        // (Qt's scrollTo() may leave a row's last pixel line below the list's end.)
        const auto rowInView = [&] {
            return tree()->viewport()->rect().adjusted(0, 0, 0, 1).contains(tree()->visualItemRect(row));
        };
        // The list gets three quarters of the room, the row sits in its middle; then the splitter
        // gives the list a quarter: without scrolling, the row would be below its end.
        auto* split = sections()->findChild<QSplitter*>();
        QVERIFY(split);
        QCOMPARE(split->sizes().size(), qsizetype(2));
        const int total = split->sizes()[0] + split->sizes()[1];
        split->setSizes({total - total / 4, total / 4});
        QTest::qWait(50);
        tree()->scrollToItem(row, QAbstractItemView::PositionAtCenter);
        QTRY_VERIFY(rowInView());
        const int before = tree()->viewport()->height();
        split->setSizes({total / 4, total - total / 4});
        QTRY_VERIFY(tree()->viewport()->height() < before / 2);
        QTRY_VERIFY2(rowInView(), qPrintable(u"row at %1..%2, list %3 high"_s.arg(tree()->visualItemRect(row).top())
                                                 .arg(tree()->visualItemRect(row).bottom())
                                                 .arg(tree()->viewport()->height())));
    }

    // File > Recompute Facets: stored facets were computed when the caption was imported; after the
    // model changes (here: the project's own cues, set outside the window, as an update of the
    // built-in model would) the action brings them up to date, in a job with a progress dialog.
    void recomputeFacetsFollowsTheModel()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = oneRecordProject(dir, u"recompute"_s, u"sign"_s,
                                              u"A wooden sign by the door reads \"OPEN\"."_s);
        QVERIFY(!path.isEmpty());
        FacetModel::setProjectCues(
            Project::open(path, Project::OpenMode::Existing)->db(),
            "{\"facets\": [{\"key\": \"text\", \"name\": \"Text in the image\"}], "
            "\"patterns\": {\"quoted\": {\"text\": 10}}, \"cues\": {\"text\": {\"6\": [\"reads\"]}}}");
        QString error;
        QVERIFY2(m_window->openProject(path, &error), qPrintable(error));
        QVERIFY(showFirstItem(u"sign"_s));
        const auto storedFacets = [this] {
            const ItemDetail* d = m_window->detailPanel()->detail();
            return d && d->segments.size() == 1 ? d->segments.first().facets : QStringList();
        };
        QVERIFY(!storedFacets().isEmpty());
        QVERIFY2(!storedFacets().contains(u"text"_s), qPrintable(storedFacets().join(u',')));
        // The window says the stored facets are out of date and offers the recompute.
        auto* banner = m_window->findChild<QFrame*>(u"facetsBanner"_s);
        QVERIFY(banner);
        QTRY_VERIFY(banner->isVisible());

        auto* action = m_window->findChild<QAction*>(u"actionRecomputeFacets"_s);
        QVERIFY(action && action->isEnabled());
        auto* recompute = banner->findChild<QPushButton*>(u"facetsBannerRecompute"_s);
        QVERIFY(recompute);
        recompute->click();
        QTRY_COMPARE(storedFacets().value(0), u"text"_s);
        QTRY_VERIFY(!banner->isVisible()); // the project now records the model that computed them
        // The job's dialog reports what it did and stays until closed.
        QDialog* dialog = nullptr;
        QTRY_VERIFY([&] {
            for (QDialog* d : m_window->findChildren<QDialog*>()) {
                if (d->isVisible() && d->windowTitle() == u"Recomputing facets"_s)
                    dialog = d;
            }
            return dialog != nullptr;
        }());
        QTRY_VERIFY([&] {
            const QList<QLabel*> labels = dialog->findChildren<QLabel*>();
            return std::any_of(labels.cbegin(), labels.cend(), [](const QLabel* l) {
                // (These tests load no English catalogue: "version(s)" stays as written.)
                return l->text().startsWith(u"Recomputed the facets of 1 caption version"_s);
            });
        }());
        dialog->close();
        QTRY_VERIFY(!dialog->isVisible());
        // Back to the suite's project, which has no facet of its own and whose facets are current.
        QVERIFY2(m_window->openProject(m_path, &error), qPrintable(error));
        QTRY_VERIFY(!FacetColors::keys().contains(u"text"_s));
        QVERIFY(!banner->isVisible());

        // Changed again behind the window's back: the notice comes back, and "Not Now" puts it away
        // until the project is opened again.
        FacetModel::setProjectCues(Project::open(path, Project::OpenMode::Existing)->db(), {});
        QVERIFY2(m_window->openProject(path, &error), qPrintable(error));
        QTRY_VERIFY(banner->isVisible());
        banner->findChild<QPushButton*>(u"facetsBannerDismiss"_s)->click();
        QVERIFY(!banner->isVisible());
        QVERIFY2(m_window->openProject(m_path, &error), qPrintable(error));
        QVERIFY2(m_window->openProject(path, &error), qPrintable(error));
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(m_window->openProject(m_path, &error), qPrintable(error));
        QTRY_VERIFY(!banner->isVisible());
    }

    // A project with a facet of its own (docs/facets.md): the window shows it with its declared name
    // and colour in the legend, the sections and the "Move to" menu, and forgets it with the project.
    void projectFacetsAreShown()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = oneRecordProject(
            dir, u"own"_s, u"sign"_s, u"A wooden sign reads \"OPEN\" in red letters. A cat sleeps on the step."_s,
            "{\"facets\": [{\"key\": \"text\", \"name\": \"Text in the image\", \"color\": \"#1f3a93\"}], "
            "\"patterns\": {\"quoted\": {\"text\": 10}}, \"cues\": {\"text\": {\"6\": [\"reads\"]}}}");
        QVERIFY(!path.isEmpty());
        auto legendHas = [this](const QString& text) {
            const QList<QLabel*> labels = m_window->detailPanel()->findChildren<QLabel*>();
            return std::any_of(labels.cbegin(), labels.cend(), [&](const QLabel* l) { return l->text() == text; });
        };
        QVERIFY(!legendHas(u"Text in the image"_s));

        QString error;
        QVERIFY2(m_window->openProject(path, &error), qPrintable(error));
        QTRY_VERIFY(FacetColors::keys().contains(u"text"_s));
        QCOMPARE(FacetColors::color(u"text"_s), QColor(u"#1f3a93"_s));
        QCOMPARE(FacetColors::label(u"text"_s), u"Text in the image"_s);
        QVERIFY(legendHas(u"Text in the image"_s));
        QVERIFY(showFirstItem(u"sign"_s));
        QTreeWidgetItem* section = nullptr;
        for (int t = 0; t < tree()->topLevelItemCount(); ++t) {
            if (tree()->topLevelItem(t)->text(0) == u"Text in the image (1)"_s)
                section = tree()->topLevelItem(t);
        }
        QVERIFY(section);
        QCOMPARE(section->childCount(), 1);
        QVERIFY(section->child(0)->text(0).contains(u"OPEN"_s));

        // The second sentence can be moved to the project's facet.
        QVERIFY(selectSegment(1));
        QVERIFY(pressMoveAndChoose(u"Text in the image"_s, false));

        // Another process (`facet facets P --cues FILE`) renames the facet while the window is open:
        // the window follows without a reopen.
        {
            auto other = Project::open(path);
            FacetModel::setProjectCues(other->db(), "{\"facets\": [{\"key\": \"text\", \"name\": \"Lettering\"}], "
                                                    "\"cues\": {\"text\": {\"6\": [\"reads\"]}}}");
        }
        QTRY_COMPARE(FacetColors::label(u"text"_s), u"Lettering"_s);
        QVERIFY(legendHas(u"Lettering"_s));

        QVERIFY2(m_window->openProject(m_path, &error), qPrintable(error));
        QTRY_VERIFY(!FacetColors::keys().contains(u"text"_s));
        QCOMPARE(FacetColors::keys().size(), qsizetype(5));
        QVERIFY(!legendHas(u"Text in the image"_s));
    }
};

QTEST_MAIN(TestGuiFacets)
#include "test_gui_facets.moc"
