#include "projectworker.h"

#include "database.h"
#include "error.h"
#include "project.h"
#include "query.h"
#include "segmentedits.h"

#include <QTimer>

#include <algorithm>

namespace facet {

namespace {

// An undo that touched more items than this refreshes everything anyway; the list is only used
// to bring a single undone item back into view.
constexpr int kMaxReplayedIds = 64;

// Counting per source scans every item; during quick A-A-A review bursts it runs once after the
// burst instead of after every key press.
constexpr int kCountsDelayMs = 250;

} // namespace

ProjectWorker::ProjectWorker(const QString& path, bool readOnly)
    : m_path(path)
    , m_readOnly(readOnly)
{
}

// Runs on the worker thread (deleteLater after the thread's loop ends), where the connection and
// the timers were created.
ProjectWorker::~ProjectWorker() = default;

template <typename F> void ProjectWorker::post(F&& f)
{
    QMetaObject::invokeMethod(this, std::forward<F>(f), Qt::QueuedConnection);
}

void ProjectWorker::setPollInterval(int ms)
{
    post([this, ms] {
        m_pollInterval = ms;
        if (m_pollTimer)
            m_pollTimer->setInterval(ms);
    });
}

void ProjectWorker::requestOpen()
{
    post([this] { open(); });
}

void ProjectWorker::requestQuery(quint64 generation, const QString& filter)
{
    m_generation.store(generation);
    post([this, generation, filter] { runQuery(generation, filter); });
}

void ProjectWorker::requestPage(quint64 generation, int page)
{
    post([this, generation, page] { loadPage(generation, page); });
}

void ProjectWorker::requestDetail(ItemId id)
{
    m_wantedDetail.store(id);
    post([this, id] { loadDetail(id); });
}

void ProjectWorker::requestCounts()
{
    post([this] {
        loadCounts();
        emitUndoState();
    });
}

void ProjectWorker::requestSetStatus(const QList<ItemId>& ids, Status status, const QString& reason)
{
    post([this, ids, status, reason] {
        if (!m_project || ids.isEmpty())
            return;
        try {
            Selection selection;
            selection.itemIds = ids;
            Curation curation(*m_project);
            const std::int64_t changed = curation.setStatus(selection, status, Curation::defaultReviewer(), reason);
            QString message;
            if (changed == 0)
                message = tr("Nothing changed: already %1").arg(statusKey(status));
            else if (status == Status::Accepted)
                message = tr("Accepted %n item(s)", nullptr, static_cast<int>(changed));
            else if (status == Status::Rejected)
                message = tr("Rejected %n item(s)", nullptr, static_cast<int>(changed));
            else
                message = tr("Reset %n item(s) to pending", nullptr, static_cast<int>(changed));
            Q_EMIT itemsChanged(ids, message);
            emitUndoState();
            scheduleCounts();
        } catch (const Error& e) {
            Q_EMIT actionFailed(e.message());
            Q_EMIT itemsChanged(ids, QString()); // the GUI showed the change early; take it back
        }
    });
}

void ProjectWorker::requestEditCaption(ItemId id, const QString& text)
{
    post([this, id, text] {
        if (!m_project)
            return;
        try {
            Curation(*m_project).editCaption(id, text, Curation::defaultReviewer());
            Q_EMIT itemsChanged({id}, tr("Saved a new caption version"));
            emitUndoState();
        } catch (const Error& e) {
            Q_EMIT actionFailed(e.message());
        }
    });
}

void ProjectWorker::requestEditSegment(ItemId id, int segment, const QString& text)
{
    post([this, id, segment, text] {
        if (!m_project)
            return;
        try {
            SegmentEdits(*m_project).editSegment(id, segment, text, Curation::defaultReviewer());
            Q_EMIT itemsChanged({id}, tr("Saved the edited sentence as a new caption version"));
            emitUndoState();
        } catch (const Error& e) {
            Q_EMIT actionFailed(e.message());
        }
    });
}

void ProjectWorker::requestDeleteSegment(ItemId id, int segment)
{
    post([this, id, segment] {
        if (!m_project)
            return;
        try {
            SegmentEdits(*m_project).deleteSegment(id, segment, Curation::defaultReviewer());
            Q_EMIT itemsChanged({id}, tr("Deleted the sentence (a new caption version)"));
            emitUndoState();
        } catch (const Error& e) {
            Q_EMIT actionFailed(e.message());
        }
    });
}

void ProjectWorker::requestRelabelSegment(ItemId id, int segment, const QStringList& facets, const QString& label)
{
    post([this, id, segment, facets, label] {
        if (!m_project)
            return;
        try {
            SegmentEdits(*m_project).relabelSegment(id, segment, facets, Curation::defaultReviewer());
            Q_EMIT itemsChanged({id}, tr("Moved the sentence to %1").arg(label));
            emitUndoState();
        } catch (const Error& e) {
            Q_EMIT actionFailed(e.message());
        }
    });
}

void ProjectWorker::requestUndo()
{
    post([this] {
        if (!m_project)
            return;
        try {
            const std::optional<JournalEntry> entry = Curation(*m_project).undo();
            if (entry)
                Q_EMIT journalReplayed(itemsOfJournalEntry(entry->id), tr("Undid: %1").arg(entry->summary));
            else
                Q_EMIT journalReplayed({}, tr("Nothing to undo"));
            emitUndoState();
            scheduleCounts();
        } catch (const Error& e) {
            Q_EMIT actionFailed(e.message());
        }
    });
}

void ProjectWorker::requestRedo()
{
    post([this] {
        if (!m_project)
            return;
        try {
            const std::optional<JournalEntry> entry = Curation(*m_project).redo();
            if (entry)
                Q_EMIT journalReplayed(itemsOfJournalEntry(entry->id), tr("Redid: %1").arg(entry->summary));
            else
                Q_EMIT journalReplayed({}, tr("Nothing to redo"));
            emitUndoState();
            scheduleCounts();
        } catch (const Error& e) {
            Q_EMIT actionFailed(e.message());
        }
    });
}

void ProjectWorker::requestCountChanges(const QString& filter, Status status)
{
    post([this, filter, status] {
        if (!m_project)
            return;
        try {
            Selection selection;
            selection.filter = filter;
            selection.all = filter.trimmed().isEmpty();
            Q_EMIT countChangesReady(filter, status, Curation(*m_project).countStatusChanges(selection, status));
        } catch (const Error& e) {
            Q_EMIT actionFailed(e.message());
        }
    });
}

void ProjectWorker::open()
{
    try {
        m_project = Project::open(m_path, m_readOnly ? Project::OpenMode::ReadOnly : Project::OpenMode::Existing);
        m_dataVersion = m_project->db().dataVersion();
    } catch (const Error& e) {
        m_project.reset();
        Q_EMIT openFailed(e.message());
        return;
    }
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(m_pollInterval);
    connect(m_pollTimer, &QTimer::timeout, this, &ProjectWorker::poll);
    m_pollTimer->start();
    m_countsTimer = new QTimer(this);
    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(kCountsDelayMs);
    connect(m_countsTimer, &QTimer::timeout, this, &ProjectWorker::loadCounts);
    loadFacetModel(true);
    Q_EMIT opened(m_project->name());
}

// `facet facets P --cues FILE` may change the project's cues while the window is open; poll()
// calls this after every change by another process, and the model (a merge and compile of the
// whole lexicon) is rebuilt only when the stored document differs. The fingerprint of the model
// that computed the stored facets is one more row, read every time: a recompute changes only it.
void ProjectWorker::loadFacetModel(bool force)
{
    try {
        const QString cues = FacetModel::projectCues(m_project->db());
        if (force || cues != m_facetCues) {
            m_facetCues = cues;
            const FacetModel model = FacetModel::forProject(m_project->db());
            m_modelFingerprint = model.fingerprint();
            Q_EMIT facetModelReady(model);
        }
        const bool current = FacetModel::indexedBy(m_project->db()) == m_modelFingerprint;
        if (force || m_facetsCurrent != current) {
            m_facetsCurrent = current;
            Q_EMIT facetsCurrentChanged(current);
        }
    } catch (const Error& e) {
        Q_EMIT facetModelFailed(e.message());
    }
}

void ProjectWorker::runQuery(quint64 generation, const QString& filter)
{
    if (!m_project || generation != m_generation.load())
        return;
    try {
        const Query query = Query::parse(filter);
        auto ids = std::make_shared<const std::vector<ItemId>>(ItemStore(*m_project).ids(query));
        if (generation != m_generation.load())
            return;
        m_ids = ids;
        Q_EMIT idsReady(generation, ids);
    } catch (const Error& e) {
        Q_EMIT queryFailed(generation, e.message());
    }
}

void ProjectWorker::loadPage(quint64 generation, int page)
{
    if (!m_project || !m_ids || generation != m_generation.load())
        return;
    const std::size_t first = static_cast<std::size_t>(page) * kGridPageSize;
    if (first >= m_ids->size())
        return;
    const std::size_t last = std::min(m_ids->size(), first + kGridPageSize);
    const std::vector<ItemId> slice(m_ids->begin() + static_cast<std::ptrdiff_t>(first),
                                    m_ids->begin() + static_cast<std::ptrdiff_t>(last));
    try {
        Q_EMIT pageReady(generation, page, ItemStore(*m_project).summaries(slice));
    } catch (const Error& e) {
        Q_EMIT actionFailed(e.message());
    }
}

void ProjectWorker::loadDetail(ItemId id)
{
    // Holding J down queues many requests; only the item the user stopped on is worth reading.
    if (!m_project || id != m_wantedDetail.load())
        return;
    try {
        const std::optional<ItemDetail> detail = ItemStore(*m_project).detail(id);
        if (detail)
            Q_EMIT detailReady(*detail);
        else
            Q_EMIT detailMissing(id);
    } catch (const Error& e) {
        Q_EMIT actionFailed(e.message());
    }
}

void ProjectWorker::loadCounts()
{
    if (!m_project)
        return;
    try {
        Q_EMIT countsReady(ItemStore(*m_project).sources());
    } catch (const Error& e) {
        Q_EMIT actionFailed(e.message());
    }
}

void ProjectWorker::scheduleCounts()
{
    if (m_countsTimer)
        m_countsTimer->start();
}

void ProjectWorker::emitUndoState()
{
    if (!m_project || m_readOnly) {
        Q_EMIT undoStateChanged(false, false, QString(), QString());
        return;
    }
    try {
        Curation curation(*m_project);
        const QList<JournalEntry> history = curation.history(200);
        QString undoText, redoText;
        // history() is newest first; the undo candidate is the newest entry not undone, the redo
        // candidate the oldest undone one (undone entries are always the newest).
        for (const JournalEntry& e : history) {
            if (e.undone)
                redoText = e.summary;
            else if (undoText.isEmpty())
                undoText = e.summary;
        }
        Q_EMIT undoStateChanged(curation.canUndo(), curation.canRedo(), undoText, redoText);
    } catch (const Error& e) {
        Q_EMIT actionFailed(e.message());
    }
}

QList<ItemId> ProjectWorker::itemsOfJournalEntry(std::int64_t journalId)
{
    QList<ItemId> ids;
    Statement st = m_project->db().prepare("SELECT item_id FROM journal_status WHERE journal_id = ?1 "
                                           "UNION SELECT item_id FROM journal_caption WHERE journal_id = ?1 "
                                           "UNION SELECT v.item_id FROM journal_segment js JOIN caption_versions v "
                                           "ON v.id = js.version_id WHERE js.journal_id = ?1 "
                                           "LIMIT ?2");
    st.bind(1, journalId).bind(2, kMaxReplayedIds + 1);
    while (st.step())
        ids.append(st.int64(0));
    return ids;
}

void ProjectWorker::poll()
{
    if (!m_project)
        return;
    try {
        const std::int64_t version = m_project->db().dataVersion();
        if (version == m_dataVersion)
            return;
        m_dataVersion = version;
    } catch (const Error& e) {
        Q_EMIT actionFailed(e.message());
        return;
    }
    loadFacetModel(false);
    Q_EMIT changedElsewhere();
    loadCounts();
    emitUndoState();
}

} // namespace facet
