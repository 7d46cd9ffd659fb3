#pragma once

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>

namespace facet {

/**
 * How long work reports progress and learns it was cancelled. Core calls report() now and then
 * (never per byte); a front end forwards it to a progress bar or stderr. Cancellation is a flag the
 * front end sets from any thread; core checks it between records and throws facet::Cancelled.
 */
struct Progress
{
    std::function<void(std::int64_t done, std::int64_t total, const QString& what)> report;
    std::atomic_bool* cancel = nullptr;

    void operator()(std::int64_t done, std::int64_t total, const QString& what = {}) const
    {
        if (report)
            report(done, total, what);
    }
    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};

} // namespace facet
