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
    for (int f = 0; f < static_cast<int>(m_model.facets().size()); ++f) {
        m_ownEvidence.push_back(m_model.needsOwnEvidence(f) ? 1 : 0);
        m_carriesThreshold.push_back(m_model.carriesThreshold(f));
    }
}

int FacetClassifier::decide(const double* scores, const double* carries, int fired, double* probabilities,
                            double* carriesProbabilities, bool* confident, int* out) const
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
    // The heads' probabilities, -1 for a facet without a head (explain() reports them either way).
    for (int f = 0; f < nf; ++f) {
        carriesProbabilities[f] = m_carriesThreshold[static_cast<std::size_t>(f)] >= 0.0
                                      ? 1.0 / (1.0 + std::exp(-carries[f]))
                                      : -1.0;
    }

    *confident = fired > 0 && probabilities[best] >= m_model.otherThreshold();
    if (!*confident && m_other >= 0) {
        out[0] = m_other;
        return 1;
    }
    out[0] = best;
    int count = 1;
    // A facet with a yes/no head is secondary when its head says the sentence carries it; a facet
    // without one (a project's own, or a model without heads) when the softmax leaves it enough.
    const double threshold = m_model.secondaryThreshold();
    for (int f = 0; f < nf; ++f) {
        const double headThreshold = m_carriesThreshold[static_cast<std::size_t>(f)];
        const bool secondary = headThreshold >= 0.0 ? carriesProbabilities[f] >= headThreshold
                                                    : eligible(f) && probabilities[f] >= threshold;
        if (f != best && f != m_other && secondary)
            out[count++] = f;
    }
    const auto rank = [&](int f) {
        return carriesProbabilities[f] >= 0.0 ? carriesProbabilities[f] : probabilities[f];
    };
    std::sort(out + 1, out + count, [&](int a, int b) { return rank(a) > rank(b); });
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
    double carries[kMaxFacets];
    double probabilities[kMaxFacets];
    double carriesProbabilities[kMaxFacets];
    bool confident = true;
    const int fired = m_model.score(sentence, scores, carries);
    return decide(scores, carries, fired, probabilities, carriesProbabilities, &confident, out);
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
    double carries[kMaxFacets];
    double probabilities[kMaxFacets];
    double carriesProbabilities[kMaxFacets];
    const int fired = m_model.score(sentence, scores, carries);
    int indexes[kMaxFacets];
    const int count = decide(scores, carries, fired, probabilities, carriesProbabilities, &c.confident, indexes);
    c.facets = keysOf(indexes, count);

    const std::vector<double> bias = m_model.bias();
    const std::vector<double> carriesBias = m_model.carriesBias();
    for (int f = 0; f < nf; ++f) {
        FacetScore s;
        s.facet = facets[f].key;
        s.score = scores[f];
        s.probability = probabilities[f];
        s.bias = bias[static_cast<std::size_t>(f)];
        if (m_carriesThreshold[static_cast<std::size_t>(f)] >= 0.0) {
            s.carries = carriesProbabilities[f];
            s.carriesThreshold = m_carriesThreshold[static_cast<std::size_t>(f)];
            s.carriesScore = carries[f];
            s.carriesBias = carriesBias[static_cast<std::size_t>(f)];
        }
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
        const std::vector<double> cw = m_model.carriesWeights(hit.name);
        for (int f = 0; f < nf; ++f) {
            const double contribution = x * w[static_cast<std::size_t>(f)];
            if (std::abs(contribution) >= 0.005)
                c.scores[f].cues.append({hit.name, label, text, hit.start, hit.end, contribution});
            const double carriesContribution = x * cw[static_cast<std::size_t>(f)];
            if (c.scores[f].carries >= 0.0 && std::abs(carriesContribution) >= 0.005)
                c.scores[f].carriesCues.append({hit.name, label, text, hit.start, hit.end, carriesContribution});
        }
    }
    const auto byWeight = [](const CueContribution& a, const CueContribution& b) { return a.weight > b.weight; };
    for (FacetScore& s : c.scores) {
        std::stable_sort(s.cues.begin(), s.cues.end(), byWeight);
        std::stable_sort(s.carriesCues.begin(), s.carriesCues.end(), byWeight);
    }
    return c;
}

Classification explain(const QString& sentence)
{
    static const FacetClassifier classifier;
    return classifier.explain(sentence);
}

} // namespace facet
