// The GIF decoder (giflib under core/gifdecoder.cpp): every GIF in a dataset is untrusted bytes, and
// the decoder places frames on a screen, follows colour indexes and de-interlaces rows itself.
//
// Checks beyond "no crash": a decoded frame has positive sides within the pixel limit and exactly
// width × height × 3 bytes; a failure says why. The limit is small here (1 MP) so that inputs
// declaring big screens are refused quickly instead of slowing the run; the logic is the same.

#include "fuzzutil.h"

#include "gifdecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace facet;
    constexpr std::int64_t kLimit = 1 << 20;
    // A heap copy of exactly `size` bytes, so that ASan sees a read one past the end.
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const GifFrame frame = decodeGifFirstFrame(QByteArrayView(bytes.constData(), bytes.size()), kLimit);
    if (frame.bgr.empty()) {
        fuzzCheck(!frame.error.isEmpty());
        return 0;
    }
    fuzzCheck(frame.error.isEmpty());
    fuzzCheck(frame.width > 0 && frame.height > 0);
    fuzzCheck(std::int64_t(frame.width) * frame.height <= kLimit);
    fuzzCheck(frame.bgr.size() == std::size_t(frame.width) * std::size_t(frame.height) * 3);
    return 0;
}
