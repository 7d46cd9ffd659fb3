#include "imageheader.h"

#include <algorithm>

namespace facet {

namespace {

// Bounds-checked reads: every offset comes from the file, so none is trusted.
class Bytes
{
public:
    explicit Bytes(QByteArrayView b)
        : m_b(b)
    {
    }
    qsizetype size() const { return m_b.size(); }
    bool has(qsizetype pos, qsizetype len) const { return pos >= 0 && len >= 0 && pos <= size() - len; }
    std::uint32_t u8(qsizetype pos) const { return static_cast<std::uint8_t>(m_b[pos]); }
    std::uint32_t be16(qsizetype pos) const { return u8(pos) << 8 | u8(pos + 1); }
    std::uint32_t le16(qsizetype pos) const { return u8(pos) | u8(pos + 1) << 8; }
    std::uint32_t le24(qsizetype pos) const { return le16(pos) | u8(pos + 2) << 16; }
    std::uint32_t be32(qsizetype pos) const { return be16(pos) << 16 | be16(pos + 2); }
    std::uint32_t le32(qsizetype pos) const { return le16(pos) | le16(pos + 2) << 16; }
    bool startsWith(qsizetype pos, QByteArrayView magic) const
    {
        return has(pos, magic.size()) && m_b.sliced(pos, magic.size()) == magic;
    }
    QByteArrayView view() const { return m_b; }

private:
    QByteArrayView m_b;
};

ImageHeader sniffJpeg(const Bytes& b)
{
    ImageHeader h;
    h.format = ImageFormat::Jpeg;
    h.complete = false;
    qsizetype pos = 2;
    std::int64_t width = 0;
    std::int64_t height = 0;
    while (true) {
        if (!b.has(pos, 1) || b.u8(pos) != 0xFF)
            return h; // cut off, or garbage where a marker should be
        while (b.has(pos, 1) && b.u8(pos) == 0xFF)
            ++pos; // fill bytes
        if (!b.has(pos, 1))
            return h;
        const std::uint32_t marker = b.u8(pos++);
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue; // markers without a length
        if (marker == 0xD9 || marker == 0x00)
            return h; // end of image before any scan
        if (!b.has(pos, 2))
            return h;
        const std::uint32_t length = b.be16(pos);
        if (length < 2)
            return h;
        // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
        const bool isSof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (isSof) {
            if (length < 7 || !b.has(pos, 7))
                return h;
            height = b.be16(pos + 3);
            width = b.be16(pos + 5);
        }
        if (marker == 0xDA) {
            // Entropy-coded data never contains FF D9 (an FF there is always followed by 00 or a
            // restart marker), so an FF D9 after the first scan is the end-of-image marker.
            h.width = width;
            h.height = height;
            h.complete = b.view().lastIndexOf(QByteArrayView("\xFF\xD9", 2)) > pos;
            return h;
        }
        pos += length;
    }
}

ImageHeader sniffPng(const Bytes& b)
{
    ImageHeader h;
    h.format = ImageFormat::Png;
    if (b.startsWith(12, "IHDR") && b.has(16, 8)) {
        h.width = b.be32(16);
        h.height = b.be32(20);
    }
    // Walking the chunk lengths up to IEND costs nothing and finds a cut-off file before libpng
    // does (which would print its complaint to stderr).
    h.complete = false;
    qsizetype pos = 8;
    while (b.has(pos, 8)) {
        const qsizetype length = b.be32(pos);
        if (b.startsWith(pos + 4, "IEND")) {
            h.complete = true;
            break;
        }
        pos += 12 + length;
    }
    return h;
}

ImageHeader sniffWebP(const Bytes& b)
{
    ImageHeader h;
    h.format = ImageFormat::WebP;
    if (b.startsWith(12, "VP8 ")) {
        // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height.
        if (b.has(20, 10) && b.startsWith(23, "\x9D\x01\x2A")) {
            h.width = b.le16(26) & 0x3FFF;
            h.height = b.le16(28) & 0x3FFF;
        }
    } else if (b.startsWith(12, "VP8L")) {
        // Lossless: signature 0x2F, then width-1 and height-1 packed in 14 bits each.
        if (b.has(20, 5) && b.u8(20) == 0x2F) {
            const std::uint32_t bits = b.le32(21);
            h.width = (bits & 0x3FFF) + 1;
            h.height = ((bits >> 14) & 0x3FFF) + 1;
        }
    } else if (b.startsWith(12, "VP8X")) {
        // Extended: canvas width-1 and height-1 as 24-bit numbers.
        if (b.has(24, 6)) {
            h.width = std::int64_t(b.le24(24)) + 1;
            h.height = std::int64_t(b.le24(27)) + 1;
        }
    }
    return h;
}

ImageHeader sniffBmp(const Bytes& b)
{
    ImageHeader h;
    h.format = ImageFormat::Bmp;
    if (!b.has(14, 4))
        return h;
    const std::uint32_t dibSize = b.le32(14);
    if (dibSize == 12 && b.has(18, 4)) {
        h.width = b.le16(18);
        h.height = b.le16(20);
    } else if (dibSize >= 40 && b.has(18, 8)) {
        // Signed: a negative height means the rows are stored top-down.
        const auto width = static_cast<std::int32_t>(b.le32(18));
        const auto height = static_cast<std::int32_t>(b.le32(22));
        h.width = std::max<std::int64_t>(width, 0);
        h.height = height < 0 ? -std::int64_t(height) : height;
    }
    return h;
}

ImageHeader sniffTiff(const Bytes& b, bool littleEndian)
{
    ImageHeader h;
    h.format = ImageFormat::Tiff;
    auto u16 = [&](qsizetype p) { return littleEndian ? b.le16(p) : b.be16(p); };
    auto u32 = [&](qsizetype p) { return littleEndian ? b.le32(p) : b.be32(p); };
    if (!b.has(4, 4))
        return h;
    const qsizetype ifd = u32(4);
    if (!b.has(ifd, 2))
        return h;
    const qsizetype count = u16(ifd);
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype entry = ifd + 2 + 12 * i;
        if (!b.has(entry, 12))
            break;
        const std::uint32_t tag = u16(entry);
        const std::uint32_t type = u16(entry + 2);
        std::int64_t value = 0;
        if (type == 3) // SHORT
            value = u16(entry + 8);
        else if (type == 4) // LONG
            value = u32(entry + 8);
        if (tag == 256)
            h.width = value;
        else if (tag == 257)
            h.height = value;
    }
    return h;
}

} // namespace

namespace {

ImageHeader sniffAny(QByteArrayView bytes)
{
    const Bytes b(bytes);
    if (b.startsWith(0, "\xFF\xD8\xFF"))
        return sniffJpeg(b);
    if (b.startsWith(0, "\x89PNG\r\n\x1A\n"))
        return sniffPng(b);
    if (b.startsWith(0, "RIFF") && b.startsWith(8, "WEBP"))
        return sniffWebP(b);
    if (b.startsWith(0, "GIF87a") || b.startsWith(0, "GIF89a")) {
        ImageHeader h;
        h.format = ImageFormat::Gif;
        if (b.has(6, 4)) {
            h.width = b.le16(6);
            h.height = b.le16(8);
        }
        return h;
    }
    if (b.startsWith(0, "BM"))
        return sniffBmp(b);
    if (b.startsWith(0, QByteArrayView("II*\0", 4)))
        return sniffTiff(b, true);
    if (b.startsWith(0, QByteArrayView("MM\0*", 4)))
        return sniffTiff(b, false);
    return {};
}

} // namespace

ImageHeader sniffImageHeader(QByteArrayView bytes)
{
    ImageHeader h = sniffAny(bytes);
    // The sides come from the file: a PNG or TIFF can declare 4294967295 x 4294967295, and that
    // product overflows pixels(), which could wrap below MaxPixels and let a bomb through. No format
    // we decode allows a side above 2^31 - 1 (PNG's own limit), so larger ones are capped there;
    // the product then fits and is still far above MaxPixels.
    constexpr std::int64_t kMaxSide = 0x7fffffff;
    h.width = std::min(h.width, kMaxSide);
    h.height = std::min(h.height, kMaxSide);
    return h;
}

QString imageFormatName(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Jpeg:
        return QStringLiteral("JPEG");
    case ImageFormat::Png:
        return QStringLiteral("PNG");
    case ImageFormat::WebP:
        return QStringLiteral("WebP");
    case ImageFormat::Gif:
        return QStringLiteral("GIF");
    case ImageFormat::Bmp:
        return QStringLiteral("BMP");
    case ImageFormat::Tiff:
        return QStringLiteral("TIFF");
    case ImageFormat::Unknown:
        break;
    }
    return QStringLiteral("image");
}

int jpegReduction(std::int64_t longestSide, int side)
{
    if (side <= 0)
        return 1;
    for (int denominator : {8, 4, 2}) {
        // libjpeg rounds scaled sizes up.
        if ((longestSide + denominator - 1) / denominator >= side)
            return denominator;
    }
    return 1;
}

} // namespace facet
