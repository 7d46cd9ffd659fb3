#pragma once

#include "progress.h"
#include "query.h"
#include "recaption.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace facet {

class Project;
class Statement;

/**
 * The recaptioning tables of a project (schema v2): jobs with their per-item state, the prompt
 * library, the model price table and the result cache. The read side of the jobs panel and of
 * `facet jobs`; RecaptionRunner writes through its own connection. Uses the project's connection:
 * one JobStore per thread.
 */
class JobStore final
{
    Q_DECLARE_TR_FUNCTIONS(facet::JobStore)

public:
    explicit JobStore(Project& project);

    // ---- jobs ----

    /**
     * Creates a job over the selected items that have an image (text-only items are left out) and
     * returns its id. With an empty settings.prompt the prompt library decides: the per-source
     * prompts are captured into the job, everything else gets the ShareGPT4V prompt (or the
     * regenerate-one-facet template when settings.facet is set). Throws facet::Error for invalid
     * settings, an empty selection or a selection without images.
     */
    std::int64_t createJob(RecaptionSettings settings, const Selection& selection, const QString& author,
                           const std::optional<RecaptionEstimate>& estimate = std::nullopt);
    /** Newest first. */
    QList<JobInfo> jobs(int limit = 100);
    std::optional<JobInfo> job(std::int64_t id);
    /**
     * The newest job `facet recaption --resume` continues: queued, paused, interrupted, failed, or
     * running with no live runner (a crash). Cancelled and done jobs are resumed only by id.
     */
    std::optional<std::int64_t> resumableJob();
    /** Items of a job in item order, optionally only those in one state. */
    QList<JobItemInfo> items(std::int64_t jobId, std::optional<JobItemState> state = std::nullopt, int limit = 100,
                             int offset = 0);
    /**
     * Marks a job cancelled so that `--resume` skips it. Throws facet::Error while a live runner
     * holds it (stop that runner instead: RecaptionRunner::cancel()).
     */
    void cancel(std::int64_t jobId);

    // ---- prompt library ----

    /** The built-in prompts (not stored, not editable) followed by the project's own, by name. */
    QList<PromptEntry> prompts();
    std::optional<PromptEntry> prompt(const QString& name);
    /**
     * Saves (or replaces) a project prompt. `source` non-empty makes it the default prompt for
     * items of that source (one per source). Built-in names cannot be overwritten.
     */
    void savePrompt(const QString& name, const QString& text, const QString& source = {});
    bool removePrompt(const QString& name);

    // ---- price table ----

    QList<ModelPrice> prices();
    /** The price of a model: its own entry, else the longest entry that is a prefix of its name. */
    std::optional<ModelPrice> priceFor(const QString& model);
    void setPrice(const ModelPrice& price);
    bool removePrice(const QString& model);

    // ---- estimate ----

    /**
     * What a job over the selection would send: image count, input tokens (OpenAI's tile formula on
     * the image sizes read from file headers — a sample of 2,000 when there are more), output tokens
     * at most, and the cost when the model has a price. Reads no image in full, writes nothing.
     */
    RecaptionEstimate estimate(const Selection& selection, const RecaptionSettings& settings,
                               const Progress& progress = {});

    // ---- runners ----

    /** This process as a runner: "host:pid". */
    static QString runnerId();
    /**
     * Whether the runner that last touched a job still works on it: same host, its process exists,
     * and it wrote a heartbeat within the last minute (a reused pid does not hold a job forever).
     */
    static bool runnerAlive(const QString& runner, const QString& updatedAt);

    static constexpr const char* BuiltinPromptName = "sharegpt4v";
    static constexpr const char* BuiltinFacetPromptName = "facet";

private:
    JobInfo readJob(Statement& st);
    void fillCounts(JobInfo& info);

    Project& m_project;
};

} // namespace facet
