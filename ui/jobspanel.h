#pragma once

#include "recaption.h"

#include <QDockWidget>
#include <QHash>

#include <cstdint>
#include <map>
#include <memory>

class QLabel;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace facet {

class RecaptionRunner;

/**
 * The jobs dock: every recaption job of the project (from the job store) with a progress bar,
 * done/failed/total, rate, ETA and the last error, and Pause / Resume / Cancel for the selected one.
 * Jobs run in RecaptionRunners (each its own thread and connection); their callbacks reach the panel
 * as queued calls. Jobs left interrupted by a closed window or a crash are offered for resuming when
 * a project opens. Finished items reach the grid through the review window's change polling.
 */
class JobsPanel final : public QDockWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsPanel)

public:
    explicit JobsPanel(QWidget* parent = nullptr);
    /** Stops running jobs: they stay resumable. */
    ~JobsPanel() override;

    /** Shows the jobs of a project (empty path: none); running jobs of the previous one are stopped. */
    void setProject(const QString& path, bool readOnly);
    /** Runs (or resumes) a job with the key the core would use for its provider. */
    void startJob(std::int64_t jobId);
    void pauseJob(std::int64_t jobId);
    void cancelJob(std::int64_t jobId);
    /** Reloads the list from the job store (off the GUI thread). */
    void reload();

    /** The numbers the panel shows for a job; jobId 0 when it does not list it. */
    JobProgress shown(std::int64_t jobId) const;
    bool isRunning(std::int64_t jobId) const;
    QTreeWidget* view() const { return m_view; }
    QLabel* noteLabel() const { return m_note; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* cancelButton() const { return m_cancel; }

Q_SIGNALS:
    /** A job of this panel ended (done, failed, cancelled or stopped). */
    void jobEnded(qint64 jobId, const QString& message);

private:
    void apply(const QList<JobInfo>& jobs);
    void showJob(const JobProgress& p, const QString& model);
    void onProgress(const JobProgress& p);
    void reapRunners();
    void updateButtons();
    std::int64_t selectedJob() const;
    QTreeWidgetItem* rowFor(std::int64_t jobId, bool create);

    QString m_path;
    bool m_readOnly = false;
    QTreeWidget* m_view;
    QLabel* m_note;
    QPushButton* m_pause;
    QPushButton* m_resume;
    QPushButton* m_cancel;
    QTimer* m_reaper;
    std::map<std::int64_t, std::unique_ptr<RecaptionRunner>> m_runners;
    QHash<std::int64_t, JobProgress> m_shown;
    QHash<std::int64_t, QString> m_models;
    quint64 m_generation = 0;
};

} // namespace facet
