// The review window, driven like a user drives it: a real project imported from generated
// ShareGPT4V files with real images, the real MainWindow, keys sent to the grid, and every action
// checked in the project file through a second connection (what the CLI would see).
#include "testutil.h"

#include "curation.h"
#include "detailpanel.h"
#include "exportdialog.h"
#include "gridmodel.h"
#include "gridview.h"
#include "importdialog.h"
#include "importer.h"
#include "issuespanel.h"
#include "itemstore.h"
#include "jobdialog.h"
#include "mainwindow.h"
#include "project.h"
#include "reasondialog.h"
#include "searchbar.h"
#include "shortcutsheet.h"
#include "sourcespanel.h"
#include "statuscolors.h"
#include "thumbnailloader.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFrame>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTextBlock>
#include <QToolButton>
#include <QTranslator>
#include <QTreeWidget>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

using namespace facet;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kSourceA = 200; // records in a.json
constexpr int kSourceB = 100; // records in b.json
constexpr int kImages = 12;

QString extId(int n)
{
    return u"rec%1"_s.arg(n, 3, 10, QLatin1Char('0'));
}

QString captionFor(int n)
{
    if (n == 0)
        return u"<b>bold</b> is shown as typed. A tabby cat sits on the left of a wooden table."_s;
    return u"Record %1 shows a %2 standing in a green field. The sky above it is blue."_s.arg(n).arg(
        n % 3 == 0 ? u"zebra"_s : u"horse"_s);
}

QByteArray jsonString(const QString& s)
{
    QByteArray out = "\"";
    for (QChar c : s) {
        if (c == u'"' || c == u'\\')
            out += '\\';
        out += QString(c).toUtf8();
    }
    return out + "\"";
}

QByteArray record(const QString& id, const QString& image, const QString& caption)
{
    return "{\"id\": " + jsonString(id) + ", \"image\": " + jsonString(image)
           + ", \"conversations\": [{\"from\": \"human\", \"value\": \"<image>\\nDescribe the image in detail.\"}, "
             "{\"from\": \"gpt\", \"value\": "
           + jsonString(caption) + "}]}";
}

QByteArray array(const QList<QByteArray>& records)
{
    QByteArray out = "[\n";
    for (qsizetype k = 0; k < records.size(); ++k)
        out += "  " + records[k] + (k + 1 < records.size() ? ",\n" : "\n");
    return out + "]\n";
}

/** A gradient with a distinct hue per image, so thumbnails and the screenshot have real content. */
void writeImage(const QString& path, int n)
{
    QImage img(320 + 16 * n, 240, QImage::Format_RGB32);
    QPainter p(&img);
    QLinearGradient g(0, 0, img.width(), img.height());
    g.setColorAt(0, QColor::fromHsv((n * 30) % 360, 200, 230));
    g.setColorAt(1, QColor::fromHsv((n * 30 + 120) % 360, 160, 90));
    p.fillRect(img.rect(), g);
    p.setBrush(Qt::white);
    p.drawEllipse(QPoint(img.width() / 3, img.height() / 2), 40, 40);
    p.end();
    QVERIFY(img.save(path));
}

} // namespace

class TestGui final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void opensWithGridLoadedAndFocused();
    void thumbnailsAndPreviewAreDecoded();
    void acceptMovesToNextItem();
    void rejectAsksForAReason();
    void unreviewGoesBackToPending();
    void navigationKeys();
    void multiSelectionAcceptsAll();
    void undoAndRedoGoThroughTheJournal();
    void editSavesAHumanVersion();
    void escapeCancelsTheEdit();
    void captionIsShownAsPlainText();
    void searchFiltersTheGrid();
    void badQueryShowsInlineError();
    void clearButtonShowsEverything();
    void sourcesPanelFiltersBySource();
    void bulkReviewIsConfirmedAndOneUndoStep();
    void picksUpChangesFromOtherProcesses();
    void shortcutSheetOpens();
    void importDialogImportsAndListsIssues();
    void exportDialogWritesTheFile();
    void screenshotIsNotBlank();
    void verifyFindsBrokenImages();
    void readOnlyProjectShowsBannerAndRefusesEdits();
    void settingsAreRemembered();
    void chineseCatalogueTranslatesTheWindow();

private:
    GridView* grid() const { return m_window->grid(); }
    GridModel* model() const { return m_window->gridModel(); }
    int currentRow() const { return grid()->currentIndex().row(); }
    void goToRow(int row);
    void backToWindow();
    /** The visible dialog of type T (a closed one may still await deletion). */
    template <typename T> T* visibleChild(const QString& name = {}) const
    {
        for (T* child : m_window->findChildren<T*>(name))
            if (child->isVisible())
                return child;
        return nullptr;
    }
    void applyFilter(const QString& text);
    ItemId idOf(const QString& ext);
    std::optional<ItemDetail> detailOf(const QString& ext);
    Status statusOf(const QString& ext);
    qint64 acceptedInSource(const QString& source);

    QTemporaryDir m_dir;
    QString m_projectPath;
    std::unique_ptr<Project> m_check; ///< a second connection, as another process would have
    std::unique_ptr<MainWindow> m_window;
};

void TestGui::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Settings and caches go to the temporary folder, never to the user's.
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
    QCoreApplication::setOrganizationName(u"FacetStudio"_s);
    QCoreApplication::setApplicationName(u"Facet Studio"_s);
    QSettings().clear();

    QDir().mkpath(m_dir.filePath(u"images"_s));
    for (int n = 0; n < kImages; ++n)
        writeImage(m_dir.filePath(u"images/img%1.png"_s.arg(n)), n);
    QList<QByteArray> a, b;
    for (int n = 0; n < kSourceA + kSourceB; ++n) {
        const QByteArray r = record(extId(n), u"images/img%1.png"_s.arg(n % kImages), captionFor(n));
        (n < kSourceA ? a : b).append(r);
    }
    const QString fileA = test::writeFile(m_dir, u"a.json"_s, array(a));
    const QString fileB = test::writeFile(m_dir, u"b.json"_s, array(b));

    m_projectPath = m_dir.filePath(u"gui.facet"_s);
    {
        auto project = Project::open(m_projectPath, Project::OpenMode::CreateIfMissing);
        const ImportReport report = Importer(*project).run({fileA, fileB}, ImportOptions{});
        QCOMPARE(report.imported, kSourceA + kSourceB);
        QCOMPARE(report.skipped, 0);
        QCOMPARE(report.missingImages, 0);
    }
    m_check = Project::open(m_projectPath);

    m_window = std::make_unique<MainWindow>(m_dir.filePath(u"thumbs"_s));
    m_window->setPollInterval(200);
    // Every reset, page arrival and status change below is checked for model consistency.
    new QAbstractItemModelTester(m_window->gridModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 m_window.get());
    QString error;
    QVERIFY2(m_window->openProject(m_projectPath, &error), qPrintable(error));
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestGui::cleanupTestCase()
{
    m_window.reset();
    m_check.reset();
}

void TestGui::goToRow(int row)
{
    grid()->selectionModel()->setCurrentIndex(model()->index(row), QItemSelectionModel::ClearAndSelect);
    QCOMPARE(currentRow(), row);
}

void TestGui::backToWindow()
{
    // The offscreen platform does not hand activation back to the main window when a dialog
    // closes, as a window manager does; window shortcuts only fire in the active window.
    // The deactivation that follows a dialog's closing arrives asynchronously; let it land first.
    QTest::qWait(50);
    m_window->activateWindow();
    QTRY_COMPARE(QApplication::activeWindow(), m_window.get());
}

void TestGui::applyFilter(const QString& text)
{
    QTest::keyClick(grid(), Qt::Key_F, Qt::ControlModifier);
    QLineEdit* edit = m_window->searchBar()->edit();
    QTRY_VERIFY(edit->hasFocus());
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_VERIFY(m_window->isQueryLoaded());
    QCOMPARE(m_window->currentFilter(), text);
}

ItemId TestGui::idOf(const QString& ext)
{
    const std::optional<ItemId> id = ItemStore(*m_check).findByExtId(ext);
    return id ? *id : 0;
}

std::optional<ItemDetail> TestGui::detailOf(const QString& ext)
{
    return ItemStore(*m_check).detail(idOf(ext));
}

Status statusFromDetail(const std::optional<ItemDetail>& d)
{
    return d ? d->summary.status : Status::Pending;
}

Status TestGui::statusOf(const QString& ext)
{
    return statusFromDetail(detailOf(ext));
}

qint64 TestGui::acceptedInSource(const QString& source)
{
    for (const SourceCounts& s : ItemStore(*m_check).sources())
        if (s.name == source)
            return s.accepted;
    return -1;
}

void TestGui::opensWithGridLoadedAndFocused()
{
    QCOMPARE(m_window->windowTitle(), u"Facet Studio — gui"_s);
    QTRY_VERIFY(m_window->isQueryLoaded());
    QCOMPARE(model()->rowCount(), kSourceA + kSourceB);
    // The first page arrives from the worker; later pages are not loaded until scrolled to.
    QTRY_VERIFY(model()->summaryAt(0) != nullptr);
    QCOMPARE(model()->summaryAt(0)->extId, extId(0));
    QTRY_VERIFY(grid()->hasFocus());
    QCOMPARE(currentRow(), 0);
    // The sources panel lists "All items" and both files with their counts.
    QListWidget* sources = m_window->sourcesPanel()->list();
    QTRY_COMPARE(sources->count(), 3);
    QCOMPARE(sources->item(1)->data(Qt::UserRole).toString(), u"a"_s);
    QVERIFY(!m_window->findChild<QFrame*>(u"readOnlyBanner"_s)->isVisible());
    QTRY_VERIFY(m_window->findChild<QLabel*>(u"count_pending"_s)->text().contains(u"300"_s));
}

void TestGui::thumbnailsAndPreviewAreDecoded()
{
    const ItemSummary* s = model()->summaryAt(0);
    QVERIFY(s);
    const int side = static_cast<int>(std::lround(grid()->thumbnailSide() * grid()->devicePixelRatioF()));
    const QString key = ThumbnailLoader::key(s->location, side);
    QTRY_VERIFY(!m_window->thumbnailLoader()->thumbnail(key).isNull());
    const QPixmap thumb = m_window->thumbnailLoader()->thumbnail(key);
    QVERIFY(std::max(thumb.width(), thumb.height()) <= side);
    // The detail panel shows the current item.
    QTRY_VERIFY(m_window->detailPanel()->hasDetail());
    QCOMPARE(m_window->detailPanel()->detail()->summary.extId, extId(0));
}

void TestGui::acceptMovesToNextItem()
{
    goToRow(0);
    QCOMPARE(statusOf(extId(0)), Status::Pending);
    QTest::keyClick(grid(), Qt::Key_A);
    QTRY_COMPARE(statusOf(extId(0)), Status::Accepted);
    QCOMPARE(detailOf(extId(0))->reviewer, Curation::defaultReviewer());
    QCOMPARE(currentRow(), 1);
    QCOMPARE(model()->idAt(currentRow()), idOf(extId(1)));
    QCOMPARE(statusOf(extId(1)), Status::Pending);
    // The grid shows the new status without a reload of everything.
    QTRY_COMPARE(model()->summaryAt(0)->status, Status::Accepted);
}

void TestGui::rejectAsksForAReason()
{
    QCOMPARE(currentRow(), 1);
    QTest::keyClick(grid(), Qt::Key_R);
    QPointer<ReasonDialog> dialog;
    QTRY_VERIFY((dialog = visibleChild<ReasonDialog>()) != nullptr);
    QVERIFY(!dialog->reasonEdit()->text().size());
    QTest::keyClicks(dialog->reasonEdit(), u"blurry image"_s);
    QTest::keyClick(dialog->reasonEdit(), Qt::Key_Return);
    QTRY_VERIFY(!dialog || !dialog->isVisible());
    backToWindow();
    QTRY_COMPARE(statusOf(extId(1)), Status::Rejected);
    QCOMPARE(detailOf(extId(1))->reason, u"blurry image"_s);
    QCOMPARE(currentRow(), 2);

    // Esc in the dialog rejects nothing.
    QTest::keyClick(grid(), Qt::Key_R);
    QTRY_VERIFY((dialog = visibleChild<ReasonDialog>()) != nullptr);
    QTest::keyClick(dialog->reasonEdit(), Qt::Key_Escape);
    QTRY_VERIFY(!dialog || !dialog->isVisible());
    backToWindow();
    QTest::qWait(300);
    QCOMPARE(statusOf(extId(2)), Status::Pending);
    QCOMPARE(currentRow(), 2);
}

void TestGui::unreviewGoesBackToPending()
{
    QTest::keyClick(grid(), Qt::Key_K);
    QCOMPARE(currentRow(), 1);
    QTest::keyClick(grid(), Qt::Key_U);
    QTRY_COMPARE(statusOf(extId(1)), Status::Pending);
    QCOMPARE(currentRow(), 1); // U does not move on
    // The detail panel follows: it now says Pending.
    QTRY_VERIFY(m_window->detailPanel()->detail()
                && m_window->detailPanel()->detail()->summary.status == Status::Pending);
}

void TestGui::navigationKeys()
{
    goToRow(5);
    QTest::keyClick(grid(), Qt::Key_J);
    QCOMPARE(currentRow(), 6);
    QTest::keyClick(grid(), Qt::Key_Right);
    QCOMPARE(currentRow(), 7);
    QTest::keyClick(grid(), Qt::Key_Space);
    QCOMPARE(currentRow(), 8);
    QTest::keyClick(grid(), Qt::Key_K);
    QCOMPARE(currentRow(), 7);
    QTest::keyClick(grid(), Qt::Key_Left);
    QCOMPARE(currentRow(), 6);
    // Moving selects the item and loads its detail.
    QCOMPARE(grid()->selectionModel()->selectedIndexes().size(), 1);
    QTRY_VERIFY(m_window->detailPanel()->detail() && m_window->detailPanel()->detail()->summary.extId == extId(6));
    goToRow(0);
    QTest::keyClick(grid(), Qt::Key_K);
    QCOMPARE(currentRow(), 0); // stays at the start
}

void TestGui::multiSelectionAcceptsAll()
{
    goToRow(10);
    for (int k = 0; k < 3; ++k)
        QTest::keyClick(grid(), Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(m_window->selectedItems().size(), 4);
    QTRY_VERIFY(m_window->findChild<QLabel*>(u"itemsLabel"_s)->text().contains(u"4 selected"_s));
    QTest::keyClick(grid(), Qt::Key_A);
    for (int n = 10; n <= 13; ++n)
        QTRY_COMPARE(statusOf(extId(n)), Status::Accepted);
    QCOMPARE(statusOf(extId(14)), Status::Pending);
    QCOMPARE(currentRow(), 14); // after the last selected item

    // Ctrl+Right moves the current item but leaves the selection behind: A then applies to the
    // item on screen, not to the selection.
    QTest::keyClick(grid(), Qt::Key_Right, Qt::ControlModifier);
    QCOMPARE(currentRow(), 15);
    QVERIFY(grid()->selectionModel()->isSelected(model()->index(14)));
    QCOMPARE(m_window->selectedItems(), QList<ItemId>{idOf(extId(15))});
    QTest::keyClick(grid(), Qt::Key_A);
    QTRY_COMPARE(statusOf(extId(15)), Status::Accepted);
    QCOMPARE(statusOf(extId(14)), Status::Pending);
    QCOMPARE(currentRow(), 16);
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(statusOf(extId(15)), Status::Pending);
    QTRY_COMPARE(currentRow(), 15);
}

void TestGui::undoAndRedoGoThroughTheJournal()
{
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    for (int n = 10; n <= 13; ++n)
        QTRY_COMPARE(statusOf(extId(n)), Status::Pending);
    QCOMPARE(statusOf(extId(0)), Status::Accepted); // only the last action was undone
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    for (int n = 10; n <= 13; ++n)
        QTRY_COMPARE(statusOf(extId(n)), Status::Accepted);
    // The grid shows the redone state.
    QTRY_COMPARE(model()->summaryAt(12)->status, Status::Accepted);

    // Undoing one item's review brings it back as the current item.
    goToRow(20);
    QTest::keyClick(grid(), Qt::Key_A);
    QTRY_COMPARE(statusOf(extId(20)), Status::Accepted);
    QCOMPARE(currentRow(), 21);
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(statusOf(extId(20)), Status::Pending);
    QTRY_COMPARE(currentRow(), 20);
}

void TestGui::editSavesAHumanVersion()
{
    goToRow(30);
    DetailPanel* detail = m_window->detailPanel();
    QTRY_VERIFY(detail->detail() && detail->detail()->summary.extId == extId(30));
    QCOMPARE(detailOf(extId(30))->versions.size(), 1);
    QPlainTextEdit* caption = detail->captionView();
    QVERIFY(caption->isReadOnly());

    QTest::keyClick(grid(), Qt::Key_E);
    QVERIFY(detail->isEditing());
    QVERIFY(!caption->isReadOnly());
    QTRY_VERIFY(caption->hasFocus());
    caption->selectAll();
    // Letters that are shortcuts in the grid (A, R, J, K, E, U) are typed, not acted on.
    QTest::keyClicks(caption, u"A jerky kite, quite red."_s);
    QCOMPARE(statusOf(extId(30)), Status::Pending);
    QTest::keyClick(caption, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(!detail->isEditing());
    QVERIFY(caption->isReadOnly());

    QTRY_COMPARE(detailOf(extId(30))->versions.size(), 2);
    const ItemDetail d = *detailOf(extId(30));
    QCOMPARE(d.caption, u"A jerky kite, quite red."_s);
    QCOMPARE(d.versions.last().origin, Origin::Human);
    QCOMPARE(d.versions.first().text, captionFor(30)); // the imported version is kept
    QTRY_VERIFY(grid()->hasFocus());
    QCOMPARE(currentRow(), 30);
    // The versions list shows both, the human edit current.
    QTRY_COMPARE(detail->versionsView()->topLevelItemCount(), 2);
}

void TestGui::escapeCancelsTheEdit()
{
    DetailPanel* detail = m_window->detailPanel();
    QPlainTextEdit* caption = detail->captionView();
    QTRY_VERIFY(detail->detail() && detail->detail()->versions.size() == 2);
    QTest::keyClick(grid(), Qt::Key_E);
    QVERIFY(detail->isEditing());
    QTest::keyClicks(caption, u" zzz"_s);
    QTest::keyClick(caption, Qt::Key_Escape);
    QVERIFY(!detail->isEditing());
    QCOMPARE(caption->toPlainText(), u"A jerky kite, quite red."_s);
    QTRY_VERIFY(grid()->hasFocus());
    QTest::qWait(400);
    QCOMPARE(detailOf(extId(30))->versions.size(), 2);

    // Saving unchanged text adds no version either.
    QTest::keyClick(grid(), Qt::Key_E);
    QTest::keyClick(caption, Qt::Key_Return, Qt::ControlModifier);
    QTest::qWait(400);
    QCOMPARE(detailOf(extId(30))->versions.size(), 2);
}

void TestGui::captionIsShownAsPlainText()
{
    goToRow(0);
    DetailPanel* detail = m_window->detailPanel();
    QPlainTextEdit* caption = detail->captionView();
    QTRY_COMPARE(caption->toPlainText(), captionFor(0));
    QVERIFY(caption->toPlainText().startsWith(u"<b>bold</b>"_s));
    // No character is bold: the markup was not interpreted.
    const QTextBlock block = caption->document()->firstBlock();
    for (auto it = block.begin(); !it.atEnd(); ++it)
        QVERIFY(it.fragment().charFormat().fontWeight() <= QFont::Normal);
    // Tooltips have no plain mode, so the grid's escapes the caption: it shows the tags as typed.
    const QString tip = model()->data(model()->index(0), Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"&lt;b&gt;bold&lt;/b&gt;"_s), qPrintable(tip));
    QVERIFY(!tip.contains(u"<b>"_s));
}

void TestGui::searchFiltersTheGrid()
{
    const int all = model()->rowCount();
    // Every third caption mentions a zebra, except rec000 and rec030 (edited above).
    const int zebras = (kSourceA + kSourceB) / 3 - 2;
    applyFilter(u"zebra"_s);
    QTRY_COMPARE(model()->rowCount(), zebras);
    QVERIFY(zebras < all);
    QTRY_VERIFY(grid()->hasFocus());
    QTRY_VERIFY(model()->summaryAt(0));
    QVERIFY(model()->summaryAt(0)->captionHead.contains(u"zebra"_s));
    QTRY_VERIFY(m_window->findChild<QLabel*>(u"itemsLabel"_s)->text().contains(QString::number(zebras)));

    applyFilter(u"zebra status:accepted"_s);
    // rec000 is not a zebra; of the accepted 10..13 only 12 is.
    QTRY_COMPARE(model()->rowCount(), 1);
    QCOMPARE(model()->idAt(0), idOf(extId(12)));

    applyFilter(QString());
    QTRY_COMPARE(model()->rowCount(), all);
}

void TestGui::badQueryShowsInlineError()
{
    const int before = model()->rowCount();
    SearchBar* bar = m_window->searchBar();
    QTest::keyClick(grid(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(bar->edit()->hasFocus());
    bar->edit()->selectAll();
    QTest::keyClicks(bar->edit(), u"status:maybe"_s);
    QTest::keyClick(bar->edit(), Qt::Key_Return);
    QVERIFY(bar->hasError());
    auto* error = m_window->findChild<QLabel*>(u"searchError"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"status"_s), qPrintable(error->text()));
    // The grid keeps what it showed, and the message says so.
    QVERIFY2(error->text().contains(u"Still showing everything."_s), qPrintable(error->text()));
    QCOMPARE(error->palette().color(QPalette::WindowText), StatusColors::color(Status::Rejected));
    QVERIFY(QApplication::activeModalWidget() == nullptr); // inline, not a message box
    QCOMPARE(model()->rowCount(), before);
    QCOMPARE(m_window->currentFilter(), QString());
    // Esc puts back the filter in effect and returns to the grid.
    QTest::keyClick(bar->edit(), Qt::Key_Escape);
    QVERIFY(!bar->hasError());
    QTRY_VERIFY(grid()->hasFocus());
}

void TestGui::clearButtonShowsEverything()
{
    const int all = model()->rowCount();
    applyFilter(u"status:accepted"_s);
    QTRY_VERIFY(model()->rowCount() < all);
    // The line edit's own clear button (a tool button for the action Qt names so): the box empties
    // and so does the filter.
    QToolButton* clear = nullptr;
    for (QToolButton* b : m_window->searchBar()->edit()->findChildren<QToolButton*>())
        if (b->defaultAction() && b->defaultAction()->objectName() == u"_q_qlineeditclearaction")
            clear = b;
    QVERIFY(clear);
    clear->click();
    QCOMPARE(m_window->searchBar()->edit()->text(), QString());
    QTRY_COMPARE(m_window->currentFilter(), QString());
    QTRY_COMPARE(model()->rowCount(), all);
}

void TestGui::sourcesPanelFiltersBySource()
{
    QListWidget* list = m_window->sourcesPanel()->list();
    QListWidgetItem* b = nullptr;
    for (int k = 0; k < list->count(); ++k)
        if (list->item(k)->data(Qt::UserRole).toString() == u"b")
            b = list->item(k);
    QVERIFY(b);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(b).center());
    QTRY_COMPARE(m_window->currentFilter(), u"source:b"_s);
    QTRY_VERIFY(m_window->isQueryLoaded());
    QTRY_COMPARE(model()->rowCount(), kSourceB);
    QCOMPARE(m_window->searchBar()->edit()->text(), u"source:b"_s);
}

void TestGui::bulkReviewIsConfirmedAndOneUndoStep()
{
    QCOMPARE(m_window->currentFilter(), u"source:b"_s);
    QCOMPARE(acceptedInSource(u"b"_s), 0);
    m_window->findChild<QAction*>(u"actionAcceptAllMatching"_s)->trigger();
    QPointer<QMessageBox> box;
    QTRY_VERIFY((box = visibleChild<QMessageBox>(u"bulkConfirm"_s)) != nullptr);
    // The count is shown before anything changes.
    QVERIFY2(box->text().contains(u"100"_s), qPrintable(box->text()));
    QCOMPARE(acceptedInSource(u"b"_s), 0);
    auto* apply = box->findChild<QPushButton*>(u"bulkApply"_s);
    QVERIFY(apply);
    apply->click();
    QTRY_COMPARE(acceptedInSource(u"b"_s), kSourceB);
    QTRY_VERIFY(visibleChild<JobDialog>() == nullptr);
    backToWindow();
    QTRY_VERIFY(model()->summaryAt(kSourceB - 1) && model()->summaryAt(0)->status == Status::Accepted);

    // One Ctrl+Z undoes the whole bulk action.
    QTRY_VERIFY(m_window->findChild<QAction*>(u"actionUndo"_s)->isEnabled());
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(acceptedInSource(u"b"_s), 0);
    QTRY_COMPARE(model()->summaryAt(0)->status, Status::Pending);
    applyFilter(QString());
}

void TestGui::picksUpChangesFromOtherProcesses()
{
    QTRY_VERIFY(model()->summaryAt(40));
    QCOMPARE(model()->summaryAt(40)->status, Status::Pending);
    Selection selection;
    selection.extIds = {extId(40)};
    QCOMPARE(Curation(*m_check).setStatus(selection, Status::Rejected, u"cli-user"_s, u"from the CLI"_s), 1);
    QTRY_COMPARE(model()->summaryAt(40)->status, Status::Rejected);
    // ... and the GUI can undo what the CLI did, because the journal is in the project.
    goToRow(41);
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(statusOf(extId(40)), Status::Pending);
    QTRY_COMPARE(currentRow(), 40);
}

void TestGui::shortcutSheetOpens()
{
    QTest::keyClick(grid(), '?');
    QPointer<ShortcutSheet> sheet;
    QTRY_VERIFY((sheet = visibleChild<ShortcutSheet>()) != nullptr);
    QSet<QString> rows;
    for (int k = 0; k < sheet->view()->topLevelItemCount(); ++k)
        rows.insert(sheet->view()->topLevelItem(k)->text(0) + u'=' + sheet->view()->topLevelItem(k)->text(1));
    QVERIFY2(rows.contains(u"Accept=A"_s), qPrintable(QStringList(rows.values()).join(u"; ")));
    QVERIFY(rows.contains(u"Next Item=J, Right, Space"_s));
    QVERIFY(rows.contains(u"Undo=Ctrl+Z"_s));
    // Every key the window's menus show is on the sheet (D and Ctrl+Shift+R were missing once).
    QSet<QString> keys;
    for (int k = 0; k < sheet->view()->topLevelItemCount(); ++k)
        keys.insert(sheet->view()->topLevelItem(k)->text(1));
    for (QAction* a : m_window->findChildren<QAction*>(Qt::FindDirectChildrenOnly)) {
        if (a->shortcuts().isEmpty())
            continue;
        QStringList shown;
        for (const QKeySequence& k : a->shortcuts())
            shown << k.toString(QKeySequence::NativeText);
        QVERIFY2(keys.contains(shown.join(u", "_s)), qPrintable(a->objectName() + u": "_s + shown.join(u", "_s)));
    }
    QVERIFY(keys.contains(u"D"_s));
    QVERIFY(keys.contains(u"Ctrl+Shift+R"_s));
    sheet->accept();
    QTRY_VERIFY(!sheet || !sheet->isVisible());
    backToWindow();
}

void TestGui::importDialogImportsAndListsIssues()
{
    QList<QByteArray> c;
    for (int n = 0; n < 5; ++n)
        c << record(u"new%1"_s.arg(n), u"images/img%1.png"_s.arg(n), u"A new record number %1."_s.arg(n));
    c.insert(2, "{\"id\": \"broken1\", \"image\": \"images/img1.png\", \"conversations\": \"oops\"}");
    const QString fileC = test::writeFile(m_dir, u"c.json"_s, array(c));

    const int before = model()->rowCount();
    m_window->issuesPanel()->clearIssues();
    m_window->findChild<QAction*>(u"actionImport"_s)->trigger();
    QPointer<ImportDialog> dialog;
    QTRY_VERIFY((dialog = visibleChild<ImportDialog>()) != nullptr);
    dialog->setFiles({fileC});
    QVERIFY(dialog->startImport());
    QTRY_VERIFY(!dialog || !dialog->isVisible());
    backToWindow();
    QTRY_COMPARE(model()->rowCount(), before + 5);
    // The skipped record is listed with its file, index and id, in the non-modal Issues panel.
    IssuesPanel* issues = m_window->issuesPanel();
    QTRY_VERIFY(issues->issueCount() >= 1);
    QVERIFY(issues->isVisible());
    QTreeWidgetItem* first = issues->view()->topLevelItem(0);
    QVERIFY2(first->text(1).endsWith(u"c.json"_s), qPrintable(first->text(1)));
    // The third record of the file, counted from 1 as people count.
    QVERIFY2(first->text(2) == u"#3 (broken1)"_s, qPrintable(first->text(2)));
    QVERIFY(!first->text(3).isEmpty());
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    // The new source appears on the left.
    QTRY_COMPARE(m_window->sourcesPanel()->list()->count(), 4);
}

void TestGui::exportDialogWritesTheFile()
{
    qint64 accepted = 0;
    for (const SourceCounts& s : ItemStore(*m_check).sources())
        accepted += s.accepted;
    QVERIFY(accepted > 0);
    const QString out = m_dir.filePath(u"accepted.jsonl"_s);
    m_window->findChild<QAction*>(u"actionExport"_s)->trigger();
    QPointer<ExportDialog> dialog;
    QTRY_VERIFY((dialog = visibleChild<ExportDialog>()) != nullptr);
    dialog->setOutput(out);
    QVERIFY(dialog->startExport());
    QTRY_VERIFY(!dialog || !dialog->isVisible());
    backToWindow();
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), accepted);
    QVERIFY(lines.first().contains("\"rec000\""));
    f.close();

    // The same path again: the earlier export is not replaced without asking.
    QVERIFY(QFile::resize(out, 5));
    m_window->findChild<QAction*>(u"actionExport"_s)->trigger();
    QTRY_VERIFY((dialog = visibleChild<ExportDialog>()) != nullptr);
    dialog->setOutput(out);
    QVERIFY(!dialog->startExport());
    QPointer<QMessageBox> box;
    QTRY_VERIFY((box = dialog->findChild<QMessageBox*>(u"exportReplace"_s)) != nullptr && box->isVisible());
    QCOMPARE(QFileInfo(out).size(), 5); // nothing written yet
    box->findChild<QPushButton*>(u"exportReplaceConfirm"_s)->click();
    QTRY_VERIFY(!dialog || !dialog->isVisible());
    backToWindow();
    QTRY_VERIFY(QFileInfo(out).size() > 5);
}

void TestGui::screenshotIsNotBlank()
{
    goToRow(0);
    grid()->scrollToTop();
    // Wait for the visible thumbnails to be painted from the cache.
    const int side = static_cast<int>(std::lround(grid()->thumbnailSide() * grid()->devicePixelRatioF()));
    for (int row = 0; row < 6; ++row) {
        QTRY_VERIFY(model()->summaryAt(row));
        const QString key = ThumbnailLoader::key(model()->summaryAt(row)->location, side);
        QTRY_VERIFY(!m_window->thumbnailLoader()->thumbnail(key).isNull());
    }
    QTRY_VERIFY(m_window->detailPanel()->hasDetail());
    QTest::qWait(200);
    const QImage shot = m_window->grab().toImage();
    const QString path = m_dir.filePath(u"screenshot.png"_s);
    QVERIFY(shot.save(path));
    QVERIFY(QFileInfo(path).size() > 10000);
    QSet<QRgb> colours;
    for (int y = 0; y < shot.height(); y += 4)
        for (int x = 0; x < shot.width(); x += 4)
            colours.insert(shot.pixel(x, y));
    QVERIFY2(colours.size() > 500, qPrintable(QString::number(colours.size())));

    // The grid paints the thumbnail of the first item: the cell holds the image's colours.
    const QRect cell = grid()->visualRect(model()->index(0));
    const QImage gridShot = grid()->viewport()->grab(cell).toImage();
    QSet<QRgb> cellColours;
    for (int y = 0; y < gridShot.height(); y += 2)
        for (int x = 0; x < gridShot.width(); x += 2)
            cellColours.insert(gridShot.pixel(x, y));
    QVERIFY2(cellColours.size() > 100, qPrintable(QString::number(cellColours.size())));
}

void TestGui::verifyFindsBrokenImages()
{
    // Damage one of the images: every twelfth record uses it.
    QFile damaged(m_dir.filePath(u"images/img5.png"_s));
    QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write(QByteArray("\x89PNG\r\n\x1a\n this is not an image any more")); // no NUL inside: strlen is right
    damaged.close();
    int broken = 0;
    for (int n = 0; n < kSourceA + kSourceB; ++n)
        broken += n % kImages == 5 ? 1 : 0;

    m_window->issuesPanel()->clearIssues();
    m_window->findChild<QAction*>(u"actionVerify"_s)->trigger();
    QPointer<JobDialog> dialog;
    QTRY_VERIFY((dialog = visibleChild<JobDialog>()) != nullptr);
    // The dialog stays open with the outcome and a Close button.
    auto* close = dialog->findChild<QDialogButtonBox*>();
    QVERIFY(close);
    QTRY_VERIFY_WITH_TIMEOUT(close->isVisible(), 30000);
    QList<QLabel*> labels = dialog->findChildren<QLabel*>();
    bool summary = false;
    for (QLabel* l : labels)
        summary = summary || l->text().contains(u"%1 broken"_s.arg(broken));
    QVERIFY(summary);
    close->button(QDialogButtonBox::Close)->click();
    QTRY_VERIFY(!dialog || !dialog->isVisible());
    backToWindow();

    // Each broken image is an issue naming its record, and the grid shows the state.
    QCOMPARE(m_window->issuesPanel()->issueCount(), broken);
    QVERIFY(m_window->issuesPanel()->view()->topLevelItem(0)->text(2).contains(extId(5)));
    QTRY_VERIFY(model()->summaryAt(5) && model()->summaryAt(5)->imageState == ImageState::Broken);
    QCOMPARE(model()->summaryAt(4)->imageState, ImageState::Ok);
    applyFilter(u"image:broken"_s);
    QTRY_COMPARE(model()->rowCount(), broken);
    applyFilter(QString());
}

void TestGui::readOnlyProjectShowsBannerAndRefusesEdits()
{
    MainWindow viewer(m_dir.filePath(u"thumbs"_s));
    QVERIFY(viewer.openProject(m_projectPath, nullptr, true));
    viewer.show();
    QVERIFY(QTest::qWaitForWindowActive(&viewer));
    QVERIFY(viewer.isReadOnly());
    QVERIFY(viewer.windowTitle().contains(u"read-only"_s));
    QVERIFY(viewer.findChild<QFrame*>(u"readOnlyBanner"_s)->isVisible());
    QVERIFY(!viewer.findChild<QAction*>(u"actionAccept"_s)->isEnabled());
    QVERIFY(!viewer.findChild<QAction*>(u"actionImport"_s)->isEnabled());
    QVERIFY(viewer.findChild<QAction*>(u"actionExport"_s)->isEnabled());
    QTRY_VERIFY(viewer.isQueryLoaded() && viewer.gridModel()->rowCount() > 0);
    QTRY_VERIFY(viewer.grid()->currentIndex().isValid());
    const int row = viewer.grid()->currentIndex().row();
    const QString ext = viewer.gridModel()->summaryAt(row) ? viewer.gridModel()->summaryAt(row)->extId : extId(0);
    const Status before = statusOf(ext);
    QTest::keyClick(viewer.grid(), Qt::Key_R);
    QTest::keyClick(viewer.grid(), Qt::Key_E);
    QVERIFY(!viewer.detailPanel()->isEditing());
    QVERIFY(viewer.findChild<ReasonDialog*>() == nullptr);
    QTest::qWait(300);
    QCOMPARE(statusOf(ext), before);
    // Browsing still works.
    QTest::keyClick(viewer.grid(), Qt::Key_J);
    QCOMPARE(viewer.grid()->currentIndex().row(), row + 1);
    viewer.close();
    backToWindow();
}

void TestGui::settingsAreRemembered()
{
    // A filter, a thumbnail size and the project survive a restart.
    applyFilter(u"source:a"_s);
    const int side = grid()->thumbnailSide();
    QTest::keyClick(grid(), Qt::Key_Equal, Qt::ControlModifier);
    QCOMPARE(grid()->thumbnailSide(), side + 32);
    // An action made just before quitting is committed, not dropped with the worker's queue.
    goToRow(60);
    QCOMPARE(statusOf(extId(60)), Status::Pending);
    QTest::keyClick(grid(), Qt::Key_A);
    QTest::keyClick(grid(), Qt::Key_Q, Qt::ControlModifier);
    QVERIFY(!m_window->isVisible());
    m_window.reset();
    QCOMPARE(statusOf(extId(60)), Status::Accepted);

    QSettings settings;
    QCOMPARE(settings.value(u"project/last"_s).toString(), QFileInfo(m_projectPath).absoluteFilePath());
    QVERIFY(!settings.value(u"window/geometry"_s).toByteArray().isEmpty());

    MainWindow again(m_dir.filePath(u"thumbs"_s));
    QCOMPARE(again.grid()->thumbnailSide(), side + 32);
    QVERIFY(again.openProject(settings.value(u"project/last"_s).toString()));
    QCOMPARE(again.currentFilter(), u"source:a"_s);
    QTRY_VERIFY(again.isQueryLoaded());
    QCOMPARE(again.gridModel()->rowCount(), kSourceA);

    // The saved filter belongs to its project: another project opens unfiltered.
    const QString other = m_dir.filePath(u"other.facet"_s);
    QVERIFY(Project::open(other, Project::OpenMode::CreateIfMissing));
    MainWindow third(m_dir.filePath(u"thumbs"_s));
    QVERIFY(third.openProject(other));
    QCOMPARE(third.currentFilter(), QString());
    QVERIFY(QSettings().value(u"project/lastFilter"_s).toString().isEmpty());
}

// The other tests run without a catalogue, in the English the code is written in. Here the window
// is built with the Simplified Chinese catalogue the application embeds (the same .qm), and every
// menu title and every action in the menus must come out translated: a string that misses tr() or
// a catalogue entry shows up as English here.
void TestGui::chineseCatalogueTranslatesTheWindow()
{
    QTranslator zh;
    QVERIFY2(zh.load(QStringLiteral(FACET_QM_DIR "/facet_studio_zh_CN.qm")), FACET_QM_DIR);
    QVERIFY(QCoreApplication::installTranslator(&zh));
    const auto removeTranslator = qScopeGuard([&] { QCoreApplication::removeTranslator(&zh); });
    MainWindow window(m_dir.filePath(u"thumbs-zh"_s));
    const auto hasCjk = [](const QString& text) {
        return std::any_of(text.cbegin(), text.cend(),
                           [](QChar c) { return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF; });
    };
    QStringList english;
    int checked = 0;
    const std::function<void(const QMenu*)> walk = [&](const QMenu* menu) {
        if (!hasCjk(menu->title()))
            english << u"menu "_s + menu->title();
        for (const QAction* a : menu->actions()) {
            if (a->isSeparator() || a->text().isEmpty())
                continue;
            if (a->menu()) {
                walk(a->menu());
                continue;
            }
            ++checked;
            // What stays as it is: recent projects' file names, and Qt's name (the application
            // loads Qt's own catalogue for "About Qt" besides its own).
            const bool recentProject = a->text().endsWith(u".facet"_s);
            if (!hasCjk(a->text()) && !a->text().contains(u"Qt"_s) && !recentProject)
                english << a->text();
        }
    };
    for (const QAction* top : window.menuBar()->actions()) {
        if (top->menu())
            walk(top->menu());
    }
    QVERIFY2(checked >= 30, qPrintable(QString::number(checked)));
    QVERIFY2(english.isEmpty(), qPrintable(english.join(u" | "_s)));
    // The notice for out-of-date facets, which is built with the window and shown later.
    for (const QPushButton* b : window.findChild<QFrame*>(u"facetsBanner"_s)->findChildren<QPushButton*>())
        QVERIFY2(hasCjk(b->text()), qPrintable(b->text()));
}

QTEST_MAIN(TestGui)
#include "test_gui.moc"
