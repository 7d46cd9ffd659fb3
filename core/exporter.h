#pragma once

#include "progress.h"
#include "query.h"

#include <QCoreApplication>
#include <QString>

#include <cstdint>

namespace facet {

class Project;

enum class ExportFormat
{
    ShareGpt4v,
    Flat
};

struct ExportOptions
{
    QString output; ///< target file; written to a temporary file, then renamed
    ExportFormat format = ExportFormat::ShareGpt4v;
    Selection selection; ///< default (empty): status:accepted
    bool array = false;  ///< one JSON array instead of JSONL
};

struct ExportReport
{
    std::int64_t written = 0;
};

/**
 * Streams the selected items to JSONL (or a JSON array). `sharegpt4v` is lossless: an untouched record
 * is written exactly as imported; an edited one differs only in its caption turn. Records imported
 * without conversations get a human turn "<image>\n<prompt>" and a gpt turn with the caption.
 * `flat` writes id, image, caption, segments, facets, status, origin, model, reviewer, updated_at.
 * The file appears under its name only when complete (QSaveFile); a failure or cancel leaves none.
 */
class Exporter final
{
    Q_DECLARE_TR_FUNCTIONS(facet::Exporter)

public:
    explicit Exporter(Project& project);
    ExportReport run(const ExportOptions& options, const Progress& progress = {});

private:
    Project& m_project;
};

} // namespace facet
