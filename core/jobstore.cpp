#include "jobstore.h"

#include "database.h"
#include "error.h"
#include "imageheader.h"
#include "project.h"

#include <QDateTime>
#include <QFile>
#include <QSysInfo>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include <sys/types.h>
#include <unistd.h>

namespace facet {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr const char* kJobColumns =
    "id, kind, settings, state, total, prompt_tokens, completion_tokens, requests, estimate, last_error, runner, "
    "author, created_at, started_at, updated_at, finished_at";

constexpr std::int64_t kSampleImages = 2000;
constexpr qint64 kHeaderBytes = 512 * 1024;
constexpr int kHeartbeatSeconds = 60;

/** The first bytes of an image, enough for its header (EXIF blocks before a JPEG frame included). */
QByteArray readHead(const QString& path, std::int64_t offset, std::int64_t size)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    qint64 length = kHeaderBytes;
    if (offset >= 0) {
        if (!f.seek(offset))
            return {};
        length = std::min<qint64>(length, size);
    }
    return f.read(length);
}

} // namespace

JobStore::JobStore(Project& project)
    : m_project(project)
{
}

// ---- runners ------------------------------------------------------------------------------------

QString JobStore::runnerId()
{
    return QSysInfo::machineHostName() + u':' + QString::number(::getpid());
}

bool JobStore::runnerAlive(const QString& runner, const QString& updatedAt)
{
    const qsizetype colon = runner.lastIndexOf(u':');
    if (runner.isEmpty() || colon <= 0)
        return false;
    if (runner.left(colon) != QSysInfo::machineHostName())
        return false;
    bool ok = false;
    const qint64 pid = runner.mid(colon + 1).toLongLong(&ok);
    if (!ok || pid <= 0)
        return false;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
        return false;
    const QDateTime beat = QDateTime::fromString(updatedAt, Qt::ISODate);
    return beat.isValid() && beat.secsTo(QDateTime::currentDateTimeUtc()) <= kHeartbeatSeconds;
}

// ---- jobs ---------------------------------------------------------------------------------------

std::int64_t JobStore::createJob(RecaptionSettings settings, const Selection& selection, const QString& author,
                                 const std::optional<RecaptionEstimate>& estimate)
{
    if (const QString problem = settings.validate(); !problem.isEmpty())
        throw Error(problem);
    if (selection.isEmpty())
        throw Error(tr("Nothing selected to recaption"));
    if (settings.prompt.trimmed().isEmpty()) {
        settings.sourcePrompts.clear();
        if (!settings.facet.isEmpty()) {
            settings.prompt = facetPromptTemplate();
        } else {
            settings.prompt = shareGpt4vPrompt();
            for (const PromptEntry& p : prompts())
                if (!p.source.isEmpty())
                    settings.sourcePrompts.insert(p.source, p.text);
        }
    }
    settings.baseUrl = settings.effectiveBaseUrl();

    const Query q = selection.toQuery();
    Database& db = m_project.db();
    const QString now = nowIso();
    Transaction tx(db);
    Statement ins = db.prepare("INSERT INTO jobs(kind, provider, base_url, model, prompt, settings, state, estimate, "
                               "author, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, settings.facet.isEmpty() ? u"recaption"_s : u"facet"_s);
    ins.bind(2, providerKey(settings.provider)).bind(3, settings.baseUrl).bind(4, settings.model);
    ins.bind(5, settings.prompt).bind(6, QString::fromUtf8(settings.toJson()));
    ins.bind(7, static_cast<std::int64_t>(JobState::Queued));
    if (estimate)
        ins.bind(8, QString::fromUtf8(estimate->toJson()));
    else
        ins.bindNull(8);
    ins.bind(9, author.isEmpty() ? QString() : author).bind(10, now).bind(11, now).run();
    const std::int64_t jobId = db.lastInsertId();

    const QString sql = u"INSERT INTO job_items(job_id, item_id, updated_at) SELECT ?, i.id, ? FROM "_s
                        + QLatin1String(Query::from()) + u" WHERE ("_s + q.where()
                        + u") AND i.image_abs IS NOT NULL ORDER BY i.id"_s;
    Statement items = db.prepare(sql.toStdString());
    items.bind(1, jobId).bind(2, now);
    q.bind(items, 3);
    items.run();
    const std::int64_t total = db.changes();
    if (total == 0)
        throw Error(tr("None of the selected items has an image to recaption"));
    Statement upd = db.prepare("UPDATE jobs SET total = ? WHERE id = ?");
    upd.bind(1, total).bind(2, jobId).run();
    tx.commit();
    return jobId;
}

JobInfo JobStore::readJob(Statement& st)
{
    JobInfo j;
    j.id = st.int64(0);
    j.kind = st.text(1);
    j.settings = RecaptionSettings::fromJson(st.text(2).toUtf8());
    j.state = static_cast<JobState>(st.integer(3));
    j.total = st.int64(4);
    j.promptTokens = st.int64(5);
    j.completionTokens = st.int64(6);
    j.requests = st.int64(7);
    if (!st.isNull(8))
        j.estimate = RecaptionEstimate::fromJson(st.text(8).toUtf8());
    j.lastError = st.text(9);
    j.runner = st.text(10);
    j.author = st.text(11);
    j.createdAt = st.text(12);
    j.startedAt = st.text(13);
    j.updatedAt = st.text(14);
    j.finishedAt = st.text(15);
    j.runnerAlive = j.state == JobState::Running || j.state == JobState::Paused ? runnerAlive(j.runner, j.updatedAt)
                                                                                : false;
    return j;
}

void JobStore::fillCounts(JobInfo& info)
{
    Statement st = m_project.db().prepare(
        "SELECT state, count(*), sum(truncated), sum(coalesce(prompt_tokens, 0)), sum(coalesce(completion_tokens, 0)) "
        "FROM job_items WHERE job_id = ? GROUP BY state");
    st.bind(1, info.id);
    std::int64_t prompt = 0;
    std::int64_t completion = 0;
    while (st.step()) {
        const std::int64_t n = st.int64(1);
        switch (static_cast<JobItemState>(st.integer(0))) {
        case JobItemState::Pending:
            info.pending = n;
            break;
        case JobItemState::Done:
            info.done = n;
            break;
        case JobItemState::Reused:
            info.reused = n;
            break;
        case JobItemState::Failed:
            info.failed = n;
            break;
        case JobItemState::Refused:
            info.refused = n;
            break;
        }
        info.truncated += st.int64(2);
        prompt += st.int64(3);
        completion += st.int64(4);
    }
    // Per-item usage is the truth; the job row keeps the same numbers for a quick listing.
    info.promptTokens = std::max(info.promptTokens, prompt);
    info.completionTokens = std::max(info.completionTokens, completion);
    if (const auto price = priceFor(info.settings.model))
        info.cost = costOf(*price, info.promptTokens, info.completionTokens);
}

QList<JobInfo> JobStore::jobs(int limit)
{
    Statement st = m_project.db().prepare(std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY id DESC LIMIT ?");
    st.bind(1, static_cast<std::int64_t>(limit));
    QList<JobInfo> out;
    while (st.step())
        out.append(readJob(st));
    for (JobInfo& j : out)
        fillCounts(j);
    return out;
}

std::optional<JobInfo> JobStore::job(std::int64_t id)
{
    Statement st = m_project.db().prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    JobInfo j = readJob(st);
    st.reset();
    fillCounts(j);
    return j;
}

std::optional<std::int64_t> JobStore::resumableJob()
{
    Statement st = m_project.db().prepare(
        "SELECT id, state, runner, updated_at FROM jobs WHERE state IN (?, ?, ?, ?, ?) "
        "ORDER BY id DESC");
    st.bind(1, static_cast<std::int64_t>(JobState::Queued)).bind(2, static_cast<std::int64_t>(JobState::Running));
    st.bind(3, static_cast<std::int64_t>(JobState::Paused)).bind(4, static_cast<std::int64_t>(JobState::Interrupted));
    st.bind(5, static_cast<std::int64_t>(JobState::Failed));
    while (st.step()) {
        const auto state = static_cast<JobState>(st.integer(1));
        if ((state == JobState::Running || state == JobState::Paused) && runnerAlive(st.text(2), st.text(3)))
            continue; // another process works on it
        return st.int64(0);
    }
    return std::nullopt;
}

QList<JobItemInfo> JobStore::items(std::int64_t jobId, std::optional<JobItemState> state, int limit, int offset)
{
    std::string sql = "SELECT ji.item_id, i.ext_id, ji.state, ji.attempts, ji.last_error, ji.version_id, "
                      "ji.finish_reason, ji.truncated, ji.prompt_tokens, ji.completion_tokens, ji.updated_at "
                      "FROM job_items ji JOIN items i ON i.id = ji.item_id WHERE ji.job_id = ?";
    if (state)
        sql += " AND ji.state = ?";
    sql += " ORDER BY ji.item_id LIMIT ? OFFSET ?";
    Statement st = m_project.db().prepare(sql);
    int k = 1;
    st.bind(k++, jobId);
    if (state)
        st.bind(k++, static_cast<std::int64_t>(*state));
    st.bind(k++, static_cast<std::int64_t>(limit));
    st.bind(k++, static_cast<std::int64_t>(offset));
    QList<JobItemInfo> out;
    while (st.step()) {
        JobItemInfo it;
        it.item = st.int64(0);
        it.extId = st.text(1);
        it.state = static_cast<JobItemState>(st.integer(2));
        it.attempts = st.integer(3);
        it.lastError = st.text(4);
        it.versionId = st.isNull(5) ? 0 : st.int64(5);
        it.finishReason = st.text(6);
        it.truncated = st.integer(7) != 0;
        it.promptTokens = st.isNull(8) ? 0 : st.int64(8);
        it.completionTokens = st.isNull(9) ? 0 : st.int64(9);
        it.updatedAt = st.text(10);
        out.append(it);
    }
    return out;
}

void JobStore::cancel(std::int64_t jobId)
{
    Database& db = m_project.db();
    Transaction tx(db);
    Statement st = db.prepare("SELECT state, runner, updated_at FROM jobs WHERE id = ?");
    st.bind(1, jobId);
    if (!st.step())
        throw Error(tr("No job %1").arg(jobId));
    const auto state = static_cast<JobState>(st.integer(0));
    const QString runner = st.text(1);
    const QString beat = st.text(2);
    st.reset();
    if ((state == JobState::Running || state == JobState::Paused) && runnerAlive(runner, beat))
        throw Error(tr("Job %1 is running in process %2; stop it there").arg(jobId).arg(runner));
    if (state == JobState::Done)
        throw Error(tr("Job %1 is already done").arg(jobId));
    Statement upd = db.prepare("UPDATE jobs SET state = ?, updated_at = ?, finished_at = ? WHERE id = ?");
    const QString now = nowIso();
    upd.bind(1, static_cast<std::int64_t>(JobState::Cancelled)).bind(2, now).bind(3, now).bind(4, jobId).run();
    tx.commit();
}

// ---- prompt library -----------------------------------------------------------------------------

QList<PromptEntry> JobStore::prompts()
{
    QList<PromptEntry> out;
    PromptEntry builtin;
    builtin.name = QLatin1String(BuiltinPromptName);
    builtin.text = shareGpt4vPrompt();
    builtin.builtin = true;
    out.append(builtin);
    PromptEntry facet;
    facet.name = QLatin1String(BuiltinFacetPromptName);
    facet.text = facetPromptTemplate();
    facet.builtin = true;
    out.append(facet);
    Statement st = m_project.db().prepare("SELECT id, name, text, source, updated_at FROM prompts ORDER BY name");
    while (st.step()) {
        PromptEntry p;
        p.id = st.int64(0);
        p.name = st.text(1);
        p.text = st.text(2);
        p.source = st.text(3);
        p.updatedAt = st.text(4);
        out.append(p);
    }
    return out;
}

std::optional<PromptEntry> JobStore::prompt(const QString& name)
{
    for (const PromptEntry& p : prompts())
        if (p.name == name)
            return p;
    return std::nullopt;
}

void JobStore::savePrompt(const QString& name, const QString& text, const QString& source)
{
    const QString n = name.trimmed();
    if (n.isEmpty())
        throw Error(tr("A prompt needs a name"));
    if (n == QLatin1String(BuiltinPromptName) || n == QLatin1String(BuiltinFacetPromptName))
        throw Error(tr("'%1' is a built-in prompt; save yours under another name").arg(n));
    if (text.trimmed().isEmpty())
        throw Error(tr("The prompt text is empty"));
    Database& db = m_project.db();
    const QString now = nowIso();
    Transaction tx(db);
    if (!source.isEmpty()) {
        // One default prompt per source: the new one takes the source over.
        Statement clear = db.prepare("UPDATE prompts SET source = NULL, updated_at = ? WHERE source = ? AND name != ?");
        clear.bind(1, now).bind(2, source).bind(3, n).run();
    }
    Statement st = db.prepare("INSERT INTO prompts(name, text, source, created_at, updated_at) VALUES(?, ?, ?, ?, ?) "
                              "ON CONFLICT(name) DO UPDATE SET text = excluded.text, source = excluded.source, "
                              "updated_at = excluded.updated_at");
    st.bind(1, n).bind(2, text).bind(3, source.isEmpty() ? QString() : source).bind(4, now).bind(5, now).run();
    tx.commit();
}

bool JobStore::removePrompt(const QString& name)
{
    Statement st = m_project.db().prepare("DELETE FROM prompts WHERE name = ?");
    st.bind(1, name).run();
    return m_project.db().changes() > 0;
}

// ---- price table --------------------------------------------------------------------------------

QList<ModelPrice> JobStore::prices()
{
    Statement st = m_project.db().prepare(
        "SELECT model, input_per_mtok, output_per_mtok, updated_at FROM model_prices ORDER BY model");
    QList<ModelPrice> out;
    while (st.step())
        out.append(ModelPrice{st.text(0), st.real(1), st.real(2), st.text(3)});
    return out;
}

std::optional<ModelPrice> JobStore::priceFor(const QString& model)
{
    std::optional<ModelPrice> best;
    for (const ModelPrice& p : prices()) {
        if (p.model == model)
            return p;
        if (model.startsWith(p.model) && (!best || p.model.size() > best->model.size()))
            best = p;
    }
    return best;
}

void JobStore::setPrice(const ModelPrice& price)
{
    if (price.model.trimmed().isEmpty())
        throw Error(tr("A price needs a model name"));
    if (price.inputPerMTok < 0 || price.outputPerMTok < 0)
        throw Error(tr("Prices cannot be negative"));
    Statement st = m_project.db().prepare(
        "INSERT INTO model_prices(model, input_per_mtok, output_per_mtok, updated_at) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(model) DO UPDATE SET input_per_mtok = excluded.input_per_mtok, "
        "output_per_mtok = excluded.output_per_mtok, updated_at = excluded.updated_at");
    st.bind(1, price.model.trimmed()).bind(2, price.inputPerMTok).bind(3, price.outputPerMTok).bind(4, nowIso()).run();
}

bool JobStore::removePrice(const QString& model)
{
    Statement st = m_project.db().prepare("DELETE FROM model_prices WHERE model = ?");
    st.bind(1, model).run();
    return m_project.db().changes() > 0;
}

// ---- estimate -----------------------------------------------------------------------------------

RecaptionEstimate JobStore::estimate(const Selection& selection, const RecaptionSettings& settings,
                                     const Progress& progress)
{
    RecaptionEstimate e;
    e.model = settings.model;
    const Query q = selection.toQuery();
    Database& db = m_project.db();

    QString templ = settings.prompt;
    if (templ.trimmed().isEmpty())
        templ = settings.facet.isEmpty() ? shareGpt4vPrompt() : facetPromptTemplate();
    const bool withCaption = promptUsesCaption(templ);

    const QString countSql = u"SELECT sum(i.image_abs IS NOT NULL), sum(i.image_abs IS NULL), "
                             "sum(CASE WHEN i.image_abs IS NOT NULL THEN coalesce(v.chars, 0) ELSE 0 END) FROM "_s
                             + QLatin1String(Query::from()) + u" WHERE "_s + q.where();
    Statement count = db.prepare(countSql.toStdString());
    q.bind(count);
    std::int64_t captionChars = 0;
    if (count.step()) {
        e.items = count.isNull(0) ? 0 : count.int64(0);
        e.withoutImage = count.isNull(1) ? 0 : count.int64(1);
        captionChars = count.isNull(2) ? 0 : count.int64(2);
    }
    count.reset();
    if (e.items == 0)
        return e;

    // Every n-th image, so that a sample spreads over all sources and shards.
    const std::int64_t stride = std::max<std::int64_t>(1, (e.items + kSampleImages - 1) / kSampleImages);
    const QString listSql = u"SELECT i.image_abs, i.member_offset, i.member_size FROM "_s + QLatin1String(Query::from())
                            + u" WHERE ("_s + q.where() + u") AND i.image_abs IS NOT NULL ORDER BY i.id"_s;
    Statement list = db.prepare(listSql.toStdString());
    q.bind(list);
    std::int64_t row = 0;
    std::int64_t sampledTokens = 0;
    const std::int64_t toMeasure = (e.items + stride - 1) / stride;
    while (list.step()) {
        if (row++ % stride != 0)
            continue;
        if (progress.cancelled())
            throw Cancelled();
        const QByteArray head = readHead(list.text(0), list.isNull(1) ? -1 : list.int64(1),
                                         list.isNull(2) ? -1 : list.int64(2));
        const ImageHeader h = sniffImageHeader(head);
        std::int64_t w = h.width;
        std::int64_t hgt = h.height;
        if (!h.hasSize()) {
            ++e.unreadable;
            w = hgt = 1024;
        }
        sampledTokens += imageTokens(w, hgt, settings.detail, settings.maxSide);
        ++e.measured;
        if (e.measured % 100 == 0)
            progress(e.measured, toMeasure, tr("Reading image sizes"));
    }
    e.imageTokens = e.measured > 0
                        ? static_cast<std::int64_t>(double(sampledTokens) * double(e.items) / double(e.measured) + 0.5)
                        : 0;
    // About 4 characters per token for English text, plus the chat template's few tokens per message.
    std::int64_t promptChars = templ.size() * e.items;
    if (settings.structured)
        promptChars += 450 * e.items;
    if (withCaption)
        promptChars += captionChars;
    e.textTokens = (promptChars + 3) / 4 + 10 * e.items;
    e.inputTokens = e.imageTokens + e.textTokens;
    e.outputTokens = e.items * settings.maxTokens;
    e.price = priceFor(settings.model);
    if (e.price)
        e.cost = costOf(*e.price, e.inputTokens, e.outputTokens);
    return e;
}

} // namespace facet
