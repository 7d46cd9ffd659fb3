// The query language (GUI search box and --filter): Query::parse, then the compiled SQL run
// against a small real project.
//
// Checks beyond "no crash": text is either refused with a message or compiles to SQL that SQLite
// runs without error (a filter that parses but fails in SQLite would be a confusing error for the
// user); for a single term T that parses, T and -T split the items exactly (negation must treat a
// missing caption as "no match", see negate() in core/query.cpp).

#include "fuzzutil.h"

#include "curation.h"
#include "error.h"
#include "importer.h"
#include "itemstore.h"
#include "project.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>

#include <memory>

namespace {

using namespace facet;

struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<Project> project;
    std::int64_t total = 0;

    Fixture()
    {
        fuzzCheck(dir.isValid());
        const QString jsonl = dir.filePath(QStringLiteral("seed.jsonl"));
        QFile f(jsonl);
        fuzzCheck(f.open(QIODevice::WriteOnly));
        const char* captions[] = {
            "A red motorcycle is parked on the left side of the street.",
            "Two giraffes stand in the background under a pale blue sky.",
            "The oil painting shows a sower in warm evening light; the style is post-impressionist.",
            "The sign reads \\\"Welcome to Lake Tahoe\\\" in white letters.",
            "\\u4e00\\u53ea\\u732b\\u5750\\u5728\\u684c\\u5b50\\u4e0a\\u3002",
            "short",
        };
        for (int i = 0; i < 18; ++i) {
            const QByteArray line = "{\"id\":\"r" + QByteArray::number(i) + "\",\"image\":\""
                                    + (i % 3 == 0   ? "coco/a"
                                       : i % 3 == 1 ? "sam/b"
                                                    : "llava/c")
                                    + QByteArray::number(i)
                                    + ".jpg\",\"conversations\":[{\"from\":\"human\","
                                      "\"value\":\"<image>\\nDescribe.\"},{\"from\":\"gpt\",\"value\":\""
                                    + captions[i % 6] + "\"}]}\n";
            f.write(line);
        }
        // A text-only record: it has a caption but no image.
        f.write("{\"id\":\"t1\",\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"},"
                "{\"from\":\"gpt\",\"value\":\"text only\"}]}\n");
        f.close();
        project = Project::open(dir.filePath(QStringLiteral("fuzz.facet")), Project::OpenMode::CreateIfMissing);
        ImportOptions options;
        options.name = QStringLiteral("seed");
        Importer(*project).run({jsonl}, options);
        Curation curation(*project);
        Selection some;
        some.filter = QStringLiteral("source:seed giraffes");
        curation.setStatus(some, Status::Accepted, QStringLiteral("ann"));
        Selection other;
        other.extIds = {QStringLiteral("r1"), QStringLiteral("r7")};
        curation.setStatus(other, Status::Rejected, QStringLiteral("bob"), QStringLiteral("blurry"));
        ItemStore store(*project);
        const auto r2 = store.findByExtId(QStringLiteral("r2"));
        fuzzCheck(r2.has_value());
        curation.addVersion(*r2, QStringLiteral("A model caption of a cat."), Origin::Model, QStringLiteral("bot"),
                            QStringLiteral("recaption"), QStringLiteral("Recaption"), QStringLiteral("gpt-4o"));
        total = store.count(Query());
        fuzzCheck(total == 19);
    }
};

Fixture& fixture()
{
    static Fixture f;
    return f;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Fixture& fx = fixture();
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    Query query;
    try {
        query = Query::parse(text);
    } catch (const Error& e) {
        fuzzCheck(!e.message().isEmpty());
        return 0;
    }
    ItemStore store(*fx.project);
    const std::int64_t n = store.count(query); // throws (and so aborts the run) if the SQL is bad
    fuzzCheck(n >= 0 && n <= fx.total);

    // A single term without spaces: T and -T must partition the items.
    const QString trimmed = text.trimmed();
    if (!trimmed.isEmpty() && !trimmed.startsWith(u'-') && !trimmed.contains(u'"')) {
        bool single = true;
        for (QChar c : trimmed)
            single = single && !c.isSpace();
        if (single) {
            const Query negated = Query::parse(u'-' + trimmed);
            fuzzCheck(n + store.count(negated) == fx.total);
        }
    }
    return 0;
}
