#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>
#include <memory>
#include <vector>

namespace facet {

class Database;

/** One facet of a model: its key (used in storage, the CLI and exports) and how the UI shows it. */
struct FacetInfo
{
    QString key;   ///< [a-z][a-z0-9_]*, e.g. "world_knowledge"
    QString name;  ///< display name, e.g. "World knowledge"
    QString color; ///< "#rrggbb" or empty
    QString description;
};

/** One feature found in a sentence (see FacetModel::features). */
struct FeatureHit
{
    std::uint64_t key = 0; ///< hash of the canonical name
    QString name;          ///< canonical name, filled on request: "w:red", "b:on the", "p:on the left", "pat:quoted"
    int start = 0;         ///< where it first matched in the sentence, [start, end)
    int end = 0;
    /// every occurrence lies in the subject (before the main verb) or in the place phrase of a
    /// predicate that places something ("lies on *a grey felt surface*"): counts at subjectWeight()
    bool inSubject = false;
};

/**
 * The facet set and everything the classifier scores with, as data: facets, hand-written cues
 * (words, phrases, anchored phrases, named patterns) with a weight per facet, biases, thresholds and
 * optionally learned weights (per feature, per facet) written by bench/train_facets.
 *
 * The built-in model is resources/facets/default.json (hand lexicon) merged with
 * resources/facets/learned.json (trained on tests/data/facets/dev_train.jsonl). A project can add
 * facets or cues by merging its own JSON in the same format (see docs/facets.md), e.g. a `text`
 * facet for OCR content.
 *
 * Immutable and cheap to copy (shared data); safe to use from several threads.
 */
class FacetModel final
{
    Q_DECLARE_TR_FUNCTIONS(facet::FacetModel)

public:
    /** An empty model (no facets). */
    FacetModel();

    /**
     * Parses a model document. `origin` names it in error messages (a file path). Facets referenced
     * by cues but not declared are added with their key as name. Throws facet::Error for bad JSON,
     * bad facet keys, unknown pattern names, non-numeric weights or cues without words.
     */
    static FacetModel fromJson(const QByteArray& json, const QString& origin = {});
    /** Reads a model document from a file or a Qt resource path (":/facets/default.json"). */
    static FacetModel fromFile(const QString& path);
    /** The built-in hand lexicon merged with the learned weights. Loaded once. */
    static const FacetModel& defaultModel();
    /** The built-in hand lexicon alone (for measuring what the learned weights add). */
    static FacetModel lexiconModel();

    /**
     * The model for a project: the default model merged with the cue JSON stored in the project's
     * meta table under key "facet_cues", if any.
     */
    static FacetModel forProject(Database& db);
    /**
     * Which model computed the project's stored facets: the fingerprint() of the model that last
     * indexed every caption (a new project records the model it starts with; `facet facets P` and
     * File > Recompute Facets over the whole project record theirs). Empty for a project indexed
     * before fingerprints were stored. One row, cheap to poll.
     */
    static QString indexedBy(Database& db);
    static void setIndexedBy(Database& db, const QString& fingerprint);
    /**
     * forProject(db).fingerprint(), computed from the documents' bytes without building the model
     * (which takes a quarter of a second): for `facet stats` and for a new project.
     */
    static QString projectFingerprint(Database& db);
    /**
     * Whether the project's stored facets came from the model forProject() gives now. False after
     * the built-in model changed (a newer Facet Studio), after the project's cues changed without a
     * recompute, and for projects indexed before fingerprints were stored: their facets may differ
     * from what the classifier says now, until they are recomputed.
     */
    static bool projectIsCurrent(Database& db);
    /** The project's extra cue document as stored (empty when it has none); one row, cheap to poll. */
    static QString projectCues(Database& db);
    /** Validates `json` as a model document and stores it as the project's extra cues; empty removes them. */
    static void setProjectCues(Database& db, const QByteArray& json);

    /**
     * This model with `extra` laid over it: new facets are appended, declared facets replace their
     * name/colour/description, extra cue weights replace the hand weight of the same cue for the same
     * facet (others are kept), biases and thresholds given by `extra` replace these, and a learned
     * section in `extra` replaces this model's learned weights.
     */
    FacetModel merged(const FacetModel& extra) const;

    /**
     * A short hex digest of the documents this model was built from (for a merged model, of its
     * parts in order): equal models from equal documents, a different one after any change to the
     * lexicon, the learned weights or a project's cues. Stored in a project to tell whether its
     * facets are up to date (indexedBy()).
     */
    QString fingerprint() const;
    const QList<FacetInfo>& facets() const;
    QStringList keys() const;
    /** Index of a facet key in facets(), or -1. */
    int indexOf(QStringView key) const;
    bool hasLearnedWeights() const;
    /**
     * Whether the learned weights leave facet `index` out: a project's own facet laid over the
     * built-in model. Its bias and the others' were never fitted together, so the softmax alone
     * would hand it to sentences none of its cues match; the classifier gives such a facet only
     * where its own cues add to its score.
     */
    bool needsOwnEvidence(int index) const;
    double secondaryThreshold() const;
    double otherThreshold() const;
    /**
     * How much a word or phrase cue counts when it lies wholly in the sentence's subject (before the
     * main verb) or in the place phrase of a locative predicate: "The boxer on the left wears red
     * gloves" is about what he wears, not where he is; "A cat lies on a blue blanket" is about where
     * the cat is, not about blue.
     */
    double subjectWeight() const;

    enum class Extract
    {
        Known, ///< only features that carry a weight in this model (what classification uses)
        All,   ///< every unigram, bigram and pattern, plus the model's phrases (for training)
    };
    /**
     * The binary features of a sentence, each once, with the span of its first match. Names are
     * filled only when `withNames` is set (classification does not need them).
     */
    std::vector<FeatureHit> features(QStringView sentence, Extract mode, bool withNames) const;

    /**
     * The fast path of classification: sets `scores` (one slot per facet) to the bias plus the
     * weights of every feature of `sentence` (times subjectWeight() for cues in the subject) and
     * returns how many weighted features fired. When `carries` is given, it receives the yes/no
     * heads' scores (logits) the same way, in the same pass.
     */
    int score(QStringView sentence, double* scores, double* carries = nullptr) const;

    /**
     * Whether the learned weights include yes/no heads: per facet, a logistic regression trained on
     * "the sentence carries this facet" (primary or secondary). They decide secondary facets; the
     * softmax, trained on the primary facet, decides the primary.
     */
    bool hasCarries() const;
    /** The probability facet `index`'s head must reach for a secondary facet; negative when it has no head. */
    double carriesThreshold(int index) const;
    /** Effective yes/no head weights of a feature (hand + learned), one per facet; empty if unknown. */
    std::vector<double> carriesWeights(const QString& featureName) const;
    /** Effective yes/no head bias per facet (0 for facets without a head). */
    std::vector<double> carriesBias() const;

    /** Effective weights (hand + learned) of a feature by canonical name, one per facet; empty if unknown. */
    std::vector<double> weights(const QString& featureName) const;
    /** Effective bias per facet. */
    std::vector<double> bias() const;
    /** Hand weights of a feature by canonical name, one per facet (zeros if unknown). For training. */
    std::vector<double> handWeights(const QString& featureName) const;
    /** Hand bias per facet. For training. */
    std::vector<double> handBias() const;

    /** A short human label for a feature ("word 'left'", "quoted text"), for explanations. */
    QString describeFeature(const QString& featureName) const;

    /** The fixed pattern names a model document may weight. */
    static QStringList patternNames();
    /** The hash used for feature keys (FNV-1a over UTF-16 units of the canonical name). */
    static std::uint64_t featureKey(QStringView canonicalName);

    struct Data;

private:
    explicit FacetModel(std::shared_ptr<const Data> data);
    std::shared_ptr<const Data> d;
    friend class FacetClassifier;
};

} // namespace facet
