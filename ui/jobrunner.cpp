#include "jobrunner.h"

#include "error.h"
#include "project.h"

#include <QThread>

#include <exception>

namespace facet {

namespace {

// Progress reports are throttled to this interval: a 1.2M-record import reports often.
constexpr qint64 kReportEveryMs = 80;

} // namespace

JobRunner::JobRunner(const QString& projectPath, bool readOnly, QObject* parent)
    : QObject(parent)
    , m_path(projectPath)
    , m_readOnly(readOnly)
{
}

JobRunner::~JobRunner()
{
    if (m_thread) {
        m_shared->cancel.store(true);
        m_thread->wait();
        delete m_thread;
    }
}

void JobRunner::cancel()
{
    if (m_shared)
        m_shared->cancel.store(true);
}

bool JobRunner::start(const QString& title, Work work)
{
    if (m_thread)
        return false;
    m_title = title;
    m_shared = std::make_shared<Shared>();
    auto shared = m_shared;
    const QString path = m_path;
    const bool readOnly = m_readOnly;
    JobRunner* self = this;

    m_thread = QThread::create([shared, path, readOnly, work = std::move(work), self] {
        QElapsedTimer clock;
        clock.start();
        qint64 lastReport = -kReportEveryMs;
        Progress progress;
        progress.cancel = &shared->cancel;
        progress.report = [&](std::int64_t done, std::int64_t total, const QString& what) {
            const qint64 now = clock.elapsed();
            if (now - lastReport < kReportEveryMs && done != total)
                return;
            lastReport = now;
            // The runner waits for this thread in its destructor, so it is alive here; the
            // queued call is dropped if it is deleted before the event is delivered.
            JobRunner* runner = self;
            QMetaObject::invokeMethod(
                runner, [runner, done, total, what] { Q_EMIT runner->progressChanged(done, total, what); },
                Qt::QueuedConnection);
        };
        try {
            std::unique_ptr<Project> project = Project::open(path, readOnly ? Project::OpenMode::ReadOnly
                                                                            : Project::OpenMode::Existing);
            shared->message = work(*project, progress);
            shared->ok = true;
        } catch (const Cancelled&) {
            shared->cancelled = true;
            shared->message = JobRunner::tr("Cancelled");
        } catch (const Error& e) {
            shared->message = e.message();
        } catch (const std::exception& e) {
            shared->message = JobRunner::tr("Unexpected error: %1").arg(QString::fromLocal8Bit(e.what()));
        }
    });
    connect(m_thread, &QThread::finished, this, [this] {
        QThread* thread = m_thread;
        m_thread = nullptr;
        thread->deleteLater();
        const auto shared = m_shared;
        Q_EMIT finished(shared->ok, shared->cancelled, shared->message);
    });
    m_thread->start();
    Q_EMIT started(title);
    return true;
}

} // namespace facet
