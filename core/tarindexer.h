#pragma once

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <string>

struct archive;

namespace facet {

/** One regular file inside a tar: where its bytes start in the .tar file and how many there are. */
struct TarMember
{
    std::string name;        ///< path inside the archive, UTF-8
    std::int64_t offset = 0; ///< byte offset of the member's data in the .tar file
    std::int64_t size = 0;
};

/**
 * Walks the members of an uncompressed tar shard once with libarchive and records where each
 * member's data lies, so that images can later be read straight from the shard with one seek (that
 * is ImageDecoder's job). Only regular files are reported; directories, links and GNU sparse files
 * are passed over. Compressed tars are refused: their members have no stable byte offsets.
 *
 * The offset is archive_filter_bytes(a, 0) right after the header: for an uncompressed tar that is
 * how many bytes the reader has consumed, which is the header plus any pax/GNU long-name blocks.
 * tests/test_import.cpp checks it against the bytes libarchive itself returns.
 */
class TarIndexer final
{
    Q_DECLARE_TR_FUNCTIONS(facet::TarIndexer)

public:
    enum class Result
    {
        Member,
        End,
        Error
    };

    /** Throws facet::Error if the file cannot be opened or is not an uncompressed tar. */
    explicit TarIndexer(const QString& path);
    ~TarIndexer();
    TarIndexer(const TarIndexer&) = delete;
    TarIndexer& operator=(const TarIndexer&) = delete;

    /** Advances to the next regular file. On Error (a damaged or truncated shard) see errorString(). */
    Result next(TarMember* out);

    /**
     * Reads the current member's data into *out. Returns false (and leaves *out empty) when the member
     * is larger than maxBytes or cannot be read; errorString() then says why.
     */
    bool readData(std::string* out, std::int64_t maxBytes);

    const QString& errorString() const { return m_error; }
    /** Bytes of the shard consumed so far, for progress. */
    std::int64_t bytesRead() const;

private:
    QString m_path;
    ::archive* m_archive = nullptr;
    std::int64_t m_currentSize = 0;
    bool m_first = true;
    QString m_error;
};

} // namespace facet
