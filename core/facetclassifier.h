#pragma once

#include "facetmodel.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <vector>

namespace facet {

/** One cue that fired in a sentence and what it added to one facet's score. */
struct CueContribution
{
    QString feature; ///< canonical feature name ("p:on the left", "pat:quoted", "w:red")
    QString label;   ///< human label ("phrase \"on the left\"", "pattern: quoted text")
    QString text;    ///< the matched part of the sentence
    int start = 0;   ///< span of the match in the sentence, [start, end)
    int end = 0;
    double weight = 0.0;
};

/** A facet's score for one sentence, and why. */
struct FacetScore
{
    QString facet;
    double score = 0.0;       ///< bias + sum of cue weights
    double probability = 0.0; ///< softmax over all facets
    double bias = 0.0;
    QList<CueContribution> cues; ///< non-zero contributions, largest weight first

    /// The facet's yes/no head, when the model has one for it: the probability that the sentence
    /// carries this facet at all (primary or secondary); negative without a head.
    double carries = -1.0;
    double carriesThreshold = -1.0; ///< what `carries` must reach for a secondary facet
    double carriesScore = 0.0;      ///< the head's logit: carriesBias + sum of carriesCues
    double carriesBias = 0.0;
    QList<CueContribution> carriesCues; ///< the head's non-zero contributions, largest first
};

/** The classification of one sentence with its explanation. */
struct Classification
{
    QStringList facets;       ///< the result, primary first
    QList<FacetScore> scores; ///< every facet of the model, in the model's order
    bool confident = true;    ///< false when no cue fired or the best facet was too unsure ("other")

    /** The score entry of a facet, or nullptr. */
    const FacetScore* score(QStringView facet) const;
};

/**
 * Assigns facets to one segment (sentence) of a caption with a FacetModel: each facet's score is its
 * bias plus the weights of the cues that fired; probabilities are their softmax.
 *
 * - primary = the facet with the highest score;
 * - secondary facets = the others (never `other`) that the facet's yes/no head says the sentence
 *   carries (its probability reaches the head's threshold); a facet without a head (a project's
 *   own, or a model without heads) when its softmax probability reaches the model's secondary
 *   threshold; most probable first;
 * - `other` alone when no weighted cue fired at all, or when the primary's probability is below
 *   the model's `other` threshold.
 *
 * No network, no allocation per word on the fast path; a few microseconds per sentence.
 * Const and thread-safe.
 */
class FacetClassifier final
{
    Q_DECLARE_TR_FUNCTIONS(facet::FacetClassifier)

public:
    /** Facet sets are small; a document with more facets than this is refused. */
    static constexpr int MaxFacets = 64;

    explicit FacetClassifier(FacetModel model = FacetModel::defaultModel());

    /** The facets of a sentence, primary first. */
    QStringList classify(QStringView sentence) const;
    /** The facets of a sentence with every facet's score and the cues behind it. */
    Classification explain(QStringView sentence) const;

    /**
     * classify() for hot loops: writes the facets' indexes in model().facets(), primary first, to
     * `out` (room for every facet of the model) and returns how many there are. Allocates nothing.
     */
    int classifyIndexes(QStringView sentence, int* out) const;

    const FacetModel& model() const { return m_model; }

private:
    int decide(const double* scores, const double* carries, int fired, double* probabilities,
               double* carriesProbabilities, bool* confident, int* out) const;
    QStringList keysOf(const int* indexes, int count) const;

    FacetModel m_model;
    int m_other = -1;
    std::vector<double> m_bias;             // per facet: its score when nothing fired
    std::vector<char> m_ownEvidence;        // per facet: FacetModel::needsOwnEvidence()
    std::vector<double> m_carriesThreshold; // per facet: FacetModel::carriesThreshold(), negative without a head
};

/** Explains a sentence with the default model (for the review window and `facet show`). */
Classification explain(const QString& sentence);

} // namespace facet
