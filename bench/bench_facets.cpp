// bench_facets: accuracy of the facet classifier on the labelled dev set, and its speed.
//
//   bench_facets [--captions N] [--errors] [--train-only] [--heldout FILE] [--learned FILE]
//   bench_facets --explain SENTENCE [--learned resources/facets/learned.json]
//
// For both splits (tests/data/facets/dev_train.jsonl, dev_heldout.jsonl) and both the hand lexicon
// alone and the shipped model (lexicon + learned weights) it prints primary-facet accuracy, per-facet
// precision/recall over the multi-label facet sets, and the confusion of primary facets. Then it
// measures, in CPU time of one core, segmentation and classification of N synthetic captions made by a port of
// /work/shared/bench/gen_scale.py (same templates and mix, ~830 characters each), and the cost of
// FacetIndexer::indexVersion per caption in a real project file, next to the cost of inserting the
// caption row itself. --errors lists the training split's misclassified sentences (never the
// held-out ones: they must not steer tuning). --train-only never opens the held-out split (accuracy
// on the training split and speed only), for work that must not see held-out figures. --explain prints why one sentence
// gets its facets (every facet's score and the cues behind it) and exits without reading either split; --learned
// explains and measures with another weight file instead of the one built into the binary (for instance an earlier
// model from git history). --heldout reads the held-out sentences from another file, such as the same split with its
// writers' own labels instead of the adjudicated ones.

#include "database.h"
#include "facetclassifier.h"
#include "facetindexer.h"
#include "project.h"
#include "segmenter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThreadPool>

#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

using namespace facet;

namespace {

struct Labelled
{
    QString text;
    QStringList facets;
};

std::vector<Labelled> readSplit(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
        std::exit(2);
    }
    std::vector<Labelled> out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        Labelled l;
        l.text = o.value(QStringLiteral("text")).toString();
        for (const auto& v : o.value(QStringLiteral("facets")).toArray())
            l.facets.append(v.toString());
        out.push_back(l);
    }
    return out;
}

void report(const char* title, const FacetClassifier& classifier, const std::vector<Labelled>& data, bool errors)
{
    const QStringList keys = classifier.model().keys();
    const int nf = static_cast<int>(keys.size());
    std::vector<int> tp(static_cast<std::size_t>(nf)), fp(static_cast<std::size_t>(nf)),
        fn(static_cast<std::size_t>(nf));
    std::vector<std::vector<int>> confusion(static_cast<std::size_t>(nf),
                                            std::vector<int>(static_cast<std::size_t>(nf)));
    int correct = 0;
    for (const Labelled& l : data) {
        const QStringList got = classifier.classify(l.text);
        const auto gold = static_cast<std::size_t>(keys.indexOf(l.facets.first()));
        const auto pred = static_cast<std::size_t>(keys.indexOf(got.first()));
        ++confusion[gold][pred];
        if (gold == pred)
            ++correct;
        else if (errors)
            std::printf("    want %-40s got %-40s %s\n", qPrintable(l.facets.join(u',')), qPrintable(got.join(u',')),
                        qPrintable(l.text));
        for (int f = 0; f < nf; ++f) {
            const bool want = l.facets.contains(keys[f]);
            const bool have = got.contains(keys[f]);
            if (want && have)
                ++tp[static_cast<std::size_t>(f)];
            else if (have)
                ++fp[static_cast<std::size_t>(f)];
            else if (want)
                ++fn[static_cast<std::size_t>(f)];
        }
    }
    std::printf("  %s: %zu sentences, primary-facet accuracy %.3f (%d/%zu)\n", title, data.size(),
                static_cast<double>(correct) / static_cast<double>(data.size()), correct, data.size());
    std::printf("    %-16s %9s %9s %7s\n", "facet (any)", "precision", "recall", "support");
    for (int f = 0; f < nf; ++f) {
        const auto k = static_cast<std::size_t>(f);
        const double p = tp[k] + fp[k] ? static_cast<double>(tp[k]) / (tp[k] + fp[k]) : 0.0;
        const double r = tp[k] + fn[k] ? static_cast<double>(tp[k]) / (tp[k] + fn[k]) : 0.0;
        std::printf("    %-16s %9.3f %9.3f %7d\n", qPrintable(keys[f]), p, r, tp[k] + fn[k]);
    }
    std::printf("    primary confusion (rows: labelled, columns: predicted)\n    %-16s", "");
    for (int f = 0; f < nf; ++f)
        std::printf(" %6.6s", qPrintable(keys[f]));
    std::printf("\n");
    for (int g = 0; g < nf; ++g) {
        std::printf("    %-16s", qPrintable(keys[g]));
        for (int f = 0; f < nf; ++f)
            std::printf(" %6d", confusion[static_cast<std::size_t>(g)][static_cast<std::size_t>(f)]);
        std::printf("\n");
    }
}

// A port of /work/shared/bench/gen_scale.py's caption(): the same templates and proportions.
class CaptionGenerator
{
public:
    QString next()
    {
        QStringList s;
        s.append(QStringLiteral("The image shows %1 %2.").arg(pick(kSubj), pick(kWhere)));
        const int n = between(11, 17);
        for (int k = 0; k < n; ++k) {
            const double r = std::uniform_real_distribution<double>(0.0, 1.0)(m_rnd);
            if (r < 0.4)
                s.append(QStringLiteral("The %1 surface of %2 is %3.").arg(pick(kAttr), pick(kSubj), pick(kAttr)));
            else if (r < 0.75) {
                QString subject = pick(kSubj);
                subject[0] = subject[0].toUpper();
                s.append(QStringLiteral("%1 is visible %2.").arg(subject, pick(kWhere)));
            } else if (r < 0.9)
                s.append(pick(kArt));
            else
                s.append(pick(kWk));
        }
        return s.mid(0, 6).join(u' ') + QStringLiteral("\n\n") + s.mid(6, 6).join(u' ') + QStringLiteral("\n\n")
               + s.mid(12).join(u' ');
    }

private:
    template <std::size_t N> QString pick(const char* const (&list)[N])
    {
        return QString::fromLatin1(list[std::uniform_int_distribution<std::size_t>(0, N - 1)(m_rnd)]);
    }
    int between(int a, int b) { return std::uniform_int_distribution<int>(a, b)(m_rnd); }

    static constexpr const char* kSubj[] = {"a red motorcycle",       "a tabby cat",     "two giraffes",
                                            "a white vase",           "a lunch tray",    "an old stone bridge",
                                            "a woman in a blue coat", "a wooden table",  "a city street",
                                            "a mountain lake",        "a bowl of fruit", "a vintage car"};
    static constexpr const char* kAttr[] = {"glossy",  "weathered", "bright yellow", "dark green", "pale blue",
                                            "striped", "wooden",    "metallic",      "smooth",     "rough"};
    static constexpr const char* kWhere[] = {
        "on the left side of the image", "in the center of the frame", "in the background",
        "near the bottom right corner",  "behind the main subject",    "in the foreground",
        "at the top of the picture",     "to the right of the table"};
    static constexpr const char* kArt[] = {"The composition is balanced and calm.",
                                           "Soft natural light gives the scene a warm atmosphere.",
                                           "The shallow depth of field draws attention to the subject.",
                                           "The muted palette lends the photograph a nostalgic mood."};
    static constexpr const char* kWk[] = {
        "The building resembles the Gothic cathedrals of northern France.", "The bird appears to be a European robin.",
        "The sign reads 'Welcome to Lake Tahoe'.", "The car looks like a 1960s Volkswagen Beetle."};
    std::mt19937 m_rnd{4242};
};

// CPU time of this thread: the machine may be busy with other work, and the question is what one
// core can do.
class CpuTimer
{
public:
    CpuTimer() { restart(); }
    void restart() { m_start = now(); }
    double seconds() const { return now() - m_start; }

private:
    static double now()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
    }
    double m_start = 0.0;
};

int argInt(const QStringList& args, const QString& name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype learnedAt = args.indexOf(QStringLiteral("--learned"));
    const FacetModel model = learnedAt >= 0 && learnedAt + 1 < args.size()
                                 ? FacetModel::fromFile(
                                       QStringLiteral(FACET_SOURCE_DIR "/resources/facets/default.json"))
                                       .merged(FacetModel::fromFile(args[learnedAt + 1]))
                                 : FacetModel::defaultModel();
    const qsizetype explainAt = args.indexOf(QStringLiteral("--explain"));
    if (explainAt >= 0 && explainAt + 1 < args.size()) {
        const FacetClassifier classifier(model);
        const Classification c = classifier.explain(args[explainAt + 1]);
        std::printf("facets: %s%s\n", qPrintable(c.facets.join(u',')), c.confident ? "" : " (not confident)");
        for (const FacetScore& f : c.scores) {
            std::printf("%-16s score %7.3f  p %.3f  bias %6.3f\n", qPrintable(f.facet), f.score, f.probability, f.bias);
            for (const CueContribution& cue : f.cues)
                std::printf("    %+7.3f  %-40s %s\n", cue.weight, qPrintable(cue.label), qPrintable(cue.text));
            if (f.carries < 0)
                continue;
            std::printf("  carries it: p %.3f (threshold %.2f)  score %7.3f  bias %6.3f\n", f.carries,
                        f.carriesThreshold, f.carriesScore, f.carriesBias);
            for (const CueContribution& cue : f.carriesCues)
                std::printf("    %+7.3f  %-40s %s\n", cue.weight, qPrintable(cue.label), qPrintable(cue.text));
        }
        return 0;
    }
    const int n = argInt(args, QStringLiteral("--captions"), 20000);
    const bool errors = args.contains(QStringLiteral("--errors"));
    const bool trainOnly = args.contains(QStringLiteral("--train-only"));
    const QString data = QStringLiteral(FACET_SOURCE_DIR "/tests/data/facets/");
    const std::vector<Labelled> trainSet = readSplit(data + QStringLiteral("dev_train.jsonl"));
    // With --train-only the held-out file is not even opened.
    const qsizetype heldoutAt = args.indexOf(QStringLiteral("--heldout"));
    const QString heldoutPath = heldoutAt >= 0 && heldoutAt + 1 < args.size()
                                    ? args[heldoutAt + 1]
                                    : data + QStringLiteral("dev_heldout.jsonl");
    const std::vector<Labelled> heldout = trainOnly ? std::vector<Labelled>() : readSplit(heldoutPath);

    const FacetClassifier lexicon(FacetModel::lexiconModel());
    const FacetClassifier shipped(model);
    std::printf("== Hand lexicon only (resources/facets/default.json)\n");
    report("train", lexicon, trainSet, false);
    if (!trainOnly)
        report("held-out", lexicon, heldout, false);
    std::printf("\n== Shipped model: lexicon + learned weights (resources/facets/learned.json)\n");
    report("train", shipped, trainSet, errors);
    if (!trainOnly)
        report("held-out", shipped, heldout, false);
    else
        std::printf("  held-out: not read (--train-only)\n");

    CaptionGenerator gen;
    std::vector<QString> captions;
    captions.reserve(static_cast<std::size_t>(n));
    qint64 chars = 0;
    for (int k = 0; k < n; ++k) {
        captions.push_back(gen.next());
        chars += captions.back().size();
    }
    CpuTimer timer;
    qint64 segments = 0;
    for (const QString& c : captions)
        segments += static_cast<qint64>(Segmenter::split(c).size());
    const double segSeconds = timer.seconds();
    timer.restart();
    qint64 labels = 0;
    for (const QString& c : captions) {
        const QStringView view(c);
        for (const TextSpan& s : Segmenter::split(c))
            labels += shipped.classify(view.mid(s.start, s.length())).size();
    }
    const double allSeconds = timer.seconds();
    std::printf("\n== Throughput on one core: %d synthetic captions (avg %.0f chars, %.1f segments)\n", n,
                static_cast<double>(chars) / n, static_cast<double>(segments) / n);
    std::printf("  segmentation only:          %9.0f captions/s\n", n / segSeconds);
    std::printf("  segmentation + classifying: %9.0f captions/s (%.0f sentences/s, %.1f us per caption)\n",
                n / allSeconds, static_cast<double>(segments) / allSeconds, allSeconds * 1e6 / n);

    QTemporaryDir dir;
    auto project = Project::open(dir.filePath(QStringLiteral("bench.facet")), Project::OpenMode::CreateIfMissing);
    Database& db = project->db();
    db.exec("INSERT INTO sources(id, name, path, format, imported_at) VALUES(1, 'bench', 'bench.json', 'jsonl', "
            "'2026-01-01T00:00:00Z')");
    timer.restart();
    {
        Transaction tx(db);
        Statement item = db.prepare("INSERT INTO items(id, source_id, ext_id, rec_index, updated_at) "
                                    "VALUES(?, 1, ?, ?, '2026-01-01T00:00:00Z')");
        Statement version = db.prepare("INSERT INTO caption_versions(id, item_id, text, chars, origin, created_at) "
                                       "VALUES(?, ?, ?, ?, 0, '2026-01-01T00:00:00Z')");
        Statement current = db.prepare("UPDATE items SET current_version = ? WHERE id = ?");
        for (int k = 0; k < n; ++k) {
            const std::int64_t id = k + 1;
            item.reset();
            item.bind(1, id).bind(2, QString::number(k)).bind(3, k).run();
            version.reset();
            version.bind(1, id)
                .bind(2, id)
                .bind(3, captions[static_cast<std::size_t>(k)])
                .bind(4, static_cast<int>(captions[static_cast<std::size_t>(k)].size()))
                .run();
            current.reset();
            current.bind(1, id).bind(2, id).run();
        }
        tx.commit();
    }
    const double insertSeconds = timer.seconds();
    FacetIndexer indexer;
    timer.restart();
    {
        Transaction tx(db);
        for (int k = 0; k < n; ++k)
            indexer.indexVersion(db, k + 1, captions[static_cast<std::size_t>(k)]);
        tx.commit();
    }
    const double indexSeconds = timer.seconds();
    timer.restart();
    QElapsedTimer wall;
    wall.start();
    {
        Transaction tx(db);
        for (int k = 0; k < n; ++k)
            indexer.indexVersion(db, k + 1, captions[static_cast<std::size_t>(k)]);
        tx.commit();
    }
    const double reindexSeconds = timer.seconds();
    const double reindexWallSeconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    // The batch API classifies on every core; wall-clock time is what an importer would see.
    wall.restart();
    {
        Transaction tx(db);
        std::vector<std::pair<std::int64_t, QString>> batch;
        for (int k = 0; k < n; ++k) {
            batch.emplace_back(k + 1, captions[static_cast<std::size_t>(k)]);
            if (batch.size() == 256 || k + 1 == n) {
                indexer.indexVersions(db, batch);
                batch.clear();
            }
        }
        tx.commit();
    }
    const double batchWallSeconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    std::printf("\n== Store writer (FacetIndexer::indexVersion) in one transaction, %d captions\n", n);
    std::printf("  inserting item + caption rows (for scale): %6.1f us per caption\n", insertSeconds * 1e6 / n);
    std::printf("  indexing a fresh caption version:           %6.1f us per caption (%.0f captions/s)\n",
                indexSeconds * 1e6 / n, n / indexSeconds);
    std::printf("  re-indexing an indexed version:             %6.1f us per caption\n", reindexSeconds * 1e6 / n);
    std::printf("  re-indexing, wall clock: indexVersion %.1f us, indexVersions (batches of 256, %d threads) %.1f us "
                "per caption\n",
                reindexWallSeconds * 1e6 / n, QThreadPool::globalInstance()->maxThreadCount(),
                batchWallSeconds * 1e6 / n);
    std::printf("  => 200,000 imported captions: +%.1f s of indexing (CPU)\n", indexSeconds / n * 200000.0);
    return 0;
}
