/// Corpus and sentence BLEU with sacrebleu 2.x defaults (`sacrebleu.corpus_bleu(hyps, [refs])` and
/// `sacrebleu.sentence_bleu(hyp, refs)` in `sacrebleu/compat.py`, `BLEU` in `sacrebleu/metrics/bleu.py`):
/// `13a` tokenization, case-sensitive, n-grams up to order 4, `exp` smoothing; effective order off for the
/// corpus score and on for the sentence score.
///
/// Each segment is right-stripped of Python whitespace and tokenized (`BLEU._preprocess_segment`), its
/// statistics are computed against its references, statistics are summed over the corpus and scored once.
/// Verified against sacrebleu `BLEU.referenceVersion` with `Tests/EvaluationTests/Fixtures/bleu.json`.
public enum BLEU {
    /// The sacrebleu release whose outputs the fixtures record, written into every signature.
    public static let referenceVersion = "2.6.0"
    /// sacrebleu's `MAX_NGRAM_ORDER`.
    public static let maxNGramOrder = 4

    /// `sacrebleu.corpus_bleu(hypotheses, referenceStreams)`.
    ///
    /// - Parameter referenceStreams: one array per reference set, each with one reference per hypothesis
    ///   (sacrebleu's `refs` argument: `[[ref1 for every segment], [ref2 for every segment], …]`).
    public static func corpusScore(hypotheses: [String], referenceStreams: [[String]]) throws(MetricInputError) -> BLEUScore {
        guard !hypotheses.isEmpty else { throw .emptyCorpus }
        guard !referenceStreams.isEmpty else { throw .noReferences }
        for (index, stream) in referenceStreams.enumerated() where stream.count != hypotheses.count {
            throw .referenceStreamLengthMismatch(stream: index, expected: hypotheses.count, found: stream.count)
        }
        var total = BLEUStatistics.zero(maxOrder: maxNGramOrder)
        for (index, hypothesis) in hypotheses.enumerated() {
            total = total + segmentStatistics(hypothesis: hypothesis, references: referenceStreams.map { $0[index] })
        }
        let signature = signature(referenceCount: referenceStreams.count, effectiveOrder: false)
        return BLEUScore.exponentialSmoothing(total, effectiveOrder: false, signature: signature)
    }

    /// `sacrebleu.sentence_bleu(hypothesis, references)`: one segment, effective order on.
    public static func sentenceScore(hypothesis: String, references: [String]) throws(MetricInputError) -> BLEUScore {
        guard !references.isEmpty else { throw .noReferences }
        let stats = segmentStatistics(hypothesis: hypothesis, references: references)
        let signature = signature(referenceCount: references.count, effectiveOrder: true)
        return BLEUScore.exponentialSmoothing(stats, effectiveOrder: true, signature: signature)
    }

    /// Statistics of one raw (untokenized) segment; sum them with `+` and score with
    /// `BLEUScore.exponentialSmoothing` to reproduce `corpusScore` incrementally.
    public static func segmentStatistics(hypothesis: String, references: [String]) -> BLEUStatistics {
        BLEUStatistics.segment(hypothesis: preprocess(hypothesis),
                               references: references.map(preprocess),
                               maxOrder: maxNGramOrder)
    }

    /// sacrebleu's signature string (`BLEUSignature.format()`), keys in its order, version last.
    public static func signature(referenceCount: Int, effectiveOrder: Bool) -> String {
        "nrefs:\(referenceCount)|case:mixed|eff:\(effectiveOrder ? "yes" : "no")|tok:\(Tokenizer13a.signatureName)"
            + "|smooth:exp|version:\(referenceVersion)"
    }

    /// `BLEU._preprocess_segment` without lowercasing: `tokenizer(sent.rstrip())`.
    static func preprocess(_ segment: String) -> [[Unicode.Scalar]] {
        Tokenizer13a().scalarTokens(PythonWhitespace.stripTrailing(Array(segment.unicodeScalars)))
    }
}
