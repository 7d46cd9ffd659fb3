#pragma once

#include <QStringList>

namespace facet::cli {

/**
 * Runs the `facet` command line (arguments without the program name) and returns the exit status:
 * 0 done, 1 finished but something failed, 2 usage error or nothing could be done.
 */
int run(const QStringList& args);

} // namespace facet::cli
