// Recaptioning end to end against the in-repo loopback server: real libcurl over real TCP sockets on
// 127.0.0.1, all three protocols, scripted faults, resume, reuse, estimates, and the API key never
// reaching a file, a log or an error message.
#include "testutil.h"

#include "support/loopbackserver.h"

#include "curation.h"
#include "database.h"
#include "error.h"
#include "importer.h"
#include "itemstore.h"
#include "jobstore.h"
#include "ndjsonparser.h"
#include "project.h"
#include "recaption.h"
#include "recaptionhttp.h"
#include "recaptionimage.h"
#include "recaptionkeys.h"
#include "recaptionprovider.h"
#include "recaptionrunner.h"
#include "sseparser.h"

#include <QDateTime>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QThread>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <atomic>
#include <csignal>
#include <map>

using namespace Qt::Literals::StringLiterals;
using namespace facet;
using facet::test::Fault;
using facet::test::LoopbackServer;

namespace {

const QString kKey = u"sk-test-Zq8Xw2Lm4Np6Rt0SECRETKEY"_s;
const char* kModel = "facet-test-vlm";

QByteArray makeJpeg(int width, int height, int seed)
{
    cv::Mat m(height, width, CV_8UC3, cv::Scalar((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256));
    cv::rectangle(m, cv::Point(seed % std::max(1, width / 2), 5), cv::Point(width - 3, height / 2 + seed % 7),
                  cv::Scalar(255 - seed % 256, 40, 200), cv::FILLED);
    std::vector<uchar> buf;
    cv::imencode(".jpg", m, buf, {cv::IMWRITE_JPEG_QUALITY, 85});
    return QByteArray(reinterpret_cast<const char*>(buf.data()), qsizetype(buf.size()));
}

struct ImageSpec
{
    int width = 200;
    int height = 150;
    int seed = 0; ///< equal seeds and sizes: equal bytes
    bool missing = false;
};

/** A project with one item per spec: ids item-0, item-1, ..., captions "Old caption k. ..." */
QString makeProject(const QTemporaryDir& dir, const QString& name, const QList<ImageSpec>& specs)
{
    QByteArray jsonl;
    for (int k = 0; k < specs.size(); ++k) {
        const ImageSpec& s = specs.at(k);
        const QString image = u"img/%1_%2.jpg"_s.arg(name).arg(k);
        if (!s.missing)
            facet::test::writeFile(dir, image, makeJpeg(s.width, s.height, s.seed));
        const QJsonObject rec{
            {u"id"_s, u"item-%1"_s.arg(k)},
            {u"image"_s, image},
            {u"conversations"_s,
             QJsonArray{QJsonObject{{u"from"_s, u"human"_s}, {u"value"_s, u"<image>\nDescribe."_s}},
                        QJsonObject{{u"from"_s, u"gpt"_s},
                                    {u"value"_s, u"Old caption %1. A small tree stands on the left of the tower. "
                                                 "The tower is made of grey steel."_s.arg(k)}}}}};
        jsonl += QJsonDocument(rec).toJson(QJsonDocument::Compact) + '\n';
    }
    const QString data = facet::test::writeFile(dir, name + u".jsonl"_s, jsonl);
    const QString path = dir.filePath(name + u".facet"_s);
    auto project = Project::open(path, Project::OpenMode::CreateIfMissing);
    Importer importer(*project);
    ImportOptions options;
    options.imageRoot = dir.path();
    const ImportReport report = importer.run({data}, options);
    if (report.imported != specs.size())
        qFatal("import failed: %lld of %lld", static_cast<long long>(report.imported),
               static_cast<long long>(specs.size()));
    return path;
}

QList<ImageSpec> distinct(int n)
{
    QList<ImageSpec> specs;
    for (int k = 0; k < n; ++k)
        specs.append({200, 150, k + 1, false});
    return specs;
}

RecaptionSettings settingsFor(ProviderKind kind, const LoopbackServer& server)
{
    RecaptionSettings s;
    s.provider = kind;
    s.baseUrl = QString::fromStdString(server.url()) + (kind == ProviderKind::Ollama ? QString() : u"/v1"_s);
    s.model = QLatin1String(kModel);
    s.prompt = u"Describe {id}."_s;
    s.concurrency = 4;
    s.maxTokens = 300;
    s.backoffBaseMs = 20;
    s.backoffMaxMs = 100;
    s.prepThreads = 2;
    return s;
}

std::int64_t createJob(const QString& path, const RecaptionSettings& s,
                       const Selection& sel = Selection{{}, {}, {}, true})
{
    auto project = Project::open(path);
    JobStore store(*project);
    return store.createJob(s, sel, u"tester"_s);
}

QVariant scalar(const QString& path, const char* sql, std::int64_t bind = 0)
{
    auto project = Project::open(path, Project::OpenMode::ReadOnly);
    Statement st = project->db().prepare(sql);
    if (bind)
        st.bind(1, bind);
    if (!st.step() || st.isNull(0))
        return {};
    return st.text(0);
}

int count(const QString& path, const char* sql, std::int64_t bind = 0)
{
    return scalar(path, sql, bind).toInt();
}

std::map<QString, JobItemInfo> itemsByExtId(const QString& path, std::int64_t job)
{
    auto project = Project::open(path, Project::OpenMode::ReadOnly);
    JobStore store(*project);
    std::map<QString, JobItemInfo> out;
    for (const JobItemInfo& i : store.items(job, std::nullopt, 10000))
        out[i.extId] = i;
    return out;
}

/** The caption the loopback server answers for an item's file (sent unchanged: small JPEGs pass through). */
QString expectedCaption(const QTemporaryDir& dir, const QString& name, int k, const QString& prompt)
{
    QFile f(dir.filePath(u"img/%1_%2.jpg"_s.arg(name).arg(k)));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read test image");
    return QString::fromStdString(
        LoopbackServer::captionFor(prompt.toStdString(), f.readAll().toBase64().toStdString()));
}

struct CliRun
{
    int status = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

QProcessEnvironment cliEnvironment(const QString& key)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"OPENAI_API_KEY"_s);
    env.remove(u"FACET_API_KEY"_s);
    if (!key.isEmpty())
        env.insert(u"OPENAI_API_KEY"_s, key);
    env.insert(u"FACET_NO_KEYCHAIN"_s, u"1"_s);
    env.insert(u"FACET_REVIEWER"_s, u"tester"_s);
    return env;
}

CliRun facetCli(const QStringList& args, const QString& key = kKey)
{
    QProcess p;
    p.setProgram(QStringLiteral(FACET_CLI));
    p.setArguments(args);
    p.setProcessEnvironment(cliEnvironment(key));
    p.start();
    if (!p.waitForFinished(180000))
        qFatal("facet did not finish: %s", qPrintable(args.join(u' ')));
    CliRun r;
    r.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

std::vector<std::string> sseEvents(const std::vector<std::string>& pieces)
{
    std::vector<std::string> events;
    SseParser parser([&events](std::string_view data) {
        events.emplace_back(data);
        return true;
    });
    for (const std::string& p : pieces)
        parser.feed(p);
    parser.finish();
    return events;
}

} // namespace

class TestRecaption final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    LoopbackServer m_server;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("FACET_NO_KEYCHAIN", "1");
        m_server.start();
        QVERIFY(m_server.port() > 0);
    }

    void init()
    {
        m_server.clearFaults();
        m_server.setDelayMs(0);
        m_server.setChunkDelayMs(0);
        m_server.setRequiredKey({});
        m_server.setRecordBodies(true);
        m_server.resetStats();
    }

    void cleanupTestCase() { m_server.stop(); }

    // ---- units ----------------------------------------------------------------------------------

    void sseParserHandlesAnySplit()
    {
        const std::string stream =
            ": keep-alive\r\n\r\nevent: message\ndata: {\"a\":1}\n\ndata: line one\ndata: line two\r\n\r\n"
            "id: 7\nretry: 100\ndata:no-space\n\ndata: [DONE]\n\n";
        const std::vector<std::string> expected = {"{\"a\":1}", "line one\nline two", "no-space", "[DONE]"};
        QCOMPARE(sseEvents({stream}), expected);
        for (std::size_t cut = 1; cut < stream.size(); ++cut)
            QCOMPARE(sseEvents({stream.substr(0, cut), stream.substr(cut)}), expected);
        std::vector<std::string> bytes;
        for (char c : stream)
            bytes.emplace_back(1, c);
        QCOMPARE(sseEvents(bytes), expected);
        // An event without its closing blank line is still delivered at the end of the stream.
        QCOMPARE(sseEvents({"data: tail"}), std::vector<std::string>{"tail"});
    }

    void ndjsonParserHandlesAnySplit()
    {
        const std::string stream = "{\"a\":1}\n\n{\"b\":2}\r\n  {\"c\":3}";
        for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
            std::vector<std::string> lines;
            NdjsonParser parser([&lines](std::string_view l) {
                lines.emplace_back(l);
                return true;
            });
            parser.feed(stream.substr(0, cut));
            parser.feed(stream.substr(cut));
            parser.finish();
            QCOMPARE(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
        }
    }

    void imageTokensFollowTheTileFormula()
    {
        QCOMPARE(imageTokens(1024, 1024, u"high"_s, 0), 765);  // 768x768, 4 tiles
        QCOMPARE(imageTokens(2048, 4096, u"high"_s, 0), 1105); // 768x1536, 6 tiles
        QCOMPARE(imageTokens(2048, 4096, u"low"_s, 0), 85);
        QCOMPARE(imageTokens(512, 512, u"auto"_s, 1024), 255);   // one tile
        QCOMPARE(imageTokens(2048, 4096, u"high"_s, 1024), 425); // sent as 512x1024: 2 tiles
        QCOMPARE(imageTokens(4000, 3000, u"high"_s, 1024), 765); // sent as 1024x768: 768 short side, 4 tiles
    }

    void retryAfterHeadersAreRead()
    {
        QCOMPARE(retryAfterMs({{"retry-after-ms", "250"}}), 250);
        QCOMPARE(retryAfterMs({{"retry-after", "2"}}), 2000);
        QCOMPARE(retryAfterMs({{"retry-after", "0.5"}, {"retry-after-ms", "120"}}), 120); // ms wins
        QCOMPARE(retryAfterMs({{"retry-after", "0"}}), -1);
        QCOMPARE(retryAfterMs({}), -1);
        // Hostile values saturate at a day (the runner caps further) or are ignored; 1.5e75 s once
        // reached an out-of-range double-to-integer conversion (found by fuzz_provider).
        QCOMPARE(retryAfterMs({{"retry-after", "1.52222e75"}}), 86'400'000);
        QCOMPARE(retryAfterMs({{"retry-after-ms", "1e300"}}), 86'400'000);
        QCOMPARE(retryAfterMs({{"retry-after", "inf"}}), -1);
        QCOMPARE(retryAfterMs({{"retry-after", "nan"}}), -1);
        QCOMPARE(retryAfterMs({{"retry-after", "-5"}}), -1);
        const QString date = QDateTime::currentDateTimeUtc().addSecs(3).toString(Qt::RFC2822Date);
        const std::int64_t fromDate = retryAfterMs({{"retry-after", date.toStdString()}});
        QVERIFY2(fromDate > 1000 && fromDate <= 4000, QByteArray::number(qint64(fromDate)));
    }

    void secretsAreRedacted()
    {
        const QString text = u"Incorrect API key provided: "_s + kKey
                             + u". Also sk-proj-abc123XYZ_-99 and "
                               "sk-abc***wxyz; header Authorization: Bearer tok_live_123"_s;
        const QString clean = redactSecrets(text, kKey);
        QVERIFY(!clean.contains(kKey));
        QVERIFY(!clean.contains(u"sk-proj-abc123"_s));
        QVERIFY(!clean.contains(u"sk-abc***"_s));
        QVERIFY(!clean.contains(u"tok_live_123"_s));
        QVERIFY(clean.contains(u"Incorrect API key provided: [redacted]"_s));
    }

    void promptsAndFacetSplicing()
    {
        PromptVariables vars{u"A {id} caption."_s, u"coco"_s, u"c-1"_s, u"spatial"_s};
        QCOMPARE(renderPrompt(u"[{id}] {source}: {caption} ({unknown})"_s, vars),
                 u"[c-1] coco: A {id} caption. ({unknown})"_s); // the caption is not expanded again
        QVERIFY(shareGpt4vPrompt().contains(u"You are a powerful image captioner."_s));
        QVERIFY(shareGpt4vPrompt().contains(u"Minimize aesthetic descriptions as much as possible."_s));

        const QString caption = u"A tower. A tree is left of it. The sky is blue. A bench is behind the tree."_s;
        const QList<RecaptionRunner::LabelledSpan> spans = {
            {0, 8, u"other"_s}, {9, 30, u"spatial"_s}, {31, 47, u"attributes"_s}, {48, 75, u"spatial"_s}};
        QCOMPARE(RecaptionRunner::spliceFacet(caption, spans, u"spatial"_s, u"A tree stands to the right."_s),
                 u"A tower. A tree stands to the right. The sky is blue."_s);
        QCOMPARE(RecaptionRunner::spliceFacet(caption, spans, u"art"_s, u"Soft light."_s), caption + u" Soft light."_s);
    }

    void requestShapesPerProvider()
    {
        const QByteArray image = QByteArrayLiteral("QUJD");
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.detail = u"low"_s;
        s.temperature = 0.2;
        nlohmann::json body = nlohmann::json::parse(
            ProviderProtocol(s).chatRequest(u"Hi"_s, image, QByteArrayLiteral("image/jpeg")).body);
        QCOMPARE(body["max_completion_tokens"].get<int>(), 300);
        QVERIFY(!body.contains("max_tokens"));
        QCOMPARE(body["messages"][0]["content"][1]["image_url"]["url"].get<std::string>(),
                 std::string("data:image/jpeg;base64,QUJD"));
        QCOMPARE(body["messages"][0]["content"][1]["image_url"]["detail"].get<std::string>(), std::string("low"));
        QCOMPARE(body["temperature"].get<double>(), 0.2);

        s.provider = ProviderKind::OpenAiCompatible;
        s.stream = true;
        body = nlohmann::json::parse(
            ProviderProtocol(s).chatRequest(u"Hi"_s, image, QByteArrayLiteral("image/jpeg")).body);
        QCOMPARE(body["max_tokens"].get<int>(), 300);
        QVERIFY(!body.contains("max_completion_tokens"));
        QVERIFY(!body["messages"][0]["content"][1]["image_url"].contains("detail"));
        QVERIFY(body["stream_options"]["include_usage"].get<bool>());

        s.provider = ProviderKind::Ollama;
        s.baseUrl = QString::fromStdString(m_server.url());
        s.structured = true;
        ChatRequest r = ProviderProtocol(s).chatRequest(u"Hi"_s, image, QByteArrayLiteral("image/jpeg"));
        QCOMPARE(r.url, m_server.url() + "/api/chat");
        body = nlohmann::json::parse(r.body);
        QCOMPARE(body["messages"][0]["images"][0].get<std::string>(), std::string("QUJD")); // raw base64
        QCOMPARE(body["options"]["num_predict"].get<int>(), 300);
        QVERIFY(body["format"]["properties"].contains("spatial"));
        QVERIFY(body["stream"].get<bool>());
    }

    void errorClassification()
    {
        using Kind = ChatOutcome::Kind;
        auto classify = [](ProviderKind p, long status, const std::string& body, HttpHeaders headers = {}) {
            ChatExchange ex(p, false, false);
            ex.onData(body);
            return ex.finish(status, headers, {}, false);
        };
        const std::string quota =
            R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}})";
        QCOMPARE(classify(ProviderKind::OpenAi, 429, quota).kind, Kind::StopJob);
        const ChatOutcome limited = classify(
            ProviderKind::OpenAi, 429,
            R"({"error":{"message":"slow down","type":"requests","param":null,"code":"rate_limit_exceeded"}})",
            {{"retry-after", "3"}});
        QCOMPARE(limited.kind, Kind::Retry);
        QVERIFY(limited.rateLimited);
        QCOMPARE(limited.retryAfterMs, 3000);
        QCOMPARE(
            classify(
                ProviderKind::OpenAi, 401,
                R"({"error":{"message":"bad key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})")
                .kind,
            Kind::StopJob);
        QCOMPARE(classify(ProviderKind::OpenAi, 403, "{}").kind, Kind::StopJob);
        QCOMPARE(classify(ProviderKind::OpenAi, 400, "{}").kind, Kind::StopJob);
        for (long status : {408L, 409L, 500L, 502L, 503L})
            QCOMPARE(classify(ProviderKind::OpenAi, status, "<html>oops</html>").kind, Kind::Retry);
        QCOMPARE(classify(ProviderKind::OpenAi, 503, "{}", {{"x-should-retry", "false"}}).kind, Kind::ItemFailed);
        QCOMPARE(classify(ProviderKind::OpenAi, 413, "{}").kind, Kind::ItemFailed);
        // The three other error shapes: old vLLM flat, llama.cpp numeric code, Ollama string.
        QVERIFY(classify(ProviderKind::OpenAiCompatible, 500,
                         R"({"object":"error","message":"flat vllm","type":"X","param":null,"code":500})")
                    .error.contains(u"flat vllm"_s));
        QVERIFY(classify(ProviderKind::OpenAiCompatible, 503,
                         R"({"error":{"code":503,"message":"Loading model","type":"unavailable_error"}})")
                    .error.contains(u"Loading model"_s));
        QVERIFY(classify(ProviderKind::Ollama, 404, R"({"error":"model 'x' not found"})")
                    .error.contains(u"model 'x' not found"_s));
        QCOMPARE(classify(ProviderKind::OpenAi, 200, "{not json").kind, Kind::Retry);
        const ChatOutcome refused = classify(
            ProviderKind::OpenAi, 200,
            R"({"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"No."},"finish_reason":"stop"}]})");
        QCOMPARE(refused.kind, Kind::Refused);
        const ChatOutcome cut = classify(
            ProviderKind::OpenAi, 200,
            R"({"choices":[{"index":0,"message":{"role":"assistant","content":"A cut"},"finish_reason":"length"}],"usage":{"prompt_tokens":10,"completion_tokens":2}})");
        QCOMPARE(cut.kind, Kind::Ok);
        QVERIFY(cut.truncated);
        QCOMPARE(cut.promptTokens, 10);
        // A transport failure: retryable or not as libcurl said.
        ChatExchange ex(ProviderKind::OpenAi, false, false);
        QCOMPARE(ex.finish(0, {}, u"Connection refused"_s, true).kind, Kind::Retry);
    }

    void schemaMigratesFromVersionOne()
    {
        const QString path = makeProject(m_dir, u"migrate"_s, distinct(2));
        {
            auto project = Project::open(path);
            project->db().exec("DROP TABLE jobs; DROP TABLE job_items; DROP TABLE prompts; DROP TABLE model_prices; "
                               "DROP TABLE recaption_cache; UPDATE meta SET value = '1' WHERE key = 'schema_version'");
        }
        auto project = Project::open(path);
        QCOMPARE(scalar(path, "SELECT value FROM meta WHERE key='schema_version'").toInt(), Project::SchemaVersion);
        QCOMPARE(count(path, "SELECT count(*) FROM items"), 2);
        JobStore store(*project);
        QVERIFY(store.jobs().isEmpty());
        store.setPrice({u"gpt-4o"_s, 2.5, 10.0, {}});
        QCOMPARE(store.priceFor(u"gpt-4o-2024-08-06"_s)->inputPerMTok, 2.5); // prefix match
    }

    // ---- end to end -----------------------------------------------------------------------------

    void openAiEndToEnd()
    {
        const QString path = makeProject(m_dir, u"oai"_s, distinct(6));
        {
            auto project = Project::open(path);
            Curation(*project).setStatus(Selection{{u"item-1"_s, u"item-2"_s}, {}, {}, false}, Status::Accepted,
                                         u"rev"_s);
        }
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.detail = u"high"_s;
        const std::int64_t job = createJob(path, s);
        std::vector<JobItemInfo> finished;
        RecaptionRunner::Callbacks cb;
        cb.itemFinished = [&finished](const JobItemInfo& i) { finished.push_back(i); };
        RecaptionRunner runner(path, job, kKey, cb);
        const JobProgress p = runner.run();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(p.done, 6);
        QCOMPARE(int(finished.size()), 6);
        QCOMPARE(m_server.chatRequests(), 6);
        for (const auto& r : m_server.recorded()) {
            QCOMPARE(r.authorization, "Bearer " + kKey.toStdString());
            const auto body = nlohmann::json::parse(r.body);
            QCOMPARE(body["max_completion_tokens"].get<int>(), 300);
            QCOMPARE(body["messages"][0]["content"][1]["image_url"]["detail"].get<std::string>(), std::string("high"));
        }

        auto project = Project::open(path);
        ItemStore store(*project);
        for (int k = 0; k < 6; ++k) {
            const ItemDetail d = *store.detail(*store.findByExtId(u"item-%1"_s.arg(k)));
            QCOMPARE(d.caption, expectedCaption(m_dir, u"oai"_s, k, u"Describe item-%1."_s.arg(k)));
            QCOMPARE(d.versions.size(), 2);
            const CaptionVersion& v = d.versions.last();
            QCOMPARE(v.origin, Origin::Model);
            QCOMPARE(v.model, QLatin1String(kModel));
            QCOMPARE(v.prompt, u"Describe item-%1."_s.arg(k));
            const QJsonObject params = QJsonDocument::fromJson(v.params.toUtf8()).object();
            QCOMPARE(params[u"max_tokens"_s].toInt(), 300);
            QCOMPARE(params[u"detail"_s].toString(), u"high"_s);
            QCOMPARE(params[u"finish_reason"_s].toString(), u"stop"_s);
            QVERIFY(params[u"prompt_tokens"_s].toInt() > 85);
            QVERIFY(params[u"completion_tokens"_s].toInt() > 0);
            QVERIFY(d.summary.recaptioned);
            QCOMPARE(d.summary.status, Status::Pending); // accepted items went back to pending
            QVERIFY(!d.segments.isEmpty());              // facets computed like any new version
        }
        QVERIFY(p.promptTokens > 6 * 85);
        // Undo restores the caption and the status of the last recaptioned item.
        Curation curation(*project);
        const auto undone = curation.undo();
        QVERIFY(undone && undone->kind == u"recaption"_s);
        const QString lastId = finished.back().extId;
        const ItemDetail after = *store.detail(*store.findByExtId(lastId));
        QVERIFY(after.caption.startsWith(u"Old caption"_s));
        if (lastId == u"item-1"_s || lastId == u"item-2"_s)
            QCOMPARE(after.summary.status, Status::Accepted);
        // Model versions are searchable with origin:/model: filters.
        QCOMPARE(store.count(Query::parse(u"origin:model"_s)), 5);
    }

    void openAiStreaming()
    {
        const QString path = makeProject(m_dir, u"sse"_s, distinct(4));
        m_server.setChunkDelayMs(3); // events arrive split over several reads
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.stream = true;
        const JobProgress p = RecaptionRunner(path, createJob(path, s), kKey).run();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(p.done, 4);
        QVERIFY(p.promptTokens > 0); // from the include_usage chunk
        auto project = Project::open(path);
        ItemStore store(*project);
        for (int k = 0; k < 4; ++k)
            QCOMPARE(store.detail(*store.findByExtId(u"item-%1"_s.arg(k)))->caption,
                     expectedCaption(m_dir, u"sse"_s, k, u"Describe item-%1."_s.arg(k)));
        for (const auto& r : m_server.recorded())
            QVERIFY(nlohmann::json::parse(r.body)["stream"].get<bool>());
    }

    void openAiCompatibleWithoutKey()
    {
        const QString path = makeProject(m_dir, u"compat"_s, distinct(3));
        const JobProgress p =
            RecaptionRunner(path, createJob(path, settingsFor(ProviderKind::OpenAiCompatible, m_server)), {}).run();
        QCOMPARE(p.done, 3);
        for (const auto& r : m_server.recorded()) {
            QVERIFY(r.authorization.empty());
            const auto body = nlohmann::json::parse(r.body);
            QCOMPARE(body["max_tokens"].get<int>(), 300);
            QVERIFY(!body["messages"][0]["content"][1]["image_url"].contains("detail"));
        }
    }

    void ollamaStreamingAndPlain()
    {
        for (bool stream : {true, false}) {
            const QString name = stream ? u"ollama_s"_s : u"ollama_p"_s;
            const QString path = makeProject(m_dir, name, distinct(3));
            m_server.resetStats();
            m_server.setChunkDelayMs(stream ? 2 : 0);
            RecaptionSettings s = settingsFor(ProviderKind::Ollama, m_server);
            s.stream = stream;
            const JobProgress p = RecaptionRunner(path, createJob(path, s), {}).run();
            QCOMPARE(p.state, JobState::Done);
            QCOMPARE(p.done, 3);
            QVERIFY(p.completionTokens > 0); // eval_count of the done line
            QCOMPARE(m_server.requests("/api/chat"), 3);
            auto project = Project::open(path);
            ItemStore store(*project);
            for (int k = 0; k < 3; ++k)
                QCOMPARE(store.detail(*store.findByExtId(u"item-%1"_s.arg(k)))->caption,
                         expectedCaption(m_dir, name, k, u"Describe item-%1."_s.arg(k)));
        }
    }

    void modelsAreListed()
    {
        for (ProviderKind kind : {ProviderKind::OpenAiCompatible, ProviderKind::Ollama}) {
            const RecaptionSettings s = settingsFor(kind, m_server);
            const ProviderProtocol protocol(s);
            HttpRequest req;
            req.url = protocol.modelsUrl();
            req.post = false;
            std::string body;
            const HttpResult r = HttpClient::fetch(req, &body);
            QVERIFY(r.transportError.isEmpty());
            QCOMPARE(protocol.parseModels(r.status, body), (QStringList{QLatin1String(kModel), u"llava:7b"_s}));
        }
        QCOMPARE(m_server.requests("/v1/models"), 1);
        QCOMPARE(m_server.requests("/api/tags"), 1);
    }

    void retriesHonourRetryAfterAndBackoff()
    {
        const QString path = makeProject(m_dir, u"retry"_s, distinct(7));
        m_server.addFault({Fault::Kind::RateLimit, 429, "Describe item-1.", 1, 1, -1, 0});
        m_server.addFault({Fault::Kind::RateLimit, 429, "Describe item-2.", 1, -1, 300, 0});
        m_server.addFault({Fault::Kind::Status, 500, "Describe item-3.", 2, -1, -1, 0});
        m_server.addFault({Fault::Kind::MalformedJson, 200, "Describe item-4.", 1, -1, -1, 0});
        m_server.addFault({Fault::Kind::Drop, 0, "Describe item-5.", 1, -1, -1, 0});
        m_server.addFault({Fault::Kind::DropMidStream, 0, "Describe item-6.", 1, -1, -1, 0});
        m_server.addFault({Fault::Kind::Status, 503, "Describe item-0.", 1, -1, -1, 0});
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        QStringList notes;
        RecaptionRunner::Callbacks cb;
        cb.message = [&notes](const QString& n) { notes.append(n); };
        QElapsedTimer timer;
        timer.start();
        const std::int64_t job = createJob(path, s);
        const JobProgress p = RecaptionRunner(path, job, kKey, cb).run();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(p.done, 7);
        // Eight faults, eight second requests. A connection the server closed without a word is
        // retried once by libcurl itself when it was a reused keep-alive connection, so the
        // runner's own count may be one lower.
        QCOMPARE(m_server.chatRequests(), 15);
        QVERIFY2(p.retries == 8 || p.retries == 7, QByteArray::number(qint64(p.retries)));
        QVERIFY(timer.elapsed() >= 1000); // Retry-After: 1 was honoured

        // Each retry came no earlier than the server asked for.
        std::map<std::string, std::vector<std::int64_t>> times;
        for (const auto& r : m_server.recorded())
            for (int k = 0; k < 7; ++k)
                if (r.body.find("Describe item-" + std::to_string(k) + ".") != std::string::npos)
                    times["item-" + std::to_string(k)].push_back(r.atMs);
        QCOMPARE(times["item-1"].size(), std::size_t(2));
        QVERIFY2(times["item-1"][1] - times["item-1"][0] >= 950,
                 QByteArray::number(qint64(times["item-1"][1] - times["item-1"][0])));
        QVERIFY(times["item-2"][1] - times["item-2"][0] >= 280);
        QCOMPARE(times["item-3"].size(), std::size_t(3));

        const auto items = itemsByExtId(path, job);
        QCOMPARE(items.at(u"item-3"_s).attempts, 3);
        QCOMPARE(items.at(u"item-1"_s).attempts, 2);
        QCOMPARE(items.at(u"item-0"_s).attempts, 2);
        QVERIFY(notes.join(u'\n').contains(u"retrying"_s));
        QVERIFY(!notes.join(u'\n').contains(kKey));
    }

    void slowRepliesTimeOutAndAreRetried()
    {
        const QString path = makeProject(m_dir, u"slow"_s, distinct(3));
        m_server.addFault({Fault::Kind::Slow, 200, "Describe item-1.", 1, -1, -1, 2500}); // a reply after 2.5 s
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.requestTimeoutSeconds = 1;
        const std::int64_t job = createJob(path, s);
        QElapsedTimer timer;
        timer.start();
        const JobProgress p = RecaptionRunner(path, job, kKey).run();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(p.done, 3);
        QCOMPARE(p.retries, 1);
        QVERIFY(timer.elapsed() < 2500); // the client gave up on the slow reply instead of waiting for it
        QCOMPARE(itemsByExtId(path, job).at(u"item-1"_s).attempts, 2);
    }

    void streamedFaultsAreRetried()
    {
        const QString path = makeProject(m_dir, u"sfault"_s, distinct(3));
        m_server.addFault({Fault::Kind::MidStreamError, 200, "Describe item-1.", 1, -1, -1, 0});
        m_server.addFault({Fault::Kind::DropMidStream, 200, "Describe item-2.", 1, -1, -1, 0});
        for (ProviderKind kind : {ProviderKind::OpenAi, ProviderKind::Ollama}) {
            RecaptionSettings s = settingsFor(kind, m_server);
            s.stream = true;
            s.prompt = kind == ProviderKind::Ollama ? u"Describe {id}. "_s : s.prompt; // a new request: no reuse
            if (kind == ProviderKind::Ollama) {
                m_server.addFault({Fault::Kind::MidStreamError, 200, "Describe item-1. ", 1, -1, -1, 0});
                m_server.addFault({Fault::Kind::DropMidStream, 200, "Describe item-2. ", 1, -1, -1, 0});
            }
            const JobProgress p = RecaptionRunner(path, createJob(path, s), kKey).run();
            QCOMPARE(p.state, JobState::Done);
            QCOMPARE(p.retries, 2);
            QCOMPARE(p.done, 3);
        }
    }

    void finalErrorsStopTheJob()
    {
        // A refused key: stops at once, the key appears in no message, nothing is marked done.
        const QString path = makeProject(m_dir, u"final"_s, distinct(8));
        m_server.setRequiredKey("sk-the-right-key-000000");
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.concurrency = 2;
        std::int64_t job = createJob(path, s);
        QStringList notes;
        RecaptionRunner::Callbacks cb;
        cb.message = [&notes](const QString& n) { notes.append(n); };
        JobProgress p = RecaptionRunner(path, job, kKey, cb).run();
        QCOMPARE(p.state, JobState::Failed);
        QVERIFY2(p.lastError.contains(u"API key"_s), qPrintable(p.lastError));
        QVERIFY(!p.lastError.contains(kKey));
        QVERIFY(!p.lastError.contains(u"Zq8Xw2"_s));
        QVERIFY(!notes.join(u'\n').contains(kKey));
        QVERIFY(m_server.chatRequests() <= 2);
        QCOMPARE(count(path, "SELECT count(*) FROM job_items WHERE job_id = ? AND state = 0", job), 8);
        QVERIFY(!scalar(path, "SELECT last_error FROM jobs WHERE id = ?", job).toString().contains(kKey));

        // Out of credit: stops with a billing message.
        m_server.setRequiredKey({});
        m_server.resetStats();
        m_server.addFault({Fault::Kind::InsufficientQuota, 429, "", 1, -1, -1, 0});
        p = RecaptionRunner(path, job, kKey).run();
        QCOMPARE(p.state, JobState::Failed);
        QVERIFY2(p.lastError.contains(u"no credit"_s), qPrintable(p.lastError));
        QVERIFY(p.done < 8);

        // A 400 for one item: that item is failed, the job stops; a resume finishes the rest and
        // tries the failed item last.
        m_server.clearFaults();
        m_server.addFault({Fault::Kind::Status, 400, "Describe item-5.", 1, -1, -1, 0});
        p = RecaptionRunner(path, job, kKey).run();
        QCOMPARE(p.state, JobState::Failed);
        QVERIFY2(p.lastError.contains(u"HTTP 400"_s) && p.lastError.contains(u"item-5"_s), qPrintable(p.lastError));
        QCOMPARE(itemsByExtId(path, job).at(u"item-5"_s).state, JobItemState::Failed);
        p = RecaptionRunner(path, job, kKey).run();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(p.failed, 0);
        QCOMPARE(p.done, 8);
    }

    void truncatedCaptionsAreMarked()
    {
        const QString path = makeProject(m_dir, u"trunc"_s, distinct(3));
        m_server.addFault({Fault::Kind::Length, 200, "Describe item-1.", 1, -1, -1, 0});
        const std::int64_t job = createJob(path, settingsFor(ProviderKind::OpenAi, m_server));
        const JobProgress p = RecaptionRunner(path, job, kKey).run();
        QCOMPARE(p.done, 3);
        QCOMPARE(p.truncated, 1);
        const auto items = itemsByExtId(path, job);
        QVERIFY(items.at(u"item-1"_s).truncated);
        QCOMPARE(items.at(u"item-1"_s).finishReason, u"length"_s);
        QVERIFY(!items.at(u"item-0"_s).truncated);
        auto project = Project::open(path);
        ItemStore store(*project);
        const ItemDetail d = *store.detail(*store.findByExtId(u"item-1"_s));
        const QJsonObject params = QJsonDocument::fromJson(d.versions.last().params.toUtf8()).object();
        QCOMPARE(params[u"finish_reason"_s].toString(), u"length"_s);
        QVERIFY(params[u"truncated"_s].toBool());
    }

    void resumeNeverResendsFinishedItems()
    {
        const QString path = makeProject(m_dir, u"resume"_s, distinct(10));
        m_server.setDelayMs(80);
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.concurrency = 2;
        const std::int64_t job = createJob(path, s);
        RecaptionRunner::Callbacks cb;
        std::atomic_int finished{0};
        RecaptionRunner* self = nullptr;
        cb.itemFinished = [&](const JobItemInfo&) {
            if (++finished == 4)
                self->stop();
        };
        RecaptionRunner first(path, job, kKey, cb);
        self = &first;
        JobProgress p = first.run();
        QCOMPARE(p.state, JobState::Interrupted);
        const auto afterFirst = itemsByExtId(path, job);
        QStringList doneFirst;
        for (const auto& [id, info] : afterFirst)
            if (info.state == JobItemState::Done)
                doneFirst.append(id);
        QVERIFY(doneFirst.size() >= 4 && doneFirst.size() < 10);
        {
            auto project = Project::open(path);
            QCOMPARE(JobStore(*project).resumableJob(), std::optional<std::int64_t>(job));
        }
        p = RecaptionRunner(path, job, kKey).run();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(p.done, 10);
        for (const QString& id : doneFirst)
            QCOMPARE(m_server.chatRequestsMatching("Describe " + id.toStdString() + "."), 1);
        QCOMPARE(count(path, "SELECT count(*) FROM caption_versions WHERE origin = 2"), 10);
    }

    void cliCrashAndCtrlCThenResume()
    {
        const QString path = makeProject(m_dir, u"crash"_s, distinct(12));
        m_server.setDelayMs(120);
        const QString base = QString::fromStdString(m_server.url()) + u"/v1"_s;
        const QStringList args = {u"recaption"_s,  path,          u"--provider"_s,     u"openai"_s,
                                  u"--base-url"_s, base,          u"--model"_s,        QLatin1String(kModel),
                                  u"--all"_s,      u"--prompt"_s, u"Describe {id}."_s, u"--concurrency"_s,
                                  u"2"_s,          u"--json"_s};
        auto doneCount = [&path] { return count(path, "SELECT count(*) FROM job_items WHERE state = 1"); };
        // 1. Killed without warning (a crash): what was committed stays.
        QProcess p;
        p.setProgram(QStringLiteral(FACET_CLI));
        p.setArguments(args);
        p.setProcessEnvironment(cliEnvironment(kKey));
        p.start();
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(path) && doneCount() >= 3, 20000);
        p.kill();
        p.waitForFinished();
        const int doneAtCrash = doneCount();
        QVERIFY(doneAtCrash < 12);
        QStringList doneIds;
        {
            auto project = Project::open(path, Project::OpenMode::ReadOnly);
            Statement st = project->db().prepare(
                "SELECT i.ext_id FROM job_items ji JOIN items i ON i.id = ji.item_id WHERE ji.state = 1");
            while (st.step())
                doneIds.append(st.text(0));
        }
        CliRun jobs = facetCli({u"jobs"_s, path, u"--json"_s});
        QCOMPARE(jobs.status, 0);
        QCOMPARE(jobs.json()[u"jobs"_s].toArray().first().toObject()[u"state"_s].toString(), u"running"_s);
        QCOMPARE(jobs.json()[u"jobs"_s].toArray().first().toObject()[u"runner_alive"_s].toBool(), false);

        // 2. Resumed and interrupted with Ctrl-C: exit status 2, state interrupted.
        p.setArguments({u"recaption"_s, path, u"--resume"_s, u"--json"_s});
        p.start();
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(doneCount() >= doneAtCrash + 2, 20000);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 2);
        const QJsonObject interrupted = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(interrupted[u"state"_s].toString(), u"interrupted"_s);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(u"--resume"_s));

        // 3. Resumed to the end: every item done, none finished earlier was sent again.
        m_server.setDelayMs(0);
        const CliRun last = facetCli({u"recaption"_s, path, u"--resume"_s, u"--json"_s});
        QCOMPARE(last.status, 0);
        QCOMPARE(last.json()[u"state"_s].toString(), u"done"_s);
        QCOMPARE(last.json()[u"done"_s].toInt(), 12);
        QCOMPARE(doneCount(), 12);
        for (const QString& id : doneIds)
            QCOMPARE(m_server.chatRequestsMatching("Describe " + id.toStdString() + "."), 1);
        const CliRun nothing = facetCli({u"recaption"_s, path, u"--resume"_s});
        QCOMPARE(nothing.status, 2); // no resumable job left
    }

    void sameImageAndPromptAreReused()
    {
        QList<ImageSpec> specs = {{200, 150, 7, false}, {200, 150, 7, false}, {200, 150, 8, false},
                                  {200, 150, 7, false}, {200, 150, 8, false}, {200, 150, 9, false}};
        const QString path = makeProject(m_dir, u"reuse"_s, specs);
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.prompt = u"Describe this image."_s; // the same request for equal images
        s.concurrency = 1;
        JobProgress p = RecaptionRunner(path, createJob(path, s), kKey).run();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(m_server.chatRequests(), 3);
        QCOMPARE(p.done, 3);
        QCOMPARE(p.reused, 3);
        // Same at higher concurrency, where equal requests would be in flight together.
        m_server.resetStats();
        s.concurrency = 6;
        s.maxTokens = 301; // a different request: nothing cached for it yet
        p = RecaptionRunner(path, createJob(path, s), kKey).run();
        QCOMPARE(m_server.chatRequests(), 3);
        QCOMPARE(p.reused, 3);
        // A second job with the first request's settings: nothing is paid for twice.
        m_server.resetStats();
        s.maxTokens = 300;
        p = RecaptionRunner(path, createJob(path, s), kKey).run();
        QCOMPARE(m_server.chatRequests(), 0);
        QCOMPARE(p.reused, 6);
        QCOMPARE(p.promptTokens, 0);
    }

    void dryRunEstimate()
    {
        const QList<ImageSpec> specs = {{1024, 1024, 1, false}, {512, 512, 2, false}, {2048, 1024, 3, false}};
        const QString path = makeProject(m_dir, u"estimate"_s, specs);
        const QString base = QString::fromStdString(m_server.url()) + u"/v1"_s;
        CliRun r = facetCli(
            {u"jobs"_s, path, u"--set-price"_s, QLatin1String(kModel), u"--input"_s, u"2.5"_s, u"--output"_s, u"10"_s});
        QCOMPARE(r.status, 0);
        r = facetCli({u"recaption"_s, path, u"--provider"_s, u"openai"_s, u"--base-url"_s, base, u"--model"_s,
                      QLatin1String(kModel), u"--all"_s, u"--detail"_s, u"high"_s, u"--max-tokens"_s, u"200"_s,
                      u"--prompt"_s, u"Describe."_s, u"--dry-run"_s, u"--json"_s},
                     {}); // no key needed for an estimate
        QCOMPARE(r.status, 0);
        const QJsonObject e = r.json();
        QCOMPARE(e[u"dry_run"_s].toBool(), true);
        QCOMPARE(e[u"images"_s].toInt(), 3);
        QCOMPARE(e[u"image_tokens"_s].toInt(), 765 + 255 + 425); // 2048x1024 is sent as 1024x512
        QCOMPARE(e[u"output_tokens"_s].toInt(), 600);
        const int input = e[u"input_tokens"_s].toInt();
        QCOMPARE(input, 1445 + e[u"text_tokens"_s].toInt());
        QCOMPARE(e[u"cost"_s].toDouble(), std::round((input * 2.5 + 600 * 10.0) / 1e6 * 1e6) / 1e6);
        r = facetCli({u"recaption"_s, path, u"--provider"_s, u"openai"_s, u"--base-url"_s, base, u"--model"_s,
                      QLatin1String(kModel), u"--all"_s, u"--detail"_s, u"low"_s, u"--dry-run"_s, u"--json"_s},
                     {});
        QCOMPARE(r.json()[u"image_tokens"_s].toInt(), 3 * 85);
        QCOMPARE(m_server.chatRequests(), 0);
        QCOMPARE(count(path, "SELECT count(*) FROM jobs"), 0);
    }

    void apiKeyIsNeverWritten()
    {
        const QString path = makeProject(m_dir, u"secret"_s,
                                         {{200, 150, 31, false}, {200, 150, 32, false}, {200, 150, 33, true}});
        const QString base = QString::fromStdString(m_server.url()) + u"/v1"_s;
        QList<CliRun> runs;
        // Refused: the server's 401 message echoes the key it got.
        m_server.setRequiredKey("sk-another-key-entirely-0000");
        const QStringList recaption = {u"recaption"_s,  path, u"--provider"_s, u"openai"_s,
                                       u"--base-url"_s, base, u"--model"_s,    QLatin1String(kModel),
                                       u"--all"_s};
        runs.append(facetCli(recaption));
        QCOMPARE(runs.last().status, 2);
        QVERIFY(QString::fromUtf8(runs.last().err).contains(u"API key"_s));
        runs.append(facetCli(recaption + QStringList{u"--json"_s}));
        // Accepted: items 0 and 1 get captions, item 2's image is missing (exit status 1).
        m_server.setRequiredKey(kKey.toStdString());
        runs.append(facetCli({u"recaption"_s, path, u"--resume"_s, u"--json"_s}));
        QCOMPARE(runs.last().status, 1);
        QCOMPARE(runs.last().json()[u"done"_s].toInt(), 2);
        QCOMPARE(runs.last().json()[u"failed"_s].toInt(), 1);
        QVERIFY(runs.last().json()[u"errors"_s].toArray().first().toObject()[u"reason"_s].toString().contains(
            u"missing"_s));
        runs.append(
            facetCli({u"recaption"_s, path, u"--list-models"_s, u"--provider"_s, u"openai"_s, u"--base-url"_s, base}));
        QCOMPARE(runs.last().status, 0);
        QVERIFY(runs.last().out.contains(kModel));
        runs.append(facetCli({u"jobs"_s, path, u"--json"_s}));
        runs.append(facetCli({u"jobs"_s, path, u"--job"_s, u"1"_s, u"--json"_s}));
        runs.append(facetCli({u"show"_s, path, u"item-0"_s, u"--json"_s}));
        runs.append(facetCli({u"history"_s, path, u"--json"_s}));
        const QString exported = m_dir.filePath(u"secret-export.jsonl"_s);
        runs.append(facetCli({u"export"_s, path, u"-o"_s, exported, u"--all"_s, u"--format"_s, u"flat"_s}));
        QCOMPARE(runs.last().status, 0);
        QVERIFY(m_server.recorded().back().authorization == "Bearer " + kKey.toStdString()
                || m_server.requests("/v1/models") > 0);

        const QByteArray needle = kKey.toUtf8();
        const QByteArray fragment = QByteArrayLiteral("Zq8Xw2Lm4Np6");
        for (const CliRun& r : runs) {
            QVERIFY(!r.out.contains(needle) && !r.out.contains(fragment));
            QVERIFY2(!r.err.contains(needle) && !r.err.contains(fragment), r.err.constData());
        }
        // Every file next to the project: the project, its WAL, the export.
        QDirIterator it(m_dir.path(), QDir::Files, QDirIterator::Subdirectories);
        int checked = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(needle) && !bytes.contains(fragment), qPrintable(f.fileName()));
            ++checked;
        }
        QVERIFY(checked > 3);
    }

    void concurrencyIsBounded()
    {
        const QString path = makeProject(m_dir, u"bounded"_s, distinct(12));
        m_server.setDelayMs(100);
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.concurrency = 3;
        const JobProgress p = RecaptionRunner(path, createJob(path, s), kKey).run();
        QCOMPARE(p.done, 12);
        QCOMPARE(m_server.maxInFlight(), 3);
    }

    void pauseStopsSendingUntilResumed()
    {
        const QString path = makeProject(m_dir, u"pause"_s, distinct(10));
        m_server.setDelayMs(60);
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.concurrency = 2;
        const std::int64_t job = createJob(path, s);
        std::atomic_int finished{0};
        RecaptionRunner::Callbacks cb;
        cb.itemFinished = [&finished](const JobItemInfo&) { ++finished; };
        RecaptionRunner runner(path, job, kKey, cb);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(finished.load() >= 2, 10000);
        runner.pause();
        QTRY_VERIFY_WITH_TIMEOUT(runner.progress().paused && runner.progress().inFlight == 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(scalar(path, "SELECT state FROM jobs WHERE id = ?", job).toInt(),
                                  int(JobState::Paused), 5000);
        const int sent = m_server.chatRequests();
        QTest::qWait(400);
        QCOMPARE(m_server.chatRequests(), sent);
        QVERIFY(sent < 10);
        runner.setConcurrency(4);
        runner.resume();
        const JobProgress p = runner.wait();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(p.done, 10);
    }

    void structuredOutputArrivesLabelled()
    {
        const QString path = makeProject(m_dir, u"structured"_s, distinct(2));
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.structured = true;
        const JobProgress p = RecaptionRunner(path, createJob(path, s), kKey).run();
        QCOMPARE(p.done, 2);
        const auto body = nlohmann::json::parse(m_server.recorded().front().body);
        QCOMPARE(body["response_format"]["type"].get<std::string>(), std::string("json_schema"));
        auto project = Project::open(path);
        ItemStore store(*project);
        const ItemDetail d = *store.detail(*store.findByExtId(u"item-0"_s));
        QVERIFY(d.caption.startsWith(u"Caption of image"_s)); // the overview ("other") comes first
        QVERIFY(d.caption.contains(u"The landmark in the picture is the Loopback Tower."_s));
        QCOMPARE(d.segments.size(), 4);
        QStringList facets;
        for (const Segment& seg : d.segments)
            facets.append(seg.facets.first());
        QCOMPARE(facets, (QStringList{u"other"_s, u"world_knowledge"_s, u"attributes"_s, u"spatial"_s}));
        QCOMPARE(d.caption.mid(d.segments[3].start, d.segments[3].end - d.segments[3].start),
                 u"A small tree stands on the left of the tower."_s);
    }

    void regenerateOneFacet()
    {
        const QString path = makeProject(m_dir, u"facet"_s, distinct(2));
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.prompt.clear(); // the library's facet template
        s.facet = u"spatial"_s;
        const JobProgress p = RecaptionRunner(path, createJob(path, s), kKey).run();
        QCOMPARE(p.done, 2);
        const auto body = nlohmann::json::parse(m_server.recorded().front().body);
        const std::string prompt = body["messages"][0]["content"][0]["text"].get<std::string>();
        QVERIFY(prompt.find("Old caption") != std::string::npos);       // {caption}
        QVERIFY(prompt.find("spatial relations") != std::string::npos); // {facet}
        auto project = Project::open(path);
        ItemStore store(*project);
        const ItemDetail d = *store.detail(*store.findByExtId(u"item-0"_s));
        // The spatial sentence was replaced by the model's text, the others kept.
        QVERIFY2(d.caption.startsWith(u"Old caption 0."_s), qPrintable(d.caption));
        QVERIFY(d.caption.contains(u"The tower is made of grey steel."_s));
        QVERIFY(!d.caption.contains(u"A small tree stands on the left"_s));
        QVERIFY(d.caption.contains(u"Caption of image"_s));
        QCOMPARE(QJsonDocument::fromJson(d.versions.last().params.toUtf8()).object()[u"facet"_s].toString(),
                 u"spatial"_s);
    }

    void refusalsAreNotSentAgain()
    {
        const QString path = makeProject(m_dir, u"refusal"_s, distinct(3));
        m_server.addFault({Fault::Kind::Refusal, 200, "Describe item-1.", -1, -1, -1, 0});
        const std::int64_t job = createJob(path, settingsFor(ProviderKind::OpenAi, m_server));
        JobProgress p = RecaptionRunner(path, job, kKey).run();
        QCOMPARE(p.state, JobState::Done);
        QCOMPARE(p.refused, 1);
        QCOMPARE(p.done, 2);
        QCOMPARE(itemsByExtId(path, job).at(u"item-1"_s).state, JobItemState::Refused);
        const int sent = m_server.chatRequests();
        p = RecaptionRunner(path, job, kKey).run();
        QCOMPARE(m_server.chatRequests(), sent);
    }

    void jobsCanBeCancelled()
    {
        const QString path = makeProject(m_dir, u"cancel"_s, distinct(4));
        m_server.setDelayMs(100);
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.concurrency = 1;
        const std::int64_t job = createJob(path, s);
        RecaptionRunner runner(path, job, kKey);
        runner.start();
        QTRY_VERIFY_WITH_TIMEOUT(runner.progress().done >= 1, 10000);
        runner.cancel();
        const JobProgress p = runner.wait();
        QCOMPARE(p.state, JobState::Cancelled);
        auto project = Project::open(path);
        JobStore store(*project);
        QVERIFY(!store.resumableJob()); // cancelled jobs are resumed only by id
        const std::int64_t other = createJob(path, s, Selection{{u"item-0"_s}, {}, {}, false});
        QCOMPARE(store.resumableJob(), std::optional<std::int64_t>(other));
        store.cancel(other);
        QCOMPARE(store.job(other)->state, JobState::Cancelled);
        QVERIFY(!store.resumableJob());
    }

    void keepVersionAndUndo()
    {
        const QString path = makeProject(m_dir, u"keep"_s, distinct(2));
        const JobProgress p =
            RecaptionRunner(path, createJob(path, settingsFor(ProviderKind::OpenAi, m_server)), kKey).run();
        QCOMPARE(p.done, 2);
        auto project = Project::open(path);
        ItemStore store(*project);
        Curation curation(*project);
        const ItemId item = *store.findByExtId(u"item-0"_s);
        const ItemDetail before = *store.detail(item);
        const std::int64_t imported = before.versions.first().id;
        const std::int64_t model = before.versions.last().id;
        QCOMPARE(before.currentVersion, model);
        QVERIFY(curation.keepVersion(item, imported, u"rev"_s));
        QCOMPARE(store.detail(item)->currentVersion, imported);
        QVERIFY(store.detail(item)->caption.startsWith(u"Old caption 0."_s));
        QVERIFY(!curation.keepVersion(item, imported, u"rev"_s)); // already current: nothing journalled
        QCOMPARE(curation.undo()->kind, u"keep"_s);
        QCOMPARE(store.detail(item)->currentVersion, model);
        bool refused = false;
        try {
            curation.keepVersion(*store.findByExtId(u"item-1"_s), imported, u"rev"_s);
        } catch (const facet::Error&) {
            refused = true; // another item's version
        }
        QVERIFY(refused);
    }

    void keysUrlsAndModelListErrors()
    {
        const QByteArray oldOpenAi = qgetenv("OPENAI_API_KEY");
        const QByteArray oldFacet = qgetenv("FACET_API_KEY");
        qputenv("OPENAI_API_KEY", kKey.toUtf8());
        qunsetenv("FACET_API_KEY");
        QCOMPARE(ApiKeys::lookup(ProviderKind::OpenAi, {}).key, kKey);
        QCOMPARE(ApiKeys::lookup(ProviderKind::OpenAi, {}).origin, u"OPENAI_API_KEY"_s);
        // An OpenAI key never goes to another server by accident.
        QVERIFY(ApiKeys::lookup(ProviderKind::OpenAiCompatible, u"http://127.0.0.1:8000/v1"_s).key.isEmpty());
        QVERIFY(ApiKeys::lookup(ProviderKind::Ollama, {}).key.isEmpty());
        qputenv("FACET_API_KEY", "local-key-123456");
        QCOMPARE(ApiKeys::lookup(ProviderKind::OpenAiCompatible, u"http://127.0.0.1:8000/v1"_s).key,
                 u"local-key-123456"_s);
        QCOMPARE(ApiKeys::entryName(ProviderKind::OpenAiCompatible, u"http://127.0.0.1:8000/v1"_s),
                 u"endpoint:http://127.0.0.1:8000"_s);
        if (oldOpenAi.isNull())
            qunsetenv("OPENAI_API_KEY");
        else
            qputenv("OPENAI_API_KEY", oldOpenAi);
        if (oldFacet.isNull())
            qunsetenv("FACET_API_KEY");
        else
            qputenv("FACET_API_KEY", oldFacet);

        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        QVERIFY(s.validate().isEmpty());
        s.baseUrl = u"http://user:pw@127.0.0.1:1/v1"_s;
        QVERIFY(!s.validate().isEmpty()); // credentials would be stored with the job
        s = settingsFor(ProviderKind::OpenAi, m_server);
        s.proxy = u"http://user:pw@proxy:3128"_s;
        QVERIFY(!s.validate().isEmpty());

        s = settingsFor(ProviderKind::OpenAi, m_server);
        m_server.setRequiredKey("sk-something-else-0000");
        QString message;
        try {
            fetchModelList(s, kKey);
        } catch (const facet::Error& e) {
            message = e.message();
        }
        QVERIFY2(message.contains(u"401"_s), qPrintable(message));
        QVERIFY(!message.contains(kKey));
        s.baseUrl = u"http://127.0.0.1:1/v1"_s; // nothing listens there
        message.clear();
        try {
            fetchModelList(s, kKey, 5);
        } catch (const facet::Error& e) {
            message = e.message();
        }
        QVERIFY2(message.startsWith(u"Cannot reach"_s), qPrintable(message));
    }

    void promptLibraryPerSource()
    {
        const QString path = makeProject(m_dir, u"library"_s, distinct(2));
        {
            auto project = Project::open(path);
            JobStore store(*project);
            bool refused = false;
            try {
                store.savePrompt(u"sharegpt4v"_s, u"x"_s);
            } catch (const facet::Error&) {
                refused = true; // built-in names are not overwritten
            }
            QVERIFY(refused);
            store.savePrompt(u"mine"_s, u"Source {source}, record {id}."_s, u"library"_s);
            QCOMPARE(store.prompts().size(), 3);
        }
        RecaptionSettings s = settingsFor(ProviderKind::OpenAi, m_server);
        s.prompt.clear();
        const JobProgress p = RecaptionRunner(path, createJob(path, s), kKey).run();
        QCOMPARE(p.done, 2);
        QCOMPARE(m_server.chatRequestsMatching("Source library, record item-0."), 1);
    }
};

QTEST_GUILESS_MAIN(TestRecaption)
#include "test_recaption.moc"
