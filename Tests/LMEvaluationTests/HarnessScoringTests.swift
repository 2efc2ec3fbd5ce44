import Foundation
@testable import LMEvaluation
import Models
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

/// A model with a learned position table (16 positions) evaluates contexts far longer than its
/// table on every path without trapping: requests are cut to the table.
@Suite struct LearnedPositionWindowTests {
    @Test func longRequestsFitTheTable() throws {
        let folder = NSTemporaryDirectory() + "learned-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tokenizerJSON = try Data(contentsOf: URL(fileURLWithPath: HarnessParityTests.fixtures + "/model/tokenizer.json"))
        let vocabulary = ((try JSONSerialization.jsonObject(with: tokenizerJSON) as? [String: Any])?["model"] as? [String: Any])?["vocab"] as? [String: Any]
        let config = BloomConfiguration(vocabSize: vocabulary?.count ?? 2048, hiddenSize: 16, layerCount: 1, headCount: 2,
                                        positionEncoding: .learned, maxPositions: 16)
        try BloomCheckpoint.save(BloomModel(config: config), to: URL(fileURLWithPath: folder))
        try tokenizerJSON.write(to: URL(fileURLWithPath: folder + "/tokenizer.json"))
        let long = String(repeating: "a long context of many words ", count: 20)
        for mode in HarnessLanguageModel.ScoringMode.allCases {
            var lm = try HarnessLanguageModel(folder: folder)
            lm.scoringMode = mode
            #expect(lm.maxLength == 15)
            let scores = lm.loglikelihood([(long, " yes"), (long, " no"), ("short", " " + long)])
            #expect(scores.allSatisfy { $0.logLikelihood.isFinite && $0.logLikelihood < 0 })
            #expect(try lm.rollingLoglikelihood([long]).allSatisfy(\.isFinite))
            _ = lm.generate(context: long, until: ["\n"], maxTokens: 8)
        }
    }
}
