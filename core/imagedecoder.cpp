#include "imagedecoder.h"

#include "gifdecoder.h"
#include "imageheader.h"

#include <QFile>
#include <QFileInfo>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstring>
#include <new>
#include <vector>

// About OpenCV's own pixel limit: OpenCV 4.6 reads OPENCV_IO_MAX_IMAGE_PIXELS into a static
// constant while the library is loaded, before main() runs, so setting the variable from here has
// no effect (checked against Debian's build). Its built-in default (one gigapixel) still backs up
// the header check below, which is what actually enforces MaxPixels, for every format we decode.

namespace facet {

QString ImageLocation::cacheKey() const
{
    if (offset < 0)
        return path;
    return path + u'#' + QString::number(offset) + u'+' + QString::number(size);
}

namespace {

QString megabytes(std::int64_t bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1);
}

// OpenCV gives BGR(A), grey, grey+alpha, 8 or 16 bits; the rest of the app wants 8-bit RGB.
// Transparent pixels are composited over white rather than dropped: dropping alpha shows whatever
// colour the encoder left under fully transparent pixels, often black or noise.
cv::Mat toRgb8(const cv::Mat& in)
{
    cv::Mat src = in;
    if (src.depth() == CV_16U)
        src.convertTo(src, CV_8U, 1.0 / 257.0);
    else if (src.depth() != CV_8U)
        src.convertTo(src, CV_8U);

    cv::Mat rgb;
    switch (src.channels()) {
    case 1:
        cv::cvtColor(src, rgb, cv::COLOR_GRAY2RGB);
        return rgb;
    case 3:
        cv::cvtColor(src, rgb, cv::COLOR_BGR2RGB);
        return rgb;
    case 2:
    case 4:
        break;
    default:
        return {};
    }

    const bool grey = src.channels() == 2;
    rgb.create(src.rows, src.cols, CV_8UC3);
    for (int y = 0; y < src.rows; ++y) {
        const std::uint8_t* s = src.ptr<std::uint8_t>(y);
        std::uint8_t* d = rgb.ptr<std::uint8_t>(y);
        for (int x = 0; x < src.cols; ++x) {
            const unsigned alpha = grey ? s[1] : s[3];
            const unsigned white = 255u * (255u - alpha);
            auto blend = [&](unsigned c) { return std::uint8_t((c * alpha + white + 127u) / 255u); };
            if (grey) {
                d[0] = d[1] = d[2] = blend(s[0]);
                s += 2;
            } else {
                d[0] = blend(s[2]);
                d[1] = blend(s[1]);
                d[2] = blend(s[0]);
                s += 4;
            }
            d += 3;
        }
    }
    return rgb;
}

struct DecodeResult
{
    cv::Mat mat; // as OpenCV returned it
    QString error;
    // A GIF's pixels, which `mat` points into (giflib decodes outside OpenCV): moving the result
    // moves the vector's buffer, so the view stays valid without a copy of the frame. A copy would
    // not, hence move-only.
    std::vector<std::uint8_t> gifPixels;

    DecodeResult() = default;
    DecodeResult(DecodeResult&&) = default;
    DecodeResult& operator=(DecodeResult&&) = default;
    DecodeResult(const DecodeResult&) = delete;
    DecodeResult& operator=(const DecodeResult&) = delete;
};

// Everything between the bytes and OpenCV: the checks that must happen before any pixel buffer is
// allocated, the choice of decode flags, and catching whatever OpenCV throws.
// `reduction`: 0 picks the JPEG scale from maxSide; otherwise the JPEG scale denominator to use.
DecodeResult decodeMat(const QByteArray& bytes, int maxSide, int reduction)
{
    DecodeResult r;
    if (bytes.isEmpty()) {
        r.error = ImageDecoder::tr("empty file");
        return r;
    }
    const ImageHeader header = sniffImageHeader(bytes);
    const QString format = imageFormatName(header.format);
    if (header.format == ImageFormat::Unknown) {
        r.error = ImageDecoder::tr("not an image in a supported format (JPEG, PNG, WebP, GIF, BMP, TIFF)");
        return r;
    }
    if (header.format == ImageFormat::Gif) {
        // OpenCV gained a GIF decoder only in 4.11; Debian 12 ships 4.6. giflib checks the limits
        // itself (a GIF's frame can be larger than its logical screen, which is all the header says).
        GifFrame frame = decodeGifFirstFrame(bytes, ImageDecoder::MaxPixels);
        if (frame.bgr.empty()) {
            r.error = frame.error;
            return r;
        }
        r.gifPixels = std::move(frame.bgr);
        r.mat = cv::Mat(frame.height, frame.width, CV_8UC3, r.gifPixels.data());
        return r;
    }
    const QString corrupt = ImageDecoder::tr("truncated or corrupt %1 data").arg(format);
    if (!header.hasSize()) {
        r.error = corrupt;
        return r;
    }
    if (header.pixels() > ImageDecoder::MaxPixels) {
        r.error = ImageDecoder::tr("image is %1×%2 pixels, over the %3 MP limit")
                      .arg(header.width)
                      .arg(header.height)
                      .arg(ImageDecoder::MaxPixels / 1'000'000);
        return r;
    }
    if (!header.complete) {
        r.error = corrupt;
        return r;
    }

    // IMREAD_COLOR (and its REDUCED variants) makes OpenCV apply the EXIF orientation; only
    // IMREAD_UNCHANGED skips it, and only that keeps alpha. JPEG has no alpha, and PNG/WebP
    // orientation tags are rare enough that keeping transparency wins for those two.
    int flags = cv::IMREAD_COLOR;
    if (header.format == ImageFormat::Jpeg) {
        const int scale = reduction > 0 ? reduction : jpegReduction(std::max(header.width, header.height), maxSide);
        switch (scale) {
        case 8:
            flags = cv::IMREAD_REDUCED_COLOR_8;
            break;
        case 4:
            flags = cv::IMREAD_REDUCED_COLOR_4;
            break;
        case 2:
            flags = cv::IMREAD_REDUCED_COLOR_2;
            break;
        default:
            break;
        }
    } else if (header.format == ImageFormat::Png || header.format == ImageFormat::WebP) {
        flags = cv::IMREAD_UNCHANGED;
    }

    try {
        const cv::_InputArray buffer(reinterpret_cast<const uchar*>(bytes.constData()), static_cast<int>(bytes.size()));
        r.mat = cv::imdecode(buffer, flags);
    } catch (const std::bad_alloc&) {
        r.error = ImageDecoder::tr("not enough memory to decode a %1×%2 image").arg(header.width).arg(header.height);
        return r;
    } catch (...) {
        // cv::Exception from a decoder or from OpenCV's own size checks.
        r.mat.release();
    }
    if (r.mat.empty())
        r.error = corrupt;
    return r;
}

DecodedImage failure(const QString& error, ImageState state = ImageState::Broken)
{
    DecodedImage image;
    image.error = error;
    image.state = state;
    return image;
}

} // namespace

QByteArray ImageDecoder::readBytes(const ImageLocation& where, QString* error, ImageState* state)
{
    auto fail = [&](const QString& message, ImageState s) {
        if (error)
            *error = message;
        if (state)
            *state = s;
        return QByteArray();
    };
    if (!where.isValid())
        return fail(tr("no image path"), ImageState::Missing);
    const QFileInfo info(where.path);
    if (!info.exists())
        return fail(tr("file not found"), ImageState::Missing);
    if (!info.isFile())
        return fail(tr("not a file"), ImageState::Broken);
    QFile file(where.path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("cannot read the file: %1").arg(file.errorString()), ImageState::Broken);

    std::int64_t start = 0;
    std::int64_t length = file.size();
    if (where.offset >= 0) {
        if (where.size < 0)
            return fail(tr("tar member without a size"), ImageState::Broken);
        if (where.offset > length || where.size > length - where.offset)
            return fail(tr("tar member at byte %1 lies beyond the end of the shard (%2 bytes); "
                           "the shard is truncated")
                            .arg(where.offset)
                            .arg(length),
                        ImageState::Broken);
        start = where.offset;
        length = where.size;
    }
    if (length == 0)
        return fail(tr("empty file"), ImageState::Broken);
    if (length > MaxFileBytes)
        return fail(tr("file is %1 MB, over the %2 MB limit").arg(megabytes(length)).arg(MaxFileBytes >> 20),
                    ImageState::Broken);
    if (start > 0 && !file.seek(start))
        return fail(tr("cannot read the file: %1").arg(file.errorString()), ImageState::Broken);
    QByteArray bytes = file.read(length);
    if (bytes.size() != length)
        return fail(tr("cannot read the file: it ended after %1 of %2 bytes").arg(bytes.size()).arg(length),
                    ImageState::Broken);
    if (error)
        error->clear();
    if (state)
        *state = ImageState::Ok;
    return bytes;
}

DecodedImage ImageDecoder::decode(const ImageLocation& where, int maxSide)
{
    QString error;
    ImageState state = ImageState::None;
    const QByteArray bytes = readBytes(where, &error, &state);
    if (state != ImageState::Ok)
        return failure(error, state);
    return decodeBytes(bytes, maxSide);
}

DecodedImage ImageDecoder::decodeBytes(const QByteArray& bytes, int maxSide)
{
    DecodeResult decoded = decodeMat(bytes, maxSide, 0);
    if (decoded.mat.empty())
        return failure(decoded.error);

    try {
        const int channels = decoded.mat.channels();
        cv::Mat rgb = toRgb8(decoded.mat);
        decoded.mat.release();
        if (rgb.empty())
            return failure(tr("unsupported pixel layout (%1 channels)").arg(channels));
        const int longest = std::max(rgb.cols, rgb.rows);
        if (maxSide > 0 && longest > maxSide) {
            const double scale = double(maxSide) / double(longest);
            const int w = rgb.cols >= rgb.rows ? maxSide : std::max(1, int(std::lround(rgb.cols * scale)));
            const int h = rgb.rows > rgb.cols ? maxSide : std::max(1, int(std::lround(rgb.rows * scale)));
            // OpenCV's INTER_AREA is fast only for whole-number factors (30 ms for 1600→1024 on one
            // core, versus 3.5 ms bilinear). So: shrink by the largest whole factor with INTER_AREA,
            // then by the remaining factor (< 2, where bilinear does not alias) with INTER_LINEAR.
            const int whole = static_cast<int>(1.0 / scale);
            if (whole >= 2) {
                cv::Mat reduced;
                cv::resize(rgb, reduced, cv::Size(), 1.0 / whole, 1.0 / whole, cv::INTER_AREA);
                rgb = reduced;
            }
            if (rgb.cols != w || rgb.rows != h) {
                cv::Mat scaled;
                cv::resize(rgb, scaled, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
                rgb = scaled;
            }
        }

        DecodedImage image;
        image.width = rgb.cols;
        image.height = rgb.rows;
        // Rows padded to 4 bytes, the alignment QImage uses for its own buffers.
        image.stride = (rgb.cols * 3 + 3) & ~3;
        image.rgb = QByteArray(qsizetype(image.stride) * rgb.rows, '\0');
        for (int y = 0; y < rgb.rows; ++y)
            std::memcpy(image.rgb.data() + qsizetype(y) * image.stride, rgb.ptr(y), size_t(rgb.cols) * 3);
        image.state = ImageState::Ok;
        return image;
    } catch (const std::bad_alloc&) {
        return failure(tr("not enough memory to convert the image"));
    } catch (const cv::Exception& e) {
        return failure(tr("cannot convert the image: %1").arg(QString::fromStdString(e.msg)));
    }
}

QString ImageDecoder::verify(const ImageLocation& where)
{
    QString error;
    check(where, &error);
    return error;
}

ImageState ImageDecoder::check(const ImageLocation& where, QString* error)
{
    QString reason;
    ImageState state = ImageState::None;
    const QByteArray bytes = readBytes(where, &reason, &state);
    if (state == ImageState::Ok) {
        const DecodeResult decoded = decodeMat(bytes, 0, 8);
        if (decoded.mat.empty()) {
            reason = decoded.error;
            state = ImageState::Broken;
        }
    }
    if (error)
        *error = reason;
    return state;
}

} // namespace facet
