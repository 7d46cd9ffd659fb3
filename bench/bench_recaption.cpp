// Client overhead of recaptioning: requests per second against the loopback server with zero model
// delay, ~150 KB images, concurrency 64. The server runs in a child process pinned to one core, the
// client (runner, libcurl, image preparation, SQLite commits) in this process pinned to the other,
// so the client's CPU time per request is measured on one core. Results go to stdout as a table
// (docs/performance.md, "Recaptioning client", has the numbers and the command).
//
//   bench_recaption [--items N] [--concurrency N] [--images N] [--stream] [--mode full|reencode|http]
//
// full:      the real RecaptionRunner; images are JPEGs within the size limit (sent unchanged after a
//            reduced-resolution check decode), every result committed as a caption version.
// reencode:  the same with 1600x1200 images, which are decoded, scaled to 1024 and re-encoded.
// http:      HttpClient alone with prepared request bodies: the transport's share of the cost.
#include "../tests/support/loopbackserver.h"

#include "importer.h"
#include "jobstore.h"
#include "project.h"
#include "recaptionhttp.h"
#include "recaptionprovider.h"
#include "recaptionrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstring>
#include <string>

#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace facet;

namespace {

struct Options
{
    int items = 2000;
    int concurrency = 64;
    int images = 64;
    bool stream = false;
    std::string mode = "full";
};

void pinTo(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        std::fprintf(stderr, "bench_recaption: cannot pin to CPU %d (continuing unpinned)\n", cpu);
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/** A photo-like JPEG of about `targetBytes`: smooth gradients with fine noise, quality searched. */
QByteArray photoJpeg(int width, int height, int seed, int targetBytes)
{
    cv::Mat img(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            img.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar((x * 255 / width + seed * 13) % 256),
                                                uchar((y * 255 / height + seed * 29) % 256),
                                                uchar(((x + y) * 127 / (width + height) + seed * 7) % 256));
    cv::Mat noise(height, width, CV_8UC3);
    cv::RNG rng(seed);
    rng.fill(noise, cv::RNG::NORMAL, 0, 18);
    img += noise;
    cv::circle(img, {width / 3 + seed % 50, height / 2}, height / 4, cv::Scalar(40, 180, 220), cv::FILLED);
    QByteArray best;
    for (int q = 95; q >= 40; q -= 5) {
        std::vector<uchar> buf;
        cv::imencode(".jpg", img, buf, {cv::IMWRITE_JPEG_QUALITY, q});
        best = QByteArray(reinterpret_cast<const char*>(buf.data()), qsizetype(buf.size()));
        if (best.size() <= targetBytes)
            break;
    }
    return best;
}

int runServer(int readyFd, int quitFd)
{
    pinTo(1);
    facet::test::LoopbackServer server;
    server.start();
    const int port = server.port();
    if (write(readyFd, &port, sizeof port) != sizeof port)
        return 1;
    char byte = 0;
    while (read(quitFd, &byte, 1) > 0) {
    }
    server.stop();
    return 0;
}

struct Result
{
    double seconds = 0.0;
    double cpu = 0.0;
    int requests = 0;
    int ok = 0;
};

Result benchHttp(const Options& o, const std::string& base, const QList<QByteArray>& images)
{
    RecaptionSettings s;
    s.provider = ProviderKind::OpenAiCompatible;
    s.baseUrl = QString::fromStdString(base) + QStringLiteral("/v1");
    s.model = QStringLiteral("facet-test-vlm");
    s.stream = o.stream;
    const ProviderProtocol protocol(s);
    std::vector<ChatRequest> bodies;
    for (int k = 0; k < images.size(); ++k)
        bodies.push_back(protocol.chatRequest(QStringLiteral("Describe image %1.").arg(k), images[k].toBase64(),
                                              QByteArrayLiteral("image/jpeg")));
    HttpClient client(o.concurrency);
    Result r;
    int started = 0;
    int done = 0;
    const double cpu0 = cpuSeconds();
    QElapsedTimer t;
    t.start();
    while (done < o.items) {
        while (started < o.items && client.active() < o.concurrency) {
            const ChatRequest& c = bodies[std::size_t(started) % bodies.size()];
            HttpRequest req;
            req.url = c.url;
            req.body = c.body;
            req.stream = c.stream;
            auto exchange = std::shared_ptr<ChatExchange>(protocol.exchange());
            client.start(
                std::move(req), [exchange](std::string_view b) { return exchange->onData(b); },
                [exchange, &done, &r](HttpResult&& res) {
                    ++done;
                    if (exchange->finish(res.status, res.headers, res.transportError, res.retryable).kind
                        == ChatOutcome::Kind::Ok)
                        ++r.ok;
                });
            ++started;
        }
        client.poll(100);
    }
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    r.cpu = cpuSeconds() - cpu0;
    r.requests = o.items;
    return r;
}

Result benchRunner(const Options& o, const std::string& base, const QList<QByteArray>& images, QTemporaryDir& dir)
{
    // A project whose items cycle through the image files; the prompt names the record, so no two
    // requests are the same and nothing is reused.
    QByteArray jsonl;
    for (int k = 0; k < images.size(); ++k) {
        QFile f(dir.filePath(QStringLiteral("img/%1.jpg").arg(k)));
        QDir().mkpath(QFileInfo(f).absolutePath());
        if (!f.open(QIODevice::WriteOnly) || f.write(images[k]) != images[k].size())
            qFatal("cannot write bench image");
    }
    for (int k = 0; k < o.items; ++k) {
        const QJsonObject rec{{QStringLiteral("id"), QStringLiteral("r%1").arg(k)},
                              {QStringLiteral("image"), QStringLiteral("img/%1.jpg").arg(k % images.size())},
                              {QStringLiteral("conversations"),
                               QJsonArray{QJsonObject{{QStringLiteral("from"), QStringLiteral("human")},
                                                      {QStringLiteral("value"), QStringLiteral("<image>\nDescribe.")}},
                                          QJsonObject{{QStringLiteral("from"), QStringLiteral("gpt")},
                                                      {QStringLiteral("value"), QStringLiteral("An old caption.")}}}}};
        jsonl += QJsonDocument(rec).toJson(QJsonDocument::Compact) + '\n';
    }
    const QString data = dir.filePath(QStringLiteral("bench.jsonl"));
    QFile f(data);
    if (!f.open(QIODevice::WriteOnly) || f.write(jsonl) != jsonl.size())
        qFatal("cannot write bench data");
    f.close();
    const QString path = dir.filePath(QStringLiteral("bench.facet"));
    std::int64_t job = 0;
    {
        auto project = Project::open(path, Project::OpenMode::CreateIfMissing);
        Importer importer(*project);
        ImportOptions options;
        options.imageRoot = dir.path();
        importer.run({data}, options);
        RecaptionSettings s;
        s.provider = ProviderKind::OpenAiCompatible;
        s.baseUrl = QString::fromStdString(base) + QStringLiteral("/v1");
        s.model = QStringLiteral("facet-test-vlm");
        s.prompt = QStringLiteral("Describe {id}.");
        s.concurrency = o.concurrency;
        s.stream = o.stream;
        s.prepThreads = 1; // one core for the whole client
        job = JobStore(*project).createJob(s, Selection{{}, {}, {}, true}, QStringLiteral("bench"));
    }
    RecaptionRunner runner(path, job, {});
    const double cpu0 = cpuSeconds();
    QElapsedTimer t;
    t.start();
    const JobProgress p = runner.run();
    Result r;
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    r.cpu = cpuSeconds() - cpu0;
    r.requests = int(p.requests);
    r.ok = int(p.done);
    return r;
}

} // namespace

int main(int argc, char* argv[])
{
    Options o;
    for (int k = 1; k < argc; ++k) {
        const std::string a = argv[k];
        auto next = [&]() -> std::string {
            if (k + 1 >= argc) {
                std::fprintf(stderr, "bench_recaption: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++k];
        };
        if (a == "--items")
            o.items = std::stoi(next());
        else if (a == "--concurrency")
            o.concurrency = std::stoi(next());
        else if (a == "--images")
            o.images = std::stoi(next());
        else if (a == "--stream")
            o.stream = true;
        else if (a == "--mode")
            o.mode = next();
        else {
            std::fprintf(stderr, "usage: bench_recaption [--items N] [--concurrency N] [--images N] [--stream] "
                                 "[--mode full|reencode|http]\n");
            return 2;
        }
    }

    // The server is forked before any thread exists, and lives on the other core.
    int ready[2];
    int quit[2];
    if (pipe(ready) != 0 || pipe(quit) != 0)
        return 1;
    const pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        close(quit[1]);
        _exit(runServer(ready[1], quit[0]));
    }
    close(ready[1]);
    close(quit[0]);
    int port = 0;
    if (read(ready[0], &port, sizeof port) != sizeof port) {
        std::fprintf(stderr, "bench_recaption: the server did not start\n");
        return 1;
    }
    pinTo(0);
    const std::string base = "http://127.0.0.1:" + std::to_string(port);

    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const bool big = o.mode == "reencode";
    QList<QByteArray> images;
    qint64 bytes = 0;
    for (int k = 0; k < o.images; ++k) {
        images.append(big ? photoJpeg(1600, 1200, k, 160 * 1024) : photoJpeg(800, 600, k, 160 * 1024));
        bytes += images.last().size();
    }
    const Result r = o.mode == "http" ? benchHttp(o, base, images) : benchRunner(o, base, images, dir);

    close(quit[1]);
    rusage serverUsage{};
    wait4(child, nullptr, 0, &serverUsage);
    const double serverCpu = double(serverUsage.ru_utime.tv_sec + serverUsage.ru_stime.tv_sec)
                             + double(serverUsage.ru_utime.tv_usec + serverUsage.ru_stime.tv_usec) / 1e6;

    const double rate = r.requests / r.seconds;
    const double cpuPerRequest = r.cpu / r.requests * 1000.0;
    std::printf("bench_recaption: mode %s%s, %d requests, concurrency %d, images %s (%d files, mean %.0f KB)\n",
                o.mode.c_str(), o.stream ? " (SSE)" : "", r.requests, o.concurrency,
                big ? "1600x1200 (scaled to 1024, re-encoded)" : "800x600 (sent unchanged)", int(images.size()),
                double(bytes) / images.size() / 1024.0);
    std::printf("  libcurl %s\n", qPrintable(HttpClient::curlVersion()));
    std::printf("  %d ok, wall %.2f s, %.0f requests/s (client on CPU 0, server on CPU 1)\n", r.ok, r.seconds, rate);
    std::printf("  client CPU %.2f s = %.2f ms per request -> %.0f requests/s per client core\n", r.cpu, cpuPerRequest,
                1000.0 / cpuPerRequest);
    std::printf("  server CPU %.2f s (%.2f ms per request)\n", serverCpu, serverCpu / r.requests * 1000.0);
    return r.ok == r.requests ? 0 : 1;
}
