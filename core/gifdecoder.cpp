#include "gifdecoder.h"

#include <QCoreApplication>

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <new>

namespace facet {

namespace {

struct Reader
{
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos = 0;
};

int readBytes(GifFileType* gif, GifByteType* out, int wanted)
{
    auto* r = static_cast<Reader*>(gif->UserData);
    const std::size_t n = std::min(static_cast<std::size_t>(std::max(wanted, 0)), r->size - r->pos);
    std::memcpy(out, r->data + r->pos, n);
    r->pos += n;
    return static_cast<int>(n);
}

struct GifCloser
{
    void operator()(GifFileType* gif) const
    {
        int error = 0;
        DGifCloseFile(gif, &error);
    }
};

} // namespace

GifFrame decodeGifFirstFrame(QByteArrayView bytes, std::int64_t maxPixels)
{
    GifFrame frame;
    // The messages are the image decoder's: same catalogue context as ImageDecoder::tr().
    const QString corrupt =
        QCoreApplication::translate("facet::ImageDecoder", "truncated or corrupt %1 data").arg(QStringLiteral("GIF"));
    const auto fail = [&](const QString& why) {
        frame = GifFrame{};
        frame.error = why;
        return frame;
    };
    const auto overLimit = [&](std::int64_t w, std::int64_t h) {
        return fail(QCoreApplication::translate("facet::ImageDecoder", "image is %1×%2 pixels, over the %3 MP limit")
                        .arg(w)
                        .arg(h)
                        .arg(maxPixels / 1'000'000));
    };

    Reader reader{reinterpret_cast<const std::uint8_t*>(bytes.data()), static_cast<std::size_t>(bytes.size())};
    int openError = 0;
    const std::unique_ptr<GifFileType, GifCloser> gif(DGifOpen(&reader, readBytes, &openError));
    if (!gif)
        return fail(corrupt);

    int transparent = NO_TRANSPARENT_COLOR;
    for (;;) {
        GifRecordType record = UNDEFINED_RECORD_TYPE;
        if (DGifGetRecordType(gif.get(), &record) == GIF_ERROR)
            return fail(corrupt);
        if (record == TERMINATE_RECORD_TYPE)
            return fail(QCoreApplication::translate("facet::ImageDecoder", "the GIF has no image"));
        if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType* block = nullptr;
            if (DGifGetExtension(gif.get(), &code, &block) == GIF_ERROR)
                return fail(corrupt);
            // The graphics control extension before a frame names its transparent colour index.
            if (code == GRAPHICS_EXT_FUNC_CODE && block) {
                GraphicsControlBlock gcb;
                if (DGifExtensionToGCB(block[0], block + 1, &gcb) == GIF_OK)
                    transparent = gcb.TransparentColor;
            }
            while (block) {
                if (DGifGetExtensionNext(gif.get(), &block) == GIF_ERROR)
                    return fail(corrupt);
            }
            continue;
        }
        if (record != IMAGE_DESC_RECORD_TYPE)
            return fail(corrupt);
        if (DGifGetImageDesc(gif.get()) == GIF_ERROR)
            return fail(corrupt);
        break;
    }

    const GifImageDesc& desc = gif->Image;
    if (desc.Width <= 0 || desc.Height <= 0)
        return fail(corrupt);
    if (std::int64_t(desc.Width) * desc.Height > maxPixels)
        return overLimit(desc.Width, desc.Height);
    // Some encoders leave the logical screen at 0×0; the frame is then the picture.
    const int width = gif->SWidth > 0 ? gif->SWidth : desc.Left + desc.Width;
    const int height = gif->SHeight > 0 ? gif->SHeight : desc.Top + desc.Height;
    if (std::int64_t(width) * height > maxPixels)
        return overLimit(width, height);
    const ColorMapObject* colours = desc.ColorMap ? desc.ColorMap : gif->SColorMap;
    if (!colours || !colours->Colors || colours->ColorCount <= 0)
        return fail(QCoreApplication::translate("facet::ImageDecoder", "the GIF has no colour table"));

    try {
        frame.width = width;
        frame.height = height;
        frame.bgr.assign(std::size_t(width) * std::size_t(height) * 3, 255);
        std::vector<GifPixelType> line(static_cast<std::size_t>(desc.Width));
        // An interlaced frame stores rows 0, 8, 16, … then 4, 12, … then 2, 6, … then 1, 3, ….
        constexpr std::array<int, 4> kStart{0, 4, 2, 1};
        constexpr std::array<int, 4> kStep{8, 8, 4, 2};
        const int passes = desc.Interlace ? 4 : 1;
        for (int pass = 0; pass < passes; ++pass) {
            const int start = desc.Interlace ? kStart[pass] : 0;
            const int step = desc.Interlace ? kStep[pass] : 1;
            for (int y = start; y < desc.Height; y += step) {
                if (DGifGetLine(gif.get(), line.data(), desc.Width) == GIF_ERROR)
                    return fail(corrupt);
                const int sy = desc.Top + y;
                if (sy < 0 || sy >= height)
                    continue;
                std::uint8_t* row = frame.bgr.data() + std::size_t(sy) * std::size_t(width) * 3;
                for (int x = 0; x < desc.Width; ++x) {
                    const int sx = desc.Left + x;
                    if (sx < 0 || sx >= width)
                        continue;
                    const int index = line[static_cast<std::size_t>(x)];
                    if (index == transparent)
                        continue;
                    std::uint8_t* px = row + std::size_t(sx) * 3;
                    if (index >= colours->ColorCount) {
                        px[0] = px[1] = px[2] = 0;
                        continue;
                    }
                    const GifColorType& c = colours->Colors[index];
                    px[0] = c.Blue;
                    px[1] = c.Green;
                    px[2] = c.Red;
                }
            }
        }
    } catch (const std::bad_alloc&) {
        return fail(QCoreApplication::translate("facet::ImageDecoder", "not enough memory to decode a %1×%2 image")
                        .arg(width)
                        .arg(height));
    }
    return frame;
}

} // namespace facet
