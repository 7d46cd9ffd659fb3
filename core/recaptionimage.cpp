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

RecaptionImage::JpegInfo RecaptionImage::jpegInfo(QByteArrayView bytes)
{
    JpegInfo info;
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    const qsizetype n = bytes.size();
    if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
        return info;
    qsizetype pos = 2;
    while (pos + 4 <= n) {
        if (b[pos] != 0xFF)
            return info;
        const unsigned char marker = b[pos + 1];
        if (marker == 0xFF) { // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9)
            return info; // the scan starts: every header segment has been seen
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            pos += 2;
            continue;
        }
        const qsizetype length = (qsizetype(b[pos + 2]) << 8) | b[pos + 3];
        if (length < 2 || pos + 2 + length > n)
            return info;
        const unsigned char* data = b + pos + 4;
        const qsizetype size = length - 2;
        // SOFn: C0..CF except DHT (C4), JPG (C8) and DAC (CC).
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC && size >= 6
            && info.frameMarker == 0) {
            info.frameMarker = marker;
            info.precision = data[0];
            info.components = data[5];
        }
        if (marker == 0xE1 && size >= 14 && std::equal(data, data + 6, "Exif\0\0")) {
            const unsigned char* tiff = data + 6;
            const qsizetype tiffSize = size - 6;
            const bool little = tiff[0] == 'I' && tiff[1] == 'I';
            const bool big = tiff[0] == 'M' && tiff[1] == 'M';
            auto u16 = [&](qsizetype at) -> unsigned {
                return little ? unsigned(tiff[at]) | (unsigned(tiff[at + 1]) << 8)
                              : (unsigned(tiff[at]) << 8) | unsigned(tiff[at + 1]);
            };
            auto u32 = [&](qsizetype at) -> quint32 {
                return little ? quint32(u16(at)) | (quint32(u16(at + 2)) << 16)
                              : (quint32(u16(at)) << 16) | quint32(u16(at + 2));
            };
            if ((little || big) && u16(2) == 42) {
                const qsizetype ifd = u32(4);
                if (ifd >= 8 && ifd + 2 <= tiffSize) {
                    const unsigned entries = u16(ifd);
                    for (unsigned k = 0; k < entries; ++k) {
                        const qsizetype e = ifd + 2 + qsizetype(k) * 12;
                        if (e + 12 > tiffSize)
                            break;
                        if (u16(e) == 0x0112) {
                            const unsigned value = u16(e + 8);
                            info.orientation = value >= 1 && value <= 8 ? int(value) : 1;
                            break;
                        }
                    }
                }
            }
        }
        pos += 2 + length;
    }
    return info;
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
    bool passThrough = false;
    out.digest = QCryptographicHash::hash(bytes, QCryptographicHash::Blake2b_256).toHex();
    out.mimeType = QByteArrayLiteral("image/jpeg");
    const ImageHeader header = sniffImageHeader(bytes);
    const std::int64_t longest = std::max(header.width, header.height);
    if (header.format == ImageFormat::Jpeg && header.complete && header.hasSize() && longest <= maxSide
        && bytes.size() <= kMaxPassThroughBytes) {
        const JpegInfo info = jpegInfo(bytes);
        const bool plainFrame = info.frameMarker == 0xC0 || info.frameMarker == 0xC1 || info.frameMarker == 0xC2;
        passThrough = plainFrame && info.precision == 8 && (info.components == 1 || info.components == 3)
                      && info.orientation == 1;
    }
    if (passThrough) {
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
        out.base64 =
            QByteArray::fromRawData(reinterpret_cast<const char*>(jpeg.data()), qsizetype(jpeg.size())).toBase64();
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
