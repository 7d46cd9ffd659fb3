// WebDataset tar shards: TarIndexer walks the members with libarchive and records where each
// member's data lies; the importer later reads images straight from the shard at that offset.
//
// Checks beyond "no crash": whenever libarchive hands out a member's data, the shard's bytes at the
// recorded offset are exactly that data (or an image would be read from the wrong place), and
// members never lie outside the file; member names split into WebDataset key and extension.
// The shard lives in a memfd, so no disk is touched.

#include "fuzzutil.h"

#include "error.h"
#include "tarindexer.h"
#include "webdatasetname.h"

#include <QString>

#include <string>

#include <sys/mman.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace facet;
    static const int fd = memfd_create("fuzz-shard.tar", 0);
    fuzzCheck(fd >= 0);
    fuzzCheck(ftruncate(fd, 0) == 0);
    std::size_t written = 0;
    while (written < size) {
        const ssize_t n = pwrite(fd, data + written, size - written, static_cast<off_t>(written));
        fuzzCheck(n > 0);
        written += static_cast<std::size_t>(n);
    }
    static const QString path = QStringLiteral("/proc/self/fd/%1").arg(fd);
    const std::string_view file(reinterpret_cast<const char*>(data), size);

    try {
        TarIndexer tar(path);
        TarMember member;
        std::string bytes;
        for (int guard = 0; guard < 100000; ++guard) {
            const auto r = tar.next(&member);
            if (r == TarIndexer::Result::End)
                return 0;
            if (r == TarIndexer::Result::Error) {
                fuzzCheck(!tar.errorString().isEmpty());
                return 0;
            }
            fuzzCheck(member.offset >= 0 && member.size >= 0);
            const webdataset::KeyExt ke = webdataset::split(member.name);
            // The key is a prefix of the name; what follows is a dot and then the extension.
            const std::string_view name = member.name;
            fuzzCheck(name.substr(0, ke.key.size()) == ke.key);
            fuzzCheck(ke.key.size() == name.size()
                      || (name[ke.key.size()] == '.' && name.substr(ke.key.size() + 1) == ke.ext));
            webdataset::isMeta(member.name);
            webdataset::isImageExtension(ke.ext);
            // The importer reads .txt/.json members with a limit; images are read later by offset.
            if (!tar.readData(&bytes, 1 << 20)) {
                fuzzCheck(!tar.errorString().isEmpty());
                continue;
            }
            if (static_cast<std::int64_t>(bytes.size()) == member.size && member.size > 0) {
                fuzzCheck(static_cast<std::size_t>(member.offset) + bytes.size() <= size);
                fuzzCheck(file.substr(static_cast<std::size_t>(member.offset), bytes.size()) == bytes);
            }
        }
        fuzzCheck(!"the indexer never ended");
    } catch (const Error& e) {
        fuzzCheck(!e.message().isEmpty());
    }
    return 0;
}
