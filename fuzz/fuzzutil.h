#pragma once

// Shared by the libFuzzer harnesses. A harness checks what the importer relies on, not only that
// nothing crashes: a broken invariant calls fuzzCheck(), which aborts so libFuzzer records the input.

#include <QByteArray>
#include <QIODevice>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace facet::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line)
{
    std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what);
    std::abort();
}

#define fuzzCheck(cond)                                                                                                \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            ::facet::fuzz::fail(#cond, __FILE__, __LINE__);                                                            \
    } while (false)

/**
 * A read-only device over a byte buffer that hands out at most a few bytes per read(), the sizes
 * cycling through `pattern`. The readers fill their 1 MiB chunk with whatever one read() returns,
 * so this drives a record across many chunk boundaries, the code a file of realistic size reaches
 * but a small fuzz input would not.
 */
class TrickleDevice final : public QIODevice
{
public:
    TrickleDevice(QByteArray data, QByteArray pattern)
        : m_data(std::move(data))
        , m_pattern(std::move(pattern))
    {
        if (m_pattern.isEmpty())
            m_pattern = QByteArray(1, '\x07');
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char* out, qint64 max) override
    {
        if (m_pos >= m_data.size())
            return 0;
        qint64 n = 1 + static_cast<unsigned char>(m_pattern.at(m_step++ % m_pattern.size())) % 64;
        n = std::min({n, max, static_cast<qint64>(m_data.size()) - m_pos});
        std::memcpy(out, m_data.constData() + m_pos, static_cast<std::size_t>(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    QByteArray m_data;
    QByteArray m_pattern;
    qint64 m_pos = 0;
    qsizetype m_step = 0;
};

/**
 * Read sizes for a TrickleDevice derived from the input itself, so that corpus files are plain
 * data files and every mutation also moves the chunk boundaries.
 */
inline QByteArray tricklePattern(const QByteArray& data)
{
    std::uint32_t h = 2166136261u;
    for (char c : data)
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    QByteArray p(4, '\0');
    for (int k = 0; k < 4; ++k)
        p[k] = static_cast<char>((h >> (8 * k)) & 0xff);
    return p;
}

/**
 * A small chunk size for a splitter's ChunkReader, from the input like tricklePattern(): with
 * chunks of 1-64 bytes, records straddle chunk boundaries everywhere (the splitter's own carry-over
 * code), and no execution pays for the 1 MiB buffer production reading uses.
 */
inline std::size_t smallChunkBytes(const QByteArray& data)
{
    const QByteArray p = tricklePattern(data);
    return 1 + static_cast<std::size_t>(static_cast<unsigned char>(p[3]) % 64);
}

/** Larger than any input the harnesses run with (-max_len), so the file is read as one chunk. */
constexpr std::size_t kWholeChunkBytes = 64 * 1024;

/**
 * Feeds a byte stream to a push parser (SseParser, NdjsonParser) whole or in pieces of 1-17 bytes
 * cut at places taken from `cuts`, and returns what the parser delivered. `check` sees each
 * delivered piece first. After finish() the parser must hold nothing back.
 */
template <typename Parser, typename Check>
std::vector<std::string> deliveries(std::string_view stream, const QByteArray& cuts, bool pieces, Check check)
{
    std::vector<std::string> out;
    Parser parser([&out, &check](std::string_view delivered) {
        check(delivered);
        out.emplace_back(delivered);
        return out.size() < 10000;
    });
    std::size_t pos = 0;
    int step = 0;
    while (pos < stream.size()) {
        std::size_t n = stream.size() - pos;
        if (pieces)
            n = std::min<std::size_t>(n, 1 + static_cast<unsigned char>(cuts.at(step++ % cuts.size())) % 17);
        if (!parser.feed(stream.substr(pos, n)))
            return out;
        pos += n;
    }
    parser.finish();
    fuzzCheck(parser.buffered() == 0);
    return out;
}

/** deliveries() of the whole stream and of the same bytes in pieces must be equal. */
template <typename Parser, typename Check>
void checkPiecesAgree(const std::uint8_t* data, std::size_t size, Check check)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const std::string_view stream(bytes.constData(), size);
    const QByteArray cuts = tricklePattern(bytes);
    fuzzCheck(deliveries<Parser>(stream, cuts, false, check) == deliveries<Parser>(stream, cuts, true, check));
}

} // namespace facet::fuzz
