#include "curation.h"

#include "database.h"
#include "error.h"
#include "facetindexer.h"
#include "project.h"

#include <QLocale>

#include <algorithm>
#include <utility>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace facet {

using namespace Qt::Literals::StringLiterals;

namespace {

// Undone entries are always the newest ones (a new action discards them), so they form the redo
// stack. ON DELETE CASCADE removes their change rows.
void discardRedoStack(Database& db)
{
    db.exec("DELETE FROM journal WHERE undone = 1");
}

std::int64_t addJournalEntry(Database& db, const QString& kind, const QString& summary, const QString& author)
{
    Statement st = db.prepare("INSERT INTO journal(kind, summary, author, created_at) VALUES(?, ?, ?, ?)");
    st.bind(1, kind).bind(2, summary).bind(3, author).bind(4, nowIso()).run();
    return db.lastInsertId();
}

QString verbFor(Status status)
{
    switch (status) {
    case Status::Accepted:
        return Curation::tr("Accept");
    case Status::Rejected:
        return Curation::tr("Reject");
    case Status::Pending:
        break;
    }
    return Curation::tr("Reset");
}

} // namespace

Curation::Curation(Project& project)
    : m_project(project)
{
}

Curation::~Curation() = default;

void Curation::indexFacets(std::int64_t versionId, const QString& text)
{
    if (!m_indexer)
        m_indexer = std::make_unique<FacetIndexer>();
    m_indexer->indexVersion(m_project.db(), versionId, text);
}

QString Curation::defaultReviewer()
{
    for (const char* var : {"FACET_REVIEWER", "USER", "USERNAME", "LOGNAME"}) {
        const QString value = qEnvironmentVariable(var);
        if (!value.isEmpty())
            return value;
    }
    // Started without a login environment (a desktop launcher, a service, a container): the
    // account's name still says who reviewed, where "unknown" says nothing. Looked up once:
    // getpwuid() returns a shared buffer, and the worker and job threads all ask.
    static const QString account = [] {
#ifdef Q_OS_UNIX
        if (const passwd* entry = getpwuid(getuid()); entry && entry->pw_name && *entry->pw_name)
            return QString::fromLocal8Bit(entry->pw_name);
#endif
        return u"unknown"_s;
    }();
    return account;
}

std::int64_t Curation::countStatusChanges(const Selection& selection, Status status)
{
    Query q = selection.toQuery();
    q.addClause(u"i.status != ?"_s, {static_cast<std::int64_t>(status)});
    const QString sql = u"SELECT count(*) FROM "_s + q.countFrom() + u" WHERE "_s + q.where();
    Statement st = m_project.db().prepare(sql.toStdString());
    q.bind(st);
    return st.step() ? st.int64(0) : 0;
}

std::int64_t Curation::setStatus(const Selection& selection, Status status, const QString& reviewer,
                                 const QString& reason, bool dryRun)
{
    if (dryRun)
        return countStatusChanges(selection, status);

    Query q = selection.toQuery();
    q.addClause(u"i.status != ?"_s, {static_cast<std::int64_t>(status)});
    Database& db = m_project.db();
    const QString who = reviewer.isEmpty() ? defaultReviewer() : reviewer;
    const QString keptReason = status == Status::Rejected && !reason.isEmpty() ? reason : QString();
    const QString now = nowIso();

    Transaction tx(db);
    discardRedoStack(db);
    const std::int64_t journalId = addJournalEntry(db, u"review"_s, u""_s, who);

    // The journal rows are written first and the update is driven by them, so the data and its undo
    // record can never disagree about which items changed.
    const QString insert =
        u"INSERT INTO journal_status(journal_id, item_id, old_status, old_reviewer, old_reason, old_reviewed_at, "
        "new_status, new_reviewer, new_reason, new_reviewed_at) "
        "SELECT ?, i.id, i.status, i.reviewer, i.reason, i.reviewed_at, ?, ?, ?, ? FROM "_s
        + QLatin1String(Query::from()) + u" WHERE "_s + q.where();
    Statement ins = db.prepare(insert.toStdString());
    ins.bind(1, journalId).bind(2, static_cast<std::int64_t>(status)).bind(3, who).bind(4, keptReason).bind(5, now);
    q.bind(ins, 6);
    ins.run();
    const std::int64_t changed = db.changes();
    if (changed == 0)
        return 0; // the transaction rolls back: no empty journal entries

    Statement upd = db.prepare("UPDATE items SET status = ?, reviewer = ?, reason = ?, reviewed_at = ?, updated_at = ? "
                               "WHERE id IN (SELECT item_id FROM journal_status WHERE journal_id = ?)");
    upd.bind(1, static_cast<std::int64_t>(status)).bind(2, who).bind(3, keptReason).bind(4, now).bind(5, now);
    upd.bind(6, journalId).run();

    QString summary = tr("%1 %n item(s)", nullptr, static_cast<int>(changed)).arg(verbFor(status));
    if (!keptReason.isEmpty())
        summary += u" ("_s + keptReason + u")"_s;
    Statement sum = db.prepare("UPDATE journal SET summary = ? WHERE id = ?");
    sum.bind(1, summary).bind(2, journalId).run();
    tx.commit();
    return changed;
}

std::int64_t Curation::editCaption(ItemId item, const QString& text, const QString& author)
{
    return addVersion(item, text, Origin::Human, author, u"edit"_s, tr("Edit caption"));
}

std::int64_t Curation::addVersion(ItemId item, const QString& text, Origin origin, const QString& author,
                                  const QString& kind, const QString& summary, const QString& model,
                                  const QString& prompt, const QString& params,
                                  const std::function<void(std::int64_t versionId)>& inTransaction)
{
    Database& db = m_project.db();
    const QString who = author.isEmpty() ? defaultReviewer() : author;
    const QString now = nowIso();

    Transaction tx(db);
    Statement cur = db.prepare("SELECT i.current_version, i.ext_id, v.text FROM items i "
                               "LEFT JOIN caption_versions v ON v.id = i.current_version WHERE i.id = ?");
    cur.bind(1, item);
    if (!cur.step())
        throw Error(tr("No item with internal id %1").arg(item));
    const std::optional<std::int64_t> oldVersion = cur.isNull(0) ? std::nullopt
                                                                 : std::optional<std::int64_t>(cur.int64(0));
    const QString extId = cur.text(1);
    const QString oldText = cur.text(2);
    if (oldVersion && oldText == text)
        return *oldVersion; // nothing to record: the caption did not change

    discardRedoStack(db);
    Statement ins = db.prepare("INSERT INTO caption_versions(item_id, text, chars, origin, model, prompt, params, "
                               "author, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, item).bind(2, text).bind(3, static_cast<std::int64_t>(text.size()));
    ins.bind(4, static_cast<std::int64_t>(origin)).bind(5, model).bind(6, prompt).bind(7, params);
    ins.bind(8, who).bind(9, now).run();
    const std::int64_t versionId = db.lastInsertId();

    // Every version is indexed; searches match only an item's current version, so undo and redo
    // never touch the index and it always agrees with its content table.
    Statement fts = db.prepare("INSERT INTO captions_fts(rowid, text) VALUES(?, ?)");
    fts.bind(1, versionId).bind(2, text).run();
    indexFacets(versionId, text);
    if (inTransaction)
        inTransaction(versionId);

    Statement upd = db.prepare("UPDATE items SET current_version = ?, updated_at = ? WHERE id = ?");
    upd.bind(1, versionId).bind(2, now).bind(3, item).run();

    const std::int64_t journalId = addJournalEntry(db, kind, summary + u" — "_s + extId, who);
    Statement jc = db.prepare(
        "INSERT INTO journal_caption(journal_id, item_id, old_version, new_version) VALUES(?, ?, ?, ?)");
    jc.bind(1, journalId).bind(2, item).bind(3, oldVersion).bind(4, versionId).run();
    tx.commit();
    return versionId;
}

std::vector<std::int64_t> Curation::addModelVersions(
    const QList<ModelCaption>& captions, const QString& author,
    const std::function<void(qsizetype index, std::int64_t versionId, bool added)>& inTransaction)
{
    std::vector<std::int64_t> ids;
    ids.reserve(std::size_t(captions.size()));
    if (captions.isEmpty())
        return ids;
    Database& db = m_project.db();
    const QString who = author.isEmpty() ? defaultReviewer() : author;
    const QString now = nowIso();

    Transaction tx(db);
    Statement cur = db.prepare("SELECT i.current_version, i.ext_id, v.text, i.status, i.reviewer, i.reason, "
                               "i.reviewed_at FROM items i "
                               "LEFT JOIN caption_versions v ON v.id = i.current_version WHERE i.id = ?");
    Statement ins = db.prepare("INSERT INTO caption_versions(item_id, text, chars, origin, model, prompt, params, "
                               "author, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Statement fts = db.prepare("INSERT INTO captions_fts(rowid, text) VALUES(?, ?)");
    Statement upd = db.prepare("UPDATE items SET current_version = ?, recaptioned = 1, status = ?, reviewer = NULL, "
                               "reason = NULL, reviewed_at = NULL, updated_at = ? WHERE id = ?");
    Statement journal = db.prepare("INSERT INTO journal(kind, summary, author, created_at) VALUES(?, ?, ?, ?)");
    Statement jc = db.prepare(
        "INSERT INTO journal_caption(journal_id, item_id, old_version, new_version) VALUES(?, ?, ?, ?)");
    Statement js = db.prepare(
        "INSERT INTO journal_status(journal_id, item_id, old_status, old_reviewer, old_reason, old_reviewed_at, "
        "new_status, new_reviewer, new_reason, new_reviewed_at) VALUES(?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)");
    bool discarded = false;
    for (qsizetype k = 0; k < captions.size(); ++k) {
        const ModelCaption& c = captions.at(k);
        cur.reset();
        cur.bind(1, c.item);
        if (!cur.step())
            throw Error(tr("No item with internal id %1").arg(c.item));
        const std::optional<std::int64_t> oldVersion = cur.isNull(0) ? std::nullopt
                                                                     : std::optional<std::int64_t>(cur.int64(0));
        const QString extId = cur.text(1);
        if (oldVersion && cur.text(2) == c.text) {
            cur.reset();
            ids.push_back(*oldVersion);
            if (inTransaction)
                inTransaction(k, *oldVersion, false);
            continue;
        }
        const std::int64_t oldStatus = cur.int64(3);
        const QString oldReviewer = cur.text(4);
        const QString oldReason = cur.text(5);
        const QString oldReviewedAt = cur.text(6);
        cur.reset();
        if (!discarded) {
            discardRedoStack(db);
            discarded = true;
        }
        ins.reset();
        ins.bind(1, c.item).bind(2, c.text).bind(3, static_cast<std::int64_t>(c.text.size()));
        ins.bind(4, static_cast<std::int64_t>(Origin::Model)).bind(5, c.model).bind(6, c.prompt).bind(7, c.params);
        ins.bind(8, who).bind(9, now).run();
        const std::int64_t versionId = db.lastInsertId();
        fts.reset();
        fts.bind(1, versionId).bind(2, c.text).run();
        upd.reset();
        upd.bind(1, versionId).bind(2, static_cast<std::int64_t>(Status::Pending)).bind(3, now).bind(4, c.item).run();

        journal.reset();
        journal.bind(1, u"recaption"_s).bind(2, tr("Recaption with %1").arg(c.model) + u" — "_s + extId);
        journal.bind(3, who).bind(4, now).run();
        const std::int64_t journalId = db.lastInsertId();
        jc.reset();
        jc.bind(1, journalId).bind(2, c.item).bind(3, oldVersion).bind(4, versionId).run();
        js.reset();
        js.bind(1, journalId).bind(2, c.item).bind(3, oldStatus).bind(4, oldReviewer).bind(5, oldReason);
        js.bind(6, oldReviewedAt).bind(7, static_cast<std::int64_t>(Status::Pending)).run();
        ids.push_back(versionId);
        if (inTransaction)
            inTransaction(k, versionId, true);
    }
    tx.commit();
    return ids;
}

bool Curation::keepVersion(ItemId item, std::int64_t versionId, const QString& author)
{
    Database& db = m_project.db();
    const QString who = author.isEmpty() ? defaultReviewer() : author;
    Transaction tx(db);
    Statement cur = db.prepare("SELECT i.current_version, i.ext_id, v.item_id FROM items i "
                               "LEFT JOIN caption_versions v ON v.id = ? WHERE i.id = ?");
    cur.bind(1, versionId).bind(2, item);
    if (!cur.step())
        throw Error(tr("No item with internal id %1").arg(item));
    if (cur.isNull(2) || cur.int64(2) != item)
        throw Error(tr("Version %1 is not a caption version of this item").arg(versionId));
    const std::optional<std::int64_t> oldVersion = cur.isNull(0) ? std::nullopt
                                                                 : std::optional<std::int64_t>(cur.int64(0));
    const QString extId = cur.text(1);
    cur.reset();
    if (oldVersion == versionId)
        return false;
    discardRedoStack(db);
    Statement upd = db.prepare("UPDATE items SET current_version = ?, updated_at = ? WHERE id = ?");
    upd.bind(1, versionId).bind(2, nowIso()).bind(3, item).run();
    const std::int64_t journalId = addJournalEntry(
        db, u"keep"_s, tr("Keep caption version %1").arg(versionId) + u" — "_s + extId, who);
    Statement jc = db.prepare(
        "INSERT INTO journal_caption(journal_id, item_id, old_version, new_version) VALUES(?, ?, ?, ?)");
    jc.bind(1, journalId).bind(2, item).bind(3, oldVersion).bind(4, versionId).run();
    tx.commit();
    return true;
}

namespace {

JournalEntry readEntry(const Statement& st)
{
    JournalEntry e;
    e.id = st.int64(0);
    e.kind = st.text(1);
    e.summary = st.text(2);
    e.author = st.text(3);
    e.at = st.text(4);
    e.undone = st.integer(5) != 0;
    return e;
}

// Moves the current caption of every item in a journal entry from one side of the change to the other.
void swapCaptions(Database& db, std::int64_t journalId, bool toOld)
{
    const char* to = toOld ? "old_version" : "new_version";
    const std::string upd = std::string("UPDATE items SET current_version = jc.") + to
                            + ", updated_at = ? FROM journal_caption jc "
                              "WHERE jc.journal_id = ? AND items.id = jc.item_id";
    Statement u = db.prepare(upd);
    u.bind(1, nowIso()).bind(2, journalId).run();
}

void applyStatus(Database& db, std::int64_t journalId, bool toOld)
{
    const std::string side = toOld ? "old_" : "new_";
    const std::string sql = "UPDATE items SET status = js." + side + "status, reviewer = js." + side
                            + "reviewer, reason = js." + side + "reason, reviewed_at = js." + side
                            + "reviewed_at, updated_at = ? FROM journal_status js "
                              "WHERE js.journal_id = ? AND items.id = js.item_id";
    Statement u = db.prepare(sql);
    u.bind(1, nowIso()).bind(2, journalId).run();
}

// Puts the reviewer facets of the segments in a journal entry back to one side of the change and
// recounts the facets of the versions involved.
void applySegments(Database& db, std::int64_t journalId, bool toOld)
{
    const std::string side = toOld ? "old_" : "new_";
    Statement rows = db.prepare("SELECT DISTINCT version_id FROM journal_segment WHERE journal_id = ?");
    rows.bind(1, journalId);
    std::vector<std::int64_t> versions;
    while (rows.step())
        versions.push_back(rows.int64(0));
    if (versions.empty())
        return;
    // Applied oldest first when redoing and newest first when undoing, so that a segment changed twice
    // in one entry ends on the right side.
    const std::string sql = "SELECT idx, " + side + "facets, " + side
                            + "labelled_by FROM journal_segment WHERE journal_id = ? AND version_id = ? ORDER BY rowid"
                            + (toOld ? " DESC" : "");
    Statement changes = db.prepare(sql);
    for (const std::int64_t v : versions) {
        QList<StoredSegment> segments = storedSegments(db, v);
        changes.reset();
        changes.bind(1, journalId).bind(2, v);
        while (changes.step()) {
            const int idx = changes.integer(0);
            if (idx < 0 || idx >= segments.size())
                continue; // the journal names a segment this version does not have: nothing to restore
            segments[idx].facets = changes.text(1).split(u',', Qt::SkipEmptyParts);
            segments[idx].labelledBy = changes.integer(2);
        }
        changes.reset();
        storeSegments(db, v, segments);
    }
}

} // namespace

std::optional<JournalEntry> Curation::undo()
{
    Database& db = m_project.db();
    Transaction tx(db);
    Statement st = db.prepare("SELECT id, kind, summary, author, created_at, undone FROM journal "
                              "WHERE undone = 0 ORDER BY id DESC LIMIT 1");
    if (!st.step())
        return std::nullopt;
    JournalEntry e = readEntry(st);
    applyStatus(db, e.id, true);
    swapCaptions(db, e.id, true);
    applySegments(db, e.id, true);
    Statement mark = db.prepare("UPDATE journal SET undone = 1 WHERE id = ?");
    mark.bind(1, e.id).run();
    tx.commit();
    e.undone = true;
    return e;
}

std::optional<JournalEntry> Curation::redo()
{
    Database& db = m_project.db();
    Transaction tx(db);
    Statement st = db.prepare("SELECT id, kind, summary, author, created_at, undone FROM journal "
                              "WHERE undone = 1 ORDER BY id ASC LIMIT 1");
    if (!st.step())
        return std::nullopt;
    JournalEntry e = readEntry(st);
    applyStatus(db, e.id, false);
    swapCaptions(db, e.id, false);
    applySegments(db, e.id, false);
    Statement mark = db.prepare("UPDATE journal SET undone = 0 WHERE id = ?");
    mark.bind(1, e.id).run();
    tx.commit();
    e.undone = false;
    return e;
}

bool Curation::canUndo()
{
    Statement st = m_project.db().prepare("SELECT 1 FROM journal WHERE undone = 0 LIMIT 1");
    return st.step();
}

bool Curation::canRedo()
{
    Statement st = m_project.db().prepare("SELECT 1 FROM journal WHERE undone = 1 LIMIT 1");
    return st.step();
}

QList<JournalEntry> Curation::history(int limit)
{
    Statement st = m_project.db().prepare(
        "SELECT j.id, j.kind, j.summary, j.author, j.created_at, j.undone, "
        "(SELECT count(*) FROM journal_status s WHERE s.journal_id = j.id) + "
        "(SELECT count(*) FROM journal_caption c WHERE c.journal_id = j.id) + "
        "(SELECT count(DISTINCT v.item_id) FROM journal_segment g JOIN caption_versions v ON v.id = g.version_id "
        "WHERE g.journal_id = j.id) "
        "FROM journal j ORDER BY j.id DESC LIMIT ?");
    st.bind(1, static_cast<std::int64_t>(limit));
    QList<JournalEntry> out;
    while (st.step()) {
        JournalEntry e = readEntry(st);
        e.items = st.int64(6);
        out.append(e);
    }
    return out;
}

} // namespace facet
