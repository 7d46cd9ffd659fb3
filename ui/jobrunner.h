#pragma once

#include "progress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace facet {

class Project;

/**
 * Runs one long piece of core work (import, export, verify, a bulk review) on a thread of its own,
 * with its own connection to the project. The work gets a Progress whose reports reach the GUI
 * thread as progressChanged() (throttled) and whose cancel flag cancel() sets. The work returns a
 * user-facing summary; facet::Cancelled and facet::Error end it with `cancelled` or an error
 * message. Anything the work produces beyond that it stores in state it shares with the caller,
 * read after finished().
 */
class JobRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobRunner)

public:
    using Work = std::function<QString(Project& project, const Progress& progress)>;

    JobRunner(const QString& projectPath, bool readOnly, QObject* parent = nullptr);
    /** Cancels running work and waits for it: nothing outlives the runner. */
    ~JobRunner() override;

    /** Starts `work`; false if a job is already running. */
    bool start(const QString& title, Work work);
    bool isRunning() const { return m_thread != nullptr; }
    const QString& title() const { return m_title; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void started(const QString& title);
    /** total <= 0: the amount of work is not known (show a busy indicator). */
    void progressChanged(qint64 done, qint64 total, const QString& what);
    void finished(bool ok, bool cancelled, const QString& message);

private:
    struct Shared
    {
        std::atomic_bool cancel{false};
        QString message;
        bool ok = false;
        bool cancelled = false;
    };

    QString m_path;
    bool m_readOnly;
    QString m_title;
    QThread* m_thread = nullptr;
    std::shared_ptr<Shared> m_shared;
};

} // namespace facet
