#pragma once

#include "progress.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <cstdint>

namespace facet {

class Project;

/** What `facet verify` found. */
struct VerifyReport
{
    struct BrokenItem
    {
        QString extId;  ///< the record's own id
        QString image;  ///< the image path as written in the record
        QString reason; ///< why it does not decode, user-facing
    };

    std::int64_t checked = 0; ///< items with an image that were looked at
    std::int64_t ok = 0;
    std::int64_t missing = 0;
    std::int64_t broken = 0;
    /** The first Verifier::MaxListed broken items in id order; `broken` has the full count. */
    QList<BrokenItem> brokenItems;
};

/**
 * Decodes every item's image on a thread pool and records the outcome in items.image_state
 * (1 ok, 2 missing, 3 broken) and items.image_error. Items are read and decoded a chunk at a time,
 * so memory stays bounded at any project size; each chunk's results are written in one
 * transaction on the calling thread (the connection is never shared with the pool).
 *
 * Cancelling (Progress::cancel) is noticed between chunks and throws facet::Cancelled; the chunks
 * written before that stay written, since each is a correct refresh of those items' state.
 */
class Verifier final
{
    Q_DECLARE_TR_FUNCTIONS(facet::Verifier)

public:
    static constexpr int DefaultChunkSize = 256;
    static constexpr int MaxListed = 1000;

    /** `threads` 0: one per core. */
    explicit Verifier(int threads = 0, int chunkSize = DefaultChunkSize);

    /** Throws facet::Error if the project is read-only, facet::Cancelled when cancelled. */
    VerifyReport run(Project& project, const Progress& progress = {});

private:
    int m_threads;
    int m_chunkSize;
};

} // namespace facet
