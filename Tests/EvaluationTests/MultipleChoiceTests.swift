import Foundation
import Testing
@testable import Evaluation

/// lm-evaluation-harness `acc` / `acc_norm` conventions, checked on hand-computed examples.
@Suite struct MultipleChoiceTests {
    /// Python `len`: code points. NFD `é` is 2, a skin-toned emoji is 2, a ZWJ family is 5.
    @Test func completionLengthCountsCodePoints() {
        #expect(MultipleChoice.completionLength("\u{E9}") == 1)
        #expect(MultipleChoice.completionLength("e\u{301}") == 2)
        #expect(MultipleChoice.completionLength("日本語") == 3)
        #expect(MultipleChoice.completionLength("👍🏽") == 2)
        #expect(MultipleChoice.completionLength("👨‍👩‍👧") == 5)
        #expect(MultipleChoice.completionLength("") == 0)
    }

    /// Raw: −2 > −3 picks 0. Normalized by code points: −2/1 = −2 vs −3/2 = −1.5 picks 1.
    @Test func normalizationUsesCodePointLength() throws {
        let result = try MultipleChoice.score(loglikelihoods: [-2, -3], choices: ["\u{E9}", "e\u{301}"], gold: 1)
        #expect(result.prediction == 0)
        #expect(result.normalizedPrediction == 1)
        #expect(result.acc == 0)
        #expect(result.accNorm == 1)
    }

    /// `日本語` (3 code points, 9 UTF-8 bytes) vs `abcd` (4 of each), both −6: raw tie → choice 0;
    /// per code point −2 vs −1.5 → choice 1 (per byte it would be −0.67 vs −1.5 → choice 0).
    @Test func cjkChoicesAreNormalizedByCodePointsNotBytes() throws {
        let result = try MultipleChoice.score(loglikelihoods: [-6, -6], choices: ["日本語", "abcd"], gold: 1)
        #expect(result.prediction == 0)
        #expect(result.normalizedPrediction == 1)
        #expect(result.acc == 0 && result.accNorm == 1)
    }

    /// `👨‍👩‍👧` is 1 grapheme but 5 code points: −6/5 = −1.2 beats −1.5/1 = −1.5 only with code points.
    @Test func graphemeClustersAreNotTheUnit() throws {
        let result = try MultipleChoice.score(loglikelihoods: [-6, -1.5], choices: ["👨‍👩‍👧", "x"], gold: 0)
        #expect(result.normalizedPrediction == 0)
        #expect(result.prediction == 1)
    }

    /// numpy.argmax returns the first maximum.
    @Test func tiesGoToTheFirstMaximum() throws {
        let first = try MultipleChoice.score(loglikelihoods: [-1, -1, -2], choices: ["ab", "cd", "ef"], gold: 0)
        #expect(first.acc == 1 && first.accNorm == 1)
        let second = try MultipleChoice.score(loglikelihoods: [-1, -1, -2], choices: ["ab", "cd", "ef"], gold: 1)
        #expect(second.acc == 0 && second.accNorm == 0)
        #expect(MultipleChoice.argmax([3, 5, 5, 1]) == 1)
    }

    /// numpy.argmax treats NaN as the maximum; dividing by an empty choice's length 0 gives −∞ or NaN.
    @Test func nanAndEmptyChoicesFollowNumPy() throws {
        #expect(MultipleChoice.argmax([1, .nan, 3, .nan]) == 1)
        #expect(MultipleChoice.argmax([]) == nil)
        let negativeOverZero = try MultipleChoice.score(loglikelihoods: [-1, -2], choices: ["", "ab"], gold: 1)
        #expect(negativeOverZero.normalizedPrediction == 1)  // [−∞, −1]
        let zeroOverZero = try MultipleChoice.score(loglikelihoods: [0, -2], choices: ["", "ab"], gold: 1)
        #expect(zeroOverZero.normalizedPrediction == 0)  // [NaN, −1]
    }

    /// acc = [1, 0, 1, 1]: mean 0.75, sample sd sqrt(0.75/3) = 0.5, stderr 0.5/√4 = 0.25.
    /// acc_norm = [1, 1, 1, 0]: the same numbers.
    @Test func aggregationUsesHarnessMeanStderr() throws {
        let results = [
            MultipleChoiceResult(gold: 0, prediction: 0, normalizedPrediction: 0),
            MultipleChoiceResult(gold: 1, prediction: 0, normalizedPrediction: 1),
            MultipleChoiceResult(gold: 2, prediction: 2, normalizedPrediction: 2),
            MultipleChoiceResult(gold: 3, prediction: 3, normalizedPrediction: 0),
        ]
        let summary = try MultipleChoice.aggregate(results)
        #expect(summary == MultipleChoiceSummary(count: 4, acc: 0.75, accStderr: 0.25, accNorm: 0.75, accNormStderr: 0.25))
        #expect(throws: SampleStatisticsError.notEnoughSamples(needed: 2, found: 1)) {
            try MultipleChoice.aggregate(Array(results.prefix(1)))
        }
    }

    @Test func rejectsMalformedExamples() {
        #expect(throws: MultipleChoiceError.noChoices) { try MultipleChoice.score(loglikelihoods: [], choices: [], gold: 0) }
        #expect(throws: MultipleChoiceError.countMismatch(loglikelihoods: 1, choices: 2)) {
            try MultipleChoice.score(loglikelihoods: [-1], choices: ["a", "b"], gold: 0)
        }
        #expect(throws: MultipleChoiceError.goldOutOfRange(gold: 2, choiceCount: 2)) {
            try MultipleChoice.score(loglikelihoods: [-1, -2], choices: ["a", "b"], gold: 2)
        }
        #expect(throws: MultipleChoiceError.goldOutOfRange(gold: -1, choiceCount: 2)) {
            try MultipleChoice.score(loglikelihoods: [-1, -2], choices: ["a", "b"], gold: -1)
        }
    }

    @Test func resultJSONCarriesDerivedAccuracies() throws {
        let result = MultipleChoiceResult(gold: 1, prediction: 0, normalizedPrediction: 1)
        let data = try JSONEncoder().encode(result)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["acc"] as? Double == 0)
        #expect(object["acc_norm"] as? Double == 1)
        #expect(try JSONDecoder().decode(MultipleChoiceResult.self, from: data) == result)
    }
}
