import Foundation
import Testing
@testable import Evaluation

/// Hand-worked BLEU cases and the library's input checks.
@Suite struct BLEUBehaviourTests {
    /// hyp `a b c d e` vs ref `a b c x e f`: matches 4/5, 2/4, 1/3, 0/2; the zero 4-gram order is
    /// smoothed to 100/(2·2) = 25; bp = exp(1 − 6/5).
    @Test func exponentialSmoothingByHand() throws {
        let score = try BLEU.corpusScore(hypotheses: ["a b c d e"], referenceStreams: [["a b c x e f"]])
        #expect(score.counts == [4, 2, 1, 0])
        #expect(score.totals == [5, 4, 3, 2])
        #expect(score.sysLen == 5 && score.refLen == 6)
        #expect(score.precisions[3] == 25)
        #expect(relativeDeviation(score.bp, exp(-0.2)) < 1e-15)
        let expected = exp(-0.2) * pow(80.0 * 50.0 * (100.0 / 3.0) * 25.0, 0.25)
        #expect(relativeDeviation(score.score, expected) < 1e-12)
    }

    /// With two zero-match orders the second is halved again: 100/(2·t₃), 100/(4·t₄).
    @Test func smoothingDenominatorDoublesPerZeroOrder() throws {
        let score = try BLEU.corpusScore(hypotheses: ["a b x c d y"], referenceStreams: [["a b c d"]])
        #expect(score.counts == [4, 2, 0, 0])
        #expect(score.totals == [6, 5, 4, 3])
        #expect(score.precisions[2] == 100.0 / (2 * 4))
        #expect(score.precisions[3] == 100.0 / (4 * 3))
    }

    /// A two-token segment has no 3-grams: the corpus score is 0 (the walk stops, log 0 is floored),
    /// the sentence score with effective order averages only orders 1–2.
    @Test func effectiveOrderOnlyForSentences() throws {
        let corpus = try BLEU.corpusScore(hypotheses: ["a b"], referenceStreams: [["a b"]])
        let sentence = try BLEU.sentenceScore(hypothesis: "a b", references: ["a b"])
        #expect(corpus.score == 0)
        #expect(corpus.precisions == [100, 100, 0, 0])
        #expect(relativeDeviation(sentence.score, 100) < 1e-12)
        #expect(sentence.signature.contains("eff:yes"))
        #expect(corpus.signature == "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:\(BLEU.referenceVersion)")
    }

    /// Python compares code points, so NFC `café` and NFD `café` are different tokens even though
    /// Swift's `String ==` calls them equal.
    @Test func canonicallyEquivalentTokensDoNotMatch() throws {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(composed == decomposed)
        let score = try BLEU.sentenceScore(hypothesis: composed, references: [decomposed])
        #expect(score.counts == [0, 0, 0, 0])
        #expect(score.score == 0)
    }

    /// Equal distance to both references: the shorter length is the effective one.
    @Test func closestReferenceLengthPrefersShorterOnTie() {
        #expect(BLEUStatistics.closestReferenceLength(hypothesisLength: 5, referenceLengths: [6, 4]) == 4)
        #expect(BLEUStatistics.closestReferenceLength(hypothesisLength: 5, referenceLengths: [4, 6]) == 4)
        #expect(BLEUStatistics.closestReferenceLength(hypothesisLength: 5, referenceLengths: [9, 7, 3]) == 3)
        #expect(BLEUStatistics.closestReferenceLength(hypothesisLength: 5, referenceLengths: [9, 7, 1]) == 7)
    }

    /// Clipping uses the maximum count of an n-gram in any single reference, not the sum.
    @Test func clippingUsesMaxOverReferences() throws {
        let score = try BLEU.sentenceScore(hypothesis: "the the the", references: ["the cat", "the the dog"])
        #expect(score.counts[0] == 2)
        #expect(score.totals[0] == 3)
    }

    @Test func trailingWhitespaceIsStrippedBeforeTokenizing() throws {
        let stats = BLEU.segmentStatistics(hypothesis: "end-\n", references: ["end -"])
        #expect(stats.hypothesisLength == 1)  // rstrip leaves "end-", which 13a keeps as one token
        #expect(Tokenizer13a()("end-\n") == "end")  // without the rstrip the "-\n" join applies
    }

    @Test func rejectsMalformedInput() {
        #expect(throws: MetricInputError.emptyCorpus) { try BLEU.corpusScore(hypotheses: [], referenceStreams: [[]]) }
        #expect(throws: MetricInputError.noReferences) { try BLEU.corpusScore(hypotheses: ["a"], referenceStreams: []) }
        #expect(throws: MetricInputError.referenceStreamLengthMismatch(stream: 1, expected: 2, found: 1)) {
            try BLEU.corpusScore(hypotheses: ["a", "b"], referenceStreams: [["a", "b"], ["a"]])
        }
        #expect(throws: MetricInputError.noReferences) { try BLEU.sentenceScore(hypothesis: "a", references: []) }
    }

    @Test func scoreRoundTripsThroughJSONWithSacrebleuKeys() throws {
        let score = try BLEU.corpusScore(hypotheses: ["a b c d e"], referenceStreams: [["a b c x e f"]])
        let data = try JSONEncoder().encode(score)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["sys_len"] as? Int == 5)
        #expect(object["ref_len"] as? Int == 6)
        #expect(try JSONDecoder().decode(BLEUScore.self, from: data) == score)
        #expect(relativeDeviation(score.ratio, 5.0 / 6.0) < 1e-15)
    }
}
