#include "database.h"
#include "error.h"
#include "imagedecoder.h"
#include "imageheader.h"
#include "progress.h"
#include "project.h"
#include "testutil.h"
#include "verifier.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentMap>

#include <archive.h>
#include <archive_entry.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <array>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

using namespace facet;
using facet::test::writeFile;

namespace {

using Rgb = std::array<int, 3>;

// OpenCV works in BGR; these helpers take colours as RGB so the expectations read naturally.
cv::Scalar bgr(const Rgb& c)
{
    return cv::Scalar(c[2], c[1], c[0]);
}

QByteArray encode(const cv::Mat& image, const char* ext, std::vector<int> params = {})
{
    std::vector<uchar> out;
    if (!cv::imencode(ext, image, out, params))
        qFatal("cannot encode %s", ext);
    return QByteArray(reinterpret_cast<const char*>(out.data()), qsizetype(out.size()));
}

/** Left half `left`, right half `right`. */
cv::Mat halves(int width, int height, const Rgb& left, const Rgb& right)
{
    cv::Mat m(height, width, CV_8UC3, bgr(right));
    m(cv::Rect(0, 0, width / 2, height)).setTo(bgr(left));
    return m;
}

Rgb pixel(const DecodedImage& image, int x, int y)
{
    const auto* p = reinterpret_cast<const uchar*>(image.rgb.constData()) + qsizetype(y) * image.stride + x * 3;
    return {p[0], p[1], p[2]};
}

bool near(const Rgb& a, const Rgb& b, int tolerance)
{
    for (int i = 0; i < 3; ++i)
        if (std::abs(a[i] - b[i]) > tolerance)
            return false;
    return true;
}

QByteArray be16(int v)
{
    QByteArray b(2, '\0');
    b[0] = char((v >> 8) & 0xFF);
    b[1] = char(v & 0xFF);
    return b;
}

QByteArray be32(quint32 v)
{
    return be16(int(v >> 16)) + be16(int(v & 0xFFFF));
}

QByteArray le16(int v)
{
    QByteArray b(2, '\0');
    b[0] = char(v & 0xFF);
    b[1] = char((v >> 8) & 0xFF);
    return b;
}

QByteArray le32(quint32 v)
{
    return le16(int(v & 0xFFFF)) + le16(int(v >> 16));
}

quint32 crc32(const QByteArray& data)
{
    quint32 crc = 0xFFFFFFFFu;
    for (char ch : data) {
        crc ^= quint8(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

/** A PNG signature and a valid IHDR declaring width x height, then junk instead of image data. */
QByteArray pngBomb(quint32 width, quint32 height)
{
    QByteArray ihdr = QByteArray("IHDR") + be32(width) + be32(height);
    ihdr += QByteArray("\x08\x02\x00\x00\x00", 5); // 8-bit RGB, deflate, no filter, no interlace
    QByteArray png("\x89PNG\r\n\x1A\n", 8);
    png += be32(13) + ihdr + be32(crc32(ihdr));
    png += QByteArray(4096, 'x');
    return png;
}

/** `jpeg` with an APP1 Exif segment holding one tag, Orientation = `orientation`. */
QByteArray withExifOrientation(const QByteArray& jpeg, int orientation)
{
    QByteArray tiff("II*\0", 4);
    tiff += le32(8);      // offset of IFD0
    tiff += le16(1);      // one entry
    tiff += le16(0x0112); // Orientation
    tiff += le16(3);      // SHORT
    tiff += le32(1);      // count
    tiff += le16(orientation) + le16(0);
    tiff += le32(0); // no next IFD
    const QByteArray payload = QByteArray("Exif\0\0", 6) + tiff;
    const QByteArray segment = QByteArray("\xFF\xE1", 2) + be16(int(payload.size()) + 2) + payload;
    return jpeg.left(2) + segment + jpeg.mid(2);
}

/** Writes a ustar archive with the given members, in order. */
void writeTar(const QString& path, const QList<QPair<QByteArray, QByteArray>>& members)
{
    archive* a = archive_write_new();
    archive_write_set_format_ustar(a);
    if (archive_write_open_filename(a, QFile::encodeName(path).constData()) != ARCHIVE_OK)
        qFatal("cannot write %s", qPrintable(path));
    for (const auto& [name, data] : members) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.constData());
        archive_entry_set_size(e, data.size());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_write_header(a, e);
        archive_write_data(a, data.constData(), size_t(data.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

void setMtime(const QString& path, const QDateTime& when)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) || !f.setFileTime(when, QFileDevice::FileModificationTime))
        qFatal("cannot set the mtime of %s", qPrintable(path));
}

ImageLocation file(const QString& path)
{
    ImageLocation where;
    where.path = path;
    return where;
}

const Rgb Red{255, 0, 0};
const Rgb Blue{0, 0, 255};
const Rgb Green{0, 255, 0};

} // namespace

class TestImages final : public QObject
{
    Q_OBJECT

private slots:
    void decodesJpegAndPngAsRgb();
    void convertsSixteenBitGreyAndAlpha();
    void decodesWebPBmpTiff();
    void decodesCmykJpeg();
    void decodesGifFirstFrame();
    void refusesBrokenAndHugeGifs();
    void refusesDeclaredHugePngBeforeAllocating();
    void refusesDeclaredHugeJpeg();
    void reportsBrokenEmptyAndMissingFiles();
    void decodesByContentNotExtension();
    void appliesExifOrientation();
    void readsTarMemberAtOffset();
    void scalesToThumbnailSize();
    void jpegReductionKeepsEnoughPixels();
    void thumbnailCacheHitDoesNotDecode();
    void corruptCacheFileIsRewritten();
    void thumbnailCacheIsThreadSafe();
    void thumbnailCacheTrimsLeastRecentlyUsed();
    void verifierRecordsOkMissingBroken();
    void verifierCancelsBetweenChunks();
    void verifierRefusesReadOnlyProject();

private:
    QTemporaryDir m_dir;
};

void TestImages::decodesJpegAndPngAsRgb()
{
    const cv::Mat source = halves(64, 48, Red, Blue);
    const QString png = writeFile(m_dir, QStringLiteral("rgb.png"), encode(source, ".png"));
    const QString jpg = writeFile(m_dir, QStringLiteral("rgb.jpg"), encode(source, ".jpg"));

    const DecodedImage p = ImageDecoder::decode(file(png));
    QVERIFY2(!p.isNull(), qPrintable(p.error));
    QCOMPARE(p.state, ImageState::Ok);
    QCOMPARE(p.width, 64);
    QCOMPARE(p.height, 48);
    QVERIFY(p.stride >= 64 * 3);
    QCOMPARE(p.rgb.size(), qsizetype(p.stride) * 48);
    QCOMPARE(pixel(p, 5, 10), Red); // BGR was swapped to RGB
    QCOMPARE(pixel(p, 60, 10), Blue);

    const DecodedImage j = ImageDecoder::decode(file(jpg));
    QVERIFY2(!j.isNull(), qPrintable(j.error));
    QCOMPARE(j.width, 64);
    QCOMPARE(j.height, 48);
    QVERIFY(near(pixel(j, 5, 10), Red, 8));
    QVERIFY(near(pixel(j, 60, 10), Blue, 8));
    QVERIFY(ImageDecoder::verify(file(jpg)).isEmpty());
}

void TestImages::convertsSixteenBitGreyAndAlpha()
{
    // 16-bit colour: 65535 -> 255, 32896 (= 128 * 257) -> 128.
    cv::Mat deep(8, 8, CV_16UC3, cv::Scalar(0, 32896, 65535));
    const QString deepPath = writeFile(m_dir, QStringLiteral("deep.png"), encode(deep, ".png"));
    QCOMPARE(sniffImageHeader(readAll(deepPath)).width, 8);
    const DecodedImage d = ImageDecoder::decode(file(deepPath));
    QVERIFY2(!d.isNull(), qPrintable(d.error));
    QCOMPARE(pixel(d, 3, 3), (Rgb{255, 128, 0}));

    cv::Mat grey(10, 12, CV_8UC1, cv::Scalar(77));
    const DecodedImage g = ImageDecoder::decodeBytes(encode(grey, ".png"));
    QVERIFY2(!g.isNull(), qPrintable(g.error));
    QCOMPARE(g.width, 12);
    QCOMPARE(g.height, 10);
    QCOMPARE(pixel(g, 0, 0), (Rgb{77, 77, 77}));

    cv::Mat grey16(4, 4, CV_16UC1, cv::Scalar(257 * 200));
    const DecodedImage g16 = ImageDecoder::decodeBytes(encode(grey16, ".png"));
    QVERIFY2(!g16.isNull(), qPrintable(g16.error));
    QCOMPARE(pixel(g16, 1, 1), (Rgb{200, 200, 200}));

    // Alpha: opaque keeps its colour, transparent becomes white, half-transparent is blended.
    cv::Mat alpha(4, 3, CV_8UC4, cv::Scalar(0, 0, 0, 0));
    alpha.at<cv::Vec4b>(0, 0) = cv::Vec4b(0, 255, 0, 255);
    alpha.at<cv::Vec4b>(0, 2) = cv::Vec4b(0, 0, 255, 128);
    const DecodedImage a = ImageDecoder::decodeBytes(encode(alpha, ".png"));
    QVERIFY2(!a.isNull(), qPrintable(a.error));
    QCOMPARE(a.width, 3);
    QCOMPARE(pixel(a, 0, 0), Green);
    QCOMPARE(pixel(a, 1, 0), (Rgb{255, 255, 255}));
    QVERIFY(near(pixel(a, 2, 0), Rgb{255, 127, 127}, 1));
}

void TestImages::decodesWebPBmpTiff()
{
    const cv::Mat source = halves(30, 20, Red, Blue);
    struct Case
    {
        const char* ext;
        std::vector<int> params;
        ImageFormat format;
        int tolerance;
    };
    const Case cases[] = {
        {".webp", {cv::IMWRITE_WEBP_QUALITY, 90}, ImageFormat::WebP, 40}, // lossy: VP8
        {".webp", {cv::IMWRITE_WEBP_QUALITY, 101}, ImageFormat::WebP, 0}, // lossless: VP8L
        {".bmp", {}, ImageFormat::Bmp, 0},
        {".tiff", {}, ImageFormat::Tiff, 0},
    };
    for (const Case& c : cases) {
        const QByteArray bytes = encode(source, c.ext, c.params);
        const ImageHeader header = sniffImageHeader(bytes);
        QCOMPARE(header.format, c.format);
        QCOMPARE(header.width, 30);
        QCOMPARE(header.height, 20);
        const DecodedImage image = ImageDecoder::decodeBytes(bytes);
        QVERIFY2(!image.isNull(), qPrintable(image.error));
        QCOMPARE(image.width, 30);
        QVERIFY2(near(pixel(image, 2, 2), Red, c.tolerance), c.ext);
        QVERIFY2(near(pixel(image, 27, 17), Blue, c.tolerance), c.ext);
    }

    // A GIF cut off after its logical screen size: recognised, and refused as corrupt.
    const DecodedImage gif = ImageDecoder::decodeBytes(QByteArray("GIF89a\x10\x00\x10\x00", 10));
    QVERIFY(gif.isNull());
    QVERIFY2(gif.error.contains(QLatin1String("corrupt GIF")), qPrintable(gif.error));
}

// GIFs written by ImageMagick (tests/data/gif/), decoded with giflib since OpenCV 4.6 has no GIF
// decoder: exact colours from the colour table, the first frame of an animation with its
// transparent pixels white, an interlaced frame in row order, and a frame placed on its screen.
void TestImages::decodesGifFirstFrame()
{
    const auto gif = [](const char* name) {
        return ImageDecoder::decode(ImageLocation{facet::test::dataPath(QStringLiteral("gif/") + QLatin1String(name))});
    };
    const DecodedImage still = gif("still.gif");
    QVERIFY2(!still.isNull(), qPrintable(still.error));
    QCOMPARE(still.state, ImageState::Ok);
    QCOMPARE(still.width, 6);
    QCOMPARE(still.height, 4);
    QCOMPARE(pixel(still, 0, 0), (Rgb{0, 255, 0}));
    QCOMPARE(pixel(still, 3, 2), (Rgb{255, 0, 0}));
    QCOMPARE(pixel(still, 5, 3), (Rgb{0, 0, 255}));

    const DecodedImage animated = gif("animated.gif"); // frame 1: left half transparent, right red; frame 2 blue
    QVERIFY2(!animated.isNull(), qPrintable(animated.error));
    QCOMPARE(animated.width, 8);
    QCOMPARE(pixel(animated, 1, 4), (Rgb{255, 255, 255}));
    QCOMPARE(pixel(animated, 6, 4), (Rgb{255, 0, 0}));

    const DecodedImage interlaced = gif("interlaced.gif");
    const DecodedImage plain = gif("plain16.gif"); // the same picture, not interlaced
    QVERIFY2(!interlaced.isNull(), qPrintable(interlaced.error));
    QVERIFY2(!plain.isNull(), qPrintable(plain.error));
    QCOMPARE(interlaced.height, 16);
    QCOMPARE(interlaced.rgb, plain.rgb);
    QVERIFY(pixel(plain, 8, 0)[0] < pixel(plain, 8, 8)[0]); // a top-to-bottom gradient: rows differ
    QVERIFY(pixel(plain, 8, 8)[0] < pixel(plain, 8, 15)[0]);

    const DecodedImage offset = gif("offset.gif"); // a 4×4 green frame at (5, 3) on a 10×8 screen
    QVERIFY2(!offset.isNull(), qPrintable(offset.error));
    QCOMPARE(offset.width, 10);
    QCOMPARE(offset.height, 8);
    QCOMPARE(pixel(offset, 6, 4), (Rgb{0, 255, 0}));
    QCOMPARE(pixel(offset, 1, 1), (Rgb{255, 255, 255}));
    QCOMPARE(pixel(offset, 9, 7), (Rgb{255, 255, 255}));

    // Thumbnails and the verifier go through the same path.
    QFile plainFile(facet::test::dataPath(u"gif/plain16.gif"_qs));
    QVERIFY(plainFile.open(QIODevice::ReadOnly));
    const DecodedImage thumb = ImageDecoder::decodeBytes(plainFile.readAll(), 8);
    QVERIFY2(!thumb.isNull(), qPrintable(thumb.error));
    QCOMPARE(thumb.width, 8);
    QVERIFY(ImageDecoder::verify(ImageLocation{facet::test::dataPath(QStringLiteral("gif/still.gif"))}).isEmpty());
}

void TestImages::refusesBrokenAndHugeGifs()
{
    // Cut off inside the compressed rows: an error, not a half-drawn image.
    const DecodedImage truncated = ImageDecoder::decode(ImageLocation{facet::test::dataPath(u"gif/truncated.gif"_qs)});
    QVERIFY(truncated.isNull());
    QCOMPARE(truncated.state, ImageState::Broken);
    QVERIFY2(truncated.error.contains(u"truncated or corrupt GIF data"_qs), qPrintable(truncated.error));

    // A small screen with a frame that declares 60000×60000 pixels: refused before any pixel is read.
    QByteArray huge("GIF89a", 6);
    huge += QByteArray("\x0a\x00\x0a\x00\x80\x00\x00", 7);              // 10×10 screen, 2-colour global table
    huge += QByteArray("\x00\x00\x00\xff\xff\xff", 6);                  // black, white
    huge += QByteArray("\x2c\x00\x00\x00\x00\x60\xea\x60\xea\x00", 10); // frame at 0,0 of 60000×60000
    huge += QByteArray("\x02\x02\x4c\x01\x00\x3b", 6);
    const DecodedImage refused = ImageDecoder::decodeBytes(huge);
    QVERIFY(refused.isNull());
    QVERIFY2(refused.error.contains(u"60000×60000"_qs) && refused.error.contains(u"limit"_qs),
             qPrintable(refused.error));

    // No image before the trailer.
    QByteArray empty("GIF89a\x01\x00\x01\x00\x00\x00\x00\x3b", 14);
    const DecodedImage none = ImageDecoder::decodeBytes(empty);
    QVERIFY(none.isNull());
    QVERIFY2(none.error.contains(u"no image"_qs), qPrintable(none.error));
}

void TestImages::decodesCmykJpeg()
{
    // OpenCV cannot write CMYK JPEGs; ImageMagick (a build dependency of the tests) can.
    const QString convert = QStandardPaths::findExecutable(QStringLiteral("convert"));
    if (convert.isEmpty())
        QSKIP("ImageMagick's convert is not installed");
    const QString path = m_dir.filePath(QStringLiteral("cmyk.jpg"));
    QProcess p;
    p.start(convert, {QStringLiteral("-size"), QStringLiteral("24x16"), QStringLiteral("xc:red"),
                      QStringLiteral("-colorspace"), QStringLiteral("CMYK"), path});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);

    const QByteArray bytes = readAll(path);
    QVERIFY(bytes.contains(QByteArray("Adobe"))); // the APP14 marker CMYK JPEGs carry
    const DecodedImage image = ImageDecoder::decodeBytes(bytes);
    QVERIFY2(!image.isNull(), qPrintable(image.error));
    QCOMPARE(image.width, 24);
    QCOMPARE(image.height, 16);
    QVERIFY(near(pixel(image, 5, 5), Red, 8));
}

void TestImages::refusesDeclaredHugePngBeforeAllocating()
{
    const QString path = writeFile(m_dir, QStringLiteral("bomb.png"), pngBomb(50000, 50000));
    const ImageHeader header = sniffImageHeader(readAll(path));
    QCOMPARE(header.format, ImageFormat::Png);
    QCOMPARE(header.width, 50000);
    QCOMPARE(header.height, 50000);

    QElapsedTimer timer;
    timer.start();
    const DecodedImage image = ImageDecoder::decode(file(path));
    QVERIFY(timer.elapsed() < 1000);
    QVERIFY(image.isNull());
    QCOMPARE(image.state, ImageState::Broken);
    QCOMPARE(image.error, QStringLiteral("image is 50000×50000 pixels, over the 100 MP limit"));

    QString reason;
    QCOMPARE(ImageDecoder::check(file(path), &reason), ImageState::Broken);
    QCOMPARE(reason, image.error);
    // Thumbnails take the same path: no reduced decode sneaks past the limit.
    QVERIFY(ImageDecoder::decode(file(path), 256).isNull());
}

void TestImages::refusesDeclaredHugeJpeg()
{
    QByteArray jpeg = encode(halves(16, 16, Red, Blue), ".jpg");
    const qsizetype sof = jpeg.indexOf(QByteArray("\xFF\xC0", 2));
    QVERIFY(sof > 0);
    // SOF0: marker, length(2), precision(1), height(2), width(2).
    jpeg.replace(sof + 5, 2, be16(60000));
    jpeg.replace(sof + 7, 2, be16(60000));
    const DecodedImage image = ImageDecoder::decodeBytes(jpeg);
    QVERIFY(image.isNull());
    QCOMPARE(image.error, QStringLiteral("image is 60000×60000 pixels, over the 100 MP limit"));
}

void TestImages::reportsBrokenEmptyAndMissingFiles()
{
    const QByteArray jpeg = encode(halves(200, 150, Red, Blue), ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95});
    const QString truncated = writeFile(m_dir, QStringLiteral("truncated.jpg"), jpeg.left(jpeg.size() / 2));
    const DecodedImage t = ImageDecoder::decode(file(truncated));
    QVERIFY(t.isNull());
    QCOMPARE(t.state, ImageState::Broken);
    QCOMPARE(t.error, QStringLiteral("truncated or corrupt JPEG data"));
    QCOMPARE(ImageDecoder::verify(file(truncated)), t.error);
    QVERIFY(ImageDecoder::decode(file(truncated), 32).isNull());

    const QByteArray png = encode(halves(200, 150, Red, Blue), ".png");
    QVERIFY(sniffImageHeader(png).complete);
    QVERIFY(!sniffImageHeader(png.left(png.size() - 40)).complete);
    const DecodedImage tp = ImageDecoder::decodeBytes(png.left(png.size() - 40));
    QVERIFY(tp.isNull());
    QCOMPARE(tp.error, QStringLiteral("truncated or corrupt PNG data"));

    const QString empty = writeFile(m_dir, QStringLiteral("empty.jpg"), QByteArray());
    const DecodedImage e = ImageDecoder::decode(file(empty));
    QVERIFY(e.isNull());
    QCOMPARE(e.state, ImageState::Broken);
    QCOMPARE(e.error, QStringLiteral("empty file"));

    QString reason;
    QCOMPARE(ImageDecoder::check(file(m_dir.filePath(QStringLiteral("nope.jpg"))), &reason), ImageState::Missing);
    QCOMPARE(reason, QStringLiteral("file not found"));
    QCOMPARE(ImageDecoder::decode(file(m_dir.filePath(QStringLiteral("nope.jpg")))).state, ImageState::Missing);

    const QString text = writeFile(m_dir, QStringLiteral("notes.png"), "just some text\n");
    const DecodedImage n = ImageDecoder::decode(file(text));
    QVERIFY(n.isNull());
    QVERIFY2(n.error.startsWith(QLatin1String("not an image")), qPrintable(n.error));

    QCOMPARE(ImageDecoder::check(file(m_dir.path()), &reason), ImageState::Broken);
    QCOMPARE(reason, QStringLiteral("not a file"));
}

void TestImages::decodesByContentNotExtension()
{
    const QString path = writeFile(m_dir, QStringLiteral("actually-png.jpg"),
                                   encode(halves(20, 10, Red, Blue), ".png"));
    const DecodedImage image = ImageDecoder::decode(file(path));
    QVERIFY2(!image.isNull(), qPrintable(image.error));
    QCOMPARE(image.width, 20);
    QCOMPARE(pixel(image, 1, 1), Red);
    QCOMPARE(pixel(image, 18, 8), Blue);
}

void TestImages::appliesExifOrientation()
{
    // Stored 40x20, left half red. Orientation 6 means "rotate 90 degrees clockwise to display",
    // which turns the stored left edge into the top edge.
    const QByteArray plain = encode(halves(40, 20, Red, Blue), ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95});
    const QByteArray rotated = withExifOrientation(plain, 6);
    const QString path = writeFile(m_dir, QStringLiteral("exif6.jpg"), rotated);
    QCOMPARE(sniffImageHeader(rotated).width, 40); // the header still declares the stored size

    const DecodedImage upright = ImageDecoder::decodeBytes(plain);
    QCOMPARE(upright.width, 40);
    QCOMPARE(upright.height, 20);

    const DecodedImage image = ImageDecoder::decode(file(path));
    QVERIFY2(!image.isNull(), qPrintable(image.error));
    QCOMPARE(image.width, 20);
    QCOMPARE(image.height, 40);
    QVERIFY(near(pixel(image, 10, 3), Red, 10));
    QVERIFY(near(pixel(image, 10, 36), Blue, 10));

    // The reduced (thumbnail) decode keeps the orientation too.
    const DecodedImage thumb = ImageDecoder::decode(file(path), 10);
    QVERIFY2(!thumb.isNull(), qPrintable(thumb.error));
    QCOMPARE(thumb.width, 5);
    QCOMPARE(thumb.height, 10);
    QVERIFY(near(pixel(thumb, 2, 1), Red, 30));
    QVERIFY(near(pixel(thumb, 2, 8), Blue, 30));
}

void TestImages::readsTarMemberAtOffset()
{
    const QByteArray png = encode(halves(24, 12, Red, Blue), ".png");
    const QString tar = m_dir.filePath(QStringLiteral("shard-000.tar"));
    writeTar(tar, {{"000/a.txt", "a caption"}, {"000/a.png", png}, {"000/b.txt", "another"}});
    const QByteArray tarBytes = readAll(tar);
    const qsizetype offset = tarBytes.indexOf(png);
    QVERIFY(offset > 512); // after the text member and its header

    ImageLocation where;
    where.path = tar;
    where.offset = offset;
    where.size = png.size();
    QCOMPARE(where.cacheKey(), tar + u'#' + QString::number(offset) + u'+' + QString::number(png.size()));
    const DecodedImage image = ImageDecoder::decode(where);
    QVERIFY2(!image.isNull(), qPrintable(image.error));
    QCOMPARE(image.width, 24);
    QCOMPARE(pixel(image, 1, 1), Red);

    // A member recorded past the end of the shard (a shard truncated after import).
    where.offset = tarBytes.size() - 10;
    QString reason;
    QCOMPARE(ImageDecoder::check(where, &reason), ImageState::Broken);
    QVERIFY2(reason.contains(QLatin1String("beyond the end of the shard")), qPrintable(reason));

    // A wrong offset inside the shard reads tar header bytes, which are no image.
    where.offset = offset - 512;
    QCOMPARE(ImageDecoder::check(where, &reason), ImageState::Broken);
}

void TestImages::scalesToThumbnailSize()
{
    const QString wide = writeFile(m_dir, QStringLiteral("wide.jpg"), encode(halves(1000, 300, Red, Blue), ".jpg"));
    DecodedImage t = ImageDecoder::decode(file(wide), 128);
    QVERIFY2(!t.isNull(), qPrintable(t.error));
    QCOMPARE(t.width, 128);
    QCOMPARE(t.height, 38); // 300 * 128 / 1000 = 38.4
    QVERIFY(near(pixel(t, 10, 20), Red, 12));
    QVERIFY(near(pixel(t, 120, 20), Blue, 12));

    cv::Mat tallImage(1000, 300, CV_8UC3, bgr(Green));
    const QString tall = writeFile(m_dir, QStringLiteral("tall.png"), encode(tallImage, ".png"));
    t = ImageDecoder::decode(file(tall), 128);
    QCOMPARE(t.width, 38);
    QCOMPARE(t.height, 128);
    QCOMPARE(pixel(t, 20, 60), Green);

    // Exactly the reduced size: 400 / 4 = 100.
    t = ImageDecoder::decodeBytes(encode(halves(400, 200, Red, Blue), ".jpg"), 100);
    QCOMPARE(t.width, 100);
    QCOMPARE(t.height, 50);

    // Smaller than asked: never enlarged.
    t = ImageDecoder::decodeBytes(encode(halves(50, 40, Red, Blue), ".jpg"), 128);
    QCOMPARE(t.width, 50);
    QCOMPARE(t.height, 40);
}

void TestImages::jpegReductionKeepsEnoughPixels()
{
    QCOMPARE(jpegReduction(1000, 128), 4); // 250 >= 128, 125 would be too small
    QCOMPARE(jpegReduction(1024, 128), 8);
    QCOMPARE(jpegReduction(400, 100), 4);
    QCOMPARE(jpegReduction(300, 256), 1);
    QCOMPARE(jpegReduction(4000, 0), 1);
    QCOMPARE(jpegReduction(1001, 126), 8); // libjpeg rounds up: ceil(1001 / 8) = 126
}

void TestImages::thumbnailCacheHitDoesNotDecode()
{
    QTemporaryDir cacheDir;
    ThumbnailCache cache(cacheDir.path());
    QCOMPARE(cache.folder(), cacheDir.path());

    const QByteArray jpeg = encode(halves(600, 400, Red, Blue), ".jpg");
    const QString source = writeFile(m_dir, QStringLiteral("cached.jpg"), jpeg);
    const ImageLocation where = file(source);

    const DecodedImage first = cache.thumbnail(where, 96);
    QVERIFY2(!first.isNull(), qPrintable(first.error));
    QCOMPARE(first.width, 96);
    QCOMPARE(first.height, 64);
    const QString cached = cache.cachePath(where, 96);
    QVERIFY(cached.startsWith(cacheDir.path()));
    QVERIFY(QFileInfo(cached).fileName().contains(QRegularExpression(QStringLiteral("^[0-9a-f]{40}\\.jpg$"))));
    QVERIFY(QFileInfo::exists(cached));
    QVERIFY(readAll(cached).startsWith("\xFF\xD8\xFF"));
    QVERIFY(cache.cachePath(where, 128) != cached); // the size is part of the key

    const DecodedImage second = cache.thumbnail(where, 96);
    QCOMPARE(second.width, first.width);
    QCOMPARE(second.rgb, first.rgb);

    // Replace the source by garbage of the same size and the same mtime: a hit must not notice,
    // because it never decodes the source.
    const QDateTime mtime = QFileInfo(source).lastModified();
    writeFile(m_dir, QStringLiteral("cached.jpg"), QByteArray(jpeg.size(), 'z'));
    setMtime(source, mtime);
    QCOMPARE(cache.cachePath(where, 96), cached);
    const DecodedImage hit = cache.thumbnail(where, 96);
    QVERIFY2(!hit.isNull(), qPrintable(hit.error));
    QCOMPARE(hit.rgb, first.rgb);

    // A new mtime is a new key: the garbage is decoded now, and fails.
    setMtime(source, mtime.addSecs(10));
    QVERIFY(cache.cachePath(where, 96) != cached);
    const DecodedImage miss = cache.thumbnail(where, 96);
    QVERIFY(miss.isNull());
    QVERIFY2(miss.error.startsWith(QLatin1String("not an image")), qPrintable(miss.error));

    // A missing source gives the decoder's reason and no cache path.
    const ImageLocation gone = file(m_dir.filePath(QStringLiteral("gone.jpg")));
    QVERIFY(cache.cachePath(gone, 96).isEmpty());
    const DecodedImage none = cache.thumbnail(gone, 96);
    QCOMPARE(none.state, ImageState::Missing);
    QCOMPARE(none.error, QStringLiteral("file not found"));
}

void TestImages::corruptCacheFileIsRewritten()
{
    QTemporaryDir cacheDir;
    ThumbnailCache cache(cacheDir.path());
    const QString source = writeFile(m_dir, QStringLiteral("recache.png"), encode(halves(300, 100, Red, Blue), ".png"));
    const ImageLocation where = file(source);
    const DecodedImage first = cache.thumbnail(where, 60);
    QVERIFY2(!first.isNull(), qPrintable(first.error));
    QCOMPARE(first.width, 60);
    QCOMPARE(first.height, 20);
    const QString cached = cache.cachePath(where, 60);
    const QByteArray good = readAll(cached);

    QFile junk(cached);
    QVERIFY(junk.open(QIODevice::WriteOnly | QIODevice::Truncate));
    junk.write(good.left(good.size() / 3)); // a cut-off cache file
    junk.close();

    const DecodedImage again = cache.thumbnail(where, 60);
    QVERIFY2(!again.isNull(), qPrintable(again.error));
    QCOMPARE(again.rgb, first.rgb);
    QCOMPARE(readAll(cached), good);
}

void TestImages::thumbnailCacheTrimsLeastRecentlyUsed()
{
    QTemporaryDir cacheDir;
    ThumbnailCache cache(cacheDir.path());
    QList<ImageLocation> sources;
    QStringList cached;
    qint64 total = 0;
    for (int i = 0; i < 6; ++i) {
        const Rgb colour{40 * i, 255 - 40 * i, 60};
        sources.append(
            file(writeFile(m_dir, QStringLiteral("lru/%1.jpg").arg(i), encode(halves(320, 200, colour, Red), ".jpg"))));
        QVERIFY(!cache.thumbnail(sources.last(), 80).isNull());
        cached.append(cache.cachePath(sources.last(), 80));
        total += QFileInfo(cached.last()).size();
        // Thumbnail i was last used i days ago... except that 0 is the oldest: 10 days.
        setMtime(cached.last(), QDateTime::currentDateTimeUtc().addDays(i == 0 ? -10 : -i));
    }
    // A stray file that is not a thumbnail is never touched.
    const QString stray = writeFile(cacheDir, QStringLiteral("notes.txt"), "keep me");

    // Under the limit: nothing happens.
    ThumbnailCache::TrimResult r = cache.trim(total);
    QCOMPARE(r.bytesBefore, total);
    QCOMPARE(r.removed, 0);

    // A hit on thumbnail 0 makes it the most recently used (its mtime was 10 days old).
    QVERIFY(!cache.thumbnail(sources[0], 80).isNull());
    QVERIFY(QFileInfo(cached[0]).lastModified().secsTo(QDateTime::currentDateTimeUtc()) < 3600);

    // Room for about half: the oldest (5, 4, 3, ...) go first, until the cache is under 90% of it.
    const qint64 limit = total / 2;
    r = cache.trim(limit);
    QVERIFY(r.removed >= 3);
    QVERIFY(r.bytesAfter <= limit / 10 * 9);
    QCOMPARE(r.bytesBefore, total);
    QVERIFY(QFileInfo::exists(cached[0]));
    for (int i = 5; i > 5 - r.removed; --i)
        QVERIFY2(!QFileInfo::exists(cached[i]), qPrintable(QStringLiteral("thumbnail %1 should be gone").arg(i)));
    for (int i = 1; i <= 5 - r.removed; ++i)
        QVERIFY2(QFileInfo::exists(cached[i]), qPrintable(QStringLiteral("thumbnail %1 should be kept").arg(i)));
    QVERIFY(QFileInfo::exists(stray));

    // A removed thumbnail is only a miss: it is made again.
    QVERIFY(!cache.thumbnail(sources[5], 80).isNull());
    QVERIFY(QFileInfo::exists(cached[5]));

    // Asked to stop (the window is closing), a trim removes nothing, even far over the limit.
    QStringList present;
    for (const QString& path : cached)
        if (QFileInfo::exists(path))
            present.append(path);
    QVERIFY(present.size() >= 2);
    const std::atomic<bool> stop(true);
    r = cache.trim(1, &stop);
    QVERIFY(r.stopped);
    QCOMPARE(r.removed, 0);
    for (const QString& path : present)
        QVERIFY2(QFileInfo::exists(path), qPrintable(path + QStringLiteral(" was removed by a stopped trim")));
    const std::atomic<bool> go(false);
    r = cache.trim(1, &go);
    QVERIFY(!r.stopped);
    QCOMPARE(r.bytesAfter, qint64(0));
    QVERIFY(QFileInfo::exists(stray));
}

void TestImages::thumbnailCacheIsThreadSafe()
{
    QTemporaryDir cacheDir;
    ThumbnailCache cache(cacheDir.path());
    QList<ImageLocation> sources;
    for (int i = 0; i < 6; ++i) {
        const Rgb colour{40 * i, 255 - 40 * i, 100};
        sources.append(
            file(writeFile(m_dir, QStringLiteral("mt/%1.jpg").arg(i), encode(halves(320, 200, colour, Blue), ".jpg"))));
    }
    // Every source requested eight times at once: the same thumbnail is made by several threads
    // and written over itself while others read it.
    QList<int> requests;
    for (int round = 0; round < 8; ++round)
        for (int i = 0; i < sources.size(); ++i)
            requests.append(i);
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    const QList<DecodedImage> results = QtConcurrent::blockingMapped<QList<DecodedImage>>(
        &pool, requests, [&](int i) { return cache.thumbnail(sources[i], 80); });

    QCOMPARE(results.size(), requests.size());
    for (qsizetype k = 0; k < results.size(); ++k) {
        QVERIFY2(!results[k].isNull(), qPrintable(results[k].error));
        QCOMPARE(results[k].width, 80);
        QCOMPARE(results[k].height, 50);
        QCOMPARE(results[k].rgb, cache.thumbnail(sources[requests[k]], 80).rgb);
    }
}

namespace {

struct Fixture
{
    std::unique_ptr<Project> project;
    std::int64_t sourceId = 0;

    explicit Fixture(const QString& path)
    {
        project = Project::open(path, Project::OpenMode::CreateIfMissing);
        project->db()
            .prepare("INSERT INTO sources(name, path, format, imported_at) VALUES('test', '/x.json', "
                     "'sharegpt4v', '2026-01-01T00:00:00Z')")
            .run();
        sourceId = project->db().lastInsertId();
    }

    std::int64_t addItem(const QString& extId, const QString& image, const QString& imageAbs,
                         std::optional<std::int64_t> shard = {}, std::optional<std::int64_t> offset = {},
                         std::optional<std::int64_t> size = {})
    {
        Statement st = project->db().prepare(
            "INSERT INTO items(source_id, ext_id, rec_index, image, image_abs, shard_id, member_offset, "
            "member_size, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z')");
        st.bind(1, sourceId)
            .bind(2, extId)
            .bind(3, ++m_index)
            .bind(4, image)
            .bind(5, imageAbs)
            .bind(6, shard)
            .bind(7, offset)
            .bind(8, size)
            .run();
        return project->db().lastInsertId();
    }

    std::pair<int, QString> state(const QString& extId)
    {
        Statement st = project->db().prepare("SELECT image_state, image_error FROM items WHERE ext_id = ?");
        st.bind(1, extId);
        if (!st.step())
            qFatal("no item %s", qPrintable(extId));
        return {st.integer(0), st.isNull(1) ? QString() : st.text(1)};
    }

private:
    int m_index = 0;
};

} // namespace

void TestImages::verifierRecordsOkMissingBroken()
{
    QTemporaryDir dir;
    const QByteArray jpeg = encode(halves(80, 60, Red, Blue), ".jpg");
    const QByteArray png = encode(halves(30, 30, Red, Blue), ".png");
    const QString okJpg = writeFile(dir, QStringLiteral("img/ok.jpg"), jpeg);
    const QString pngAsJpg = writeFile(dir, QStringLiteral("img/png.jpg"), png);
    const QString truncated = writeFile(dir, QStringLiteral("img/cut.jpg"), jpeg.left(jpeg.size() - 200));
    const QString empty = writeFile(dir, QStringLiteral("img/empty.jpg"), QByteArray());
    const QString bomb = writeFile(dir, QStringLiteral("img/bomb.png"), pngBomb(50000, 50000));
    const QString tar = dir.filePath(QStringLiteral("shard.tar"));
    writeTar(tar, {{"k1.txt", "caption"}, {"k1.png", png}});
    const qsizetype offset = readAll(tar).indexOf(png);
    QVERIFY(offset > 0);

    Fixture f(dir.filePath(QStringLiteral("p.facet")));
    Statement shard = f.project->db().prepare("INSERT INTO shards(source_id, path) VALUES(?, ?)");
    shard.bind(1, f.sourceId).bind(2, tar).run();
    const std::int64_t shardId = f.project->db().lastInsertId();

    f.addItem(QStringLiteral("ok"), QStringLiteral("img/ok.jpg"), okJpg);
    f.addItem(QStringLiteral("pngjpg"), QStringLiteral("img/png.jpg"), pngAsJpg);
    f.addItem(QStringLiteral("gone"), QStringLiteral("img/gone.jpg"), dir.filePath(QStringLiteral("img/gone.jpg")));
    f.addItem(QStringLiteral("cut"), QStringLiteral("img/cut.jpg"), truncated);
    f.addItem(QStringLiteral("textonly"), QString(), QString());
    f.addItem(QStringLiteral("empty"), QStringLiteral("img/empty.jpg"), empty);
    f.addItem(QStringLiteral("tar"), QStringLiteral("k1.png"), tar, shardId, offset, png.size());
    f.addItem(QStringLiteral("tarcut"), QStringLiteral("k2.png"), tar, shardId, offset + 4096, png.size());
    f.addItem(QStringLiteral("bomb"), QStringLiteral("img/bomb.png"), bomb);

    QList<std::pair<std::int64_t, std::int64_t>> reports;
    Progress progress;
    progress.report = [&](std::int64_t done, std::int64_t total, const QString&) { reports.append({done, total}); };
    const VerifyReport report = Verifier(2, 3).run(*f.project, progress);

    QCOMPARE(report.checked, 8);
    QCOMPARE(report.ok, 3);
    QCOMPARE(report.missing, 1);
    QCOMPARE(report.broken, 4);
    QCOMPARE(report.brokenItems.size(), 4);
    QCOMPARE(report.brokenItems[0].extId, QStringLiteral("cut"));
    QCOMPARE(report.brokenItems[0].image, QStringLiteral("img/cut.jpg"));
    QCOMPARE(report.brokenItems[0].reason, QStringLiteral("truncated or corrupt JPEG data"));
    QCOMPARE(report.brokenItems[1].extId, QStringLiteral("empty"));
    QCOMPARE(report.brokenItems[2].extId, QStringLiteral("tarcut"));
    QCOMPARE(report.brokenItems[3].extId, QStringLiteral("bomb"));
    QVERIFY(report.brokenItems[3].reason.contains(QLatin1String("over the 100 MP limit")));

    // One report before the work and one per chunk of three.
    QCOMPARE(reports.size(), 4);
    QCOMPARE(reports.first(), (std::pair<std::int64_t, std::int64_t>{0, 8}));
    QCOMPARE(reports[1].first, 3);
    QCOMPARE(reports.last(), (std::pair<std::int64_t, std::int64_t>{8, 8}));

    QCOMPARE(f.state(QStringLiteral("ok")), (std::pair<int, QString>{1, QString()}));
    QCOMPARE(f.state(QStringLiteral("pngjpg")).first, 1);
    QCOMPARE(f.state(QStringLiteral("tar")).first, 1);
    QCOMPARE(f.state(QStringLiteral("gone")), (std::pair<int, QString>{2, QStringLiteral("file not found")}));
    QCOMPARE(f.state(QStringLiteral("cut")),
             (std::pair<int, QString>{3, QStringLiteral("truncated or corrupt JPEG data")}));
    QCOMPARE(f.state(QStringLiteral("empty")), (std::pair<int, QString>{3, QStringLiteral("empty file")}));
    QCOMPARE(f.state(QStringLiteral("tarcut")).first, 3);
    QCOMPARE(f.state(QStringLiteral("bomb")).first, 3);
    QCOMPARE(f.state(QStringLiteral("textonly")), (std::pair<int, QString>{0, QString()}));

    // Repairing files and verifying again updates their state and clears the old reason.
    writeFile(dir, QStringLiteral("img/cut.jpg"), jpeg);
    writeFile(dir, QStringLiteral("img/gone.jpg"), jpeg);
    const VerifyReport again = Verifier().run(*f.project);
    QCOMPARE(again.ok, 5);
    QCOMPARE(again.missing, 0);
    QCOMPARE(again.broken, 3);
    QCOMPARE(f.state(QStringLiteral("cut")), (std::pair<int, QString>{1, QString()}));
    QCOMPARE(f.state(QStringLiteral("gone")), (std::pair<int, QString>{1, QString()}));
}

void TestImages::verifierCancelsBetweenChunks()
{
    QTemporaryDir dir;
    const QString image = writeFile(dir, QStringLiteral("a.png"), encode(halves(8, 8, Red, Blue), ".png"));
    Fixture f(dir.filePath(QStringLiteral("p.facet")));
    for (int i = 0; i < 6; ++i)
        f.addItem(QStringLiteral("item%1").arg(i), QStringLiteral("a.png"), image);

    std::atomic_bool cancel = false;
    Progress progress;
    progress.cancel = &cancel;
    progress.report = [&](std::int64_t done, std::int64_t, const QString&) {
        if (done >= 2)
            cancel = true;
    };
    QVERIFY_THROWS_EXCEPTION(Cancelled, Verifier(1, 2).run(*f.project, progress));

    // The first chunk was committed before the cancel was noticed; the rest was never touched.
    QCOMPARE(f.state(QStringLiteral("item0")).first, 1);
    QCOMPARE(f.state(QStringLiteral("item1")).first, 1);
    for (int i = 2; i < 6; ++i)
        QCOMPARE(f.state(QStringLiteral("item%1").arg(i)).first, 0);
}

void TestImages::verifierRefusesReadOnlyProject()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.facet"));
    {
        Fixture f(path);
        f.addItem(QStringLiteral("x"), QStringLiteral("x.jpg"), dir.filePath(QStringLiteral("x.jpg")));
    }
    auto project = Project::open(path, Project::OpenMode::ReadOnly);
    try {
        Verifier().run(*project);
        QFAIL("verify wrote to a read-only project");
    } catch (const Error& e) {
        QVERIFY2(e.message().contains(QLatin1String("read-only")), qPrintable(e.message()));
    }
}

QTEST_GUILESS_MAIN(TestImages)
#include "test_images.moc"
