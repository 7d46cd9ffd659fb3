#pragma once

#include "arguments.h"
#include "output.h"

namespace facet::cli {

/**
 * `facet recaption P ...`: new model captions for the selected items (a new job, --resume of an
 * interrupted one, --dry-run estimate, --list-models). Exit status as PRODUCT.md says: 0 done,
 * 1 finished but items could not be recaptioned, 2 nothing could be done.
 */
int cmdRecaption(const Arguments& args, Output& out);
/** `facet jobs P ...`: the project's recaption jobs, their failed items, the price table and prompts. */
int cmdJobs(const Arguments& args, Output& out);

/** The options each command accepts, for the command table. */
Arguments::Spec recaptionSpec();
Arguments::Spec jobsSpec();
QString recaptionSynopsis();
QString jobsSynopsis();

} // namespace facet::cli
