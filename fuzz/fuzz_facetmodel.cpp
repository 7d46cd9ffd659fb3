// A project's facet model document (`facet facets P --cues FILE`, stored in the project file and
// read by every process that opens it): FacetModel::fromJson, laid over the built-in model as
// FacetModel::forProject() does, then classification of a few sentences and of the input itself.
//
// Checks beyond "no crash": a refused document says why; an accepted one classifies every
// sentence to a non-empty list of distinct facets of the model, `other` never secondary, and
// explain() gives the same facets as classify(), with one score per facet.

#include "fuzzutil.h"

#include "error.h"
#include "facetclassifier.h"
#include "facetmodel.h"
#include "segmenter.h"

#include <QSet>

#include <memory>

namespace {

using namespace facet;

void checkSentence(const FacetClassifier& classifier, const QString& sentence)
{
    const QStringList facets = classifier.classify(sentence);
    const QStringList keys = classifier.model().keys();
    fuzzCheck(!facets.isEmpty());
    fuzzCheck(QSet<QString>(facets.cbegin(), facets.cend()).size() == facets.size());
    for (const QString& f : facets)
        fuzzCheck(keys.contains(f));
    fuzzCheck(!facets.mid(1).contains(QStringLiteral("other")));
    const Classification c = classifier.explain(sentence);
    fuzzCheck(c.facets == facets);
    fuzzCheck(c.scores.size() == keys.size());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    FacetModel::defaultModel(); // loaded once, outside the timed runs
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    FacetModel model;
    try {
        model = FacetModel::defaultModel().merged(FacetModel::fromJson(json, QStringLiteral("cues.json")));
    } catch (const Error& e) {
        fuzzCheck(!e.message().isEmpty());
        return 0;
    }
    std::unique_ptr<FacetClassifier> classifier;
    try {
        classifier = std::make_unique<FacetClassifier>(model);
    } catch (const Error&) { // more facets than a classifier takes
        fuzzCheck(model.facets().size() > FacetClassifier::MaxFacets);
        return 0;
    }
    static const char* const sentences[] = {
        "A red cup sits in the lower left corner of the wooden table.",
        "The sign reads \"OPEN\" in white letters.",
        "Soft golden light gives the photograph a calm mood.",
        "The Eiffel Tower was completed in 1889.",
        "\xe6\xa1\x8c\xe5\xad\x90\xe7\x9a\x84\xe5\xb7\xa6\xe8\xbe\xb9\xe6\x9c\x89\xe4\xb8\x80\xe6\x8a\x8a\xe6\xa4\x85"
        "\xe5\xad\x90\xe3\x80\x82",
        "",
    };
    for (const char* s : sentences)
        checkSentence(*classifier, QString::fromUtf8(s));
    // The document's own text as a caption: its cue words are likely to fire.
    const QString text = QString::fromUtf8(json).left(2000);
    for (const TextSpan& span : Segmenter::split(text))
        checkSentence(*classifier, text.mid(span.start, span.length()));
    return 0;
}
