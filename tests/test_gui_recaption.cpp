// The recaptioning GUI end to end: a real project with real JPEGs, the real review window, the
// recaption dialog pointed at the in-repo loopback server (OpenAI-compatible protocol, real sockets),
// the jobs panel running the job, the search box filtering by origin and model, and the version diff
// keeping the old caption, undone with Ctrl+Z. Everything is checked in the project file through a
// second connection.
#include "testutil.h"

#include "support/loopbackserver.h"

#include "database.h"
#include "detailpanel.h"
#include "gridmodel.h"
#include "gridview.h"
#include "importer.h"
#include "jobspanel.h"
#include "jobstore.h"
#include "mainwindow.h"
#include "project.h"
#include "recaptiondialog.h"
#include "searchbar.h"
#include "versiondiff.h"

#include <QAction>
#include <QApplication>
#include <QColor>
#include <QComboBox>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

#include <memory>

using namespace facet;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kItems = 5;
const char* kModel = "facet-test-vlm";

QString oldCaption(int k)
{
    return u"Old caption %1. A small tree stands on the left of the tower."_s.arg(k);
}

} // namespace

class TestGuiRecaption : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void diffWordsMarksChangedWords();
    void diffViewShowsMarkupAsText();
    void recaptionSelectionEndToEnd();
    void pauseResumeCancelAndResumeOnOpen();
    void failedItemsAreListed();

private:
    std::int64_t scalar(const char* sql, std::int64_t bind = 0);
    /** With $FACET_TEST_SCREENSHOTS set, saves the widget there (for looking at it under Xvfb). */
    static void snapshot(QWidget* widget, const QString& name);

    QTemporaryDir m_dir;
    test::LoopbackServer m_server;
    QString m_projectPath;
    std::unique_ptr<Project> m_check;
    std::unique_ptr<MainWindow> m_window;
};

void TestGuiRecaption::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
    QCoreApplication::setOrganizationName(u"FacetStudio"_s);
    QCoreApplication::setApplicationName(u"Facet Studio Recaption Test"_s);
    QSettings().clear();
    qputenv("FACET_NO_KEYCHAIN", "1");
    qunsetenv("FACET_API_KEY");

    m_server.setModels({"other-model", kModel});
    m_server.start();
    QVERIFY(m_server.port() > 0);

    QByteArray jsonl;
    for (int k = 0; k < kItems; ++k) {
        QImage image(160 + k * 8, 120, QImage::Format_RGB32);
        image.fill(QColor::fromHsv(k * 60, 200, 220));
        const QString name = u"img/%1.jpg"_s.arg(k);
        QDir().mkpath(m_dir.filePath(u"img"_s));
        QVERIFY(image.save(m_dir.filePath(name), "JPG"));
        const QJsonObject rec{
            {u"id"_s, u"item-%1"_s.arg(k)},
            {u"image"_s, name},
            {u"conversations"_s, QJsonArray{QJsonObject{{u"from"_s, u"human"_s}, {u"value"_s, u"<image>\nDescribe."_s}},
                                            QJsonObject{{u"from"_s, u"gpt"_s}, {u"value"_s, oldCaption(k)}}}}};
        jsonl += QJsonDocument(rec).toJson(QJsonDocument::Compact) + '\n';
    }
    const QString data = test::writeFile(m_dir, u"data.jsonl"_s, jsonl);
    m_projectPath = m_dir.filePath(u"recaption.facet"_s);
    {
        auto project = Project::open(m_projectPath, Project::OpenMode::CreateIfMissing);
        ImportOptions options;
        options.imageRoot = m_dir.path();
        const ImportReport report = Importer(*project).run({data}, options);
        QCOMPARE(report.imported, kItems);
        QCOMPARE(report.missingImages, 0);
    }
    m_check = Project::open(m_projectPath);

    m_window = std::make_unique<MainWindow>(m_dir.filePath(u"thumbs"_s));
    m_window->setPollInterval(100);
    QString error;
    QVERIFY2(m_window->openProject(m_projectPath, &error), qPrintable(error));
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTRY_VERIFY(m_window->isQueryLoaded());
    QCOMPARE(m_window->gridModel()->rowCount(), kItems);
}

void TestGuiRecaption::cleanupTestCase()
{
    m_window.reset();
    m_check.reset();
    m_server.stop();
}

std::int64_t TestGuiRecaption::scalar(const char* sql, std::int64_t bind)
{
    Statement st = m_check->db().prepare(sql);
    if (bind)
        st.bind(1, bind);
    if (!st.step())
        return -1;
    return st.int64(0);
}

void TestGuiRecaption::snapshot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("FACET_TEST_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QTest::qWait(200);
    widget->window()->grab().save(dir + u'/' + name + u".png"_s);
}

void TestGuiRecaption::diffWordsMarksChangedWords()
{
    const QList<DiffPiece> d = diffWords(u"a cat sits on the mat"_s, u"a dog sits on the red mat"_s);
    QString removed, added, same;
    for (const DiffPiece& p : d)
        (p.kind == DiffPiece::Kind::Removed ? removed : p.kind == DiffPiece::Kind::Added ? added : same) += p.text;
    QCOMPARE(removed.trimmed(), u"cat"_s);
    QCOMPARE(added.simplified(), u"dog red"_s);
    QCOMPARE(same.simplified(), u"a sits on the mat"_s);
    // Both texts come back out of the pieces unchanged.
    QString before, after;
    for (const DiffPiece& p : d) {
        if (p.kind != DiffPiece::Kind::Added)
            before += p.text;
        if (p.kind != DiffPiece::Kind::Removed)
            after += p.text;
    }
    QCOMPARE(before, u"a cat sits on the mat"_s);
    QCOMPARE(after, u"a dog sits on the red mat"_s);
}

void TestGuiRecaption::diffViewShowsMarkupAsText()
{
    ItemDetail detail;
    detail.summary.id = 1;
    detail.summary.extId = u"x"_s;
    CaptionVersion a, b;
    a.id = 10;
    a.text = u"<b>bold</b> & <img src=x> stays text"_s;
    b.id = 11;
    b.text = u"<b>bold</b> & <i>new</i> stays text"_s;
    b.origin = Origin::Model;
    detail.versions = {a, b};
    detail.currentVersion = 11;
    VersionDiffDialog dialog(m_projectPath, true, detail);
    QCOMPARE(dialog.leftView()->toPlainText(), a.text);
    QCOMPARE(dialog.rightView()->toPlainText(), b.text);
    QVERIFY(!dialog.keepButton(false)->isEnabled()); // read-only
    QVERIFY(!dialog.keepButton(true)->isEnabled());  // and the current version anyway
}

void TestGuiRecaption::recaptionSelectionEndToEnd()
{
    GridView* grid = m_window->grid();
    GridModel* model = m_window->gridModel();
    // Items 1, 2 and 3 selected, item 1 current.
    grid->selectionModel()->setCurrentIndex(model->index(1), QItemSelectionModel::ClearAndSelect);
    grid->selectionModel()->select(model->index(2), QItemSelectionModel::Select);
    grid->selectionModel()->select(model->index(3), QItemSelectionModel::Select);
    QCOMPARE(m_window->selectedItems().size(), 3);

    auto* recaptionAction = m_window->findChild<QAction*>(u"actionRecaptionSelection"_s);
    QVERIFY(recaptionAction);
    QCOMPARE(recaptionAction->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    QTRY_VERIFY(recaptionAction->isEnabled());
    recaptionAction->trigger();
    RecaptionDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<RecaptionDialog*>()) != nullptr);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->selectionScope()->isChecked());
    // "(3 items)" with the English plural catalogue the application loads; tests load none.
    QVERIFY2(dialog->selectionScope()->text().contains(u"(3 item"_s), qPrintable(dialog->selectionScope()->text()));

    // OpenAI without a key says so and does not start.
    qunsetenv("OPENAI_API_KEY");
    dialog->setProvider(ProviderKind::OpenAi);
    QCOMPARE(dialog->baseUrlEdit()->text(), u"https://api.openai.com/v1"_s);
    QVERIFY(dialog->keyLabel()->text().contains(u"OPENAI_API_KEY"_s));
    QVERIFY(dialog->modelStatus()->text().contains(u"API key"_s)); // nothing was sent without one
    dialog->modelCombo()->setEditText(u"gpt-4o"_s);
    dialog->startButton()->click();
    QVERIFY(dialog->errorLabel()->isVisible());
    QVERIFY(dialog->errorLabel()->text().contains(u"OPENAI_API_KEY"_s));
    QTest::qWait(100);
    QCOMPARE(scalar("SELECT count(*) FROM jobs"), 0);
    QVERIFY(dialog->isVisible());
    snapshot(dialog, u"recaption-openai"_s);

    dialog->setProvider(ProviderKind::OpenAiCompatible);
    QCOMPARE(dialog->baseUrlEdit()->text(), u"http://localhost:8000/v1"_s);
    dialog->baseUrlEdit()->setText(QString::fromStdString(m_server.url()) + u"/v1"_s);
    dialog->refreshModels();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->modelsLoaded(), 20000);
    QCOMPARE(dialog->modelCombo()->count(), 2);
    const int index = dialog->modelCombo()->findText(QString::fromLatin1(kModel));
    QVERIFY(index >= 0);
    dialog->modelCombo()->setCurrentIndex(index);
    QVERIFY(dialog->promptEdit()->toPlainText() == shareGpt4vPrompt());
    QCOMPARE(dialog->concurrencySpin()->value(), 8);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->estimateReady(), 20000);
    // "3 images" with the English plural catalogue the application loads; tests load none.
    QVERIFY2(dialog->estimateLabel()->text().contains(u"3 image"_s), qPrintable(dialog->estimateLabel()->text()));

    snapshot(dialog, u"recaption-dialog"_s);
    QPointer<RecaptionDialog> guard(dialog);
    dialog->startButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), 20000);

    JobsPanel* jobs = m_window->jobsPanel();
    QVERIFY(jobs->isVisible());
    QTRY_COMPARE(jobs->view()->topLevelItemCount(), 1);
    const std::int64_t jobId = jobs->view()->topLevelItem(0)->data(0, Qt::UserRole).toLongLong();
    QVERIFY(jobId > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!jobs->isRunning(jobId) && jobs->shown(jobId).state == JobState::Done, 30000);
    QCOMPARE(jobs->shown(jobId).done, 3);
    QCOMPARE(jobs->shown(jobId).total, 3);
    QCOMPARE(jobs->view()->topLevelItem(0)->text(4), u"3 / 0 / 3"_s);
    QCOMPARE(m_server.requests("/v1/chat/completions"), 3);
    snapshot(m_window.get(), u"jobs-panel"_s);

    // The project: three model versions, those items recaptioned and pending.
    QCOMPARE(scalar("SELECT count(*) FROM caption_versions WHERE origin = 2"), 3);
    QCOMPARE(scalar("SELECT count(*) FROM items WHERE recaptioned = 1 AND status = 0"), 3);
    QCOMPARE(scalar("SELECT count(*) FROM items i JOIN caption_versions v ON v.id = i.current_version "
                    "WHERE v.origin = 2"),
             3);

    // The search box: origin:model and model:NAME find exactly them.
    QVERIFY(m_window->searchBar()->apply(u"origin:model"_s));
    QTRY_VERIFY(m_window->isQueryLoaded() && m_window->currentFilter() == u"origin:model"_s);
    QTRY_COMPARE(model->rowCount(), 3);
    QVERIFY(m_window->searchBar()->apply(u"model:%1"_s.arg(QLatin1String(kModel))));
    QTRY_VERIFY(m_window->isQueryLoaded() && m_window->currentFilter().startsWith(u"model:"_s));
    QTRY_COMPARE(model->rowCount(), 3);
    QVERIFY(m_window->searchBar()->apply(u"model:other-model"_s));
    QTRY_VERIFY(m_window->isQueryLoaded() && m_window->currentFilter() == u"model:other-model"_s);
    QTRY_COMPARE(model->rowCount(), 0);
    QVERIFY(m_window->searchBar()->apply(u"origin:model"_s));
    QTRY_VERIFY(m_window->isQueryLoaded() && m_window->currentFilter() == u"origin:model"_s);
    QTRY_COMPARE(model->rowCount(), 3);

    // The diff of the first of them: imported on the left, the model's caption on the right. Without
    // the filter, since keeping the imported caption takes the item out of origin:model.
    grid->selectionModel()->setCurrentIndex(model->index(0), QItemSelectionModel::ClearAndSelect);
    const ItemId item = m_window->currentItem();
    QVERIFY(item > 0);
    QVERIFY(m_window->searchBar()->apply(QString()));
    QTRY_VERIFY(m_window->isQueryLoaded() && m_window->currentFilter().isEmpty());
    QTRY_COMPARE(model->rowCount(), kItems);
    DetailPanel* detail = m_window->detailPanel();

    // D on a caption with one version opens nothing and says why.
    int single = -1;
    for (int row = 0; row < kItems && single < 0; ++row) {
        grid->selectionModel()->setCurrentIndex(model->index(row), QItemSelectionModel::ClearAndSelect);
        QTRY_VERIFY(detail->hasDetail() && detail->itemId() == model->idAt(row));
        if (detail->detail()->versions.size() == 1)
            single = row;
    }
    QVERIFY(single >= 0);
    m_window->activateWindow();
    QTRY_COMPARE(QApplication::activeWindow(), m_window.get());
    QTest::keyClick(grid, Qt::Key_D);
    QTRY_VERIFY2(m_window->statusBar()->currentMessage().contains(u"only one caption version"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));
    QVERIFY(m_window->findChild<VersionDiffDialog*>() == nullptr);

    QVERIFY(model->rowOf(item) >= 0);
    grid->selectionModel()->setCurrentIndex(model->index(model->rowOf(item)), QItemSelectionModel::ClearAndSelect);
    QCOMPARE(m_window->currentItem(), item);
    QTRY_VERIFY(detail->hasDetail() && detail->itemId() == item && detail->detail()->versions.size() == 2);
    const std::int64_t importedVersion = detail->detail()->versions.at(0).id;
    const std::int64_t modelVersion = detail->detail()->versions.at(1).id;
    QCOMPARE(detail->detail()->currentVersion, modelVersion);

    m_window->activateWindow();
    QTRY_COMPARE(QApplication::activeWindow(), m_window.get());
    QTest::keyClick(grid, Qt::Key_D);
    VersionDiffDialog* diff = nullptr;
    QTRY_VERIFY((diff = m_window->findChild<VersionDiffDialog*>()) != nullptr);
    QVERIFY(diff->leftView()->toPlainText().startsWith(u"Old caption"_s));
    QCOMPARE(diff->rightView()->toPlainText(), detail->detail()->versions.at(1).text);
    QVERIFY(diff->keepButton(false)->isEnabled());
    QVERIFY(!diff->keepButton(true)->isEnabled()); // already current
    snapshot(diff, u"version-diff"_s);
    diff->keepButton(false)->click();
    QTRY_COMPARE(scalar("SELECT current_version FROM items WHERE id = ?", item), importedVersion);
    QTRY_VERIFY(!diff->keepButton(false)->isEnabled());
    diff->close();

    // The review window sees the change and Ctrl+Z undoes it.
    QTRY_VERIFY_WITH_TIMEOUT(detail->hasDetail() && detail->detail()->currentVersion == importedVersion, 10000);
    QTest::qWait(50);
    m_window->activateWindow();
    QTRY_COMPARE(QApplication::activeWindow(), m_window.get());
    auto* undo = m_window->findChild<QAction*>(u"actionUndo"_s);
    QVERIFY(undo);
    QTRY_VERIFY(undo->isEnabled());
    QTest::keyClick(grid, Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(scalar("SELECT current_version FROM items WHERE id = ?", item), modelVersion);
    QTRY_VERIFY(detail->hasDetail() && detail->detail()->currentVersion == modelVersion);
}

void TestGuiRecaption::pauseResumeCancelAndResumeOnOpen()
{
    // A slow server and one request at a time, so the job is still running when it is paused.
    m_server.setDelayMs(150);
    std::int64_t jobId = 0;
    {
        RecaptionSettings s;
        s.provider = ProviderKind::OpenAiCompatible;
        s.baseUrl = QString::fromStdString(m_server.url()) + u"/v1"_s;
        s.model = QString::fromLatin1(kModel);
        s.prompt = u"Describe {id} in one sentence."_s; // not in the result cache: every item is sent
        s.concurrency = 1;
        Selection all;
        all.all = true;
        JobStore store(*m_check);
        jobId = store.createJob(s, all, u"tester"_s);
    }
    JobsPanel* jobs = m_window->jobsPanel();
    jobs->startJob(jobId);
    QTRY_VERIFY(jobs->isRunning(jobId));
    QTRY_VERIFY_WITH_TIMEOUT(jobs->shown(jobId).finished >= 1, 10000);
    jobs->pauseJob(jobId);
    QVERIFY(jobs->shown(jobId).paused);
    QTest::qWait(600); // requests in flight finish; no new ones start
    const int sent = m_server.chatRequests();
    QTest::qWait(600);
    QCOMPARE(m_server.chatRequests(), sent);
    QVERIFY(jobs->shown(jobId).finished < kItems);

    // Closing the project stops the job: it is interrupted and offered for resuming on opening.
    m_window->closeProject();
    QCOMPARE(scalar("SELECT state FROM jobs WHERE id = ?", jobId), int(JobState::Interrupted));
    QString error;
    QVERIFY2(m_window->openProject(m_projectPath, &error), qPrintable(error));
    QTRY_VERIFY(jobs->noteLabel()->isVisible());
    QVERIFY2(jobs->noteLabel()->text().contains(u"job %1"_s.arg(jobId)), qPrintable(jobs->noteLabel()->text()));
    QVERIFY(jobs->isVisible());
    QTRY_VERIFY(jobs->view()->topLevelItemCount() >= 2);
    jobs->view()->topLevelItem(0)->setSelected(true); // newest first
    QCOMPARE(jobs->view()->topLevelItem(0)->data(0, Qt::UserRole).toLongLong(), jobId);
    QVERIFY(jobs->resumeButton()->isEnabled());
    jobs->resumeButton()->click();
    QTRY_VERIFY(jobs->isRunning(jobId));
    QTRY_VERIFY(jobs->cancelButton()->isEnabled());
    jobs->cancelButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!jobs->isRunning(jobId), 10000);
    QTRY_COMPARE(scalar("SELECT state FROM jobs WHERE id = ?", jobId), int(JobState::Cancelled));
    QTRY_COMPARE(jobs->shown(jobId).state, JobState::Cancelled);
    m_server.setDelayMs(0);
}

void TestGuiRecaption::failedItemsAreListed()
{
    m_server.addFault({test::Fault::Kind::Empty, 200, "Describe item-4 now.", -1, -1, -1, 0});
    std::int64_t jobId = 0;
    {
        RecaptionSettings s;
        s.provider = ProviderKind::OpenAiCompatible;
        s.baseUrl = QString::fromStdString(m_server.url()) + u"/v1"_s;
        s.model = QString::fromLatin1(kModel);
        s.prompt = u"Describe {id} now."_s;
        Selection one;
        one.extIds = {u"item-4"_s};
        jobId = JobStore(*m_check).createJob(s, one, u"tester"_s);
    }
    JobsPanel* jobs = m_window->jobsPanel();
    jobs->startJob(jobId);
    QTRY_VERIFY(jobs->isRunning(jobId));
    QTRY_VERIFY_WITH_TIMEOUT(!jobs->isRunning(jobId), 20000);
    QCOMPARE(jobs->shown(jobId).failed, 1);
    QTreeWidgetItem* row = nullptr;
    for (int i = 0; i < jobs->view()->topLevelItemCount(); ++i)
        if (jobs->view()->topLevelItem(i)->data(0, Qt::UserRole).toLongLong() == jobId)
            row = jobs->view()->topLevelItem(i);
    QVERIFY(row);
    QCOMPARE(row->text(4), u"0 / 1 / 1"_s);
    QTRY_VERIFY2(row->toolTip(7).startsWith(u"item-4: "_s), qPrintable(row->toolTip(7)));
    m_server.clearFaults();
}

QTEST_MAIN(TestGuiRecaption)
#include "test_gui_recaption.moc"
