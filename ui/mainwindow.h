#pragma once

#include "jobrunner.h"
#include "types.h"

#include <QMainWindow>
#include <QPointer>
#include <QStringList>

#include <functional>

class QAction;
class QFrame;
class QLabel;
class QMenu;
class QSplitter;
class QThread;

namespace facet {

class DetailPanel;
class GridModel;
class GridView;
class IssuesPanel;
class JobsPanel;
class ProjectWorker;
class SearchBar;
class SourcesPanel;
class ThumbnailLoader;
struct ImportReport;
struct ItemDetail;
struct SourceCounts;

/**
 * The review window: sources on the left, the thumbnail grid in the middle, the selected item's
 * preview, caption, status and versions on the right, the filter box on top and counts in the
 * status bar. Keyboard first: the grid has the focus, A/R/U review, J/K move, E edits, Ctrl+Z
 * undoes through the project's journal (so it also undoes CLI actions).
 *
 * The GUI thread never runs SQL per row: a ProjectWorker with its own connection on its own thread
 * answers queries, pages, details and actions; long jobs run on JobRunner threads; thumbnails are
 * decoded on a thread pool.
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /** `thumbnailCache` empty: the user's cache folder. */
    explicit MainWindow(const QString& thumbnailCache = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    /**
     * Opens a project; on failure keeps the current one and sets *error (or shows the error).
     * `readOnly` opens it for browsing only (it is also read-only when the file is not writable).
     */
    bool openProject(const QString& path, QString* error = nullptr, bool readOnly = false);
    void closeProject();
    QString projectPath() const { return m_projectPath; }
    bool isReadOnly() const { return m_readOnly; }

    /** True once the ids of the current filter have arrived. */
    bool isQueryLoaded() const { return m_queryLoaded; }
    QString currentFilter() const { return m_filter; }
    /** The item the grid's current index is on, or 0. */
    ItemId currentItem() const;
    /** Selected items, or the current one when nothing is selected. */
    QList<ItemId> selectedItems() const;

    GridView* grid() const { return m_grid; }
    GridModel* gridModel() const { return m_model; }
    SearchBar* searchBar() const { return m_search; }
    DetailPanel* detailPanel() const { return m_detail; }
    SourcesPanel* sourcesPanel() const { return m_sources; }
    IssuesPanel* issuesPanel() const { return m_issues; }
    JobsPanel* jobsPanel() const { return m_jobsPanel; }
    ThumbnailLoader* thumbnailLoader() const { return m_loader; }
    /** Poll interval for changes made by other processes (default 1 s). */
    void setPollInterval(int ms);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void restoreSettings();
    void saveSettings();
    void updateTitle();
    void updateActions();
    void updateFacetsBanner();
    void updateEmptyStates();
    void updateCounts();
    void rebuildRecentMenu();
    void addRecent(const QString& path);

    void startWorker();
    void stopWorker();
    void runQuery(const QString& filter, bool keepCurrent);
    void refreshAll();
    void requestDetailForCurrent();

    void onIdsReady(quint64 generation);
    void onCurrentChanged();
    void onCountsReady(const QList<SourceCounts>& sources);
    void onItemsChanged(const QList<ItemId>& ids, const QString& message);
    void onJournalReplayed(const QList<ItemId>& ids, const QString& message);
    void onCountChangesReady(const QString& filter, Status status, qint64 count);
    void onImported(const ImportReport& report);

    void review(Status status, const QString& reason = {});
    void askRejectReason();
    void move(int delta);
    void moveTo(int row);
    void editCaption();
    void reviewAllMatching(Status status);
    void runBulk(const QString& filter, Status status);
    // Starts `work` on the window's job runner with a progress dialog; `done(ok, message)` runs once,
    // when it ends (also cancelled).
    void runJob(const QString& title, bool closeWhenDone, JobRunner::Work work,
                std::function<void(bool ok, const QString& message)> done);
    void verifyImages();
    void recomputeFacets();
    void newProject();
    void openProjectDialog();
    void showImportDialog();
    void showExportDialog();
    void showShortcuts();
    void showAbout();
    /** Recaption the selection or everything matching the filter. */
    void showRecaptionDialog(bool useFilter);
    /** The version diff of the current item; `left` indexes its versions (-1: the defaults). */
    void showVersionDiff(int left);
    void zoom(int steps);
    void showError(const QString& message);

    ThumbnailLoader* m_loader;
    GridModel* m_model;
    GridView* m_grid;
    DetailPanel* m_detail;
    SourcesPanel* m_sources;
    SearchBar* m_search;
    IssuesPanel* m_issues;
    JobsPanel* m_jobsPanel = nullptr;
    QSplitter* m_splitter;
    QFrame* m_banner;
    QLabel* m_bannerText;
    QFrame* m_facetsBanner;
    bool m_facetsCurrent = true;          // the worker's facetsCurrentChanged()
    bool m_facetsNoticeDismissed = false; // "Not Now" until the project is opened again
    QLabel* m_itemsLabel;
    QLabel* m_countLabels[3] = {};
    QLabel* m_countDots[3] = {};

    QThread* m_workerThread = nullptr;
    ProjectWorker* m_worker = nullptr;
    JobRunner* m_jobs = nullptr;
    int m_pollInterval = 1000;

    QString m_projectPath;
    QString m_projectName;
    bool m_readOnly = false;
    QString m_readOnlyReason;
    QString m_openError;
    QString m_filter;
    bool m_queryLoaded = false;
    bool m_countsLoaded = false;
    ItemId m_restoreId = 0;
    qint64 m_total = 0;
    qint64 m_statusTotals[3] = {};
    QStringList m_recentReasons;

    QAction* m_newAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_closeAction = nullptr;
    QAction* m_importAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_verifyAction = nullptr;
    QAction* m_recomputeFacetsAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QAction* m_editAction = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_selectAllAction = nullptr;
    QAction* m_acceptAction = nullptr;
    QAction* m_rejectAction = nullptr;
    QAction* m_resetAction = nullptr;
    QAction* m_acceptAllAction = nullptr;
    QAction* m_rejectAllAction = nullptr;
    QAction* m_resetAllAction = nullptr;
    QAction* m_nextAction = nullptr;
    QAction* m_prevAction = nullptr;
    QAction* m_zoomInAction = nullptr;
    QAction* m_zoomOutAction = nullptr;
    QAction* m_shortcutsAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_recaptionSelectionAction = nullptr;
    QAction* m_recaptionFilterAction = nullptr;
    QAction* m_compareAction = nullptr;
    QMenu* m_recentMenu = nullptr;
};

} // namespace facet
