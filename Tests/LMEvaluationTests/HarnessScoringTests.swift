@testable import LMEvaluation
import Testing
import Training

/// The three scoring paths give the same log-likelihoods (to float rounding) and greedy flags; the
/// shared-prefix path really shares: a question's choices form one group.
@Suite struct HarnessScoringTests {
    static func model(_ mode: HarnessLanguageModel.ScoringMode) throws -> HarnessLanguageModel {
        var lm = try HarnessLanguageModel(folder: HarnessParityTests.fixtures + "/model", batchSize: 4)
        lm.scoringMode = mode
        return lm
    }

    static let requests: [(context: String, continuation: String)] = {
        var r: [(String, String)] = []
        for q in ["Which package provides a web server?", "The capital of France is", "Le chat est sur la"] {
            for choice in [" apache2", " Paris, of course", " table", " nginx and more"] { r.append((q, choice)) }
        }
        r.append(("", "a lone request with an empty context"))
        r.append(("Another question with one answer:", " yes"))
        return r
    }()

    @Test func pathsAgree() throws {
        let reference = try Self.model(.unbatched).loglikelihood(Self.requests)
        for mode in [HarnessLanguageModel.ScoringMode.batched, .sharedPrefix] {
            let scores = try Self.model(mode).loglikelihood(Self.requests)
            #expect(scores.count == reference.count)
            for (a, b) in zip(scores, reference) {
                #expect(abs(a.logLikelihood - b.logLikelihood) <= 1e-4 * max(1, abs(b.logLikelihood) / 100), "\(mode): \(a.logLikelihood) vs \(b.logLikelihood)")
                #expect(a.greedy == b.greedy)
            }
        }
    }

    @Test func choicesOfAQuestionShareTheirPrefix() throws {
        let lm = try Self.model(.sharedPrefix)
        let rows = Self.requests.map { r -> TokenScorer.Row in
            let (c, x) = lm.encodePair(context: r.context, continuation: r.continuation)
            return lm.row(context: c, continuation: x)
        }
        #expect(PrefixSharing.groups(rows).map(\.count) == [4, 4, 4, 1, 1])
    }
}
