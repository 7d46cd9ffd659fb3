// What the review window asks of a project, timed on a real project file: opening it, the source
// counts of the left panel, the ids of a filter (the grid holds the ids of the whole result, then
// pages summaries in), a page of summaries, one item's detail, and a count. Opens the project
// read-only, so it can be pointed at any project without changing it.
//
//   bench_store PROJECT [--repeat N]
//
// Each operation runs N times (default 3); the table gives the first run (cold: the file may not be in
// the page cache yet) and the median of the others. docs/performance.md records the figures at 1.2M
// records with the commands that built the project.

#include "itemstore.h"
#include "project.h"
#include "query.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace facet;

namespace {

struct Timing
{
    double first = 0.0;
    double median = 0.0;
    long long results = 0;
};

Timing measure(int repeat, const std::function<long long()>& op)
{
    Timing t;
    std::vector<double> rest;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer clock;
        clock.start();
        const long long n = op();
        const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        if (i == 0) {
            t.first = ms;
            t.results = n;
        } else {
            rest.push_back(ms);
        }
    }
    if (rest.empty())
        rest.push_back(t.first);
    std::sort(rest.begin(), rest.end());
    t.median = rest[rest.size() / 2];
    return t;
}

void row(const char* what, const Timing& t)
{
    std::printf("| %-44s | %10lld | %9.1f | %9.1f |\n", what, t.results, t.first, t.median);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    args.removeFirst();
    int repeat = 3;
    if (const auto i = args.indexOf(QStringLiteral("--repeat")); i >= 0 && i + 1 < args.size()) {
        repeat = std::max(1, args.at(i + 1).toInt());
        args.remove(i, 2);
    }
    if (args.size() != 1) {
        std::fprintf(stderr, "usage: bench_store PROJECT [--repeat N]\n");
        return 2;
    }
    const QString path = args.first();

    try {
        std::printf("| operation | results | first (ms) | median (ms) |\n|---|---|---|---|\n");
        row("open the project (read-only)",
            measure(repeat, [&] { return Project::open(path, Project::OpenMode::ReadOnly) ? 1LL : 0LL; }));
        const std::unique_ptr<Project> project = Project::open(path, Project::OpenMode::ReadOnly);
        ItemStore store(*project);
        row("source counts (left panel)",
            measure(repeat, [&] { return static_cast<long long>(store.sources().size()); }));

        // The filters a reviewer types, from the whole project to narrow ones.
        const char* const filters[] = {
            "",       "status:pending",     "facet:art", "-facet:spatial", "source:m12 facet:world_knowledge",
            "glossy", "\"red motorcycle\"", "chars:<700"};
        std::vector<ItemId> all;
        for (const char* f : filters) {
            const Query q = Query::parse(QString::fromUtf8(f));
            const QByteArray label = QByteArray("ids of `") + (*f ? f : "(everything)") + "`";
            row(label.constData(), measure(repeat, [&] {
                    std::vector<ItemId> ids = store.ids(q);
                    const auto n = static_cast<long long>(ids.size());
                    if (!*f)
                        all = std::move(ids);
                    return n;
                }));
        }
        row("count of `facet:art`", measure(repeat, [&] {
                return static_cast<long long>(store.count(Query::parse(QStringLiteral("facet:art"))));
            }));
        if (all.empty()) {
            std::fprintf(stderr, "the project has no items\n");
            return 1;
        }

        // A grid page (256 rows, kGridPageSize in ui/projectworker.h) at the start and in the middle.
        constexpr std::size_t kPage = 256;
        const auto page = [&](std::size_t from) {
            from = std::min(from, all.size() - std::min(all.size(), kPage));
            return std::vector<ItemId>(all.begin() + static_cast<std::ptrdiff_t>(from),
                                       all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), from + kPage)));
        };
        const std::vector<ItemId> first = page(0);
        const std::vector<ItemId> middle = page(all.size() / 2);
        row("summaries of the first page (256)",
            measure(repeat, [&] { return static_cast<long long>(store.summaries(first).size()); }));
        row("summaries of a page in the middle (256)",
            measure(repeat, [&] { return static_cast<long long>(store.summaries(middle).size()); }));
        const ItemId one = all[all.size() / 2 + 7];
        row("detail of one item (caption, versions, segments)",
            measure(repeat, [&] { return store.detail(one) ? 1LL : 0LL; }));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_store: %s\n", e.what());
        return 1;
    }
    return 0;
}
