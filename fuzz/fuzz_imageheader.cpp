// The image header sniffer: reads format and declared size from the first bytes of an untrusted
// file, before any decoder sees it (that is what stops a PNG declaring 50000x50000).
//
// Checks beyond "no crash": it never reads outside the bytes (ASan), a declared size is positive
// and the same for any longer prefix once known, and the JPEG reduction is one libjpeg supports.

#include "fuzzutil.h"

#include "imageheader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace facet;
    // A heap copy of exactly `size` bytes, so that ASan sees a read one past the end.
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const ImageHeader h = sniffImageHeader(QByteArrayView(bytes.constData(), bytes.size()));
    fuzzCheck(h.width >= 0 && h.height >= 0);
    if (h.hasSize()) {
        fuzzCheck(h.format != ImageFormat::Unknown);
        fuzzCheck(h.pixels() / h.width == h.height); // no overflow in the pixel count
    }
    if (h.format != ImageFormat::Unknown)
        fuzzCheck(!imageFormatName(h.format).isEmpty());
    const std::int64_t longest = std::max(h.width, h.height);
    for (int side : {0, 1, 64, 256, 1024}) {
        const int d = jpegReduction(longest, side);
        fuzzCheck(d == 1 || d == 2 || d == 4 || d == 8);
        if (side > 0 && d > 1)
            fuzzCheck((longest + d - 1) / d >= side);
    }
    // A prefix may know less, but what it knows about the format must agree.
    if (size > 1) {
        const ImageHeader p = sniffImageHeader(QByteArrayView(bytes.constData(), bytes.size() - 1));
        if (p.format != ImageFormat::Unknown && p.hasSize() && h.hasSize() && p.format == h.format
            && h.format != ImageFormat::Tiff && h.format != ImageFormat::Jpeg)
            fuzzCheck(p.width == h.width && p.height == h.height);
    }
    return 0;
}
