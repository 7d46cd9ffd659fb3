#include "tarindexer.h"

#include "error.h"

#include <QFile>

#include <archive.h>
#include <archive_entry.h>

namespace facet {

namespace {

QString archiveError(::archive* a)
{
    const char* s = archive_error_string(a);
    return s ? QString::fromUtf8(s) : QCoreApplication::translate("facet::TarIndexer", "unknown error");
}

} // namespace

TarIndexer::TarIndexer(const QString& path)
    : m_path(path)
    , m_archive(archive_read_new())
{
    if (!m_archive)
        throw Error(tr("Cannot read %1: out of memory").arg(path));
    // All filters are enabled only so that a compressed shard is recognised and refused clearly.
    archive_read_support_filter_all(m_archive);
    archive_read_support_format_tar(m_archive);
    const QByteArray name = QFile::encodeName(path);
    if (archive_read_open_filename(m_archive, name.constData(), 1 << 16) != ARCHIVE_OK) {
        const QString why = archiveError(m_archive);
        archive_read_free(m_archive);
        m_archive = nullptr;
        throw Error(tr("Cannot read the tar shard %1: %2").arg(path, why));
    }
}

TarIndexer::~TarIndexer()
{
    if (m_archive)
        archive_read_free(m_archive);
}

std::int64_t TarIndexer::bytesRead() const
{
    return archive_filter_bytes(m_archive, -1);
}

TarIndexer::Result TarIndexer::next(TarMember* out)
{
    for (;;) {
        archive_entry* entry = nullptr;
        const int rc = archive_read_next_header(m_archive, &entry);
        if (rc == ARCHIVE_EOF)
            return Result::End;
        if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY || !entry) {
            m_error = m_first ? tr("%1 is not a tar file: %2").arg(m_path, archiveError(m_archive))
                              : tr("the shard is damaged or truncated at byte %1: %2")
                                    .arg(bytesRead())
                                    .arg(archiveError(m_archive));
            if (m_first)
                throw Error(m_error);
            return Result::Error;
        }
        if (m_first) {
            m_first = false;
            if (archive_filter_code(m_archive, 0) != ARCHIVE_FILTER_NONE)
                throw Error(tr("%1 is a compressed tar (%2); decompress it first so that images can be read "
                               "from it by offset")
                                .arg(m_path, QString::fromUtf8(archive_filter_name(m_archive, 0))));
        }
        // ARCHIVE_WARN (e.g. a name that does not convert to the locale) still gives a usable entry.
        if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_sparse_count(entry) > 0)
            continue;
        const char* name = archive_entry_pathname_utf8(entry);
        if (!name)
            name = archive_entry_pathname(entry);
        out->name = name ? name : "";
        out->offset = archive_filter_bytes(m_archive, 0);
        out->size = archive_entry_size(entry);
        m_currentSize = 0;
        if (out->size < 0 || out->offset < 0) {
            // fuzz_tar: from a garbage extended header libarchive returns a regular member of size -1
            // with ARCHIVE_OK; read as a length it asked for 2^64 - 1 bytes. Such a header is garbage,
            // and so is everything libarchive reads after it.
            m_error = tr("the shard is damaged at byte %1: member %2 declares a negative size")
                          .arg(bytesRead())
                          .arg(QString::fromUtf8(out->name));
            return Result::Error;
        }
        m_currentSize = out->size;
        return Result::Member;
    }
}

bool TarIndexer::readData(std::string* out, std::int64_t maxBytes)
{
    out->clear();
    if (m_currentSize > maxBytes) {
        m_error = tr("the member is %1 bytes long, more than the limit of %2 bytes").arg(m_currentSize).arg(maxBytes);
        return false;
    }
    out->resize(static_cast<std::size_t>(m_currentSize));
    std::size_t done = 0;
    while (done < out->size()) {
        const la_ssize_t n = archive_read_data(m_archive, out->data() + done, out->size() - done);
        if (n < 0) {
            m_error = tr("cannot read the member: %1").arg(archiveError(m_archive));
            out->clear();
            return false;
        }
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    out->resize(done);
    return true;
}

} // namespace facet
