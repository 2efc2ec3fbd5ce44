import Foundation
import Testing
@testable import Evaluation

/// BLEU and the 13a tokenizer against the outputs sacrebleu wrote into `Fixtures/bleu.json`.
@Suite struct BLEUFixtureTests {
    static let tolerance = 1e-9
    let fixture = BLEUFixture.shared

    @Test func fixtureComesFromTheVersionInTheSignature() {
        #expect(fixture.sacrebleuVersion == BLEU.referenceVersion)
        #expect(fixture.cases.count >= 28)
        #expect(fixture.tokenization.count >= 100)
    }

    @Test func tokenizerMatchesSacrebleuExactly() {
        let tokenizer = Tokenizer13a()
        var mismatches: [String] = []
        for entry in fixture.tokenization {
            let ours = tokenizer(entry.input)
            if !sameScalars(ours, entry.tokenized) {
                mismatches.append("\(entry.input.debugDescription): got \(ours.debugDescription), sacrebleu \(entry.tokenized.debugDescription)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test(arguments: BLEUFixture.shared.cases.map(\.name))
    func corpusScoreMatchesSacrebleu(caseName: String) throws {
        let entry = try #require(fixture.cases.first { $0.name == caseName })
        let ours = try BLEU.corpusScore(hypotheses: entry.hypotheses, referenceStreams: entry.references)
        let expected = entry.corpus
        #expect(ours.counts == expected.counts)
        #expect(ours.totals == expected.totals)
        #expect(ours.sysLen == expected.sysLen)
        #expect(ours.refLen == expected.refLen)
        #expect(ours.signature == expected.signature)
        #expect(relativeDeviation(ours.score, expected.score) <= Self.tolerance, "score \(ours.score) vs \(expected.score)")
        #expect(relativeDeviation(ours.bp, expected.bp) <= Self.tolerance, "bp \(ours.bp) vs \(expected.bp)")
        #expect(ours.precisions.count == expected.precisions.count)
        for (mine, theirs) in zip(ours.precisions, expected.precisions) {
            #expect(relativeDeviation(mine, theirs) <= Self.tolerance, "precision \(mine) vs \(theirs)")
        }
    }

    @Test(arguments: BLEUFixture.shared.cases.map(\.name))
    func sentenceScoresMatchSacrebleu(caseName: String) throws {
        let entry = try #require(fixture.cases.first { $0.name == caseName })
        #expect(!entry.sentences.isEmpty)
        for (index, expected) in entry.sentences.enumerated() {
            let references = entry.references.map { $0[index] }
            let ours = try BLEU.sentenceScore(hypothesis: entry.hypotheses[index], references: references)
            #expect(ours.signature == entry.sentenceSignature)
            #expect(ours.counts == expected.counts, "segment \(index)")
            #expect(ours.totals == expected.totals, "segment \(index)")
            #expect(ours.sysLen == expected.sysLen && ours.refLen == expected.refLen, "segment \(index)")
            #expect(relativeDeviation(ours.score, expected.score) <= Self.tolerance,
                    "segment \(index): \(ours.score) vs \(expected.score)")
            #expect(relativeDeviation(ours.bp, expected.bp) <= Self.tolerance, "segment \(index)")
            for (mine, theirs) in zip(ours.precisions, expected.precisions) {
                #expect(relativeDeviation(mine, theirs) <= Self.tolerance, "segment \(index)")
            }
        }
    }

    /// Summing per-segment statistics reproduces the corpus score (the incremental API).
    @Test func segmentStatisticsSumToTheCorpusScore() throws {
        let entry = try #require(fixture.cases.first { $0.name == "random_word_list_corpus" })
        var total = BLEUStatistics.zero(maxOrder: BLEU.maxNGramOrder)
        for (index, hypothesis) in entry.hypotheses.enumerated() {
            total = total + BLEU.segmentStatistics(hypothesis: hypothesis, references: entry.references.map { $0[index] })
        }
        let incremental = BLEUScore.exponentialSmoothing(
            total, effectiveOrder: false, signature: BLEU.signature(referenceCount: 1, effectiveOrder: false))
        #expect(incremental == (try BLEU.corpusScore(hypotheses: entry.hypotheses, referenceStreams: entry.references)))
        #expect(incremental.score > 10 && incremental.score < 90)
    }

    /// Largest relative deviation over every number in the fixture; printed for the README's record.
    @Test func maximumDeviationIsWithinTolerance() throws {
        var worst = 0.0
        var compared = 0
        for entry in fixture.cases {
            let corpus = try BLEU.corpusScore(hypotheses: entry.hypotheses, referenceStreams: entry.references)
            for (a, b) in zip([corpus.score, corpus.bp] + corpus.precisions, [entry.corpus.score, entry.corpus.bp] + entry.corpus.precisions) {
                worst = max(worst, relativeDeviation(a, b))
                compared += 1
            }
            for (index, expected) in entry.sentences.enumerated() {
                let ours = try BLEU.sentenceScore(hypothesis: entry.hypotheses[index], references: entry.references.map { $0[index] })
                for (a, b) in zip([ours.score, ours.bp] + ours.precisions, [expected.score, expected.bp] + expected.precisions) {
                    worst = max(worst, relativeDeviation(a, b))
                    compared += 1
                }
            }
        }
        print("BLEU fixture: \(compared) floating-point values compared, max relative deviation \(worst)")
        #expect(worst <= Self.tolerance)
    }
}
