#include "mainwindow.h"

#include "curation.h"
#include "detailpanel.h"
#include "error.h"
#include "exportdialog.h"
#include "facetcolors.h"
#include "facetindexer.h"
#include "facetsections.h"
#include "gridmodel.h"
#include "gridview.h"
#include "importdialog.h"
#include "issuespanel.h"
#include "jobdialog.h"
#include "jobrunner.h"
#include "jobspanel.h"
#include "plaintext.h"
#include "project.h"
#include "projectworker.h"
#include "reasondialog.h"
#include "recaptiondialog.h"
#include "searchbar.h"
#include "shortcutsheet.h"
#include "sourcespanel.h"
#include "statuscolors.h"
#include "thumbnailloader.h"
#include "verifier.h"
#include "versiondiff.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace facet {

namespace {

constexpr int kMaxRecent = 8;
constexpr int kMinThumb = 96;
constexpr int kMaxThumb = 320;
constexpr int kThumbStep = 32;
constexpr int kDefaultThumb = 160;
constexpr int kMaxRecentReasons = 30;
constexpr int kStatusMessageMs = 5000;

namespace key {
const QString geometry = QStringLiteral("window/geometry");
const QString state = QStringLiteral("window/state");
const QString splitter = QStringLiteral("window/splitter");
const QString detailSplitter = QStringLiteral("window/detailSplitter");
const QString thumbSize = QStringLiteral("view/thumbnailSize");
const QString lastProject = QStringLiteral("project/last");
const QString recent = QStringLiteral("project/recent");
const QString lastFilter = QStringLiteral("project/lastFilter");
const QString reasons = QStringLiteral("review/recentReasons");
} // namespace key

QPixmap statusDot(Status status, qreal dpr)
{
    QPixmap pm(QSize(10, 10) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(StatusColors::color(status));
    p.drawEllipse(QRectF(0.5, 0.5, 9, 9));
    return pm;
}

/** The value of the first `key:` term of a query, unquoted; empty when there is none. */
QString termValue(const QString& query, const QString& key)
{
    const QString prefix = key + u':';
    qsizetype at = -1;
    for (qsizetype k = 0; k + prefix.size() <= query.size(); ++k) {
        if ((k == 0 || query.at(k - 1).isSpace())
            && query.mid(k, prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0) {
            at = k + prefix.size();
            break;
        }
    }
    if (at < 0)
        return {};
    QString value;
    if (at < query.size() && query.at(at) == u'"') {
        for (qsizetype k = at + 1; k < query.size(); ++k) {
            const QChar c = query.at(k);
            if (c == u'\\' && k + 1 < query.size()) {
                value += query.at(++k);
                continue;
            }
            if (c == u'"')
                break;
            value += c;
        }
        return value;
    }
    for (qsizetype k = at; k < query.size() && !query.at(k).isSpace(); ++k)
        value += query.at(k);
    return value;
}

} // namespace

MainWindow::MainWindow(const QString& thumbnailCache, QWidget* parent)
    : QMainWindow(parent)
    , m_loader(new ThumbnailLoader(thumbnailCache, this))
    , m_model(new GridModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    qRegisterMetaType<IdList>();
    qRegisterMetaType<QList<ItemSummary>>();
    qRegisterMetaType<ItemDetail>();
    qRegisterMetaType<QList<SourceCounts>>();
    qRegisterMetaType<QList<ItemId>>();
    qRegisterMetaType<Status>();
    qRegisterMetaType<FacetModel>();

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    // A strip above the grid for a state of the whole project: read-only, or facets out of date.
    const auto makeBanner = [&](const QString& name, QLabel*& text) {
        auto* banner = new QFrame(central);
        banner->setObjectName(name);
        banner->setFrameShape(QFrame::StyledPanel);
        banner->setAutoFillBackground(true);
        banner->setBackgroundRole(QPalette::ToolTipBase);
        banner->setForegroundRole(QPalette::ToolTipText);
        auto* bannerLayout = new QHBoxLayout(banner);
        bannerLayout->setContentsMargins(10, 6, 10, 6);
        auto* icon = new QLabel(banner);
        icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(18, 18));
        text = new QLabel(banner);
        text->setTextFormat(Qt::PlainText);
        text->setWordWrap(true);
        text->setForegroundRole(QPalette::ToolTipText);
        bannerLayout->addWidget(icon);
        bannerLayout->addWidget(text, 1);
        banner->hide();
        layout->addWidget(banner);
        return banner;
    };
    m_banner = makeBanner(QStringLiteral("readOnlyBanner"), m_bannerText);
    QLabel* facetsText = nullptr;
    m_facetsBanner = makeBanner(QStringLiteral("facetsBanner"), facetsText);
    facetsText->setText(tr("This project's facets were computed by an older version of the facet classifier, or "
                           "before the project's facet cues changed, so some sentences may be grouped differently "
                           "from what the classifier says now. Recompute them to bring every caption up to date; "
                           "sentences a reviewer moved keep their facets."));
    {
        auto* recompute = new QPushButton(tr("Recompute Facets"), m_facetsBanner);
        recompute->setObjectName(QStringLiteral("facetsBannerRecompute"));
        connect(recompute, &QPushButton::clicked, this, [this] { recomputeFacets(); });
        auto* dismiss = new QPushButton(tr("Not Now"), m_facetsBanner);
        dismiss->setObjectName(QStringLiteral("facetsBannerDismiss"));
        connect(dismiss, &QPushButton::clicked, this, [this] {
            m_facetsNoticeDismissed = true;
            updateFacetsBanner();
        });
        m_facetsBanner->layout()->addWidget(recompute);
        m_facetsBanner->layout()->addWidget(dismiss);
    }

    m_search = new SearchBar(central);
    layout->addWidget(m_search);

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_sources = new SourcesPanel(m_splitter);
    m_grid = new GridView(m_loader, m_splitter);
    m_grid->setGridModel(m_model);
    m_detail = new DetailPanel(m_loader, m_splitter);
    m_splitter->addWidget(m_sources);
    m_splitter->addWidget(m_grid);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({220, 760, 560});
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_issues = new IssuesPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_issues);
    m_issues->hide();

    m_jobsPanel = new JobsPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobsPanel);
    m_jobsPanel->hide();
    connect(m_jobsPanel, &JobsPanel::jobEnded, this,
            [this](qint64, const QString& message) { statusBar()->showMessage(message, kStatusMessageMs); });
    connect(m_detail->versionsView(), &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem* item) { showVersionDiff(item->data(0, Qt::UserRole).toInt()); });

    createActions();
    createMenus();
    createStatusBar();
    m_detail->setActions(m_acceptAction, m_rejectAction, m_resetAction, m_editAction);

    connect(m_model, &GridModel::pageNeeded, this, [this](quint64 generation, int page) {
        if (m_worker)
            m_worker->requestPage(generation, page);
    });
    connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onCurrentChanged);
    connect(m_grid->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::updateCounts);
    connect(m_grid, &QAbstractItemView::doubleClicked, this, &MainWindow::editCaption);

    connect(m_search, &SearchBar::applied, this, [this](const QString& text) {
        runQuery(text, false);
        m_grid->setFocus(Qt::OtherFocusReason);
    });
    connect(m_search, &SearchBar::finished, this, [this] { m_grid->setFocus(Qt::OtherFocusReason); });
    connect(m_sources, &SourcesPanel::sourceActivated, this, [this](const QString& name) {
        m_search->apply(SearchBar::withTerm(m_search->appliedText(), QStringLiteral("source"), name));
    });
    connect(m_detail, &DetailPanel::saveRequested, this, [this](ItemId id, const QString& text) {
        if (m_worker && !m_readOnly)
            m_worker->requestEditCaption(id, text);
    });
    connect(m_detail, &DetailPanel::editFinished, this, [this] { m_grid->setFocus(Qt::OtherFocusReason); });
    connect(m_detail, &DetailPanel::segmentEditRequested, this, [this](ItemId id, int segment, const QString& text) {
        if (m_worker && !m_readOnly)
            m_worker->requestEditSegment(id, segment, text);
    });
    connect(m_detail, &DetailPanel::segmentDeleteRequested, this, [this](ItemId id, int segment) {
        if (m_worker && !m_readOnly)
            m_worker->requestDeleteSegment(id, segment);
    });
    connect(m_detail, &DetailPanel::segmentRelabelRequested, this,
            [this](ItemId id, int segment, const QStringList& facets) {
                if (m_worker && !m_readOnly)
                    m_worker->requestRelabelSegment(id, segment, facets, FacetColors::label(facets.value(0)));
            });

    restoreSettings();
    updateTitle();
    updateActions();
    updateEmptyStates();
    updateCounts();
    m_grid->setFocus(Qt::OtherFocusReason);
}

MainWindow::~MainWindow()
{
    stopWorker();
}

// ---------------------------------------------------------------- actions and menus

void MainWindow::createActions()
{
    auto make = [this](const QString& name, const QString& text, const QList<QKeySequence>& keys, auto slot) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a); // shortcuts work even with the menu bar hidden
        return a;
    };
    QStyle* s = style();
    m_newAction = make(QStringLiteral("actionNewProject"), tr("&New Project…"), {QKeySequence(Qt::CTRL | Qt::Key_N)},
                       [this] { newProject(); });
    m_openAction = make(QStringLiteral("actionOpenProject"), tr("&Open Project…"), {QKeySequence(Qt::CTRL | Qt::Key_O)},
                        [this] { openProjectDialog(); });
    m_openAction->setIcon(s->standardIcon(QStyle::SP_DialogOpenButton));
    m_closeAction = make(QStringLiteral("actionCloseProject"), tr("&Close Project"), {}, [this] { closeProject(); });
    m_importAction = make(QStringLiteral("actionImport"), tr("&Import…"), {QKeySequence(Qt::CTRL | Qt::Key_I)},
                          [this] { showImportDialog(); });
    m_exportAction = make(QStringLiteral("actionExport"), tr("&Export…"),
                          {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)}, [this] { showExportDialog(); });
    m_exportAction->setIcon(s->standardIcon(QStyle::SP_DialogSaveButton));
    m_verifyAction = make(QStringLiteral("actionVerify"), tr("&Verify Images"), {}, [this] { verifyImages(); });
    m_recomputeFacetsAction = make(QStringLiteral("actionRecomputeFacets"), tr("Recompute &Facets"), {},
                                   [this] { recomputeFacets(); });
    m_recomputeFacetsAction->setStatusTip(
        tr("Splits and classifies every caption again with the current facet model and the project's cues; "
           "reviewers' labels are kept"));
    m_quitAction = make(QStringLiteral("actionQuit"), tr("&Quit"), {QKeySequence(Qt::CTRL | Qt::Key_Q)},
                        [this] { close(); });

    m_undoAction = make(QStringLiteral("actionUndo"), tr("&Undo"), {QKeySequence(Qt::CTRL | Qt::Key_Z)}, [this] {
        if (m_worker && !m_readOnly)
            m_worker->requestUndo();
    });
    m_redoAction = make(QStringLiteral("actionRedo"), tr("&Redo"),
                        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)}, [this] {
                            if (m_worker && !m_readOnly)
                                m_worker->requestRedo();
                        });
    m_editAction = make(QStringLiteral("actionEditCaption"), tr("&Edit Caption"), {QKeySequence(Qt::Key_E)},
                        [this] { editCaption(); });
    m_findAction = make(QStringLiteral("actionFind"), tr("&Filter…"), {QKeySequence(Qt::CTRL | Qt::Key_F)},
                        [this] { m_search->focusSearch(); });
    m_selectAllAction = make(QStringLiteral("actionSelectAll"), tr("Select &All"), {QKeySequence(Qt::CTRL | Qt::Key_A)},
                             [this] { m_grid->selectAll(); });

    m_acceptAction = make(QStringLiteral("actionAccept"), tr("&Accept"), {QKeySequence(Qt::Key_A)},
                          [this] { review(Status::Accepted); });
    m_acceptAction->setIcon(s->standardIcon(QStyle::SP_DialogApplyButton));
    m_rejectAction = make(QStringLiteral("actionReject"), tr("&Reject…"), {QKeySequence(Qt::Key_R)},
                          [this] { askRejectReason(); });
    m_rejectAction->setIcon(s->standardIcon(QStyle::SP_DialogCancelButton));
    m_resetAction = make(QStringLiteral("actionReset"), tr("Back to &Pending"), {QKeySequence(Qt::Key_U)},
                         [this] { review(Status::Pending); });
    m_resetAction->setIcon(s->standardIcon(QStyle::SP_DialogResetButton));
    m_editAction->setIcon(s->standardIcon(QStyle::SP_FileDialogDetailedView));
    m_acceptAllAction = make(QStringLiteral("actionAcceptAllMatching"), tr("Accept All Matching the Filter…"), {},
                             [this] { reviewAllMatching(Status::Accepted); });
    m_rejectAllAction = make(QStringLiteral("actionRejectAllMatching"), tr("Reject All Matching the Filter…"), {},
                             [this] { reviewAllMatching(Status::Rejected); });
    m_resetAllAction = make(QStringLiteral("actionResetAllMatching"), tr("Reset All Matching the Filter to Pending…"),
                            {}, [this] { reviewAllMatching(Status::Pending); });

    m_nextAction = make(QStringLiteral("actionNext"), tr("&Next Item"),
                        {QKeySequence(Qt::Key_J), QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_Space)},
                        [this] { move(+1); });
    m_prevAction = make(QStringLiteral("actionPrevious"), tr("&Previous Item"),
                        {QKeySequence(Qt::Key_K), QKeySequence(Qt::Key_Left)}, [this] { move(-1); });
    m_zoomInAction = make(QStringLiteral("actionZoomIn"), tr("&Larger Thumbnails"),
                          {QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::CTRL | Qt::Key_Equal)},
                          [this] { zoom(+1); });
    m_zoomOutAction = make(QStringLiteral("actionZoomOut"), tr("&Smaller Thumbnails"),
                           {QKeySequence(Qt::CTRL | Qt::Key_Minus)}, [this] { zoom(-1); });
    m_shortcutsAction = make(QStringLiteral("actionShortcuts"), tr("&Keyboard Shortcuts"),
                             {QKeySequence(Qt::Key_Question), QKeySequence(Qt::Key_F1)}, [this] { showShortcuts(); });
    m_recaptionSelectionAction = make(QStringLiteral("actionRecaptionSelection"), tr("Recaption &Selection…"),
                                      {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R)},
                                      [this] { showRecaptionDialog(false); });
    m_recaptionFilterAction = make(QStringLiteral("actionRecaptionFilter"),
                                   tr("Recaption Everything Matching the &Filter…"), {},
                                   [this] { showRecaptionDialog(true); });
    m_compareAction = make(QStringLiteral("actionCompareVersions"), tr("&Compare Caption Versions…"),
                           {QKeySequence(Qt::Key_D)}, [this] { showVersionDiff(-1); });
    m_aboutAction = make(QStringLiteral("actionAbout"), tr("&About Facet Studio"), {}, [this] { showAbout(); });
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    file->addAction(m_closeAction);
    file->addSeparator();
    file->addAction(m_importAction);
    file->addAction(m_exportAction);
    file->addAction(m_verifyAction);
    file->addAction(m_recomputeFacetsAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    edit->addAction(m_editAction);
    edit->addAction(m_selectAllAction);
    edit->addAction(m_findAction);

    QMenu* review = menuBar()->addMenu(tr("&Review"));
    review->addAction(m_acceptAction);
    review->addAction(m_rejectAction);
    review->addAction(m_resetAction);
    review->addSeparator();
    review->addAction(m_acceptAllAction);
    review->addAction(m_rejectAllAction);
    review->addAction(m_resetAllAction);
    review->addSeparator();
    review->addAction(m_compareAction);

    QMenu* recaption = menuBar()->addMenu(tr("Re&caption"));
    recaption->addAction(m_recaptionSelectionAction);
    recaption->addAction(m_recaptionFilterAction);
    recaption->addSeparator();
    QAction* jobs = m_jobsPanel->toggleViewAction();
    jobs->setObjectName(QStringLiteral("actionJobs"));
    jobs->setText(tr("&Jobs"));
    recaption->addAction(jobs);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_nextAction);
    view->addAction(m_prevAction);
    view->addSeparator();
    view->addAction(m_zoomInAction);
    view->addAction(m_zoomOutAction);
    view->addSeparator();
    QAction* issues = m_issues->toggleViewAction();
    issues->setObjectName(QStringLiteral("actionIssues"));
    view->addAction(issues);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_shortcutsAction);
    help->addAction(m_aboutAction);
}

void MainWindow::createStatusBar()
{
    m_itemsLabel = new QLabel(this);
    m_itemsLabel->setObjectName(QStringLiteral("itemsLabel"));
    statusBar()->addPermanentWidget(m_itemsLabel);
    const Status order[] = {Status::Pending, Status::Accepted, Status::Rejected};
    for (int k = 0; k < 3; ++k) {
        auto* dot = new QLabel(this);
        dot->setPixmap(statusDot(order[k], devicePixelRatioF()));
        m_countDots[k] = dot;
        m_countLabels[k] = new QLabel(this);
        m_countLabels[k]->setObjectName(QStringLiteral("count_") + statusKey(order[k]));
        m_countLabels[k]->setToolTip(tr("%1 items in the project").arg(StatusColors::label(order[k])));
        statusBar()->addPermanentWidget(dot);
        statusBar()->addPermanentWidget(m_countLabels[k]);
    }
}

// ---------------------------------------------------------------- settings

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(key::geometry).toByteArray()))
        resize(1400, 880);
    restoreState(settings.value(key::state).toByteArray());
    m_splitter->restoreState(settings.value(key::splitter).toByteArray());
    m_detail->splitter()->restoreState(settings.value(key::detailSplitter).toByteArray());
    const int side = std::clamp(settings.value(key::thumbSize, kDefaultThumb).toInt(), kMinThumb, kMaxThumb);
    m_grid->setThumbnailSide(side);
    m_recentReasons = settings.value(key::reasons).toStringList();
    rebuildRecentMenu();
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(key::geometry, saveGeometry());
    settings.setValue(key::state, saveState());
    settings.setValue(key::splitter, m_splitter->saveState());
    settings.setValue(key::detailSplitter, m_detail->splitter()->saveState());
    settings.setValue(key::thumbSize, m_grid->thumbnailSide());
    settings.setValue(key::reasons, m_recentReasons);
    if (!m_projectPath.isEmpty()) {
        settings.setValue(key::lastProject, m_projectPath);
        settings.setValue(key::lastFilter, m_filter);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_detail->isEditing())
        m_detail->commitEdit(); // an edit in progress is saved, not lost
    if (m_jobs && m_jobs->isRunning())
        m_jobs->cancel();
    saveSettings();
    event->accept();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(key::recent).toStringList();
    for (const QString& path : recent) {
        QAction* a = m_recentMenu->addAction(QFileInfo(path).fileName());
        a->setToolTip(plainToolTip(path));
        a->setStatusTip(path);
        connect(a, &QAction::triggered, this, [this, path] { openProject(path); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(key::recent).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(key::recent, recent);
    settings.setValue(key::lastProject, path);
    rebuildRecentMenu();
}

// ---------------------------------------------------------------- project

bool MainWindow::openProject(const QString& path, QString* error, bool readOnlyRequested)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QString name, reason;
    bool readOnly = false;
    try {
        // A short-lived connection: checks the file, reads its name and writability, then closes.
        // Everything after this runs on the worker's own connection.
        const std::unique_ptr<Project> project = Project::open(
            absolute, readOnlyRequested ? Project::OpenMode::ReadOnly : Project::OpenMode::Existing);
        name = project->name();
        readOnly = project->isReadOnly();
        reason = project->readOnlyReason();
    } catch (const Error& e) {
        if (error)
            *error = e.message();
        else
            showError(e.message());
        if (m_projectPath.isEmpty()) {
            m_openError = e.message();
            updateEmptyStates();
        }
        return false;
    }
    closeProject();
    m_openError.clear();
    m_projectPath = absolute;
    m_projectName = name;
    m_readOnly = readOnly;
    m_readOnlyReason = reason;
    m_jobs = new JobRunner(m_projectPath, m_readOnly, this);
    connect(m_jobs, &JobRunner::started, this, &MainWindow::updateActions);
    connect(m_jobs, &JobRunner::finished, this, &MainWindow::updateActions);
    // The last filter is restored for the project it was used with; read it before addRecent()
    // records this project as the last one.
    QString filter;
    {
        const QSettings settings;
        if (settings.value(key::lastProject).toString() == m_projectPath)
            filter = settings.value(key::lastFilter).toString();
    }
    addRecent(m_projectPath);
    startWorker();
    m_jobsPanel->setProject(m_projectPath, m_readOnly);

    m_bannerText->setText(tr("This project is read-only (%1). You can browse, filter and export, but not review "
                             "or edit.")
                              .arg(reason.isEmpty() ? tr("no write permission") : reason));
    m_banner->setVisible(m_readOnly);
    m_detail->setEditable(!m_readOnly);

    m_search->setAppliedText(filter);
    if (!m_search->apply(filter))
        m_search->apply(QString());
    updateTitle();
    updateActions();
    updateEmptyStates();
    m_grid->setFocus(Qt::OtherFocusReason);
    statusBar()->showMessage(tr("Opened %1").arg(m_projectPath), kStatusMessageMs);
    return true;
}

void MainWindow::closeProject()
{
    if (m_projectPath.isEmpty())
        return;
    if (m_detail->isEditing())
        m_detail->commitEdit();
    saveSettings();
    stopWorker();
    m_detail->facetSections()->clearFacetModel(); // the next project sends its own
    FacetColors::setProjectFacets({});
    m_detail->refreshLegend();
    m_jobsPanel->setProject(QString(), false);
    delete m_jobs;
    m_jobs = nullptr;
    m_projectPath.clear();
    m_projectName.clear();
    m_readOnly = false;
    m_filter.clear();
    m_queryLoaded = false;
    m_countsLoaded = false;
    m_total = 0;
    std::fill(std::begin(m_statusTotals), std::end(m_statusTotals), 0);
    m_model->clear();
    m_sources->setSources({});
    m_banner->hide();
    m_facetsCurrent = true;
    m_facetsNoticeDismissed = false;
    m_search->setAppliedText(QString());
    updateTitle();
    updateActions();
    updateEmptyStates();
    updateCounts();
}

void MainWindow::startWorker()
{
    m_workerThread = new QThread(this);
    m_workerThread->setObjectName(QStringLiteral("ProjectWorker"));
    m_worker = new ProjectWorker(m_projectPath, m_readOnly);
    m_worker->setPollInterval(m_pollInterval);
    m_worker->moveToThread(m_workerThread);
    connect(m_workerThread, &QThread::finished, m_worker, &QObject::deleteLater);

    ProjectWorker* w = m_worker;
    connect(w, &ProjectWorker::openFailed, this, [this](const QString& message) {
        showError(message);
        m_openError = message;
        updateEmptyStates();
    });
    connect(w, &ProjectWorker::idsReady, this, [this](quint64 generation, const IdList& ids) {
        m_model->setIds(generation, ids);
        onIdsReady(generation);
    });
    connect(w, &ProjectWorker::queryFailed, this, [this](quint64 generation, const QString& message) {
        if (generation != m_model->generation())
            return;
        m_queryLoaded = true;
        showError(message);
        updateEmptyStates();
    });
    connect(w, &ProjectWorker::pageReady, m_model, &GridModel::addPage);
    connect(w, &ProjectWorker::facetModelReady, m_detail->facetSections(), &FacetSections::setFacetModel);
    connect(w, &ProjectWorker::facetModelReady, this, [this](const FacetModel& model) {
        // The project's own facets get their names and colours in the legend, the sections, the
        // "Move to" menu and the grid badges.
        FacetColors::setProjectFacets(model.facets());
        m_detail->refreshLegend();
        m_grid->viewport()->update();
    });
    connect(w, &ProjectWorker::facetsCurrentChanged, this, [this](bool current) {
        m_facetsCurrent = current;
        updateFacetsBanner();
    });
    connect(w, &ProjectWorker::facetModelFailed, this, [this](const QString& message) {
        m_detail->facetSections()->setFacetModelError(message);
        showError(message);
    });
    connect(w, &ProjectWorker::detailReady, this, [this](const ItemDetail& d) {
        if (d.summary.id == currentItem())
            m_detail->setDetail(d);
    });
    connect(w, &ProjectWorker::detailMissing, this, [this](ItemId id) {
        if (id == currentItem())
            m_detail->showEmpty(tr("This item is no longer in the project."));
    });
    connect(w, &ProjectWorker::countsReady, this, &MainWindow::onCountsReady);
    connect(w, &ProjectWorker::undoStateChanged, this,
            [this](bool canUndo, bool canRedo, const QString& undoText, const QString& redoText) {
                m_undoAction->setText(canUndo && !undoText.isEmpty() ? tr("&Undo %1").arg(undoText) : tr("&Undo"));
                m_redoAction->setText(canRedo && !redoText.isEmpty() ? tr("&Redo %1").arg(redoText) : tr("&Redo"));
                m_undoAction->setIconText(tr("Undo"));
                m_redoAction->setIconText(tr("Redo"));
                updateActions();
            });
    connect(w, &ProjectWorker::itemsChanged, this, &MainWindow::onItemsChanged);
    connect(w, &ProjectWorker::journalReplayed, this, &MainWindow::onJournalReplayed);
    connect(w, &ProjectWorker::countChangesReady, this, &MainWindow::onCountChangesReady);
    connect(w, &ProjectWorker::changedElsewhere, this, &MainWindow::refreshAll);
    connect(w, &ProjectWorker::actionFailed, this, &MainWindow::showError);

    m_workerThread->start();
    m_worker->requestOpen();
    m_worker->requestCounts();
}

void MainWindow::stopWorker()
{
    if (!m_workerThread)
        return;
    // Actions the user already made (an accept just before Ctrl+Q, an edit saved on close) are
    // queued on the worker; let it finish them before its loop stops, or they would be dropped.
    QMetaObject::invokeMethod(
        m_worker, [] {}, Qt::BlockingQueuedConnection);
    m_worker->disconnect(this);
    m_workerThread->quit();
    m_workerThread->wait();
    delete m_workerThread; // the worker was deleted on its thread as the loop ended
    m_workerThread = nullptr;
    m_worker = nullptr;
}

void MainWindow::setPollInterval(int ms)
{
    m_pollInterval = ms;
    if (m_worker)
        m_worker->setPollInterval(ms);
}

// ---------------------------------------------------------------- queries and refresh

void MainWindow::runQuery(const QString& filter, bool keepCurrent)
{
    if (!m_worker)
        return;
    m_restoreId = keepCurrent ? currentItem() : 0;
    m_filter = filter;
    m_queryLoaded = false;
    m_worker->requestQuery(m_model->nextGeneration(), filter);
    m_sources->setCurrentSource(termValue(filter, QStringLiteral("source")));
    QSettings().setValue(key::lastFilter, filter);
    updateEmptyStates();
}

void MainWindow::refreshAll()
{
    // Something else wrote to the project (the CLI, an import, a bulk action): the result of the
    // filter may differ, and every loaded row and the detail may be stale.
    m_loader->forgetFailures();
    runQuery(m_filter, true);
    requestDetailForCurrent();
    if (m_worker)
        m_worker->requestCounts();
}

void MainWindow::onIdsReady(quint64 generation)
{
    if (generation != m_model->generation())
        return;
    m_queryLoaded = true;
    int row = -1;
    if (m_restoreId)
        row = m_model->rowOf(m_restoreId);
    const QModelIndex cur = m_grid->currentIndex();
    if (row < 0 && cur.isValid())
        row = cur.row();
    if (row < 0 && m_model->rowCount() > 0)
        row = 0;
    if (row >= 0 && (!cur.isValid() || cur.row() != row))
        moveTo(row);
    else if (row < 0)
        m_detail->showEmpty(m_model->rowCount() == 0 ? QString() : tr("Select an image to see its caption."));
    m_restoreId = 0;
    m_grid->scheduleUpdate();
    updateEmptyStates();
    updateCounts();
}

ItemId MainWindow::currentItem() const
{
    const QModelIndex cur = m_grid->currentIndex();
    return cur.isValid() ? m_model->idAt(cur.row()) : 0;
}

QList<ItemId> MainWindow::selectedItems() const
{
    QList<ItemId> ids;
    // Ctrl+arrows move the current item without selecting it. Then the item the detail panel
    // shows is not selected, and an action applies to it, not to a selection out of view.
    const QModelIndex cur = m_grid->currentIndex();
    if (cur.isValid() && !m_grid->selectionModel()->isSelected(cur))
        return {m_model->idAt(cur.row())};
    const QItemSelection selection = m_grid->selectionModel()->selection();
    for (const QItemSelectionRange& range : selection)
        for (int row = range.top(); row <= range.bottom(); ++row)
            ids.append(m_model->idAt(row));
    if (ids.isEmpty() && currentItem())
        ids.append(currentItem());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void MainWindow::onCurrentChanged()
{
    if (m_detail->isEditing())
        m_detail->commitEdit(); // moving on keeps what was typed
    const QModelIndex cur = m_grid->currentIndex();
    if (!cur.isValid()) {
        m_detail->showEmpty(m_model->rowCount() ? tr("Select an image to see its caption.") : QString());
        return;
    }
    requestDetailForCurrent();
}

void MainWindow::requestDetailForCurrent()
{
    const QModelIndex cur = m_grid->currentIndex();
    if (!cur.isValid() || !m_worker)
        return;
    const ItemId id = m_model->idAt(cur.row());
    const ItemSummary* s = m_model->summaryAt(cur.row());
    ImageLocation location;
    QPixmap thumb;
    if (s) {
        location = s->location;
        const int side = static_cast<int>(std::lround(m_grid->thumbnailSide() * m_grid->devicePixelRatioF()));
        thumb = m_loader->thumbnail(ThumbnailLoader::key(location, side));
    }
    m_detail->showLoading(id, location, thumb);
    m_worker->requestDetail(id);
}

void MainWindow::onCountsReady(const QList<SourceCounts>& sources)
{
    m_countsLoaded = true;
    m_sources->setSources(sources);
    m_total = 0;
    std::fill(std::begin(m_statusTotals), std::end(m_statusTotals), 0);
    for (const SourceCounts& s : sources) {
        m_total += s.total;
        m_statusTotals[0] += s.pending;
        m_statusTotals[1] += s.accepted;
        m_statusTotals[2] += s.rejected;
    }
    updateCounts();
    updateEmptyStates();
    updateActions();
}

void MainWindow::onItemsChanged(const QList<ItemId>& ids, const QString& message)
{
    m_model->reloadItems(ids);
    if (ids.contains(currentItem()))
        requestDetailForCurrent();
    if (!message.isEmpty())
        statusBar()->showMessage(message, kStatusMessageMs);
}

void MainWindow::onJournalReplayed(const QList<ItemId>& ids, const QString& message)
{
    m_model->reloadLoaded();
    statusBar()->showMessage(message, kStatusMessageMs);
    // Undoing one item's review brings that item back into view, so the next key acts on it.
    if (ids.size() == 1) {
        const int row = m_model->rowOf(ids.first());
        if (row >= 0 && row != m_grid->currentIndex().row()) {
            moveTo(row);
            return;
        }
    }
    requestDetailForCurrent();
}

// ---------------------------------------------------------------- review

void MainWindow::review(Status status, const QString& reason)
{
    if (!m_worker || m_readOnly)
        return;
    const QList<ItemId> ids = selectedItems();
    if (ids.isEmpty())
        return;
    int lastRow = m_grid->currentIndex().row();
    if (ids.size() > 1) { // a selection that holds the current item
        for (const QItemSelectionRange& range : m_grid->selectionModel()->selection())
            lastRow = std::max(lastRow, range.bottom());
    }
    m_model->setStatusLocally(ids, status);
    m_worker->requestSetStatus(ids, status, reason);
    if (status != Status::Pending && lastRow >= 0 && lastRow + 1 < m_model->rowCount())
        moveTo(lastRow + 1);
}

void MainWindow::askRejectReason()
{
    if (!m_worker || m_readOnly)
        return;
    const QList<ItemId> ids = selectedItems();
    if (ids.isEmpty())
        return;
    auto* dialog = new ReasonDialog(static_cast<int>(ids.size()), m_recentReasons, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString reason = dialog->reason();
        if (!reason.isEmpty()) {
            m_recentReasons.removeAll(reason);
            m_recentReasons.prepend(reason);
            while (m_recentReasons.size() > kMaxRecentReasons)
                m_recentReasons.removeLast();
        }
        review(Status::Rejected, reason);
    });
    dialog->open();
}

void MainWindow::moveTo(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex idx = m_model->index(row);
    m_grid->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect);
    m_grid->scrollTo(idx);
}

void MainWindow::move(int delta)
{
    if (m_model->rowCount() == 0)
        return;
    const QModelIndex cur = m_grid->currentIndex();
    const int row = cur.isValid() ? cur.row() + delta : 0;
    moveTo(std::clamp(row, 0, m_model->rowCount() - 1));
}

void MainWindow::editCaption()
{
    if (m_readOnly || !currentItem())
        return;
    if (!m_detail->hasDetail()) {
        statusBar()->showMessage(tr("The caption is still loading"), kStatusMessageMs);
        return;
    }
    m_detail->beginEdit();
}

void MainWindow::reviewAllMatching(Status status)
{
    if (!m_worker || m_readOnly)
        return;
    if (m_jobs && m_jobs->isRunning()) {
        statusBar()->showMessage(tr("Wait for “%1” to finish").arg(m_jobs->title()), kStatusMessageMs);
        return;
    }
    m_worker->requestCountChanges(m_filter, status);
}

void MainWindow::onCountChangesReady(const QString& filter, Status status, qint64 count)
{
    const QLocale locale;
    const QString scope = filter.isEmpty() ? tr("in the project") : tr("matching “%1”").arg(filter);
    if (count == 0) {
        statusBar()->showMessage(tr("No items %1 would change").arg(scope), kStatusMessageMs);
        return;
    }
    QString question, button;
    switch (status) {
    case Status::Accepted:
        question = tr("Accept %1 items %2?").arg(locale.toString(count), scope);
        button = tr("Accept %1").arg(locale.toString(count));
        break;
    case Status::Rejected:
        question = tr("Reject %1 items %2?").arg(locale.toString(count), scope);
        button = tr("Reject %1").arg(locale.toString(count));
        break;
    case Status::Pending:
        question = tr("Reset %1 items %2 to pending?").arg(locale.toString(count), scope);
        button = tr("Reset %1").arg(locale.toString(count));
        break;
    }
    auto* box = new QMessageBox(QMessageBox::Question, tr("Review All Matching"), question, QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("bulkConfirm"));
    box->setTextFormat(Qt::PlainText); // the filter is user text
    box->setInformativeText(tr("Items already in that state are not counted and not changed. This is one step in "
                               "the history: Undo (Ctrl+Z) reverts all of it."));
    QPushButton* apply = box->addButton(button, QMessageBox::AcceptRole);
    apply->setObjectName(QStringLiteral("bulkApply"));
    box->setDefaultButton(apply);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, apply, filter, status](QAbstractButton* clicked) {
        Q_UNUSED(box);
        if (clicked == apply)
            runBulk(filter, status);
    });
    box->open();
}

void MainWindow::runBulk(const QString& filter, Status status)
{
    if (!m_jobs || m_jobs->isRunning())
        return;
    const QString title = status == Status::Accepted   ? tr("Accepting items")
                          : status == Status::Rejected ? tr("Rejecting items")
                                                       : tr("Resetting items to pending");
    runJob(
        title, true,
        [filter, status](Project& project, const Progress& progress) {
            Selection selection;
            selection.filter = filter;
            selection.all = filter.isEmpty();
            progress(0, 0, QString());
            // One setStatus call is one transaction and one journal entry: one undo step.
            const std::int64_t changed = Curation(project).setStatus(selection, status, Curation::defaultReviewer(),
                                                                     QString());
            return tr("Changed %n item(s)", nullptr, static_cast<int>(changed));
        },
        [this](bool ok, const QString& message) {
            statusBar()->showMessage(message, kStatusMessageMs);
            if (!ok)
                m_issues->addNote(message);
            refreshAll();
        });
}

void MainWindow::runJob(const QString& title, bool closeWhenDone, JobRunner::Work work,
                        std::function<void(bool ok, const QString& message)> done)
{
    auto* dialog = new JobDialog(m_jobs, title, closeWhenDone, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_jobs, &JobRunner::finished, this,
                          [connection, done = std::move(done)](bool ok, bool, const QString& message) {
                              disconnect(*connection);
                              done(ok, message);
                          });
    m_jobs->start(title, std::move(work));
    dialog->open();
}

void MainWindow::verifyImages()
{
    if (!m_jobs || m_readOnly || m_jobs->isRunning())
        return;
    auto report = std::make_shared<VerifyReport>();
    runJob(
        tr("Verifying images"), false,
        [report](Project& project, const Progress& progress) {
            *report = Verifier().run(project, progress);
            const QLocale locale;
            return tr("Checked %1 images: %2 ok, %3 missing, %4 broken.")
                .arg(locale.toString(report->checked), locale.toString(report->ok), locale.toString(report->missing),
                     locale.toString(report->broken));
        },
        [this, report](bool ok, const QString&) {
            if (ok) {
                for (const VerifyReport::BrokenItem& b : std::as_const(report->brokenItems))
                    m_issues->addIssue(b.image, -1, b.extId, b.reason);
                if (report->broken > report->brokenItems.size())
                    m_issues->addNote(
                        tr("%1 more broken images are not listed; filter with image:broken to see them all")
                            .arg(QLocale().toString(report->broken - report->brokenItems.size())));
            }
            refreshAll();
        });
}

// Stored facets are what the classifier said when a caption version was indexed; a newer model (an
// update of Facet Studio) or cues changed elsewhere leave them behind. This is `facet facets P` for
// the whole project: batched transactions, so cancelling keeps the batches already done and running
// it again finishes the job.
void MainWindow::recomputeFacets()
{
    if (!m_jobs || m_readOnly || m_jobs->isRunning())
        return;
    runJob(
        tr("Recomputing facets"), false,
        [](Project& project, const Progress& progress) {
            const std::int64_t versions = FacetIndexer().reindex(project, Selection{}, progress);
            return tr("Recomputed the facets of %Ln caption version(s).", nullptr, static_cast<int>(versions));
        },
        [this](bool, const QString&) { refreshAll(); }); // also after a cancel: finished batches stay
}

// ---------------------------------------------------------------- dialogs

void MainWindow::newProject()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QFileInfo(m_projectPath).absolutePath(),
                                                tr("Facet Studio projects (*.facet)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".facet");
    if (!QFileInfo::exists(path)) {
        try {
            Project::open(path, Project::OpenMode::CreateIfMissing);
        } catch (const Error& e) {
            showError(e.message());
            return;
        }
    }
    openProject(path);
}

void MainWindow::openProjectDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QFileInfo(m_projectPath).absolutePath(),
                                                      tr("Facet Studio projects (*.facet);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::showImportDialog()
{
    if (m_projectPath.isEmpty() || m_readOnly)
        return;
    auto* dialog = new ImportDialog(m_projectPath, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::imported, this, &MainWindow::onImported);
    connect(dialog, &QDialog::finished, this, [this] { refreshAll(); });
    dialog->open();
}

void MainWindow::onImported(const ImportReport& report)
{
    const QLocale locale;
    QString message = tr("Imported %Ln record(s)", nullptr, int(report.imported));
    if (report.duplicates)
        message += tr(", %1 already present").arg(locale.toString(static_cast<qlonglong>(report.duplicates)));
    if (report.skipped)
        message += tr(", %1 skipped (see Issues)").arg(locale.toString(static_cast<qlonglong>(report.skipped)));
    if (report.missingImages)
        message += tr(", %1 with missing images").arg(locale.toString(static_cast<qlonglong>(report.missingImages)));
    if (!report.committed)
        message = tr("Strict import: nothing was imported because %Ln record(s) are bad (see Issues)", nullptr,
                     int(report.skipped));
    statusBar()->showMessage(message, 3 * kStatusMessageMs);
    for (const ImportIssue& issue : report.errors)
        m_issues->addIssue(issue.file, issue.index, issue.id, issue.reason);
    if (report.skipped > report.errors.size())
        m_issues->addNote(
            tr("%Ln more skipped record(s) are not listed", nullptr, int(report.skipped - report.errors.size())));
    for (auto it = report.missingByPrefix.cbegin(); it != report.missingByPrefix.cend(); ++it)
        m_issues->addIssue(it.key(), -1, QString(),
                           tr("%Ln image(s) not found under this folder of the image root", nullptr, int(it.value())));
}

void MainWindow::showExportDialog()
{
    if (m_projectPath.isEmpty())
        return;
    QList<ItemId> selected;
    if (m_grid->selectionModel()->hasSelection())
        selected = selectedItems();
    auto* dialog = new ExportDialog(m_projectPath, m_filter, selected, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::exported, this, [this](const QString& path, qint64 written) {
        statusBar()->showMessage(tr("Exported %1 records to %2").arg(QLocale().toString(written), path),
                                 3 * kStatusMessageMs);
    });
    dialog->open();
}

void MainWindow::showShortcuts()
{
    QList<QAction*> actions{m_acceptAction,    m_rejectAction,
                            m_resetAction,     m_nextAction,
                            m_prevAction,      m_editAction,
                            m_undoAction,      m_redoAction,
                            m_compareAction,   m_findAction,
                            m_selectAllAction, m_zoomInAction,
                            m_zoomOutAction,   m_recaptionSelectionAction,
                            m_importAction,    m_exportAction,
                            m_newAction,       m_openAction,
                            m_shortcutsAction, m_quitAction};
    // Any other window action with a key comes after them, so the sheet cannot fall behind the menus.
    for (QAction* a : findChildren<QAction*>(Qt::FindDirectChildrenOnly))
        if (!a->shortcuts().isEmpty() && !actions.contains(a))
            actions.append(a);
    auto* sheet = new ShortcutSheet(actions, this);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    sheet->open();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Facet Studio"),
                       tr("Facet Studio %1\n\nCurate ShareGPT4V-style image–caption datasets: review, edit, "
                          "recaption and export.")
                           .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::zoom(int steps)
{
    const int side = std::clamp(m_grid->thumbnailSide() + steps * kThumbStep, kMinThumb, kMaxThumb);
    m_grid->setThumbnailSide(side);
    const QModelIndex cur = m_grid->currentIndex();
    if (cur.isValid())
        m_grid->scrollTo(cur);
}

void MainWindow::showError(const QString& message)
{
    statusBar()->showMessage(message, 3 * kStatusMessageMs);
    m_issues->addIssue(m_projectPath.isEmpty() ? QString() : QFileInfo(m_projectPath).fileName(), -1, QString(),
                       message);
}

// ---------------------------------------------------------------- presentation

void MainWindow::updateTitle()
{
    if (m_projectPath.isEmpty()) {
        setWindowTitle(tr("Facet Studio"));
        return;
    }
    QString title = tr("Facet Studio — %1").arg(m_projectName);
    if (m_readOnly)
        title += tr(" (read-only)");
    setWindowTitle(title);
}

void MainWindow::updateActions()
{
    const bool open = !m_projectPath.isEmpty();
    const bool writable = open && !m_readOnly;
    const bool busy = m_jobs && m_jobs->isRunning();
    m_closeAction->setEnabled(open);
    m_importAction->setEnabled(writable);
    m_exportAction->setEnabled(open);
    m_verifyAction->setEnabled(writable && m_total > 0);
    m_recomputeFacetsAction->setEnabled(writable && m_total > 0);
    m_recaptionSelectionAction->setEnabled(writable && m_total > 0);
    m_recaptionFilterAction->setEnabled(writable && m_total > 0);
    m_compareAction->setEnabled(open); // showVersionDiff() needs two versions of the current item
    for (QAction* a : {m_acceptAction, m_rejectAction, m_resetAction, m_editAction, m_acceptAllAction,
                       m_rejectAllAction, m_resetAllAction})
        a->setEnabled(writable && !busy);
    // Undo and redo stay enabled whenever the project is writable: their state comes from the
    // worker a moment after each action, and a quick Ctrl+Z must not fall into that gap. With
    // nothing to undo the status bar says so.
    m_undoAction->setEnabled(writable);
    m_redoAction->setEnabled(writable);
    m_findAction->setEnabled(open);
    m_search->setEnabled(open);
    updateFacetsBanner();
}

// Offered once per opening of a project whose stored facets came from another model (a newer Facet
// Studio, or cues changed without recomputing); "Not Now" hides it until the project is opened again.
void MainWindow::updateFacetsBanner()
{
    const bool writable = !m_projectPath.isEmpty() && !m_readOnly;
    const bool busy = m_jobs && m_jobs->isRunning();
    m_facetsBanner->setVisible(writable && !m_facetsCurrent && !m_facetsNoticeDismissed && m_total > 0);
    m_facetsBanner->setEnabled(!busy);
}

void MainWindow::updateEmptyStates()
{
    QString grid;
    if (m_projectPath.isEmpty()) {
        grid = m_openError.isEmpty()
                   ? tr("No project is open.\n\nOpen a project (Ctrl+O) or create a new one (Ctrl+N).")
                   : tr("%1\n\nOpen another project (Ctrl+O) or create a new one (Ctrl+N).").arg(m_openError);
        m_sources->setEmptyText(tr("No project open"));
        m_detail->showEmpty(tr("The selected image, its caption and its history appear here."));
    } else if (!m_queryLoaded || !m_countsLoaded) {
        grid = tr("Loading…");
    } else if (m_total == 0) {
        grid = m_readOnly ? tr("This project has no items.")
                          : tr("This project has no items yet.\n\nImport a ShareGPT4V file… (Ctrl+I)");
        m_sources->setEmptyText(m_readOnly ? tr("No sources")
                                           : tr("No sources yet.\nImport a ShareGPT4V file… (Ctrl+I)"));
        m_detail->showEmpty(tr("The selected image, its caption and its history appear here."));
    } else if (m_model->rowCount() == 0) {
        grid =
            tr("Nothing matches “%1”.\n\nChange the filter (Ctrl+F) or choose “All items” on the left.").arg(m_filter);
        m_detail->showEmpty(tr("No item selected"));
    }
    m_grid->setEmptyText(grid);
}

void MainWindow::updateCounts()
{
    const QLocale locale;
    const bool open = !m_projectPath.isEmpty();
    for (int k = 0; k < 3; ++k) {
        m_countDots[k]->setVisible(open);
        m_countLabels[k]->setVisible(open);
    }
    m_itemsLabel->setVisible(open);
    if (!open)
        return;
    const int rows = m_model->rowCount();
    qint64 selected = 0;
    for (const QItemSelectionRange& range : m_grid->selectionModel()->selection())
        selected += range.height();
    QString text = m_filter.isEmpty() ? tr("%Ln item(s)", nullptr, rows) : tr("%Ln item(s) in filter", nullptr, rows);
    if (selected > 1)
        text += tr(" · %1 selected").arg(locale.toString(selected));
    m_itemsLabel->setText(text + QStringLiteral("   "));
    const char* names[] = {QT_TR_NOOP("%1 pending"), QT_TR_NOOP("%1 accepted"), QT_TR_NOOP("%1 rejected")};
    for (int k = 0; k < 3; ++k)
        m_countLabels[k]->setText(tr(names[k]).arg(locale.toString(m_statusTotals[k])));
}

// ---------------------------------------------------------------- recaptioning

void MainWindow::showRecaptionDialog(bool useFilter)
{
    if (m_projectPath.isEmpty() || m_readOnly)
        return;
    auto* dialog = new RecaptionDialog(m_projectPath, selectedItems(), m_filter, m_model->rowCount(), useFilter, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RecaptionDialog::jobCreated, this, [this](qint64 jobId) {
        m_jobsPanel->show();
        m_jobsPanel->startJob(jobId);
    });
    dialog->open();
}

void MainWindow::showVersionDiff(int left)
{
    const ItemDetail* detail = m_detail->detail();
    if (m_projectPath.isEmpty() || !detail)
        return;
    if (detail->versions.size() < 2) {
        // D on a caption that was never edited or recaptioned: say why nothing opens.
        statusBar()->showMessage(
            tr("%1 has only one caption version: nothing to compare yet").arg(detail->summary.extId), kStatusMessageMs);
        return;
    }
    int right = -1;
    if (left >= 0) {
        // The chosen version against the current one; the current one against the one before it.
        for (qsizetype k = 0; k < detail->versions.size(); ++k)
            if (detail->versions.at(k).id == detail->currentVersion)
                right = int(k);
        if (left == right)
            left = -1;
    }
    auto* dialog = new VersionDiffDialog(m_projectPath, m_readOnly, *detail, left, right, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

} // namespace facet
