#include "recaptionimage.h"

#include "imageheader.h"

#include <QCryptographicHash>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

namespace facet {

namespace {

/** Servers take up to 20 MB per image; a JPEG that big is re-encoded smaller rather than sent. */
constexpr qsizetype kMaxPassThroughBytes = 8 * 1024 * 1024;

} // namespace

int RecaptionImage::jpegOrientation(QByteArrayView bytes)
{
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    const qsizetype n = bytes.size();
    if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
        return 1;
    qsizetype pos = 2;
    while (pos + 4 <= n) {
        if (b[pos] != 0xFF)
            return 1;
        const unsigned char marker = b[pos + 1];
        if (marker == 0xFF) { // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9)
            return 1; // image data starts: no EXIF block before it
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            pos += 2;
            continue;
        }
        const qsizetype length = (qsizetype(b[pos + 2]) << 8) | b[pos + 3];
        if (length < 2 || pos + 2 + length > n)
            return 1;
        const unsigned char* data = b + pos + 4;
        const qsizetype size = length - 2;
        if (marker == 0xE1 && size >= 14 && std::equal(data, data + 6, "Exif\0\0")) {
            const unsigned char* tiff = data + 6;
            const qsizetype tiffSize = size - 6;
            const bool little = tiff[0] == 'I' && tiff[1] == 'I';
            if (!little && !(tiff[0] == 'M' && tiff[1] == 'M'))
                return 1;
            auto u16 = [&](qsizetype at) -> unsigned {
                return little ? unsigned(tiff[at]) | (unsigned(tiff[at + 1]) << 8)
                              : (unsigned(tiff[at]) << 8) | unsigned(tiff[at + 1]);
            };
            auto u32 = [&](qsizetype at) -> quint32 {
                return little ? quint32(u16(at)) | (quint32(u16(at + 2)) << 16)
                              : (quint32(u16(at)) << 16) | quint32(u16(at + 2));
            };
            if (u16(2) != 42)
                return 1;
            const qsizetype ifd = u32(4);
            if (ifd < 8 || ifd + 2 > tiffSize)
                return 1;
            const unsigned entries = u16(ifd);
            for (unsigned k = 0; k < entries; ++k) {
                const qsizetype e = ifd + 2 + qsizetype(k) * 12;
                if (e + 12 > tiffSize)
                    return 1;
                if (u16(e) == 0x0112) {
                    const unsigned value = u16(e + 8);
                    return value >= 1 && value <= 8 ? int(value) : 1;
                }
            }
            return 1;
        }
        pos += 2 + length;
    }
    return 1;
}

PreparedImage RecaptionImage::prepare(const ImageLocation& where, int maxSide, int quality)
{
    PreparedImage out;
    QString error;
    ImageState state = ImageState::None;
    const QByteArray bytes = ImageDecoder::readBytes(where, &error, &state);
    if (state != ImageState::Ok) {
        out.error = error.isEmpty() ? tr("cannot read the image") : error;
        out.state = state == ImageState::None ? ImageState::Broken : state;
        return out;
    }
    return prepareBytes(bytes, maxSide, quality);
}

PreparedImage RecaptionImage::prepareBytes(const QByteArray& bytes, int maxSide, int quality)
{
    PreparedImage out;
    out.sha256 = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    out.mimeType = QByteArrayLiteral("image/jpeg");
    const ImageHeader header = sniffImageHeader(bytes);
    const std::int64_t longest = std::max(header.width, header.height);
    // A decode at 1/8 scale still reads every byte of the compressed data, so a JPEG it accepts is
    // one the server can read too; it costs a fraction of a full decode and re-encode.
    if (header.format == ImageFormat::Jpeg && header.complete && header.hasSize() && longest <= maxSide &&
        bytes.size() <= kMaxPassThroughBytes && jpegOrientation(bytes) == 1 &&
        !ImageDecoder::decodeBytes(bytes, int(std::max<std::int64_t>(1, longest / 8))).isNull()) {
        out.base64 = bytes.toBase64();
        out.width = int(header.width);
        out.height = int(header.height);
        out.passedThrough = true;
        out.state = ImageState::Ok;
        return out;
    }

    const DecodedImage image = ImageDecoder::decodeBytes(bytes, maxSide);
    if (image.isNull()) {
        out.error = image.error.isEmpty() ? tr("the image cannot be decoded") : image.error;
        out.state = ImageState::Broken;
        return out;
    }
    try {
        // DecodedImage rows are RGB; OpenCV's encoder expects BGR.
        const cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<char*>(image.rgb.constData()),
                          std::size_t(image.stride));
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        std::vector<uchar> jpeg;
        if (!cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 1, 100)})) {
            out.error = tr("the image could not be encoded as JPEG");
            out.state = ImageState::Broken;
            return out;
        }
        out.base64 = QByteArray::fromRawData(reinterpret_cast<const char*>(jpeg.data()), qsizetype(jpeg.size()))
                         .toBase64();
    } catch (const cv::Exception& e) {
        out.error = tr("the image could not be encoded as JPEG: %1").arg(QString::fromStdString(e.msg));
        out.state = ImageState::Broken;
        return out;
    } catch (const std::bad_alloc&) {
        out.error = tr("not enough memory to encode the image");
        out.state = ImageState::Broken;
        return out;
    }
    out.width = image.width;
    out.height = image.height;
    out.state = ImageState::Ok;
    return out;
}

} // namespace facet
