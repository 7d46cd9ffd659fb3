#include "recaptioncommands.h"

#include "curation.h"
#include "error.h"
#include "jobstore.h"
#include "project.h"
#include "recaptionhttp.h"
#include "recaptionkeys.h"
#include "recaptionprovider.h"
#include "recaptionrunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <atomic>
#include <cmath>
#include <csignal>
#include <limits>

namespace facet::cli {

using namespace Qt::Literals::StringLiterals;

namespace {

// Ctrl-C stops a recaption run cleanly: requests in flight are dropped, everything finished is
// already committed, and `--resume` continues from there.
std::atomic_bool g_interrupt{false};

extern "C" void onRecaptionInterrupt(int)
{
    g_interrupt.store(true);
}

QJsonValue nullable(const QString& s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonValue money(const std::optional<double>& v)
{
    return v ? QJsonValue(std::round(*v * 1e6) / 1e6) : QJsonValue();
}

QString formatCost(const std::optional<double>& v)
{
    return v ? u"$"_s + QString::number(*v, 'f', *v < 1.0 ? 4 : 2) : Output::tr("unknown (no price for the model)");
}

QString formatDuration(double seconds)
{
    if (seconds < 0)
        return u"?"_s;
    const auto s = static_cast<qint64>(seconds + 0.5);
    if (s < 60)
        return u"%1s"_s.arg(s);
    if (s < 3600)
        return u"%1m%2s"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
    return u"%1h%2m"_s.arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar(u'0'));
}

QString readPrompt(const Arguments& args)
{
    if (args.has(u"prompt"_s) && args.has(u"prompt-file"_s))
        throw UsageError{Output::tr("give one of --prompt, --prompt-file")};
    if (args.has(u"prompt-file"_s)) {
        QFile f(args.value(u"prompt-file"_s));
        if (!f.open(QIODevice::ReadOnly))
            throw ProjectError(Output::tr("Cannot read %1: %2").arg(f.fileName(), f.errorString()));
        const QString text = QString::fromUtf8(f.readAll()).trimmed();
        if (text.isEmpty())
            throw UsageError{Output::tr("the prompt file %1 is empty").arg(f.fileName())};
        return text;
    }
    if (args.has(u"prompt"_s) && args.value(u"prompt"_s).trimmed().isEmpty())
        throw UsageError{Output::tr("the prompt is empty")};
    return args.value(u"prompt"_s).trimmed();
}

ProviderKind providerFrom(const Arguments& args)
{
    if (!args.has(u"provider"_s))
        throw UsageError{Output::tr("give the provider: --provider openai|openai-compatible|ollama")};
    const auto kind = providerFromKey(args.value(u"provider"_s));
    if (!kind)
        throw UsageError{
            Output::tr("unknown provider %1 (openai, openai-compatible or ollama)").arg(args.value(u"provider"_s))};
    return *kind;
}

RecaptionSettings settingsFrom(const Arguments& args)
{
    RecaptionSettings s;
    s.provider = providerFrom(args);
    s.baseUrl = args.value(u"base-url"_s);
    s.model = args.value(u"model"_s);
    s.prompt = readPrompt(args);
    s.concurrency = int(args.integer(u"concurrency"_s, s.concurrency, 1, 256));
    s.maxTokens = int(args.integer(u"max-tokens"_s, s.maxTokens, 1, 1000000));
    s.maxSide = int(args.integer(u"max-side"_s, s.maxSide, 64, 8192));
    s.maxAttempts = int(args.integer(u"max-attempts"_s, s.maxAttempts, 1, 100));
    s.detail = args.value(u"detail"_s, s.detail);
    if (args.has(u"detail"_s) && s.provider != ProviderKind::OpenAi)
        throw UsageError{Output::tr("--detail is an OpenAI option; other servers reject or ignore it")};
    if (args.has(u"temperature"_s)) {
        bool ok = false;
        const double t = args.value(u"temperature"_s).toDouble(&ok);
        if (!ok)
            throw UsageError{Output::tr("--temperature must be a number from 0 to 2")};
        s.temperature = t;
    }
    s.stream = args.has(u"stream"_s);
    s.structured = args.has(u"structured"_s);
    s.facet = args.value(u"facet"_s);
    s.proxy = args.value(u"proxy"_s);
    if (const QString problem = s.validate(); !problem.isEmpty())
        throw UsageError{problem};
    return s;
}

Selection selectionFrom(const Arguments& args)
{
    Selection s;
    s.extIds = args.values(u"id"_s);
    s.filter = args.value(u"filter"_s);
    s.all = args.has(u"all"_s);
    return s;
}

QString lookupKey(ProviderKind provider, const QString& baseUrl, Output& out)
{
    const ApiKeys::Found key = ApiKeys::lookup(provider, baseUrl);
    if (key.key.isEmpty() && ApiKeys::required(provider))
        throw ProjectError(
            Output::tr("No API key: set OPENAI_API_KEY in the environment%1")
                .arg(ApiKeys::keychainBuiltIn() ? Output::tr(" or store a key in the OS keychain") : QString()));
    if (!key.key.isEmpty())
        out.note(Output::tr("Using the API key from %1").arg(key.origin));
    return key.key;
}

std::unique_ptr<Project> openProject(const QString& path, bool write)
{
    auto project = Project::open(path, Project::OpenMode::Existing);
    if (write && project->isReadOnly())
        throw ProjectError(
            Output::tr("Project %1 is read-only (%2); nothing was changed").arg(path, project->readOnlyReason()));
    return project;
}

QJsonObject estimateJson(const RecaptionEstimate& e)
{
    QJsonObject price;
    if (e.price)
        price = QJsonObject{{u"model"_s, e.price->model},
                            {u"input_per_mtok"_s, e.price->inputPerMTok},
                            {u"output_per_mtok"_s, e.price->outputPerMTok}};
    return QJsonObject{{u"images"_s, qint64(e.items)},
                       {u"without_image"_s, qint64(e.withoutImage)},
                       {u"measured"_s, qint64(e.measured)},
                       {u"unreadable"_s, qint64(e.unreadable)},
                       {u"image_tokens"_s, qint64(e.imageTokens)},
                       {u"text_tokens"_s, qint64(e.textTokens)},
                       {u"input_tokens"_s, qint64(e.inputTokens)},
                       {u"output_tokens"_s, qint64(e.outputTokens)},
                       {u"model"_s, e.model},
                       {u"price"_s, e.price ? QJsonValue(price) : QJsonValue()},
                       {u"cost"_s, money(e.cost)}};
}

int listModels(const Arguments& args, Output& out)
{
    RecaptionSettings s;
    s.provider = providerFrom(args);
    s.baseUrl = args.value(u"base-url"_s);
    s.model = u"-"_s;
    s.proxy = args.value(u"proxy"_s);
    if (const QString problem = s.validate(); !problem.isEmpty())
        throw UsageError{problem};
    const QString key = lookupKey(s.provider, s.effectiveBaseUrl(), out);
    QStringList models;
    try {
        models = fetchModelList(s, key);
    } catch (const Error& e) {
        throw ProjectError(e.message());
    }
    if (out.json()) {
        out.document(
            QJsonObject{{u"base_url"_s, s.effectiveBaseUrl()}, {u"models"_s, QJsonArray::fromStringList(models)}});
    } else {
        for (const QString& m : models)
            out.line(m);
        if (models.isEmpty())
            out.note(Output::tr("The server lists no models"));
    }
    return 0;
}

int runJob(const QString& path, std::int64_t jobId, const QString& key, const Arguments& args, Output& out)
{
    RecaptionRunner::Callbacks callbacks;
    callbacks.progress = [&out](const JobProgress& p) {
        QString detail = Output::tr("%1 of %2, %3/s, ETA %4")
                             .arg(out.number(p.finished), out.number(p.total))
                             .arg(p.rate, 0, 'f', 1)
                             .arg(formatDuration(p.etaSeconds));
        if (p.retries > 0)
            detail += Output::tr(", %1 retries").arg(out.number(p.retries));
        if (p.failed > 0)
            detail += Output::tr(", %1 failed").arg(out.number(p.failed));
        out.progress(Output::tr("Recaptioning"), p.finished, p.total, detail);
    };
    // A job over a million images can produce a million notes; the job keeps every item's error.
    int notes = 0;
    callbacks.message = [&out, &notes, jobId, &path](const QString& text) {
        if (++notes <= 200)
            out.note(text);
        else if (notes == 201)
            out.note(Output::tr("… further notes left out; facet jobs %1 --job %2 --items failed lists the errors")
                         .arg(path)
                         .arg(jobId));
    };
    RecaptionRunner runner(path, jobId, key, callbacks);
    if (args.has(u"concurrency"_s))
        runner.setConcurrency(int(args.integer(u"concurrency"_s, 8, 1, 256)));
    g_interrupt.store(false);
    runner.setInterruptFlag(&g_interrupt);
    const auto previousInt = std::signal(SIGINT, onRecaptionInterrupt);
    const auto previousTerm = std::signal(SIGTERM, onRecaptionInterrupt);
    JobProgress p;
    try {
        p = runner.run();
    } catch (...) {
        std::signal(SIGINT, previousInt);
        std::signal(SIGTERM, previousTerm);
        throw;
    }
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    out.endProgress();

    auto project = openProject(path, false);
    JobStore store(*project);
    QJsonArray errors;
    for (JobItemState state : {JobItemState::Failed, JobItemState::Refused})
        for (const JobItemInfo& item : store.items(jobId, state, 100))
            errors.append(QJsonObject{{u"id"_s, item.extId},
                                      {u"state"_s, jobItemStateKey(item.state)},
                                      {u"attempts"_s, item.attempts},
                                      {u"reason"_s, item.lastError}});
    const QString resumeHint = Output::tr("resume with: facet recaption %1 --resume --job %2").arg(path).arg(jobId);
    if (out.json()) {
        out.document(QJsonObject{{u"job"_s, qint64(jobId)},
                                 {u"state"_s, jobStateKey(p.state)},
                                 {u"total"_s, qint64(p.total)},
                                 {u"done"_s, qint64(p.done)},
                                 {u"reused"_s, qint64(p.reused)},
                                 {u"failed"_s, qint64(p.failed)},
                                 {u"refused"_s, qint64(p.refused)},
                                 {u"truncated"_s, qint64(p.truncated)},
                                 {u"remaining"_s, qint64(p.total - p.finished)},
                                 {u"requests"_s, qint64(p.requests)},
                                 {u"retries"_s, qint64(p.retries)},
                                 {u"prompt_tokens"_s, qint64(p.promptTokens)},
                                 {u"completion_tokens"_s, qint64(p.completionTokens)},
                                 {u"cost"_s, money(p.cost)},
                                 {u"error"_s, nullable(p.state == JobState::Done ? QString() : p.lastError)},
                                 {u"errors"_s, errors}});
    } else {
        for (const QJsonValue& e : errors) {
            const QJsonObject o = e.toObject();
            out.warn(Output::tr("%1 %2: %3")
                         .arg(o[u"id"_s].toString(), o[u"state"_s].toString(), o[u"reason"_s].toString()));
        }
        out.line(Output::tr("Job %1 %2: %3 new captions, %4 reused, %5 failed, %6 refused, %7 truncated, "
                            "%8 still to do")
                     .arg(jobId)
                     .arg(jobStateKey(p.state))
                     .arg(out.number(p.done), out.number(p.reused), out.number(p.failed), out.number(p.refused),
                          out.number(p.truncated), out.number(p.total - p.finished)));
        out.line(Output::tr("Tokens: %1 in, %2 out; cost %3")
                     .arg(out.number(p.promptTokens), out.number(p.completionTokens), formatCost(p.cost)));
    }
    switch (p.state) {
    case JobState::Done:
        return p.failed + p.refused > 0 ? 1 : 0;
    case JobState::Failed:
        out.note(Output::tr("facet: the job stopped: %1").arg(p.lastError));
        out.note(resumeHint);
        return p.requests > 0 && p.done + p.reused > 0 ? 1 : 2;
    case JobState::Interrupted:
    case JobState::Paused:
        out.note(Output::tr("facet: interrupted; everything finished so far is saved"));
        out.note(resumeHint);
        return 2;
    default:
        return 2;
    }
}

} // namespace

Arguments::Spec recaptionSpec()
{
    return {{u"json"_s, u"all"_s, u"dry-run"_s, u"resume"_s, u"stream"_s, u"structured"_s, u"list-models"_s},
            {u"id"_s, u"filter"_s, u"provider"_s, u"base-url"_s, u"model"_s, u"prompt"_s, u"prompt-file"_s,
             u"prompt-name"_s, u"concurrency"_s, u"max-tokens"_s, u"detail"_s, u"temperature"_s, u"max-side"_s,
             u"facet"_s, u"max-attempts"_s, u"job"_s, u"proxy"_s},
            {u"id"_s}};
}

QString recaptionSynopsis()
{
    return u"recaption P --provider openai|openai-compatible|ollama [--base-url URL] --model NAME "
           "(--id ID... | --filter QUERY | --all) [--prompt TEXT | --prompt-file F | --prompt-name NAME] "
           "[--concurrency N] [--max-tokens N] [--detail low|high|auto] [--temperature T] [--max-side N] "
           "[--stream] [--structured] [--facet KEY] [--max-attempts N] [--proxy URL] [--dry-run] [--json]\n"
           "        facet recaption P --resume [--job N] [--concurrency N] [--json]\n"
           "        facet recaption P --list-models --provider NAME [--base-url URL] [--json]"_s;
}

int cmdRecaption(const Arguments& args, Output& out)
{
    if (args.positionals().size() != 1)
        throw UsageError{Output::tr("wrong number of arguments")};
    const QString path = args.positionals().first();

    if (args.has(u"list-models"_s))
        return listModels(args, out);

    if (args.has(u"resume"_s)) {
        for (const QString& o :
             {u"provider"_s, u"model"_s, u"prompt"_s, u"prompt-file"_s, u"id"_s, u"filter"_s, u"all"_s, u"dry-run"_s})
            if (args.has(o))
                throw UsageError{
                    Output::tr("--resume continues a job as it was created; --%1 cannot change it").arg(o)};
        std::int64_t jobId = 0;
        {
            auto project = openProject(path, true);
            JobStore store(*project);
            if (args.has(u"job"_s)) {
                jobId = args.integer(u"job"_s, 0, 1, std::numeric_limits<qint64>::max());
            } else if (const auto id = store.resumableJob()) {
                jobId = *id;
            } else {
                throw ProjectError(Output::tr("No job to resume in %1 (facet jobs %1 lists them)").arg(path));
            }
            const auto job = store.job(jobId);
            if (!job)
                throw ProjectError(Output::tr("No job %1 in %2").arg(jobId).arg(path));
            if (job->remaining() == 0) {
                out.note(Output::tr("Job %1 has nothing left to do").arg(jobId));
                if (out.json())
                    out.document(QJsonObject{
                        {u"job"_s, qint64(jobId)}, {u"state"_s, jobStateKey(job->state)}, {u"remaining"_s, 0}});
                return 0;
            }
            out.note(
                Output::tr("Resuming job %1: %2 of %3 items left").arg(jobId).arg(job->remaining()).arg(job->total));
            const QString key = lookupKey(job->settings.provider, job->settings.effectiveBaseUrl(), out);
            project.reset();
            return runJob(path, jobId, key, args, out);
        }
    }

    RecaptionSettings settings = settingsFrom(args);
    const Selection selection = selectionFrom(args);
    if (selection.isEmpty())
        throw UsageError{Output::tr("nothing selected: give --id, --filter or --all")};
    const bool dryRun = args.has(u"dry-run"_s);
    auto project = openProject(path, !dryRun);
    JobStore store(*project);
    if (args.has(u"prompt-name"_s)) {
        if (!settings.prompt.isEmpty())
            throw UsageError{Output::tr("give one of --prompt, --prompt-file, --prompt-name")};
        const auto p = store.prompt(args.value(u"prompt-name"_s));
        if (!p)
            throw UsageError{
                Output::tr("no prompt named %1 (facet jobs P --prompts lists them)").arg(args.value(u"prompt-name"_s))};
        settings.prompt = p->text;
    }

    Progress progress;
    progress.report = [&out](std::int64_t done, std::int64_t total, const QString& what) {
        out.progress(what, done, total, {});
    };
    const RecaptionEstimate estimate = store.estimate(selection, settings, progress);
    out.endProgress();
    if (dryRun || estimate.items == 0) {
        if (out.json()) {
            QJsonObject doc = estimateJson(estimate);
            doc.insert(u"dry_run"_s, dryRun);
            out.document(doc);
        } else {
            out.line(Output::tr("%Ln image(s) to recaption with %1", nullptr, int(estimate.items)).arg(settings.model)
                     + (estimate.withoutImage > 0 ? Output::tr(" (%Ln selected item(s) without an image)", nullptr,
                                                               int(estimate.withoutImage))
                                                  : QString()));
            out.line(Output::tr("Estimated input: %1 tokens (%2 for images, %3 for text)")
                         .arg(out.number(estimate.inputTokens), out.number(estimate.imageTokens),
                              out.number(estimate.textTokens)));
            out.line(Output::tr("Output: at most %1 tokens (%2 per image)")
                         .arg(out.number(estimate.outputTokens), out.number(settings.maxTokens)));
            if (estimate.cost)
                out.line(Output::tr("Estimated cost: at most %1").arg(formatCost(estimate.cost)));
            else
                out.line(Output::tr("Estimated cost: unknown, no price for %1 (facet jobs %2 --set-price %1 "
                                    "--input USD_PER_MTOK --output USD_PER_MTOK)")
                             .arg(settings.model, path));
            if (estimate.measured < estimate.items)
                out.note(Output::tr("Image sizes read from a sample of %1 images").arg(out.number(estimate.measured)));
            if (dryRun)
                out.note(Output::tr("Dry run: nothing was sent or written"));
        }
        if (!dryRun)
            throw ProjectError(Output::tr("None of the selected items has an image to recaption"));
        return 0;
    }

    const QString key = lookupKey(settings.provider, settings.effectiveBaseUrl(), out);
    const std::int64_t jobId = store.createJob(settings, selection, Curation::defaultReviewer(), estimate);
    out.note(
        Output::tr("Job %1: %2 images, estimated %3 input tokens, cost %4")
            .arg(jobId)
            .arg(out.number(estimate.items), out.number(estimate.inputTokens),
                 estimate.cost ? Output::tr("at most %1").arg(formatCost(estimate.cost)) : formatCost(estimate.cost)));
    project.reset();
    return runJob(path, jobId, key, args, out);
}

// ---- jobs ---------------------------------------------------------------------------------------

Arguments::Spec jobsSpec()
{
    return {{u"json"_s, u"prices"_s, u"prompts"_s},
            {u"job"_s, u"items"_s, u"limit"_s, u"cancel"_s, u"set-price"_s, u"input"_s, u"output"_s, u"remove-price"_s,
             u"save-prompt"_s, u"prompt"_s, u"prompt-file"_s, u"source"_s, u"remove-prompt"_s},
            {}};
}

QString jobsSynopsis()
{
    return u"jobs P [--json]\n"
           "        facet jobs P --job N [--items pending|done|reused|failed|refused] [--limit N] [--json]\n"
           "        facet jobs P --cancel N\n"
           "        facet jobs P --prices [--json] | --set-price MODEL --input USD_PER_MTOK --output USD_PER_MTOK | "
           "--remove-price MODEL\n"
           "        facet jobs P --prompts [--json] | --save-prompt NAME (--prompt TEXT | --prompt-file F) "
           "[--source NAME] | --remove-prompt NAME"_s;
}

namespace {

QJsonObject jobJson(const JobInfo& j)
{
    QJsonObject o{{u"job"_s, qint64(j.id)},
                  {u"kind"_s, j.kind},
                  {u"state"_s, jobStateKey(j.state)},
                  {u"provider"_s, providerKey(j.settings.provider)},
                  {u"base_url"_s, j.settings.effectiveBaseUrl()},
                  {u"model"_s, j.settings.model},
                  {u"total"_s, qint64(j.total)},
                  {u"pending"_s, qint64(j.pending)},
                  {u"done"_s, qint64(j.done)},
                  {u"reused"_s, qint64(j.reused)},
                  {u"failed"_s, qint64(j.failed)},
                  {u"refused"_s, qint64(j.refused)},
                  {u"truncated"_s, qint64(j.truncated)},
                  {u"requests"_s, qint64(j.requests)},
                  {u"prompt_tokens"_s, qint64(j.promptTokens)},
                  {u"completion_tokens"_s, qint64(j.completionTokens)},
                  {u"cost"_s, money(j.cost)},
                  {u"estimated_cost"_s, j.estimate ? money(j.estimate->cost) : QJsonValue()},
                  {u"last_error"_s, nullable(j.lastError)},
                  {u"runner_alive"_s, j.runnerAlive},
                  {u"created_at"_s, j.createdAt},
                  {u"started_at"_s, nullable(j.startedAt)},
                  {u"finished_at"_s, nullable(j.finishedAt)}};
    return o;
}

} // namespace

int cmdJobs(const Arguments& args, Output& out)
{
    if (args.positionals().size() != 1)
        throw UsageError{Output::tr("wrong number of arguments")};
    const QString path = args.positionals().first();
    const bool writes = args.has(u"cancel"_s) || args.has(u"set-price"_s) || args.has(u"remove-price"_s)
                        || args.has(u"save-prompt"_s) || args.has(u"remove-prompt"_s);
    auto project = openProject(path, writes);
    JobStore store(*project);

    if (args.has(u"cancel"_s)) {
        const qint64 id = args.integer(u"cancel"_s, 0, 1, std::numeric_limits<qint64>::max());
        store.cancel(id);
        if (out.json())
            out.document(QJsonObject{{u"job"_s, id}, {u"state"_s, u"cancelled"_s}});
        else
            out.line(Output::tr("Job %1 cancelled").arg(id));
        return 0;
    }
    if (args.has(u"set-price"_s)) {
        bool okIn = false;
        bool okOut = false;
        ModelPrice price;
        price.model = args.value(u"set-price"_s);
        price.inputPerMTok = args.value(u"input"_s).toDouble(&okIn);
        price.outputPerMTok = args.value(u"output"_s).toDouble(&okOut);
        if (!okIn || !okOut)
            throw UsageError{Output::tr("give --input and --output in USD per million tokens")};
        store.setPrice(price);
        out.line(Output::tr("Price of %1: $%2 per million input tokens, $%3 per million output tokens")
                     .arg(price.model)
                     .arg(price.inputPerMTok)
                     .arg(price.outputPerMTok));
        return 0;
    }
    if (args.has(u"remove-price"_s)) {
        if (!store.removePrice(args.value(u"remove-price"_s)))
            throw ProjectError(Output::tr("No price for %1").arg(args.value(u"remove-price"_s)));
        out.line(Output::tr("Price of %1 removed").arg(args.value(u"remove-price"_s)));
        return 0;
    }
    if (args.has(u"prices"_s)) {
        const QList<ModelPrice> prices = store.prices();
        if (out.json()) {
            QJsonArray arr;
            for (const ModelPrice& p : prices)
                arr.append(QJsonObject{{u"model"_s, p.model},
                                       {u"input_per_mtok"_s, p.inputPerMTok},
                                       {u"output_per_mtok"_s, p.outputPerMTok},
                                       {u"updated_at"_s, p.updatedAt}});
            out.document(QJsonObject{{u"prices"_s, arr}});
        } else {
            if (prices.isEmpty())
                out.line(Output::tr("No prices yet: facet jobs P --set-price MODEL --input USD --output USD"));
            for (const ModelPrice& p : prices)
                out.line(u"%1\t%2\t%3"_s.arg(p.model).arg(p.inputPerMTok).arg(p.outputPerMTok));
        }
        return 0;
    }
    if (args.has(u"save-prompt"_s)) {
        const QString text = readPrompt(args);
        if (text.isEmpty())
            throw UsageError{Output::tr("give the prompt text with --prompt or --prompt-file")};
        store.savePrompt(args.value(u"save-prompt"_s), text, args.value(u"source"_s));
        out.line(Output::tr("Prompt %1 saved").arg(args.value(u"save-prompt"_s)));
        return 0;
    }
    if (args.has(u"remove-prompt"_s)) {
        if (!store.removePrompt(args.value(u"remove-prompt"_s)))
            throw ProjectError(Output::tr("No prompt named %1 in the project").arg(args.value(u"remove-prompt"_s)));
        out.line(Output::tr("Prompt %1 removed").arg(args.value(u"remove-prompt"_s)));
        return 0;
    }
    if (args.has(u"prompts"_s)) {
        const QList<PromptEntry> prompts = store.prompts();
        if (out.json()) {
            QJsonArray arr;
            for (const PromptEntry& p : prompts)
                arr.append(QJsonObject{{u"name"_s, p.name},
                                       {u"text"_s, p.text},
                                       {u"source"_s, nullable(p.source)},
                                       {u"builtin"_s, p.builtin}});
            out.document(QJsonObject{{u"prompts"_s, arr}});
        } else {
            for (const PromptEntry& p : prompts) {
                out.line(p.name + (p.builtin ? Output::tr(" (built in)") : QString())
                         + (p.source.isEmpty() ? QString() : Output::tr(" (default for source %1)").arg(p.source)));
                out.line(u"    "_s + p.text.simplified());
            }
        }
        return 0;
    }
    if (args.has(u"job"_s)) {
        const qint64 id = args.integer(u"job"_s, 0, 1, std::numeric_limits<qint64>::max());
        const auto job = store.job(id);
        if (!job)
            throw ProjectError(Output::tr("No job %1 in %2").arg(id).arg(path));
        std::optional<JobItemState> state;
        if (args.has(u"items"_s)) {
            state = jobItemStateFromKey(args.value(u"items"_s));
            if (!state)
                throw UsageError{Output::tr("--items must be pending, done, reused, failed or refused")};
        }
        const int limit = int(args.integer(u"limit"_s, 100, 1, 1000000));
        const QList<JobItemInfo> items = store.items(id, state, limit);
        if (out.json()) {
            QJsonObject o = jobJson(*job);
            o.insert(u"prompt"_s, job->settings.prompt);
            o.insert(u"settings"_s, QJsonDocument::fromJson(job->settings.toJson()).object());
            QJsonArray arr;
            for (const JobItemInfo& i : items)
                arr.append(QJsonObject{{u"id"_s, i.extId},
                                       {u"state"_s, jobItemStateKey(i.state)},
                                       {u"attempts"_s, i.attempts},
                                       {u"error"_s, nullable(i.lastError)},
                                       {u"version"_s, i.versionId ? QJsonValue(qint64(i.versionId)) : QJsonValue()},
                                       {u"finish_reason"_s, nullable(i.finishReason)},
                                       {u"truncated"_s, i.truncated},
                                       {u"prompt_tokens"_s, qint64(i.promptTokens)},
                                       {u"completion_tokens"_s, qint64(i.completionTokens)}});
            o.insert(u"items"_s, arr);
            out.document(o);
        } else {
            out.line(Output::tr("Job %1 (%2) %3 with %4 %5 at %6")
                         .arg(id)
                         .arg(job->kind, jobStateKey(job->state), providerKey(job->settings.provider),
                              job->settings.model, job->settings.effectiveBaseUrl()));
            out.line(Output::tr("  %1 items: %2 done, %3 reused, %4 failed, %5 refused, %6 pending, %7 truncated")
                         .arg(out.number(job->total), out.number(job->done), out.number(job->reused),
                              out.number(job->failed), out.number(job->refused), out.number(job->pending),
                              out.number(job->truncated)));
            out.line(Output::tr("  tokens %1 in, %2 out; cost %3; %4 requests")
                         .arg(out.number(job->promptTokens), out.number(job->completionTokens), formatCost(job->cost),
                              out.number(job->requests)));
            if (!job->lastError.isEmpty())
                out.line(Output::tr("  last error: %1").arg(job->lastError));
            for (const JobItemInfo& i : items)
                out.line(u"  %1\t%2\t%3\t%4"_s.arg(i.extId, jobItemStateKey(i.state)).arg(i.attempts).arg(i.lastError));
        }
        return 0;
    }

    const QList<JobInfo> jobs = store.jobs(int(args.integer(u"limit"_s, 100, 1, 1000000)));
    if (out.json()) {
        QJsonArray arr;
        for (const JobInfo& j : jobs)
            arr.append(jobJson(j));
        out.document(QJsonObject{{u"jobs"_s, arr}});
        return 0;
    }
    if (jobs.isEmpty())
        out.line(Output::tr("No recaption jobs yet: facet recaption %1 --provider ... --model ... --all").arg(path));
    for (const JobInfo& j : jobs)
        out.line(Output::tr("#%1  %2  %3 %4  %5/%6 finished (%7 failed)  %8 in / %9 out tokens  %10  %11")
                     .arg(j.id)
                     .arg(jobStateKey(j.state), providerKey(j.settings.provider), j.settings.model,
                          out.number(j.total - j.remaining()), out.number(j.total), out.number(j.failed),
                          out.number(j.promptTokens), out.number(j.completionTokens))
                     .arg(formatCost(j.cost), j.createdAt));
    return 0;
}

} // namespace facet::cli
