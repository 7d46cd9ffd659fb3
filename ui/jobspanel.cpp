#include "jobspanel.h"

#include "backgroundtask.h"
#include "jobstore.h"
#include "project.h"
#include "recaptionkeys.h"
#include "recaptionrunner.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace facet {

namespace {

enum Column
{
    ColJob,
    ColModel,
    ColState,
    ColProgress,
    ColCounts,
    ColRate,
    ColEta,
    ColError,
    ColumnCount
};

constexpr int kReapIntervalMs = 250;
constexpr int kErrorsShown = 10;

struct JobList
{
    QList<JobInfo> jobs;
    QHash<std::int64_t, QString> errors;
};

QString stateText(JobState state, bool paused)
{
    if (paused)
        return JobsPanel::tr("paused");
    switch (state) {
    case JobState::Queued:
        return JobsPanel::tr("queued");
    case JobState::Running:
        return JobsPanel::tr("running");
    case JobState::Paused:
        return JobsPanel::tr("paused");
    case JobState::Interrupted:
        return JobsPanel::tr("interrupted");
    case JobState::Done:
        return JobsPanel::tr("done");
    case JobState::Failed:
        return JobsPanel::tr("failed");
    case JobState::Cancelled:
        return JobsPanel::tr("cancelled");
    }
    return {};
}

QString etaText(double seconds)
{
    if (seconds < 0)
        return JobsPanel::tr("—");
    const qint64 s = std::llround(seconds);
    if (s < 60)
        return JobsPanel::tr("%1 s").arg(s);
    if (s < 3600)
        return JobsPanel::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return JobsPanel::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

bool resumable(JobState state)
{
    return state == JobState::Queued || state == JobState::Paused || state == JobState::Interrupted
           || state == JobState::Failed || state == JobState::Cancelled;
}

JobProgress fromInfo(const JobInfo& info)
{
    JobProgress p;
    p.jobId = info.id;
    p.state = info.state;
    p.total = info.total;
    p.done = info.done;
    p.reused = info.reused;
    p.failed = info.failed;
    p.refused = info.refused;
    p.truncated = info.truncated;
    p.finished = info.done + info.reused + info.failed + info.refused;
    p.promptTokens = info.promptTokens;
    p.completionTokens = info.completionTokens;
    p.cost = info.cost;
    p.lastError = info.lastError;
    return p;
}

} // namespace

JobsPanel::JobsPanel(QWidget* parent)
    : QDockWidget(tr("Recaption Jobs"), parent)
{
    setObjectName(u"jobsPanel"_s);
    auto* body = new QWidget(this);
    m_note = new QLabel(body);
    m_note->setObjectName(u"jobsNote"_s);
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->hide();

    m_view = new QTreeWidget(body);
    m_view->setObjectName(u"jobsView"_s);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setColumnCount(ColumnCount);
    m_view->setHeaderLabels({tr("Job"), tr("Model"), tr("State"), tr("Progress"), tr("Done / failed / total"),
                             tr("Rate"), tr("ETA"), tr("Last error")});
    m_view->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(ColProgress, QHeaderView::Interactive);
    m_view->header()->resizeSection(ColProgress, 160);
    m_view->header()->setStretchLastSection(true);

    m_pause = new QPushButton(tr("&Pause"), body);
    m_pause->setObjectName(u"pauseJobButton"_s);
    m_resume = new QPushButton(tr("Res&ume"), body);
    m_resume->setObjectName(u"resumeJobButton"_s);
    m_cancel = new QPushButton(tr("Cancel &Job"), body);
    m_cancel->setObjectName(u"cancelJobButton"_s);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_pause);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);

    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_note);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    setWidget(body);

    connect(m_view, &QTreeWidget::itemSelectionChanged, this, &JobsPanel::updateButtons);
    connect(m_pause, &QPushButton::clicked, this, [this] { pauseJob(selectedJob()); });
    connect(m_resume, &QPushButton::clicked, this, [this] { startJob(selectedJob()); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { cancelJob(selectedJob()); });

    m_reaper = new QTimer(this);
    m_reaper->setInterval(kReapIntervalMs);
    connect(m_reaper, &QTimer::timeout, this, &JobsPanel::reapRunners);
    updateButtons();
}

JobsPanel::~JobsPanel()
{
    m_runners.clear(); // each runner stops its job (interrupted, resumable) and joins its thread
}

void JobsPanel::setProject(const QString& path, bool readOnly)
{
    m_runners.clear();
    m_reaper->stop();
    m_path = path;
    m_readOnly = readOnly;
    m_shown.clear();
    m_models.clear();
    m_view->clear();
    m_note->hide();
    ++m_generation;
    if (!m_path.isEmpty())
        reload();
    updateButtons();
}

void JobsPanel::reload()
{
    if (m_path.isEmpty())
        return;
    const QString path = m_path;
    const quint64 generation = m_generation;
    runInBackground(
        this,
        [path] {
            const auto project = Project::open(path, Project::OpenMode::ReadOnly);
            JobStore store(*project);
            JobList list;
            list.jobs = store.jobs();
            // The first failed items of each job, with their reasons, for the error column's tooltip.
            for (const JobInfo& info : list.jobs) {
                if (info.failed + info.refused == 0)
                    continue;
                QStringList lines;
                for (const JobItemInfo& item : store.items(info.id, JobItemState::Failed, kErrorsShown))
                    lines << tr("%1: %2").arg(item.extId, item.lastError);
                for (const JobItemInfo& item : store.items(info.id, JobItemState::Refused, kErrorsShown))
                    lines << tr("%1: refused").arg(item.extId);
                list.errors.insert(info.id, lines.join(u'\n'));
            }
            return list;
        },
        [this, generation](std::optional<JobList> list, const QString& error) {
            if (generation != m_generation)
                return;
            if (!list) {
                m_note->setText(tr("Could not read the jobs: %1").arg(error));
                m_note->show();
                return;
            }
            apply(list->jobs);
            for (auto it = list->errors.cbegin(); it != list->errors.cend(); ++it)
                if (QTreeWidgetItem* row = rowFor(it.key(), false))
                    row->setToolTip(ColError, it.value());
        });
}

void JobsPanel::apply(const QList<JobInfo>& jobs)
{
    QStringList interrupted;
    for (const JobInfo& info : jobs) {
        m_models.insert(info.id, info.settings.model);
        if (m_runners.count(info.id))
            continue; // the runner's live numbers are newer
        JobProgress p = fromInfo(info);
        if (p.state == JobState::Running && !info.runnerAlive)
            p.state = JobState::Interrupted; // its process died: resumable
        showJob(p, info.settings.model);
        if ((p.state == JobState::Interrupted || p.state == JobState::Paused) && info.remaining() > 0)
            interrupted << tr("job %1 (%2 of %3 left)").arg(info.id).arg(info.remaining()).arg(info.total);
    }
    if (!interrupted.isEmpty() && !m_readOnly) {
        m_note->setText(tr("Not finished: %1. Select one and press Resume to continue where it stopped.")
                            .arg(interrupted.join(u", "_s)));
        m_note->show();
        setVisible(true); // found on opening a project: offer to resume it
    } else if (m_runners.empty()) {
        m_note->hide();
    }
    updateButtons();
}

QTreeWidgetItem* JobsPanel::rowFor(std::int64_t jobId, bool create)
{
    for (int i = 0; i < m_view->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_view->topLevelItem(i);
        if (item->data(ColJob, Qt::UserRole).toLongLong() == jobId)
            return item;
    }
    if (!create)
        return nullptr;
    auto* item = new QTreeWidgetItem;
    item->setData(ColJob, Qt::UserRole, static_cast<qlonglong>(jobId));
    item->setText(ColJob, QString::number(jobId));
    // Newest first, as the job store lists them.
    int at = 0;
    while (at < m_view->topLevelItemCount()
           && m_view->topLevelItem(at)->data(ColJob, Qt::UserRole).toLongLong() > jobId)
        ++at;
    m_view->insertTopLevelItem(at, item);
    auto* bar = new QProgressBar(m_view);
    bar->setTextVisible(true);
    m_view->setItemWidget(item, ColProgress, bar);
    return item;
}

void JobsPanel::showJob(const JobProgress& p, const QString& model)
{
    m_shown.insert(p.jobId, p);
    QTreeWidgetItem* item = rowFor(p.jobId, true);
    const QLocale locale;
    item->setText(ColModel, model);
    item->setText(ColState, stateText(p.state, p.paused));
    if (auto* bar = qobject_cast<QProgressBar*>(m_view->itemWidget(item, ColProgress))) {
        bar->setRange(0, int(std::max<std::int64_t>(p.total, 1)));
        bar->setValue(int(std::min(p.finished, std::max<std::int64_t>(p.total, 1))));
    }
    item->setText(ColCounts, tr("%1 / %2 / %3")
                                 .arg(locale.toString(p.done + p.reused), locale.toString(p.failed + p.refused),
                                      locale.toString(p.total)));
    const bool live = m_runners.count(p.jobId) > 0;
    item->setText(ColRate,
                  live && p.rate > 0 ? tr("%1 items/min").arg(locale.toString(p.rate * 60.0, 'f', 1)) : QString());
    item->setText(ColEta, live ? etaText(p.etaSeconds) : QString());
    item->setText(ColError, p.lastError);
    item->setToolTip(ColError, p.lastError); // reload() lists the failed items there
    updateButtons();
}

void JobsPanel::onProgress(const JobProgress& p)
{
    if (!m_runners.count(p.jobId))
        return; // a late report of a runner already reaped
    showJob(p, m_models.value(p.jobId));
}

void JobsPanel::startJob(std::int64_t jobId)
{
    if (jobId <= 0 || m_path.isEmpty() || m_readOnly)
        return;
    if (auto it = m_runners.find(jobId); it != m_runners.end()) {
        it->second->resume();
        JobProgress p = it->second->progress();
        p.paused = false;
        showJob(p, m_models.value(jobId));
        return;
    }
    const QString path = m_path;
    const quint64 generation = m_generation;
    runInBackground(
        this,
        [path, jobId] {
            const auto project = Project::open(path, Project::OpenMode::ReadOnly);
            JobStore store(*project);
            const std::optional<JobInfo> info = store.job(jobId);
            if (!info)
                throw Error(tr("There is no job %1.").arg(jobId));
            return *info;
        },
        [this, generation, jobId](std::optional<JobInfo> info, const QString& error) {
            if (generation != m_generation || m_runners.count(jobId))
                return;
            if (!info) {
                m_note->setText(error);
                m_note->show();
                return;
            }
            m_models.insert(jobId, info->settings.model);
            const RecaptionSettings& s = info->settings;
            // Keychain lookups belong on the GUI thread; the key goes to the runner and nowhere else.
            const ApiKeys::Found key = ApiKeys::lookup(s.provider, s.effectiveBaseUrl());
            if (key.key.isEmpty() && ApiKeys::required(s.provider)) {
                m_note->setText(tr("Job %1 needs an OpenAI API key: set OPENAI_API_KEY (or store one in the system "
                                   "keychain) and press Resume.")
                                    .arg(jobId));
                m_note->show();
                return;
            }
            QPointer<JobsPanel> self(this);
            RecaptionRunner::Callbacks cb;
            cb.progress = [self](const JobProgress& p) {
                QMetaObject::invokeMethod(
                    QCoreApplication::instance(),
                    [self, p] {
                        if (self)
                            self->onProgress(p);
                    },
                    Qt::QueuedConnection);
            };
            auto runner = std::make_unique<RecaptionRunner>(m_path, jobId, key.key, cb);
            runner->start();
            m_runners.emplace(jobId, std::move(runner));
            m_note->hide();
            JobProgress p = fromInfo(*info);
            p.state = JobState::Running;
            showJob(p, info->settings.model);
            m_reaper->start();
        });
}

void JobsPanel::pauseJob(std::int64_t jobId)
{
    auto it = m_runners.find(jobId);
    if (it == m_runners.end())
        return;
    it->second->pause();
    JobProgress p = it->second->progress();
    p.paused = true;
    showJob(p, m_models.value(jobId));
}

void JobsPanel::cancelJob(std::int64_t jobId)
{
    if (jobId <= 0)
        return;
    if (auto it = m_runners.find(jobId); it != m_runners.end()) {
        it->second->cancel();
        return; // the reaper collects it
    }
    const QString path = m_path;
    runInBackground(
        this,
        [path, jobId] {
            const auto project = Project::open(path);
            JobStore(*project).cancel(jobId);
            return true;
        },
        [this](std::optional<bool> ok, const QString& error) {
            if (!ok) {
                m_note->setText(error);
                m_note->show();
            }
            reload();
        });
}

void JobsPanel::reapRunners()
{
    for (auto it = m_runners.begin(); it != m_runners.end();) {
        if (it->second->isRunning()) {
            ++it;
            continue;
        }
        const std::int64_t jobId = it->first;
        QString message;
        try {
            const JobProgress final = it->second->wait();
            it = m_runners.erase(it);
            showJob(final, m_models.value(jobId));
            message = final.state == JobState::Done
                          ? tr("Job %1 finished: %2 captions, %3 failed.")
                                .arg(jobId)
                                .arg(final.done + final.reused)
                                .arg(final.failed + final.refused)
                          : tr("Job %1 %2. %3").arg(jobId).arg(stateText(final.state, false), final.lastError);
        } catch (const Error& e) {
            it = m_runners.erase(it);
            message = tr("Job %1 could not run: %2").arg(jobId).arg(e.message());
            m_note->setText(message);
            m_note->show();
        }
        Q_EMIT jobEnded(jobId, message.trimmed());
        reload();
    }
    if (m_runners.empty())
        m_reaper->stop();
    updateButtons();
}

JobProgress JobsPanel::shown(std::int64_t jobId) const
{
    return m_shown.value(jobId);
}

bool JobsPanel::isRunning(std::int64_t jobId) const
{
    return m_runners.count(jobId) > 0;
}

std::int64_t JobsPanel::selectedJob() const
{
    const QList<QTreeWidgetItem*> selected = m_view->selectedItems();
    return selected.isEmpty() ? 0 : selected.first()->data(ColJob, Qt::UserRole).toLongLong();
}

void JobsPanel::updateButtons()
{
    const std::int64_t job = selectedJob();
    const auto it = m_runners.find(job);
    const bool running = it != m_runners.end();
    const bool paused = running && it->second->isPaused();
    const JobProgress p = m_shown.value(job);
    m_pause->setEnabled(running && !paused);
    m_resume->setEnabled(!m_readOnly && job > 0
                         && (paused || (!running && resumable(p.state) && p.done + p.reused + p.refused < p.total)));
    m_cancel->setEnabled(!m_readOnly && job > 0
                         && (running || (p.state != JobState::Done && p.state != JobState::Cancelled)));
}

} // namespace facet
