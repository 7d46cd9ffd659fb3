#include "facetclassifier.h"

#include "error.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace facet {

namespace {

constexpr int kMaxFacets = FacetClassifier::MaxFacets;

} // namespace

const FacetScore* Classification::score(QStringView facet) const
{
    for (const FacetScore& s : scores) {
        if (s.facet == facet)
            return &s;
    }
    return nullptr;
}

FacetClassifier::FacetClassifier(FacetModel model)
    : m_model(std::move(model))
    , m_other(m_model.indexOf(u"other"))
{
    if (m_model.facets().size() > kMaxFacets)
        throw Error(tr("A facet model may have at most %1 facets").arg(kMaxFacets));
    m_bias = m_model.bias();
    for (int f = 0; f < static_cast<int>(m_model.facets().size()); ++f)
        m_ownEvidence.push_back(m_model.needsOwnEvidence(f) ? 1 : 0);
}

int FacetClassifier::decide(const double* scores, int fired, double* probabilities, bool* confident, int* out) const
{
    const int nf = static_cast<int>(m_model.facets().size());
    if (nf == 0)
        return 0;
    // A facet that needs its own evidence (a project's facet over learned weights) takes part only
    // when its cues added to its score; the rest always do.
    const auto eligible = [&](int f) {
        return !m_ownEvidence[static_cast<std::size_t>(f)] || scores[f] > m_bias[static_cast<std::size_t>(f)] + 1e-9;
    };
    int best = -1;
    for (int f = 0; f < nf; ++f) {
        if (eligible(f) && (best < 0 || scores[f] > scores[best]))
            best = f;
    }
    if (best < 0) // only facets without evidence: the highest score, as before
        best = static_cast<int>(std::max_element(scores, scores + nf) - scores);
    double sum = 0.0;
    for (int f = 0; f < nf; ++f) {
        probabilities[f] = std::exp(scores[f] - scores[best]);
        sum += probabilities[f];
    }
    for (int f = 0; f < nf; ++f)
        probabilities[f] /= sum;

    *confident = fired > 0 && probabilities[best] >= m_model.otherThreshold();
    if (!*confident && m_other >= 0) {
        out[0] = m_other;
        return 1;
    }
    out[0] = best;
    int count = 1;
    const double threshold = m_model.secondaryThreshold();
    for (int f = 0; f < nf; ++f) {
        if (f != best && f != m_other && eligible(f) && probabilities[f] >= threshold)
            out[count++] = f;
    }
    std::sort(out + 1, out + count, [&](int a, int b) { return probabilities[a] > probabilities[b]; });
    return count;
}

QStringList FacetClassifier::keysOf(const int* indexes, int count) const
{
    QStringList keys;
    keys.reserve(count);
    for (int k = 0; k < count; ++k)
        keys.append(m_model.facets()[indexes[k]].key);
    return keys;
}

int FacetClassifier::classifyIndexes(QStringView sentence, int* out) const
{
    double scores[kMaxFacets];
    double probabilities[kMaxFacets];
    bool confident = true;
    const int fired = m_model.score(sentence, scores);
    return decide(scores, fired, probabilities, &confident, out);
}

QStringList FacetClassifier::classify(QStringView sentence) const
{
    int indexes[kMaxFacets];
    const int count = classifyIndexes(sentence, indexes);
    return keysOf(indexes, count);
}

Classification FacetClassifier::explain(QStringView sentence) const
{
    Classification c;
    const QList<FacetInfo>& facets = m_model.facets();
    const int nf = static_cast<int>(facets.size());
    double scores[kMaxFacets];
    double probabilities[kMaxFacets];
    const int fired = m_model.score(sentence, scores);
    int indexes[kMaxFacets];
    const int count = decide(scores, fired, probabilities, &c.confident, indexes);
    c.facets = keysOf(indexes, count);

    const std::vector<double> bias = m_model.bias();
    for (int f = 0; f < nf; ++f) {
        FacetScore s;
        s.facet = facets[f].key;
        s.score = scores[f];
        s.probability = probabilities[f];
        s.bias = bias[static_cast<std::size_t>(f)];
        c.scores.append(s);
    }
    for (const FeatureHit& hit : m_model.features(sentence, FacetModel::Extract::Known, true)) {
        const std::vector<double> w = m_model.weights(hit.name);
        if (w.empty())
            continue;
        const QString label = hit.inSubject ? tr("%1 (subject or place phrase)").arg(m_model.describeFeature(hit.name))
                                            : m_model.describeFeature(hit.name);
        const QString text = sentence.mid(hit.start, hit.end - hit.start).toString();
        const double x = hit.inSubject ? m_model.subjectWeight() : 1.0;
        for (int f = 0; f < nf; ++f) {
            const double contribution = x * w[static_cast<std::size_t>(f)];
            if (std::abs(contribution) < 0.005)
                continue;
            c.scores[f].cues.append({hit.name, label, text, hit.start, hit.end, contribution});
        }
    }
    for (FacetScore& s : c.scores) {
        std::stable_sort(s.cues.begin(), s.cues.end(),
                         [](const CueContribution& a, const CueContribution& b) { return a.weight > b.weight; });
    }
    return c;
}

Classification explain(const QString& sentence)
{
    static const FacetClassifier classifier;
    return classifier.explain(sentence);
}

} // namespace facet
