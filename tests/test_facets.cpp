// Facets: segmentation of captions into spans, classification of each span by facet (with the cues
// that explain it), project-defined facets, the store writer on a real project file, and the
// classifier's accuracy on the held-out labelled sentences.
#include "testutil.h"

#include "database.h"
#include "error.h"
#include "facetclassifier.h"
#include "facetindexer.h"
#include "facetmodel.h"
#include "palette.h"
#include "project.h"
#include "query.h"
#include "segmenter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>

#include <atomic>
#include <cmath>
#include <memory>

using namespace facet;
using namespace Qt::Literals::StringLiterals;

namespace {

// The shipped model reaches 0.928 primary-facet accuracy (410/442), world_knowledge recall 0.901
// (100/111) and art recall 0.914 (106/116) on the held-out split written in the eighth session,
// tests/data/facets/dev_heldout.jsonl (docs/facets.md; all three targets are met on it). Each floor
// sits one sentence below, so a change to the lexicon or the learned weights that loses more fails
// here.
constexpr double kHeldoutPrimaryFloor = 0.925;   // 409/442
constexpr double kHeldoutWkRecallFloor = 0.891;  // 99/111
constexpr double kHeldoutArtRecallFloor = 0.905; // 105/116

// A project facet for text read from the image. Its cues must outweigh what the built-in model gives
// world_knowledge for the same evidence (about 14 for a quoted sign with the shipped weights), see docs/facets.md.
const char* const kExtraFacet = R"({
  "facets": [{"key": "text", "name": "Text in the image", "color": "#1f3a93"}],
  "patterns": {"quoted": {"text": 10}},
  "cues": {"text": {"6": ["reads", "says", "written", "lettering"]}}
})";

QStringList spansText(const QString& text, const std::vector<TextSpan>& spans)
{
    QStringList out;
    for (const TextSpan& s : spans)
        out.append(text.mid(s.start, s.length()));
    return out;
}

struct Labelled
{
    QString text;
    QStringList facets;
};

QList<Labelled> readSplit(const QString& name)
{
    QFile f(test::dataPath(u"facets/"_s + name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    QList<Labelled> out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        Labelled l{o.value(u"text"_s).toString(), {}};
        for (const auto& v : o.value(u"facets"_s).toArray())
            l.facets.append(v.toString());
        out.append(l);
    }
    return out;
}

// A project with one source; addCaption() adds an item with one caption version.
class Fixture
{
public:
    explicit Fixture(const QString& path)
        : project(Project::open(path, Project::OpenMode::CreateIfMissing))
    {
        project->db().exec("INSERT INTO sources(id, name, path, format, imported_at) "
                           "VALUES(1, 'test', 'test.json', 'jsonl', '2026-01-01T00:00:00Z')");
    }

    std::int64_t addCaption(const QString& extId, const QString& text)
    {
        Database& db = project->db();
        db.prepare(
              "INSERT INTO items(source_id, ext_id, rec_index, updated_at) VALUES(1, ?, 0, '2026-01-01T00:00:00Z')")
            .bind(1, extId)
            .run();
        const std::int64_t item = db.lastInsertId();
        db.prepare("INSERT INTO caption_versions(item_id, text, chars, origin, created_at) "
                   "VALUES(?, ?, ?, 0, '2026-01-01T00:00:00Z')")
            .bind(1, item)
            .bind(2, text)
            .bind(3, static_cast<int>(text.size()))
            .run();
        const std::int64_t version = db.lastInsertId();
        db.prepare("UPDATE items SET current_version = ? WHERE id = ?").bind(1, version).bind(2, item).run();
        return version;
    }

    QMap<QString, int> versionFacets(std::int64_t version)
    {
        QMap<QString, int> out;
        Statement st = project->db().prepare("SELECT facets FROM version_segments WHERE version_id = ?");
        st.bind(1, version);
        if (st.step()) {
            for (const auto& [facet, n] : parseFacetCounts(st.text(0)))
                out.insert(facet, n);
        }
        return out;
    }

    int segmentRows(std::int64_t version) { return int(storedSegments(project->db(), version).size()); }

    std::unique_ptr<Project> project;
};

QMap<QString, int> countFacets(const QList<Segment>& segments)
{
    QMap<QString, int> out;
    for (const Segment& s : segments) {
        for (const QString& f : s.facets)
            ++out[f];
    }
    return out;
}

} // namespace

class TestFacets final : public QObject
{
    Q_OBJECT

private slots:
    // --- Segmentation ---------------------------------------------------------------------------

    void abbreviationsDecimalsInitialsQuotesEllipses()
    {
        const QString text = u"The U.S. flag hangs outside, e.g. on a pole. Mr. Smith met Dr. Jones at St. Paul's "
                             u"at 3.5 p.m. today. It was J. K. Rowling's first book. He said \"Stop.\" Then he "
                             u"left... Wait... Then it ended. In the U.S. The end is near etc. and more"_s;
        QCOMPARE(
            Segmenter::sentences(text),
            QStringList({u"The U.S. flag hangs outside, e.g. on a pole."_s,
                         u"Mr. Smith met Dr. Jones at St. Paul's at 3.5 p.m. today."_s,
                         u"It was J. K. Rowling's first book."_s, u"He said \"Stop.\""_s, u"Then he left..."_s,
                         u"Wait..."_s, u"Then it ended."_s, u"In the U.S."_s, u"The end is near etc. and more"_s}));
    }

    void numbersBracketsAndRepeatedTerminators()
    {
        QCOMPARE(Segmenter::sentences(u"No. 5 is on the door. Vitamin C. The end."_s),
                 QStringList({u"No. 5 is on the door."_s, u"Vitamin C."_s, u"The end."_s}));
        QCOMPARE(Segmenter::sentences(u"Is it real?! (Yes.) Then go."_s),
                 QStringList({u"Is it real?!"_s, u"(Yes.)"_s, u"Then go."_s}));
        QCOMPARE(Segmenter::sentences(u"Version 2.1 costs $3.50. Next, a 1,000-piece puzzle."_s),
                 QStringList({u"Version 2.1 costs $3.50."_s, u"Next, a 1,000-piece puzzle."_s}));
        QCOMPARE(Segmenter::sentences(u"The sign says \"Open!\" in red. The door is ajar."_s),
                 QStringList({u"The sign says \"Open!\" in red."_s, u"The door is ajar."_s}));
    }

    void exactSpansExcludeWhitespace()
    {
        const QString text = u"  A cat.  \n\nA dog.\t\n"_s;
        const std::vector<TextSpan> spans = Segmenter::split(text);
        QCOMPARE(spans.size(), std::size_t(2));
        QCOMPARE(spans[0], (TextSpan{2, 8}));
        QCOMPARE(spans[1], (TextSpan{12, 18}));
        QVERIFY(Segmenter::split(u"   \n\n  \t"_s).empty());
        QVERIFY(Segmenter::split(u"---\n***\n"_s).empty());
        QCOMPARE(Segmenter::sentences(u"A trailing sentence without a stop"_s),
                 QStringList({u"A trailing sentence without a stop"_s}));
    }

    void markdownListsHeadingsParagraphs()
    {
        const QString text = u"The image shows a harbour.\n\n"
                             u"**Spatial layout:**\n"
                             u"- **Left:** a red boat with\n"
                             u"  a white sail.\n"
                             u"* A lighthouse on the right. It is tall.\n"
                             u"1. First numbered item\n"
                             u"2) Second item\n"
                             u"\n## Mood\n"
                             u"Calm and quiet\n"
                             u"Another line"_s;
        const std::vector<TextSpan> spans = Segmenter::split(text);
        QCOMPARE(spansText(text, spans),
                 QStringList({u"The image shows a harbour."_s, u"**Spatial layout:**"_s,
                              u"**Left:** a red boat with\n  a white sail."_s, u"A lighthouse on the right."_s,
                              u"It is tall."_s, u"First numbered item"_s, u"Second item"_s, u"Mood"_s,
                              u"Calm and quiet"_s, u"Another line"_s}));
        // List markers are outside the span: the bullet item starts at its bold label.
        const int bullet = static_cast<int>(text.indexOf(u"- **Left:**"_s));
        QCOMPARE(spans[2].start, bullet + 2);
        QCOMPARE(spans[5].start, static_cast<int>(text.indexOf(u"First"_s)));
    }

    void chinese()
    {
        QCOMPARE(Segmenter::sentences(u"这座桥位于苏州，始建于唐代。画面色调柔和！真的吗？“好。”然后"_s),
                 QStringList(
                     {u"这座桥位于苏州，始建于唐代。"_s, u"画面色调柔和！"_s, u"真的吗？"_s, u"“好。”"_s, u"然后"_s}));
        // The full-width semicolon does not split; mixed Chinese and English does.
        QCOMPARE(Segmenter::sentences(u"左边是山；右边是河。The sky is blue."_s),
                 QStringList({u"左边是山；右边是河。"_s, u"The sky is blue."_s}));
    }

    void spansAreOrderedTrimmedAndInsideTheText()
    {
        // Every labelled sentence joined into long captions: segments are ordered, disjoint, trimmed.
        QString caption;
        for (const Labelled& l : readSplit(u"dev_train.jsonl"_s))
            caption += l.text + (caption.size() % 3 ? u" "_s : u"\n\n"_s);
        const std::vector<TextSpan> spans = Segmenter::split(caption);
        QVERIFY(spans.size() > 800);
        int previous = 0;
        for (const TextSpan& s : spans) {
            QVERIFY(s.start >= previous);
            QVERIFY(s.end > s.start);
            QVERIFY(s.end <= caption.size());
            QVERIFY(!caption[s.start].isSpace());
            QVERIFY(!caption[s.end - 1].isSpace());
            previous = s.end;
        }
    }

    void arbitraryTextNeverBreaksTheInvariants()
    {
        // Deterministic noise over the characters the scanners treat specially, including a lone
        // surrogate and CJK punctuation: spans stay ordered, trimmed and in bounds, and every
        // segment classifies to at least one facet.
        const QString alphabet = u"aZ .!?…\"'*-#1:;,\n\n  。！？；“”「」）(漢字\xD800é"_s;
        quint32 state = 12345;
        auto next = [&] {
            state = state * 1664525u + 1013904223u;
            return state >> 8;
        };
        const FacetClassifier classifier;
        for (int round = 0; round < 3000; ++round) {
            QString text;
            const int length = int(next() % 80);
            for (int k = 0; k < length; ++k)
                text += alphabet[qsizetype(next() % quint32(alphabet.size()))];
            int previous = 0;
            for (const TextSpan& s : Segmenter::split(text)) {
                QVERIFY(s.start >= previous && s.end > s.start && s.end <= text.size());
                QVERIFY(!text[s.start].isSpace() && !text[s.end - 1].isSpace());
                previous = s.end;
                QVERIFY(!classifier.classify(QStringView(text).mid(s.start, s.length())).isEmpty());
            }
        }
    }

    // --- Classification -------------------------------------------------------------------------

    void clearExamplesPerFacet_data()
    {
        QTest::addColumn<QString>("sentence");
        QTest::addColumn<QString>("primary");
        QTest::newRow("landmark") << u"The Eiffel Tower was completed in 1889 for the World's Fair in Paris."_s
                                  << u"world_knowledge"_s;
        QTest::newRow("text") << u"The sign reads \"NO PARKING\" in red letters."_s << u"world_knowledge"_s;
        QTest::newRow("colour") << u"The cat has thick orange fur and bright green eyes."_s << u"attributes"_s;
        QTest::newRow("clothing") << u"She wears a long blue dress and a straw hat."_s << u"attributes"_s;
        QTest::newRow("position") << u"A small wooden table stands in the lower left corner of the frame."_s
                                  << u"spatial"_s;
        QTest::newRow("relation") << u"Behind the house, a row of tall trees lines the horizon."_s << u"spatial"_s;
        QTest::newRow("lighting")
            << u"Soft golden light and a shallow depth of field give the photograph a warm, dreamy mood."_s << u"art"_s;
        QTest::newRow("style") << u"The thick brushstrokes are typical of Impressionism."_s << u"art"_s;
        QTest::newRow("overview") << u"The image shows a kitchen."_s << u"other"_s;
        // Species and breeds are identified by the lexicon's list, capitalised or not. (Whether a named
        // dish makes "The image shows a bowl of pad thai." world_knowledge or an overview is a case the
        // conventions leave open and the training writers label both ways: docs/facets.md.)
        QTest::newRow("species") << u"The image shows a snow leopard resting on a ledge."_s << u"world_knowledge"_s;
        QTest::newRow("zh spatial") << u"桌子的左边有一把椅子。"_s << u"spatial"_s;
        QTest::newRow("zh art") << u"画面色调柔和，营造出宁静的氛围。"_s << u"art"_s;
    }

    void clearExamplesPerFacet()
    {
        QFETCH(QString, sentence);
        QFETCH(QString, primary);
        const FacetClassifier classifier;
        const QStringList facets = classifier.classify(sentence);
        QVERIFY(!facets.isEmpty());
        QCOMPARE(facets.first(), primary);
        QStringList unique = facets;
        QCOMPARE(unique.removeDuplicates(), 0);
        QVERIFY(!facets.mid(1).contains(u"other"_s));
    }

    void explanationNamesTheCues()
    {
        const QString sentence = u"The sign reads \"OPEN\" in red letters."_s;
        const Classification c = explain(sentence);
        QCOMPARE(c.facets.first(), u"world_knowledge"_s);
        QVERIFY(c.confident);
        QCOMPARE(c.scores.size(), qsizetype(5));
        double total = 0.0;
        for (const FacetScore& s : c.scores)
            total += s.probability;
        QVERIFY(qAbs(total - 1.0) < 1e-6);

        const FacetScore* wk = c.score(u"world_knowledge");
        QVERIFY(wk);
        bool quoted = false;
        bool reads = false;
        double sum = wk->bias;
        for (const CueContribution& cue : wk->cues) {
            sum += cue.weight;
            QCOMPARE(cue.text, sentence.mid(cue.start, cue.end - cue.start));
            QVERIFY(!cue.label.isEmpty());
            if (cue.feature == u"pat:quoted") {
                quoted = cue.weight > 0;
                QCOMPARE(cue.text, u"\"OPEN\""_s);
            }
            if (cue.feature == u"w:read")
                reads = cue.weight > 0;
        }
        QVERIFY(quoted);
        QVERIFY(reads);
        // The listed cues and the bias add up to the score: nothing unexplained.
        QVERIFY(qAbs(sum - wk->score) < 0.05);
        const FacetScore* attributes = c.score(u"attributes");
        QVERIFY(attributes);
        QVERIFY(std::any_of(attributes->cues.cbegin(), attributes->cues.cend(),
                            [](const CueContribution& cue) { return cue.feature == u"w:red" && cue.weight > 0; }));
        // The largest contribution comes first.
        for (qsizetype k = 1; k < wk->cues.size(); ++k)
            QVERIFY(wk->cues[k - 1].weight >= wk->cues[k].weight);
    }

    // The predicate-structure features: what the main verb does with its complement decides between
    // attributes and spatial far more often than the words around it.
    void predicateStructureFeatures()
    {
        const FacetModel& model = FacetModel::defaultModel();
        const auto hits = [&](const QString& sentence) {
            QMap<QString, FeatureHit> out;
            for (const FeatureHit& h : model.features(sentence, FacetModel::Extract::All, true))
                out.insert(h.name, h);
            return out;
        };

        // A place verb with its place complement: main_locative fires, the verb is paired with its
        // preposition, and the colour inside the place phrase counts like a subject modifier.
        const QString lies = u"A grey cat lies on a blue woollen blanket."_s;
        auto f = hits(lies);
        QVERIFY(f.contains(u"pat:main_locative"_s));
        QVERIFY(f.contains(u"v:lie on"_s));
        QVERIFY(f.contains(u"c:on"_s));
        QVERIFY(f.value(u"w:grey"_s).inSubject);
        QVERIFY(f.value(u"w:blue"_s).inSubject);
        QVERIFY(!f.value(u"w:lie"_s).inSubject);
        QCOMPARE(lies.mid(f.value(u"w:blue"_s).start, 4), u"blue"_s);

        // A describing predicate: no main_locative, and the colour counts in full.
        f = hits(u"The cat has thick grey fur and a blue collar."_s);
        QVERIFY(!f.contains(u"pat:main_locative"_s));
        QVERIFY(f.contains(u"v:has"_s));
        QVERIFY(!f.value(u"w:blue"_s).inSubject);

        // A verb missing from the closed list is still found ("drifts through", "heads out of").
        f = hits(u"A red kayak drifts across a still green lake."_s);
        QVERIFY(f.contains(u"v:drift"_s));
        QVERIFY(f.contains(u"pat:main_locative"_s));
        QVERIFY(f.value(u"w:red"_s).inSubject);
        f = hits(u"A small trawler heads out of the harbour."_s);
        QVERIFY(f.contains(u"v:head"_s));
        QVERIFY(f.contains(u"c:out"_s));

        // A place phrase about someone's body describes a pose; "the foot of the bed" is a place.
        QVERIFY(hits(u"A thin gold chain hangs around his neck."_s).contains(u"pat:body_place"_s));
        QVERIFY(!hits(u"A wooden chest stands at the foot of the bed."_s).contains(u"pat:body_place"_s));

        // The direct object of an arranging verb is the place ("line the waterfront").
        f = hits(u"Pastel houses in pink and pale blue line the waterfront."_s);
        QVERIFY(f.contains(u"pat:main_locative"_s));
        QVERIFY(f.value(u"w:waterfront"_s).inSubject);
        QVERIFY(!hits(u"Pastel houses in pink and pale blue have red roofs."_s).contains(u"pat:main_locative"_s));
        // A place phrase about someone's body is a pose, not a place; so is a verb acting with the body.
        f = hits(u"A thin gold chain hangs around his neck."_s);
        QVERIFY(!f.contains(u"pat:main_locative"_s));
        QVERIFY(f.contains(u"pat:body_place"_s));
        QVERIFY(f.contains(u"w:neck"_s));
        QVERIFY(!f.value(u"w:neck"_s).inSubject);
        QVERIFY(hits(u"Three meerkats stand upright on their hind legs."_s).contains(u"pat:body_place"_s));
        QVERIFY(!hits(u"Three meerkats stand upright on their hind legs."_s).contains(u"pat:main_locative"_s));
        f = hits(u"He raises his right fist high above the crowd."_s);
        QVERIFY(f.contains(u"pat:pose"_s));
        QVERIFY(!hits(u"He raises a red flag high above the crowd."_s).contains(u"pat:pose"_s));

        // A listed verb that is a noun here is not the main verb: inside a name, after a determiner, or
        // before another verb.
        f = hits(u"The Eiffel Tower rises above the rooftops."_s);
        QVERIFY(f.contains(u"v:rise"_s));
        QVERIFY(!f.contains(u"v:tower"_s));
        QVERIFY(f.contains(u"pat:name_subject"_s));
        f = hits(u"The light falls across the table."_s);
        QVERIFY(f.contains(u"v:fall"_s));
        QVERIFY(!f.contains(u"v:light"_s));
        f = hits(u"The street lights glow orange."_s);
        QVERIFY(f.contains(u"v:glow"_s));
        QVERIFY(!f.contains(u"v:light"_s));
        QVERIFY(hits(u"The shop has been closed for years."_s).contains(u"v:has been"_s));

        // A name in the subject identifies it; a name in the place phrase does not.
        QVERIFY(hits(u"The Colosseum stands at the end of a busy road."_s).contains(u"pat:name_subject"_s));
        QVERIFY(!hits(u"A small boat sails past the Statue of Liberty."_s).contains(u"pat:name_subject"_s));

        // The subject's head word and the facet of its lexicon cue.
        f = hits(u"The palette of the painting is dominated by pale yellows and pinks."_s);
        QVERIFY(f.contains(u"h:palette"_s));
        QVERIFY(f.contains(u"pat:subject_art"_s));

        const FacetClassifier classifier;
        QCOMPARE(classifier.classify(lies).first(), u"spatial"_s);
        QCOMPARE(classifier.classify(u"A red kayak drifts across a still green lake."_s).first(), u"spatial"_s);
        QCOMPARE(classifier.classify(u"The palette is dominated by pale yellows, soft pinks and greens."_s).first(),
                 u"art"_s);
        QCOMPARE(classifier.classify(u"A thin gold chain hangs around his neck."_s).first(), u"attributes"_s);
        {
            const Classification pose = explain(u"He raises his right fist high above the crowd."_s);
            const FacetScore* attributes = pose.score(u"attributes");
            QVERIFY(attributes);
            QVERIFY(std::any_of(attributes->cues.cbegin(), attributes->cues.cend(), [](const CueContribution& cue) {
                return cue.feature == u"pat:pose" && cue.label.contains(u"pose"_s) && cue.weight > 0
                       && cue.text == u"raises his right fist"_s;
            }));
        }
        {
            // The lexicon's list of species, breeds and dishes names what a lower-case phrase identifies.
            const Classification dish = explain(u"The image shows a bowl of pad thai."_s);
            const FacetScore* wk = dish.score(u"world_knowledge");
            QVERIFY(wk);
            QVERIFY(std::any_of(wk->cues.cbegin(), wk->cues.cend(), [](const CueContribution& cue) {
                return cue.feature == u"p:pad thai" && cue.weight >= 2.0;
            }));
        }
        // A general statement: an ability, a habit or an explanation; "can be seen" describes the picture.
        QVERIFY(hits(u"Chameleons can move each eye independently."_s).contains(u"pat:generic"_s));
        QVERIFY(hits(u"Glacier ice looks blue because it absorbs red light."_s).contains(u"pat:generic"_s));
        QVERIFY(!hits(u"Two boats can be seen in the distance."_s).contains(u"pat:generic"_s));
        QVERIFY(!hits(u"When the sun sets, the sky turns orange."_s).contains(u"pat:generic"_s));
        // Explanations label the new features for the review window.
        const Classification c = explain(lies);
        const FacetScore* spatial = c.score(u"spatial");
        QVERIFY(spatial);
        QVERIFY(std::any_of(spatial->cues.cbegin(), spatial->cues.cend(), [](const CueContribution& cue) {
            return cue.feature == u"pat:main_locative" && cue.label.contains(u"places"_s) && cue.weight > 0;
        }));
    }

    void sentenceWithoutCuesIsOther()
    {
        const Classification c = explain(u"Xyzzy plugh."_s);
        QCOMPARE(c.facets, QStringList{u"other"_s});
        QVERIFY(!c.confident);
        // An unsure sentence is still explained in full: every head's probability is its score's.
        for (const FacetScore& s : c.scores) {
            QVERIFY(s.carries >= 0.0);
            QVERIFY(qAbs(s.carries - 1.0 / (1.0 + std::exp(-s.carriesScore))) < 1e-9);
        }
    }

    void paletteClash()
    {
        // `facet facets --cues` warns about a project facet colour a reviewer would take for a
        // status or a built-in facet; the fixed palette must not clash with itself.
        QCOMPARE(Palette::parse(u"#abc"_s)->hex(), u"#aabbcc"_s);
        QCOMPARE(Palette::parse(u"#1F3A93"_s)->hex(), u"#1f3a93"_s);
        for (const QString& bad : {u"red"_s, u"#12345g"_s, u"#1234"_s, u""_s, u"1f3a93"_s})
            QVERIFY2(!Palette::parse(bad), qPrintable(bad));
        QVERIFY(Palette::clash(*Palette::parse(u"#2980b9"_s)).contains(u"recaptioned items (#2f7ed8)"_s));
        QVERIFY(Palette::clash(*Palette::parse(u"#dd4040"_s)).contains(u"rejected"_s));
        QVERIFY(Palette::clash(*Palette::parse(u"#e0901c"_s)).contains(u"attributes facet"_s));
        QCOMPARE(Palette::clash(*Palette::parse(u"#1f3a93"_s)), QString());
        std::vector<Palette::Rgb> fixed{Palette::accepted, Palette::rejected, Palette::pending, Palette::recaptioned};
        for (const QString& key : FacetModel::defaultModel().keys())
            fixed.push_back(*Palette::builtInFacet(key));
        QCOMPARE(fixed.size(), std::size_t(9));
        for (std::size_t a = 0; a < fixed.size(); ++a) {
            QVERIFY(!Palette::clash(fixed[a]).isEmpty()); // each is "close to" itself
            for (std::size_t b = a + 1; b < fixed.size(); ++b)
                QVERIFY2(Palette::distance(fixed[a], fixed[b]) >= 64.0,
                         qPrintable(fixed[a].hex() + u" and "_s + fixed[b].hex()));
        }
    }

    void projectDefinedFacet()
    {
        const FacetModel extra = FacetModel::fromJson(kExtraFacet, u"extra.json"_s);
        const FacetModel model = FacetModel::defaultModel().merged(extra);
        QCOMPARE(model.keys(),
                 QStringList({u"world_knowledge"_s, u"attributes"_s, u"spatial"_s, u"art"_s, u"other"_s, u"text"_s}));
        QCOMPARE(model.facets().last().name, u"Text in the image"_s);
        QCOMPARE(model.facets().last().color, u"#1f3a93"_s);
        QVERIFY(model.hasLearnedWeights());

        const FacetClassifier classifier(model);
        const Classification c = classifier.explain(u"The sign reads \"OPEN\" in red letters."_s);
        QCOMPARE(c.facets.first(), u"text"_s);
        const FacetScore* text = c.score(u"text");
        QVERIFY(text);
        QVERIFY(std::any_of(text->cues.cbegin(), text->cues.cend(),
                            [](const CueContribution& cue) { return cue.feature == u"w:read" && cue.weight == 6.0; }));
        // Sentences without text cues keep their facets, and do not get the new facet as a
        // secondary one: its bias was never fitted against the learned facets, so it needs a cue of
        // its own (without that rule "A cat sleeps." came out attributes, spatial, text).
        QCOMPARE(classifier.classify(u"A small wooden table stands in the lower left corner of the frame."_s).first(),
                 u"spatial"_s);
        for (const QString& plain : {u"A cat sleeps."_s, u"Two red apples lie on a plate."_s, u"Xyzzy plugh."_s})
            QVERIFY2(!classifier.classify(plain).contains(u"text"_s), qPrintable(plain));
        QVERIFY(model.needsOwnEvidence(static_cast<int>(model.keys().indexOf(u"text"_s))));
        QVERIFY(!model.needsOwnEvidence(static_cast<int>(model.keys().indexOf(u"art"_s))));
        QVERIFY(!FacetModel::lexiconModel().merged(extra).needsOwnEvidence(5)); // nothing learned: all alike
        // The default model is untouched.
        QCOMPARE(FacetModel::defaultModel().keys().size(), qsizetype(5));

        // An extra document can also retune an existing cue.
        const FacetModel retuned = FacetModel::defaultModel().merged(
            FacetModel::fromJson(R"({"cues": {"spatial": {"0": ["left"]}}})"));
        QCOMPARE(retuned.handWeights(u"w:left"_s)[2], 0.0);
        QVERIFY(FacetModel::defaultModel().handWeights(u"w:left"_s)[2] > 0.0);
    }

    // Secondary facets come from the yes/no heads when the learned section has them, whatever the
    // softmax leaves over: a head can add a facet the softmax gives almost nothing, and refuse one it
    // gives a lot.
    void yesNoHeadsDecideSecondaryFacets()
    {
        const QByteArray head =
            R"({"facets": [{"key": "a"}, {"key": "b"}, {"key": "other"}], "cues": {"a": {"3": ["red"]}}, )";
        const QByteArray withHeads =
            head
            + R"("learned": {"facets": ["a", "b", "other"], "bias": [0, 0, 0], "thresholds": {"secondary": 0.25, "other": 0}, )"
              R"("carries": {"bias": [0, -5, 0], "thresholds": [0.5, 0.5, 1]}, )"
              R"("features": {"w:blue": [0, 0, 0, 0, 8, 0], "w:green": [0, 2.5, 0, 0, 0, 0]}}})";
        const QByteArray withoutHeads =
            head
            + R"("learned": {"facets": ["a", "b", "other"], "bias": [0, 0, 0], "thresholds": {"secondary": 0.25, "other": 0}, )"
              R"("features": {"w:blue": [0, 0, 0], "w:green": [0, 2.5, 0]}}})";
        const FacetModel model = FacetModel::fromJson(withHeads, u"heads.json"_s);
        QVERIFY(model.hasCarries());
        QCOMPARE(model.carriesThreshold(1), 0.5);
        QVERIFY(model.carriesThreshold(3) < 0); // no such facet
        const FacetClassifier heads(model);
        const FacetClassifier leftovers(FacetModel::fromJson(withoutHeads, u"leftovers.json"_s));
        QVERIFY(!leftovers.model().hasCarries());

        QCOMPARE(heads.classify(u"A red ball."_s), QStringList{u"a"_s});
        // "blue" moves only b's head: the softmax leaves b 4.5 %, below its 25 % threshold.
        QCOMPARE(heads.classify(u"A red and blue ball."_s), QStringList({u"a"_s, u"b"_s}));
        QCOMPARE(leftovers.classify(u"A red and blue ball."_s), QStringList{u"a"_s});
        // "green" gives b 37 % of the softmax, which alone would make it secondary; b's head says no.
        QCOMPARE(leftovers.classify(u"A red and green ball."_s), QStringList({u"a"_s, u"b"_s}));
        QCOMPARE(heads.classify(u"A red and green ball."_s), QStringList{u"a"_s});

        // The explanation shows the head's probability and the cues behind it, adding up.
        const Classification c = heads.explain(u"A red and blue ball."_s);
        const FacetScore* b = c.score(u"b");
        QVERIFY(b);
        QVERIFY(qAbs(b->carries - 1.0 / (1.0 + std::exp(-3.0))) < 1e-4);
        QCOMPARE(b->carriesThreshold, 0.5);
        QCOMPARE(b->carriesBias, -5.0);
        QCOMPARE(b->carriesCues.size(), qsizetype(1));
        QCOMPARE(b->carriesCues.first().feature, u"w:blue"_s);
        QCOMPARE(b->carriesCues.first().text, u"blue"_s);
        QVERIFY(qAbs(b->carriesScore - (b->carriesBias + b->carriesCues.first().weight)) < 1e-4);
        QVERIFY(b->probability < 0.25);
        // A head starts from the hand weights, as in training: "red" counts for a's head too.
        const FacetScore* a = c.score(u"a");
        QVERIFY(a && a->carriesCues.size() == 1 && a->carriesCues.first().weight == 3.0);

        // A project's cues keep the heads; a learned section without heads removes them.
        QVERIFY(model.merged(FacetModel::fromJson(R"({"cues": {"b": {"1": ["ball"]}}})")).hasCarries());
        QVERIFY(!model.merged(FacetModel::fromJson(withoutHeads)).hasCarries());
        // The shipped model has them.
        QVERIFY(FacetModel::defaultModel().hasCarries());

        // Malformed heads are refused with the reason.
        const auto refused = [](const QByteArray& json, const QString& reason) {
            try {
                FacetModel::fromJson(json, u"heads.json"_s);
            } catch (const Error& e) {
                return e.message().contains(reason) && e.message().contains(u"heads.json"_s);
            }
            return false;
        };
        QVERIFY(refused(head + R"("learned": {"facets": ["a", "b", "other"], "carries": {"bias": [0, 0, 0]}}})",
                        u"thresholds"_s));
        QVERIFY(refused(
            head
                + R"("learned": {"facets": ["a", "b", "other"], "carries": {"bias": [0, 0, 0], "thresholds": [0.5, 2, 1]}}})",
            u"between 0 and 1"_s));
        QVERIFY(refused(
            head
                + R"("learned": {"facets": ["a", "b", "other"], "carries": {"bias": [0, 0, 0], "thresholds": [0.5, 0.5, 1]}, )"
                  R"("features": {"w:blue": [0, 0, 0]}}})",
            u"two numbers per learned facet"_s));
    }

    void badModelDocumentsAreRefused()
    {
        QVERIFY_THROWS_EXCEPTION(Error, FacetModel::fromJson("{", u"broken.json"_s));
        QVERIFY_THROWS_EXCEPTION(Error, FacetModel::fromJson(R"({"facets": [{"key": "Text!"}]})"));
        QVERIFY_THROWS_EXCEPTION(Error, FacetModel::fromJson(R"({"patterns": {"sparkles": {"art": 1}}})"));
        QVERIFY_THROWS_EXCEPTION(Error, FacetModel::fromJson(R"({"cues": {"art": {"2": ["!!!"]}}})"));
        QVERIFY_THROWS_EXCEPTION(Error, FacetModel::fromJson(R"({"cues": {"art": {"heavy": ["oil"]}}})"));
        try {
            FacetModel::fromJson(R"({"cues": {"art": {"2": ["!!!"]}}})", u"cues.json"_s);
        } catch (const Error& e) {
            QVERIFY(e.message().contains(u"cues.json"_s));
            QVERIFY(e.message().contains(u"!!!"_s));
        }
    }

    // --- Store writer -------------------------------------------------------------------------

    void indexerWritesSegmentsAndCounts()
    {
        QTemporaryDir dir;
        Fixture fx(dir.filePath(u"p.facet"_s));
        Database& db = fx.project->db();
        const QString text = u"This is the Colosseum in Rome, completed in 80 AD. Its outer wall is made of pale "
                             u"travertine stone.\n\n- Tourists stand in front of the arches on the left.\n"
                             u"- Warm evening light gives the scene a calm mood."_s;
        const std::int64_t version = fx.addCaption(u"a"_s, text);
        FacetIndexer indexer;
        indexer.indexVersion(db, version, text);

        const QList<Segment> segments = segmentsOf(db, version);
        const std::vector<TextSpan> spans = Segmenter::split(text);
        QCOMPARE(segments.size(), qsizetype(4));
        QCOMPARE(std::size_t(segments.size()), spans.size());
        const FacetClassifier classifier;
        for (qsizetype k = 0; k < segments.size(); ++k) {
            QCOMPARE(segments[k].start, spans[std::size_t(k)].start);
            QCOMPARE(segments[k].end, spans[std::size_t(k)].end);
            QVERIFY(!segments[k].byReviewer);
            QCOMPARE(segments[k].facets, classifier.classify(QStringView(text).mid(
                                             segments[k].start, segments[k].end - segments[k].start)));
        }
        QCOMPARE(segments[0].facets.first(), u"world_knowledge"_s);
        QCOMPARE(segments[3].facets.first(), u"art"_s);
        QCOMPARE(fx.versionFacets(version), countFacets(segments));

        // Indexing again changes nothing.
        indexer.indexVersion(db, version, text);
        QCOMPARE(segmentsOf(db, version).size(), segments.size());
        QCOMPARE(fx.versionFacets(version), countFacets(segments));
    }

    void batchIndexingMatchesSingleIndexing()
    {
        QTemporaryDir dir;
        Fixture fx(dir.filePath(u"p.facet"_s));
        Database& db = fx.project->db();
        std::vector<std::pair<std::int64_t, QString>> batch;
        for (const Labelled& l : readSplit(u"dev_train.jsonl"_s).mid(0, 60)) {
            const QString caption = l.text + u" A cat sits on the left. The light is soft."_s;
            batch.emplace_back(fx.addCaption(QString::number(batch.size()), caption), caption);
        }
        FacetIndexer indexer;
        indexer.indexVersions(db, batch);
        QList<QList<Segment>> batched;
        for (const auto& [version, text] : batch)
            batched.append(segmentsOf(db, version));
        for (const auto& [version, text] : batch)
            indexer.indexVersion(db, version, text);
        for (std::size_t k = 0; k < batch.size(); ++k) {
            const QList<Segment> single = segmentsOf(db, batch[k].first);
            QCOMPARE(batched[qsizetype(k)].size(), single.size());
            QVERIFY(single.size() >= 3);
            for (qsizetype i = 0; i < single.size(); ++i) {
                QCOMPARE(batched[qsizetype(k)][i].start, single[i].start);
                QCOMPARE(batched[qsizetype(k)][i].end, single[i].end);
                QCOMPARE(batched[qsizetype(k)][i].facets, single[i].facets);
            }
        }
    }

    void pipelinedBatchesMatchSingleIndexing()
    {
        // The importer's path: batches classified on the pool (and by this thread when it needs the
        // results), written on the next call, the last one by finishPending().
        QTemporaryDir dir;
        Fixture fx(dir.filePath(u"p.facet"_s));
        Database& db = fx.project->db();
        std::vector<std::pair<std::int64_t, QString>> all;
        const QList<Labelled> labelled = readSplit(u"dev_train.jsonl"_s).mid(0, 150);
        for (const Labelled& l : labelled) {
            const QString caption = l.text + u" A cat sits on the left. The light is soft."_s;
            all.emplace_back(fx.addCaption(QString::number(all.size()), caption), caption);
        }
        {
            FacetIndexer indexer;
            for (std::size_t first = 0; first < all.size(); first += 40) {
                const auto end = all.begin() + qsizetype(std::min(all.size(), first + 40));
                indexer.indexVersionsPipelined(db, {all.begin() + qsizetype(first), end});
                // Everything but the batch just handed over is written already.
                QCOMPARE(fx.segmentRows(all[first].first), 0);
                if (first > 0)
                    QVERIFY(fx.segmentRows(all[first - 1].first) >= 3);
            }
            indexer.finishPending(db);
        }
        QList<QList<StoredSegment>> pipelined;
        QList<QMap<QString, int>> pipelinedCounts;
        for (const auto& [version, text] : all) {
            pipelined.append(storedSegments(db, version));
            pipelinedCounts.append(fx.versionFacets(version));
        }
        FacetIndexer single;
        for (std::size_t k = 0; k < all.size(); ++k) {
            single.indexVersion(db, all[k].first, all[k].second);
            QCOMPARE(pipelined[qsizetype(k)], storedSegments(db, all[k].first));
            QCOMPARE(pipelinedCounts[qsizetype(k)], fx.versionFacets(all[k].first));
        }

        // An indexer dropped with a batch still pending (an import that failed) writes nothing and
        // leaves no thread behind.
        const std::int64_t extra = fx.addCaption(u"extra"_s, u"A dog runs on the beach. Two gulls fly above."_s);
        {
            FacetIndexer dropped;
            dropped.indexVersionsPipelined(db, {{extra, u"A dog runs on the beach. Two gulls fly above."_s}});
        }
        QCOMPARE(fx.segmentRows(extra), 0);
        QVERIFY(fx.versionFacets(extra).isEmpty());
    }

    void reviewerLabelsSurviveReindexing()
    {
        QTemporaryDir dir;
        Fixture fx(dir.filePath(u"p.facet"_s));
        Database& db = fx.project->db();
        const QString text = u"A red bus waits at the stop. The bus is parked on the left. The light is soft."_s;
        const std::int64_t version = fx.addCaption(u"a"_s, text);
        FacetIndexer indexer;
        indexer.indexVersion(db, version, text);
        QVERIFY(segmentsOf(db, version)[1].facets.first() != u"art"_s);

        FacetIndexer::setReviewerFacets(db, version, 1, {u"art"_s, u"spatial"_s});
        QList<Segment> segments = segmentsOf(db, version);
        QVERIFY(segments[1].byReviewer);
        QCOMPARE(segments[1].facets, QStringList({u"art"_s, u"spatial"_s}));
        QCOMPARE(fx.versionFacets(version), countFacets(segments));

        // Same text, same spans: the reviewer's facets stay.
        indexer.indexVersion(db, version, text);
        segments = segmentsOf(db, version);
        QVERIFY(segments[1].byReviewer);
        QCOMPARE(segments[1].facets, QStringList({u"art"_s, u"spatial"_s}));
        QVERIFY(!segments[0].byReviewer);
        QCOMPARE(fx.versionFacets(version), countFacets(segments));

        // A different span is a different segment: the label does not carry over.
        const QString changed = u"A big red bus waits at the stop. The bus is parked on the left. The light is soft."_s;
        indexer.indexVersion(db, version, changed);
        segments = segmentsOf(db, version);
        QCOMPARE(segments.size(), qsizetype(3));
        for (const Segment& s : segments)
            QVERIFY(!s.byReviewer);

        QVERIFY_THROWS_EXCEPTION(Error, FacetIndexer::setReviewerFacets(db, version, 7, {u"art"_s}));
        QVERIFY_THROWS_EXCEPTION(Error, FacetIndexer::setReviewerFacets(db, version, 0, {u"Not a key"_s}));
        QVERIFY_THROWS_EXCEPTION(Error, FacetIndexer::setReviewerFacets(db, version, 0, {}));
    }

    void indexerJoinsTheCallersTransaction()
    {
        QTemporaryDir dir;
        Fixture fx(dir.filePath(u"p.facet"_s));
        Database& db = fx.project->db();
        const QString text = u"A cat sits on the left. It is grey."_s;
        const std::int64_t version = fx.addCaption(u"a"_s, text);
        FacetIndexer indexer;
        {
            Transaction tx(db);
            indexer.indexVersion(db, version, text);
            // Rolled back with the caller's transaction.
        }
        QCOMPARE(fx.segmentRows(version), 0);
        {
            Transaction tx(db);
            indexer.indexVersion(db, version, text);
            tx.commit();
        }
        QCOMPARE(fx.segmentRows(version), 2);
    }

    void reindexProjectSelectionAndCancel()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.facet"_s);
        Fixture fx(path);
        const std::int64_t a = fx.addCaption(u"a"_s, u"A dog runs on the beach. The sky is blue."_s);
        const std::int64_t b = fx.addCaption(u"b"_s, u"The image shows a kitchen."_s);
        const std::int64_t c = fx.addCaption(u"c"_s, u"This is the Golden Gate Bridge. Fog rolls in."_s);

        FacetIndexer indexer;
        Selection onlyB;
        onlyB.extIds = {u"b"_s};
        QCOMPARE(indexer.reindex(*fx.project, onlyB), std::int64_t(1));
        QCOMPARE(fx.segmentRows(a), 0);
        QCOMPARE(fx.segmentRows(b), 1);
        QCOMPARE(fx.segmentRows(c), 0);

        std::int64_t reported = -1;
        Progress progress;
        progress.report = [&](std::int64_t done, std::int64_t total, const QString&) {
            QCOMPARE(total, std::int64_t(3));
            reported = done;
        };
        QCOMPARE(indexer.reindex(*fx.project, Selection{}, progress), std::int64_t(3));
        QCOMPARE(reported, std::int64_t(3));
        QCOMPARE(fx.segmentRows(a), 2);
        QCOMPARE(fx.segmentRows(c), 2);
        QCOMPARE(segmentsOf(fx.project->db(), c).first().facets.first(), u"world_knowledge"_s);
        QVERIFY(fx.versionFacets(c).value(u"world_knowledge"_s) >= 1);

        // The same file through a second connection (what the CLI does next to the GUI).
        auto second = Project::open(path);
        second->db().exec("DELETE FROM version_segments");
        std::atomic_bool cancel{true};
        Progress cancelled;
        cancelled.cancel = &cancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, indexer.reindex(*second, Selection{}, cancelled));
        QCOMPARE(fx.segmentRows(a), 0);

        Selection bad;
        bad.filter = u"nosuchkey:1"_s;
        QVERIFY_THROWS_EXCEPTION(Error, indexer.reindex(*fx.project, bad));
    }

    void projectCuesReachTheIndexer()
    {
        QTemporaryDir dir;
        Fixture fx(dir.filePath(u"p.facet"_s));
        Database& db = fx.project->db();
        FacetModel::setProjectCues(db, kExtraFacet);
        QCOMPARE(FacetModel::forProject(db).keys().last(), u"text"_s);
        QVERIFY_THROWS_EXCEPTION(Error, FacetModel::setProjectCues(db, R"({"cues": 3})"));

        const QString text = u"The sign reads \"OPEN\" in red letters. A cat sits on the left."_s;
        const std::int64_t version = fx.addCaption(u"a"_s, text);
        FacetIndexer indexer; // no model given: uses the project's
        indexer.indexVersion(db, version, text);
        QCOMPARE(segmentsOf(db, version).first().facets.first(), u"text"_s);
        QCOMPARE(fx.versionFacets(version).value(u"text"_s), 1);

        FacetModel::setProjectCues(db, {});
        QCOMPARE(FacetModel::forProject(db).keys().size(), qsizetype(5));
    }

    // The project remembers which model computed its facets, so that the window and `facet stats`
    // can say when they are out of date: after the project's cues change, for a project indexed
    // before fingerprints were stored, and until a whole-project recompute (not a partial one).
    void projectRemembersWhichModelIndexedIt()
    {
        const FacetModel base = FacetModel::defaultModel();
        QVERIFY(!base.fingerprint().isEmpty());
        QCOMPARE(FacetModel::fromJson(kExtraFacet).fingerprint(), FacetModel::fromJson(kExtraFacet).fingerprint());
        QVERIFY(base.merged(FacetModel::fromJson(kExtraFacet)).fingerprint() != base.fingerprint());
        QVERIFY(FacetModel::fromJson(R"({"cues": {"art": {"2": ["fresco"]}}})").fingerprint()
                != FacetModel::fromJson(R"({"cues": {"art": {"2": ["mosaic"]}}})").fingerprint());

        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.facet"_s);
        Fixture fx(path);
        Database& db = fx.project->db();
        QCOMPARE(FacetModel::indexedBy(db), base.fingerprint()); // a new project starts current
        QVERIFY(FacetModel::projectIsCurrent(db));
        QCOMPARE(FacetModel::projectFingerprint(db), base.fingerprint());
        fx.addCaption(u"a"_s, u"The sign reads \"OPEN\". A cat sits on the left."_s);
        fx.addCaption(u"b"_s, u"The image shows a kitchen."_s);

        FacetModel::setProjectCues(db, kExtraFacet);
        QVERIFY(!FacetModel::projectIsCurrent(db));
        // Computed from the documents' bytes, it agrees with the model built from them.
        QCOMPARE(FacetModel::projectFingerprint(db), FacetModel::forProject(db).fingerprint());
        FacetIndexer indexer;
        Selection onlyB;
        onlyB.extIds = {u"b"_s};
        indexer.reindex(*fx.project, onlyB);
        QVERIFY2(!FacetModel::projectIsCurrent(db), "a partial recompute leaves the other captions behind");
        indexer.reindex(*fx.project, Selection{});
        QVERIFY(FacetModel::projectIsCurrent(db));
        QCOMPARE(FacetModel::indexedBy(db), FacetModel::forProject(db).fingerprint());

        FacetModel::setProjectCues(db, {});
        QVERIFY(!FacetModel::projectIsCurrent(db));
        FacetIndexer().reindex(*fx.project, Selection{});
        QVERIFY(FacetModel::projectIsCurrent(db));

        // A project from before fingerprints were stored has none: its facets count as out of date.
        db.exec("DELETE FROM meta WHERE key = 'facet_model'");
        QVERIFY(FacetModel::indexedBy(db).isEmpty());
        QVERIFY(!FacetModel::projectIsCurrent(db));
    }

    // --- Accuracy -----------------------------------------------------------------------------

    void heldoutAccuracy()
    {
        const QList<Labelled> heldout = readSplit(u"dev_heldout.jsonl"_s);
        QVERIFY(heldout.size() >= 120);
        const FacetClassifier classifier;
        int correct = 0;
        QMap<QString, int> truePositives, labelled;
        for (const Labelled& l : heldout) {
            const QStringList got = classifier.classify(l.text);
            if (got.first() == l.facets.first())
                ++correct;
            for (const QString& f : l.facets) {
                ++labelled[f];
                if (got.contains(f))
                    ++truePositives[f];
            }
        }
        const double accuracy = double(correct) / double(heldout.size());
        const double wkRecall = double(truePositives[u"world_knowledge"_s]) / labelled[u"world_knowledge"_s];
        const double artRecall = double(truePositives[u"art"_s]) / labelled[u"art"_s];
        qInfo("held-out: primary %.3f, world_knowledge recall %.3f, art recall %.3f", accuracy, wkRecall, artRecall);
        QVERIFY2(accuracy >= kHeldoutPrimaryFloor, qPrintable(u"primary accuracy %1"_s.arg(accuracy)));
        QVERIFY2(wkRecall >= kHeldoutWkRecallFloor, qPrintable(u"world_knowledge recall %1"_s.arg(wkRecall)));
        QVERIFY2(artRecall >= kHeldoutArtRecallFloor, qPrintable(u"art recall %1"_s.arg(artRecall)));
    }
};

QTEST_GUILESS_MAIN(TestFacets)
#include "test_facets.moc"
