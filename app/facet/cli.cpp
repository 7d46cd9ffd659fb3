#include "cli.h"

#include "arguments.h"
#include "output.h"
#include "recaptioncommands.h"

#include "curation.h"
#include "error.h"
#include "exporter.h"
#include "facetindexer.h"
#include "facetmodel.h"
#include "importer.h"
#include "itemstore.h"
#include "palette.h"
#include "project.h"
#include "verifier.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <functional>
#include <map>
#include <optional>

namespace facet::cli {

using namespace Qt::Literals::StringLiterals;

namespace {

// Set by SIGINT/SIGTERM; long work checks it between records and rolls back what it had not committed.
std::atomic_bool g_cancel{false};

extern "C" void onInterrupt(int)
{
    g_cancel.store(true);
}

struct Command
{
    QString synopsis;
    Arguments::Spec spec;
    std::function<int(const Arguments&, Output&)> run;
};

const Arguments::Spec kSelectorSpec{{u"all"_s}, {u"id"_s, u"filter"_s}, {u"id"_s}};

Arguments::Spec withSelector(Arguments::Spec spec)
{
    spec.flags.unite(kSelectorSpec.flags);
    spec.valued.unite(kSelectorSpec.valued);
    spec.repeatable.unite(kSelectorSpec.repeatable);
    return spec;
}

Selection selectionFrom(const Arguments& args)
{
    Selection s;
    s.extIds = args.values(u"id"_s);
    s.filter = args.value(u"filter"_s);
    s.all = args.has(u"all"_s);
    return s;
}

QString projectPath(const Arguments& args, int minPositionals, int maxPositionals)
{
    const qsizetype n = args.positionals().size();
    if (n < minPositionals || n > maxPositionals)
        throw UsageError{Output::tr("wrong number of arguments")};
    return args.positionals().first();
}

std::unique_ptr<Project> openExisting(const QString& path, bool write)
{
    auto project = Project::open(path, Project::OpenMode::Existing);
    if (write && project->isReadOnly())
        throw ProjectError(
            Output::tr("Project %1 is read-only (%2); nothing was changed").arg(path, project->readOnlyReason()));
    return project;
}

Progress progressFor(Output& out, const QString& what)
{
    Progress p;
    p.cancel = &g_cancel;
    p.report = [&out, what](std::int64_t done, std::int64_t total, const QString& detail) {
        out.progress(what, done, total, detail);
    };
    return p;
}

// ---- import -------------------------------------------------------------------------------------

int cmdImport(const Arguments& args, Output& out)
{
    if (args.positionals().size() < 2)
        throw UsageError{Output::tr("give the project and at least one source")};
    const QString path = args.positionals().first();
    const QStringList sources = args.positionals().mid(1);
    ImportOptions options;
    options.imageRoot = args.value(u"images"_s);
    options.name = args.value(u"name"_s);
    options.strict = args.has(u"strict"_s);
    if (!sourceFormatFromKey(args.value(u"format"_s, u"auto"_s), &options.format))
        throw UsageError{Output::tr("unknown format %1").arg(args.value(u"format"_s))};
    if (!options.name.isEmpty() && sources.size() > 1)
        throw UsageError{Output::tr("--name applies to one source; give one source per import")};
    for (const QString& source : sources)
        if (!QFileInfo::exists(source))
            throw ProjectError(Output::tr("Cannot read %1: no such file or folder").arg(source));

    auto project = Project::open(path, Project::OpenMode::CreateIfMissing);
    if (project->isReadOnly())
        throw ProjectError(Output::tr("Project %1 is read-only (%2)").arg(path, project->readOnlyReason()));
    Importer importer(*project);
    const ImportReport report = importer.run(sources, options, progressFor(out, Output::tr("Importing")));
    out.endProgress();

    QJsonArray errors;
    for (const ImportIssue& issue : report.errors)
        errors.append(QJsonObject{{u"file"_s, issue.file},
                                  {u"index"_s, static_cast<qint64>(issue.index)},
                                  {u"id"_s, issue.id},
                                  {u"reason"_s, issue.reason}});
    QJsonObject byPrefix;
    for (auto it = report.missingByPrefix.cbegin(); it != report.missingByPrefix.cend(); ++it)
        byPrefix.insert(it.key(), static_cast<qint64>(it.value()));
    const QJsonObject json{{u"imported"_s, static_cast<qint64>(report.imported)},
                           {u"skipped"_s, static_cast<qint64>(report.skipped)},
                           {u"duplicates"_s, static_cast<qint64>(report.duplicates)},
                           {u"missing_images"_s, static_cast<qint64>(report.missingImages)},
                           {u"missing_by_prefix"_s, byPrefix},
                           {u"committed"_s, report.committed},
                           {u"errors"_s, errors}};
    if (out.json()) {
        out.document(json);
    } else {
        // Records count from 1 here, as people count them; the JSON "index" stays 0-based.
        for (const ImportIssue& issue : report.errors)
            out.warn(Output::tr("%1: record %2%3: %4")
                         .arg(issue.file)
                         .arg(issue.index >= 0 ? QString::number(issue.index + 1) : QStringLiteral("?"))
                         .arg(issue.id.isEmpty() ? QString() : u" (id "_s + issue.id + u")"_s, issue.reason));
        if (report.skipped > report.errors.size())
            out.warn(Output::tr("… and %1 more skipped records").arg(report.skipped - report.errors.size()));
        out.line(Output::tr("Imported %1, skipped %2, duplicates %3, images missing %4")
                     .arg(out.number(report.imported), out.number(report.skipped), out.number(report.duplicates),
                          out.number(report.missingImages)));
        for (auto it = report.missingByPrefix.cbegin(); it != report.missingByPrefix.cend(); ++it)
            out.line(Output::tr("  missing under %1/: %2").arg(it.key(), out.number(it.value())));
        if (!report.committed)
            out.line(Output::tr("--strict: nothing was imported because some records are bad"));
    }
    return report.skipped > 0 || !report.committed ? 1 : 0;
}

// ---- stats, list, show --------------------------------------------------------------------------

QJsonObject toJson(const QMap<QString, std::int64_t>& map)
{
    QJsonObject o;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        o.insert(it.key(), static_cast<qint64>(it.value()));
    return o;
}

// Rounded, except that a facet some items lack never shows 100 % and one some items have never 0 %:
// the line is read for what is missing.
std::int64_t coveragePercent(std::int64_t covered, std::int64_t items)
{
    if (items <= 0 || covered <= 0)
        return 0;
    if (covered >= items)
        return 100;
    return std::clamp<std::int64_t>((covered * 200 + items) / (items * 2), 1, 99);
}

int cmdStats(const Arguments& args, Output& out)
{
    const QString path = projectPath(args, 1, 1);
    auto project = openExisting(path, false);
    ItemStore store(*project);
    const ProjectStats s = store.stats();
    // Stored facets come from the model that indexed the captions; after a newer Facet Studio or a
    // change of cues they can differ from what the classifier says now.
    const bool facetsCurrent = s.versions == 0 || FacetModel::projectIsCurrent(project->db());
    if (out.json()) {
        QJsonObject coverage;
        for (auto it = s.facetsPerSource.cbegin(); it != s.facetsPerSource.cend(); ++it)
            coverage.insert(it.key(), toJson(it.value()));
        out.document(QJsonObject{{u"items"_s, static_cast<qint64>(s.items)},
                                 {u"status"_s, QJsonObject{{u"pending"_s, static_cast<qint64>(s.pending)},
                                                           {u"accepted"_s, static_cast<qint64>(s.accepted)},
                                                           {u"rejected"_s, static_cast<qint64>(s.rejected)}}},
                                 {u"images"_s, QJsonObject{{u"ok"_s, static_cast<qint64>(s.imagesOk)},
                                                           {u"missing"_s, static_cast<qint64>(s.imagesMissing)},
                                                           {u"broken"_s, static_cast<qint64>(s.imagesBroken)},
                                                           {u"none"_s, static_cast<qint64>(s.imagesNone)}}},
                                 {u"sources"_s, toJson(s.sources)},
                                 {u"facets"_s, toJson(s.facets)},
                                 {u"facet_coverage"_s, coverage},
                                 {u"facets_current"_s, facetsCurrent},
                                 {u"versions"_s, static_cast<qint64>(s.versions)}});
        return 0;
    }
    out.line(Output::tr("Project %1: %2 items, %3 caption versions")
                 .arg(project->name(), out.number(s.items), out.number(s.versions)));
    out.line(Output::tr("  status: %1 pending, %2 accepted, %3 rejected")
                 .arg(out.number(s.pending), out.number(s.accepted), out.number(s.rejected)));
    out.line(Output::tr("  images: %1 ok, %2 missing, %3 broken, %4 without image")
                 .arg(out.number(s.imagesOk), out.number(s.imagesMissing), out.number(s.imagesBroken),
                      out.number(s.imagesNone)));
    // Facets in the project's own order (built-in first, then the project's), so a missing facet
    // stands out in the same place for every source; keys the model no longer has come last.
    QStringList order = FacetModel::forProject(project->db()).keys();
    for (auto it = s.facets.cbegin(); it != s.facets.cend(); ++it)
        if (!order.contains(it.key()))
            order.append(it.key());
    for (auto it = s.sources.cbegin(); it != s.sources.cend(); ++it) {
        out.line(Output::tr("  source %1: %2 items").arg(it.key(), out.number(it.value())));
        // Which facets the source's captions cover: an item counts once per facet it has a sentence of.
        const QMap<QString, std::int64_t> covered = s.facetsPerSource.value(it.key());
        QStringList parts;
        for (const QString& key : order) {
            const std::int64_t n = covered.value(key, 0);
            parts << Output::tr("%1 %2 (%3%)").arg(key, out.number(n)).arg(coveragePercent(n, it.value()));
        }
        out.line(Output::tr("    captions covering each facet: %1").arg(parts.join(u", "_s)));
    }
    for (const QString& key : order)
        out.line(Output::tr("  facet %1: %2 sentences").arg(key, out.number(s.facets.value(key, 0))));
    if (!facetsCurrent)
        out.line(Output::tr("  facets were computed by an earlier facet model or with other cues; "
                            "`facet facets %1` recomputes them")
                     .arg(path));
    return 0;
}

int cmdList(const Arguments& args, Output& out)
{
    const QString path = projectPath(args, 1, 1);
    auto project = openExisting(path, false);
    Selection sel = selectionFrom(args);
    if (sel.isEmpty())
        sel.all = true;
    const qint64 limit = args.integer(u"limit"_s, 100, 0, std::numeric_limits<qint32>::max());
    ItemStore store(*project);
    const Query query = sel.toQuery();
    const std::int64_t total = store.count(query);
    const std::vector<ItemId> ids = store.ids(query, limit == 0 ? -1 : limit);
    // Pages of summaries keep memory flat however many records are listed.
    constexpr std::size_t kPage = 512;
    if (out.json())
        out.beginStream(QJsonObject{{u"total"_s, static_cast<qint64>(total)}}, u"items"_s);
    for (std::size_t k = 0; k < ids.size(); k += kPage) {
        const std::vector<ItemId> page(ids.begin() + static_cast<std::ptrdiff_t>(k),
                                       ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), k + kPage)));
        for (const ItemSummary& s : store.summaries(page)) {
            if (out.json()) {
                out.streamItem(QJsonObject{{u"id"_s, s.extId},
                                           {u"source"_s, s.source},
                                           {u"image"_s, s.image.isNull() ? QJsonValue() : QJsonValue(s.image)},
                                           {u"status"_s, statusKey(s.status)},
                                           {u"image_state"_s, imageStateKey(s.imageState)},
                                           {u"chars"_s, s.chars},
                                           {u"facets"_s, QJsonArray::fromStringList(s.facets)},
                                           {u"caption_head"_s, s.captionHead}});
            } else {
                QString head = s.captionHead.simplified();
                if (head.size() > 80)
                    head = head.left(79) + QChar(0x2026);
                out.line(u"%1\t%2\t%3\t%4"_s.arg(s.extId, statusKey(s.status), s.image, head));
            }
        }
    }
    if (out.json())
        out.endStream();
    else if (total == 0)
        out.note(Output::tr("No records match")); // stderr: stdout stays empty for scripts
    else if (total > static_cast<std::int64_t>(ids.size()))
        out.note(Output::tr("%1 of %2 records shown (--limit 0 shows all)")
                     .arg(out.number(static_cast<std::int64_t>(ids.size())), out.number(total)));
    return 0;
}

int cmdShow(const Arguments& args, Output& out)
{
    if (args.positionals().size() != 2)
        throw UsageError{Output::tr("give the project and one record id")};
    auto project = openExisting(args.positionals().at(0), false);
    ItemStore store(*project);
    const QString extId = args.positionals().at(1);
    const auto item = store.findByExtId(extId);
    if (!item)
        throw ProjectError(Output::tr("No record with id %1 in %2").arg(extId, project->path()));
    const ItemDetail d = *store.detail(*item);

    if (out.json()) {
        QJsonArray versions;
        for (const CaptionVersion& v : d.versions)
            versions.append(QJsonObject{{u"version"_s, static_cast<qint64>(v.id)},
                                        {u"current"_s, v.id == d.currentVersion},
                                        {u"undone"_s, v.undone},
                                        {u"text"_s, v.text},
                                        {u"origin"_s, originKey(v.origin)},
                                        {u"model"_s, v.model.isNull() ? QJsonValue() : QJsonValue(v.model)},
                                        {u"prompt"_s, v.prompt.isNull() ? QJsonValue() : QJsonValue(v.prompt)},
                                        {u"params"_s, v.params.isNull() ? QJsonValue() : QJsonValue(v.params)},
                                        {u"author"_s, v.author.isNull() ? QJsonValue() : QJsonValue(v.author)},
                                        {u"created_at"_s, v.createdAt}});
        QJsonArray segments;
        for (const Segment& s : d.segments)
            segments.append(QJsonObject{{u"start"_s, s.start},
                                        {u"end"_s, s.end},
                                        {u"text"_s, d.caption.mid(s.start, s.end - s.start)},
                                        {u"facets"_s, QJsonArray::fromStringList(s.facets)},
                                        {u"by_reviewer"_s, s.byReviewer}});
        QJsonArray history;
        for (const ItemDetail::HistoryEntry& h : d.history)
            history.append(QJsonObject{{u"journal_id"_s, static_cast<qint64>(h.journalId)},
                                       {u"kind"_s, h.kind},
                                       {u"summary"_s, h.summary},
                                       {u"author"_s, h.author},
                                       {u"at"_s, h.at},
                                       {u"undone"_s, h.undone}});
        auto nullable = [](const QString& s) { return s.isNull() ? QJsonValue() : QJsonValue(s); };
        out.document(QJsonObject{{u"id"_s, d.summary.extId},
                                 {u"source"_s, d.summary.source},
                                 {u"image"_s, nullable(d.summary.image)},
                                 {u"image_state"_s, imageStateKey(d.summary.imageState)},
                                 {u"image_error"_s, nullable(d.imageError)},
                                 {u"status"_s, statusKey(d.summary.status)},
                                 {u"reviewer"_s, nullable(d.reviewer)},
                                 {u"reason"_s, nullable(d.reason)},
                                 {u"reviewed_at"_s, nullable(d.reviewedAt)},
                                 {u"updated_at"_s, d.updatedAt},
                                 {u"recaptioned"_s, d.summary.recaptioned},
                                 {u"caption"_s, d.caption},
                                 {u"versions"_s, versions},
                                 {u"segments"_s, segments},
                                 {u"history"_s, history}});
        return 0;
    }
    out.line(Output::tr("%1  [%2]  source %3").arg(d.summary.extId, statusKey(d.summary.status), d.summary.source));
    if (d.imageError.isEmpty())
        out.line(Output::tr("image: %1 (%2)").arg(d.summary.image, imageStateKey(d.summary.imageState)));
    else // why `facet verify` found it missing or broken
        out.line(
            Output::tr("image: %1 (%2: %3)").arg(d.summary.image, imageStateKey(d.summary.imageState), d.imageError));
    if (!d.reviewer.isEmpty())
        out.line(Output::tr("reviewed by %1 at %2%3")
                     .arg(d.reviewer, d.reviewedAt, d.reason.isEmpty() ? QString() : u" — "_s + d.reason));
    out.line(QString());
    out.line(d.caption);
    out.line(QString());
    out.line(Output::tr("versions:"));
    for (const CaptionVersion& v : d.versions)
        out.line(u"  %1 %2 %3 %4 %5 %6"_s.arg(v.id == d.currentVersion ? u"*"_s : u" "_s)
                     .arg(v.id)
                     .arg(originKey(v.origin), v.model, v.author, v.createdAt)
                 + (v.undone ? Output::tr(" (undone)") : QString()));
    if (!d.segments.isEmpty()) {
        out.line(Output::tr("segments:"));
        for (const Segment& s : d.segments)
            out.line(u"  [%1] %2"_s.arg(s.facets.join(u","_s), d.caption.mid(s.start, s.end - s.start)));
    }
    if (!d.history.isEmpty()) {
        out.line(Output::tr("history:"));
        for (const ItemDetail::HistoryEntry& h : d.history)
            out.line(u"  %1 %2 %3%4"_s.arg(h.at, h.author, h.summary, h.undone ? Output::tr(" (undone)") : QString()));
    }
    return 0;
}

// ---- review, edit, undo, redo, history ----------------------------------------------------------

int cmdReview(const Arguments& args, Output& out)
{
    const QString path = projectPath(args, 1, 1);
    const int modes = int(args.has(u"accept"_s)) + int(args.has(u"reject"_s)) + int(args.has(u"reset"_s));
    if (modes != 1)
        throw UsageError{Output::tr("give exactly one of --accept, --reject, --reset")};
    const Status status = args.has(u"accept"_s)   ? Status::Accepted
                          : args.has(u"reject"_s) ? Status::Rejected
                                                  : Status::Pending;
    const Selection sel = selectionFrom(args);
    if (sel.isEmpty())
        throw UsageError{Output::tr("nothing selected: give --id, --filter or --all")};
    const bool dryRun = args.has(u"dry-run"_s);
    auto project = openExisting(path, !dryRun);
    Curation curation(*project);
    const std::int64_t changed = curation.setStatus(sel, status, args.value(u"reviewer"_s), args.value(u"reason"_s),
                                                    dryRun);
    if (out.json()) {
        out.document(QJsonObject{
            {u"changed"_s, static_cast<qint64>(changed)}, {u"status"_s, statusKey(status)}, {u"dry_run"_s, dryRun}});
    } else if (dryRun) {
        out.line(Output::tr("%Ln record(s) would change to %1 (dry run, nothing written)", nullptr, int(changed))
                     .arg(statusKey(status)));
    } else {
        out.line(Output::tr("%Ln record(s) changed to %1", nullptr, int(changed)).arg(statusKey(status)));
    }
    return 0;
}

int cmdEdit(const Arguments& args, Output& out)
{
    if (args.positionals().size() != 2)
        throw UsageError{Output::tr("give the project and one record id")};
    if (args.has(u"text"_s) == args.has(u"text-file"_s))
        throw UsageError{Output::tr("give exactly one of --text, --text-file")};
    QString text = args.value(u"text"_s);
    if (args.has(u"text-file"_s)) {
        QFile f(args.value(u"text-file"_s));
        if (!f.open(QIODevice::ReadOnly))
            throw ProjectError(Output::tr("Cannot read %1: %2").arg(f.fileName(), f.errorString()));
        text = QString::fromUtf8(f.readAll());
    }
    if (text.trimmed().isEmpty())
        throw UsageError{Output::tr("the caption is empty; use `facet review --reject` to drop a record")};
    auto project = openExisting(args.positionals().at(0), true);
    ItemStore store(*project);
    const QString extId = args.positionals().at(1);
    const auto item = store.findByExtId(extId);
    if (!item)
        throw ProjectError(Output::tr("No record with id %1 in %2").arg(extId, project->path()));
    Curation curation(*project);
    const std::int64_t version = curation.editCaption(*item, text, args.value(u"reviewer"_s));
    if (out.json())
        out.document(QJsonObject{{u"id"_s, extId}, {u"version"_s, static_cast<qint64>(version)}});
    else
        out.line(Output::tr("Caption of %1 saved as version %2").arg(extId).arg(version));
    return 0;
}

int cmdUndoRedo(const Arguments& args, Output& out, bool undo)
{
    const QString path = projectPath(args, 1, 1);
    const qint64 steps = args.integer(u"steps"_s, 1, 1, 1000000);
    auto project = openExisting(path, true);
    Curation curation(*project);
    QJsonArray done;
    for (qint64 k = 0; k < steps; ++k) {
        const auto entry = undo ? curation.undo() : curation.redo();
        if (!entry)
            break;
        done.append(QJsonObject{{u"journal_id"_s, static_cast<qint64>(entry->id)}, {u"summary"_s, entry->summary}});
        if (!out.json())
            out.line((undo ? Output::tr("Undone: %1") : Output::tr("Redone: %1")).arg(entry->summary));
    }
    if (out.json())
        out.document(QJsonObject{{undo ? u"undone"_s : u"redone"_s, done}});
    else if (done.isEmpty())
        out.line(undo ? Output::tr("Nothing to undo") : Output::tr("Nothing to redo"));
    return 0;
}

int cmdHistory(const Arguments& args, Output& out)
{
    const QString path = projectPath(args, 1, 1);
    const qint64 limit = args.integer(u"limit"_s, 50, 1, 1000000);
    auto project = openExisting(path, false);
    Curation curation(*project);
    const QList<JournalEntry> entries = curation.history(static_cast<int>(limit));
    if (out.json()) {
        QJsonArray arr;
        for (const JournalEntry& e : entries)
            arr.append(QJsonObject{{u"journal_id"_s, static_cast<qint64>(e.id)},
                                   {u"kind"_s, e.kind},
                                   {u"summary"_s, e.summary},
                                   {u"author"_s, e.author},
                                   {u"at"_s, e.at},
                                   {u"items"_s, static_cast<qint64>(e.items)},
                                   {u"undone"_s, e.undone}});
        out.document(QJsonObject{{u"history"_s, arr}});
        return 0;
    }
    if (entries.isEmpty())
        out.line(Output::tr("No actions yet"));
    for (const JournalEntry& e : entries)
        out.line(u"%1  %2  %3  %4%5"_s.arg(e.id).arg(e.at, e.author, e.summary,
                                                     e.undone ? Output::tr("  (undone)") : QString()));
    return 0;
}

// ---- verify -------------------------------------------------------------------------------------

int cmdVerify(const Arguments& args, Output& out)
{
    const QString path = projectPath(args, 1, 1);
    const qint64 threads = args.integer(u"threads"_s, 0, 0, 256);
    auto project = openExisting(path, true);
    Verifier verifier(static_cast<int>(threads));
    const VerifyReport report = verifier.run(*project, progressFor(out, Output::tr("Verifying images")));
    out.endProgress();
    if (out.json()) {
        QJsonArray broken;
        for (const VerifyReport::BrokenItem& b : report.brokenItems)
            broken.append(QJsonObject{{u"id"_s, b.extId}, {u"image"_s, b.image}, {u"reason"_s, b.reason}});
        out.document(QJsonObject{{u"checked"_s, static_cast<qint64>(report.checked)},
                                 {u"ok"_s, static_cast<qint64>(report.ok)},
                                 {u"missing"_s, static_cast<qint64>(report.missing)},
                                 {u"broken"_s, static_cast<qint64>(report.broken)},
                                 {u"errors"_s, broken}});
    } else {
        for (const VerifyReport::BrokenItem& b : report.brokenItems)
            out.warn(Output::tr("%1 (%2): %3").arg(b.extId, b.image, b.reason));
        out.line(Output::tr("Checked %1 images: %2 ok, %3 missing, %4 broken")
                     .arg(out.number(report.checked), out.number(report.ok), out.number(report.missing),
                          out.number(report.broken)));
    }
    return report.broken > 0 || report.missing > 0 ? 1 : 0;
}

// ---- facets -------------------------------------------------------------------------------------

int cmdFacets(const Arguments& args, Output& out)
{
    const QString path = projectPath(args, 1, 1);
    if (args.has(u"cues"_s) && args.has(u"no-cues"_s))
        throw UsageError{Output::tr("give at most one of --cues, --no-cues")};
    auto project = openExisting(path, true);
    // The project's own facets and cues (docs/facets.md, "Adding a facet or changing cues"): stored
    // first, validated before anything is written, then every selected caption is classified with
    // them. A reviewer's labels survive, as on any re-index.
    QString cuesChange;
    if (args.has(u"cues"_s)) {
        QFile f(args.value(u"cues"_s));
        if (!f.open(QIODevice::ReadOnly))
            throw ProjectError(Output::tr("Cannot read %1: %2").arg(f.fileName(), f.errorString()));
        const QByteArray json = f.readAll();
        if (json.trimmed().isEmpty())
            throw ProjectError(Output::tr("%1 is empty; use --no-cues to remove the project's cues").arg(f.fileName()));
        try {
            FacetModel::setProjectCues(project->db(), json);
        } catch (const Error& e) {
            throw ProjectError(
                Output::tr("%1: %2; the project's cues were not changed").arg(f.fileName(), e.message()));
        }
        cuesChange = u"stored"_s;
        const FacetModel model = FacetModel::forProject(project->db());
        if (!out.json())
            out.line(
                Output::tr("Stored the facet cues of %1; facets: %2").arg(f.fileName(), model.keys().join(u", "_s)));
        // The window shows a declared colour as it is; one that reads as a status or a built-in facet
        // misleads every reviewer, so say so now, while the file is open in the author's editor.
        for (const FacetInfo& facet : model.facets()) {
            const std::optional<Palette::Rgb> rgb = Palette::parse(facet.color);
            if (!rgb || Palette::builtInFacet(facet.key))
                continue;
            const QString clash = Palette::clash(*rgb);
            if (!clash.isEmpty())
                out.warn(Output::tr("%1: facet %2: colour %3 is close to %4; reviewers will confuse the two")
                             .arg(f.fileName(), facet.key, facet.color, clash));
        }
    } else if (args.has(u"no-cues"_s)) {
        FacetModel::setProjectCues(project->db(), {});
        cuesChange = u"removed"_s;
        if (!out.json())
            out.line(Output::tr("Removed the project's own facet cues; facets: %1")
                         .arg(FacetModel::defaultModel().keys().join(u", "_s)));
    }
    FacetIndexer indexer;
    const std::int64_t versions = indexer.reindex(*project, selectionFrom(args),
                                                  progressFor(out, Output::tr("Computing facets")));
    out.endProgress();
    if (out.json()) {
        QJsonObject o{{u"versions"_s, static_cast<qint64>(versions)},
                      {u"facets"_s, QJsonArray::fromStringList(FacetModel::forProject(project->db()).keys())}};
        if (!cuesChange.isEmpty())
            o.insert(u"cues"_s, cuesChange);
        out.document(o);
    } else {
        out.line(Output::tr("Computed facet segments of %1 caption versions").arg(out.number(versions)));
    }
    return 0;
}

// ---- export -------------------------------------------------------------------------------------

int cmdExport(const Arguments& args, Output& out)
{
    const QString path = projectPath(args, 1, 1);
    ExportOptions options;
    options.output = args.value(u"output"_s);
    if (options.output.isEmpty())
        throw UsageError{Output::tr("give the output file with -o")};
    const QString format = args.value(u"format"_s, u"sharegpt4v"_s);
    if (format == u"sharegpt4v"_s)
        options.format = ExportFormat::ShareGpt4v;
    else if (format == u"flat"_s)
        options.format = ExportFormat::Flat;
    else
        throw UsageError{Output::tr("unknown export format %1 (sharegpt4v or flat)").arg(format)};
    options.selection = selectionFrom(args);
    options.array = args.has(u"array"_s);
    auto project = openExisting(path, false);
    Exporter exporter(*project);
    const ExportReport report = exporter.run(options, progressFor(out, Output::tr("Exporting")));
    out.endProgress();
    if (out.json())
        out.document(QJsonObject{{u"written"_s, static_cast<qint64>(report.written)}, {u"output"_s, options.output}});
    else
        out.line(Output::tr("Wrote %1 records to %2").arg(out.number(report.written), options.output));
    return 0;
}

const std::map<QString, Command>& commands()
{
    static const std::map<QString, Command> table = {
        {u"import"_s,
         {u"import P SOURCE... [--images DIR] [--name NAME] [--format auto|sharegpt4v|jsonl|sharecaptioner|"
          "webdataset|folder] [--strict] [--json]"_s,
          {{u"json"_s, u"strict"_s}, {u"images"_s, u"name"_s, u"format"_s}, {}},
          cmdImport}},
        {u"stats"_s, {u"stats P [--json]"_s, {{u"json"_s}, {}, {}}, cmdStats}},
        {u"list"_s,
         {u"list P [--id ID]... [--filter QUERY] [--all] [--limit N] [--json]"_s,
          withSelector({{u"json"_s}, {u"limit"_s}, {}}), cmdList}},
        {u"show"_s, {u"show P ID [--json]"_s, {{u"json"_s}, {}, {}}, cmdShow}},
        {u"review"_s,
         {u"review P --accept|--reject|--reset (--id ID... | --filter QUERY | --all) [--reason TEXT] "
          "[--reviewer NAME] [--dry-run] [--json]"_s,
          withSelector(
              {{u"json"_s, u"accept"_s, u"reject"_s, u"reset"_s, u"dry-run"_s}, {u"reason"_s, u"reviewer"_s}, {}}),
          cmdReview}},
        {u"edit"_s,
         {u"edit P ID (--text TEXT | --text-file F) [--reviewer NAME] [--json]"_s,
          {{u"json"_s}, {u"text"_s, u"text-file"_s, u"reviewer"_s}, {}},
          cmdEdit}},
        {u"undo"_s,
         {u"undo P [--steps N] [--json]"_s,
          {{u"json"_s}, {u"steps"_s}, {}},
          [](const Arguments& a, Output& o) { return cmdUndoRedo(a, o, true); }}},
        {u"redo"_s,
         {u"redo P [--steps N] [--json]"_s,
          {{u"json"_s}, {u"steps"_s}, {}},
          [](const Arguments& a, Output& o) { return cmdUndoRedo(a, o, false); }}},
        {u"facets"_s,
         {u"facets P [--cues FILE | --no-cues] [--id ID]... [--filter QUERY] [--all] [--json]"_s,
          withSelector({{u"json"_s, u"no-cues"_s}, {u"cues"_s}, {}}), cmdFacets}},
        {u"verify"_s, {u"verify P [--threads N] [--json]"_s, {{u"json"_s}, {u"threads"_s}, {}}, cmdVerify}},
        {u"history"_s, {u"history P [--limit N] [--json]"_s, {{u"json"_s}, {u"limit"_s}, {}}, cmdHistory}},
        {u"recaption"_s, {recaptionSynopsis(), recaptionSpec(), cmdRecaption}},
        {u"jobs"_s, {jobsSynopsis(), jobsSpec(), cmdJobs}},
        {u"export"_s,
         {u"export P -o OUT [--format sharegpt4v|flat] [--id ID]... [--filter QUERY] [--all] [--array] [--json]"_s,
          withSelector({{u"json"_s, u"array"_s}, {u"output"_s, u"format"_s}, {}}), cmdExport}},
    };
    return table;
}

void printUsage(Output& out)
{
    out.note(Output::tr("Usage: facet COMMAND PROJECT [options]"));
    for (const auto& [name, command] : commands())
        out.note(u"  facet "_s + command.synopsis);
    out.note(Output::tr("Exit status: 0 done, 1 finished but something failed, 2 usage error or nothing done."));
}

} // namespace

int run(const QStringList& args)
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);

    const bool json = args.contains(u"--json"_s);
    Output out(json);
    if (args.isEmpty() || args.first() == u"--help"_s || args.first() == u"-h"_s || args.first() == u"help"_s) {
        printUsage(out);
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == u"--version"_s) {
        out.line(u"facet "_s + QCoreApplication::applicationVersion());
        return 0;
    }
    const auto it = commands().find(args.first());
    if (it == commands().end()) {
        out.error(Output::tr("unknown command %1").arg(args.first()), u"usage"_s);
        printUsage(out);
        return 2;
    }
    const Command& command = it->second;
    try {
        const Arguments parsed(args.mid(1), command.spec);
        if (parsed.positionals().isEmpty())
            throw UsageError{Output::tr("give the project file first")};
        return command.run(parsed, out);
    } catch (const UsageError& e) {
        out.endProgress();
        out.error(e.message, u"usage"_s);
        out.note(Output::tr("usage: facet %1").arg(command.synopsis));
        return 2;
    } catch (const Cancelled&) {
        out.endProgress();
        out.error(Output::tr("cancelled; nothing of the unfinished work was written"), u"cancelled"_s);
        return 2;
    } catch (const ProjectError& e) {
        out.endProgress();
        out.error(e.message(), u"project"_s);
        return 2;
    } catch (const Error& e) {
        out.endProgress();
        out.error(e.message(), u"error"_s);
        return 2;
    } catch (const std::exception& e) {
        out.endProgress();
        out.error(Output::tr("internal error: %1").arg(QString::fromLocal8Bit(e.what())), u"internal"_s);
        return 2;
    }
}

} // namespace facet::cli
