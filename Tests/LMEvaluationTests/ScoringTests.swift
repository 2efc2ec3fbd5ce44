import Foundation
import Models
import TensorEngine
import Testing
@testable import LMEvaluation
@testable import Training

@Suite struct TokenScorerTests {
    static let model = BloomModel(config: BloomConfiguration(vocabSize: 40, hiddenSize: 16, layerCount: 2, headCount: 2),
                                  initialization: .huggingFace(), seed: 3)

    static func ids(_ n: Int, seed: Int) -> [Int32] { (0..<n).map { Int32((($0 + 1) * 7 + seed * 13) % 40) } }

    @Test func meanLossOverWindowsEqualsTheModelsCrossEntropy() {
        let windows = PackedWindows(length: 12, ids: Self.ids(36, seed: 1))              // 3 windows
        let scorer = TokenScorer(model: Self.model, padding: 0, batchSize: 2)
        let (loss, tokens) = scorer.meanLoss(windows)
        let reference = GradMode.withoutGrad { Self.model.loss(ids: windows.ids, batch: 3, length: 12).loss.item() }
        #expect(tokens == 3 * 11)
        #expect(abs(loss - Double(reference)) < 1e-5, "\(loss) vs \(reference)")
    }

    @Test func aScoredTokenIsItsLogSoftmaxAndPaddingDoesNotLeak() {
        let short = Self.ids(5, seed: 2), long = Self.ids(11, seed: 4)
        let scorer = TokenScorer(model: Self.model, padding: 0, batchSize: 8)
        let lastOnly = TokenScorer.Row(ids: short, scored: [false, false, false, false, true])
        let together = scorer.score([lastOnly, TokenScorer.Row(window: long)])
        let alone = scorer.score([lastOnly])
        #expect(together[0] == alone[0] && alone[0].tokens == 1)
        // Reference: log-softmax of the logits at position 3, in Double.
        let logits = GradMode.withoutGrad { Self.model.logits(ids: short, batch: 1, length: 5) }.toArray()
        let row = logits[(3 * 40)..<(4 * 40)].map(Double.init)
        let maxValue = row.max()!
        let logSumExp = maxValue + Foundation.log(row.map { Foundation.exp($0 - maxValue) }.reduce(0, +))
        #expect(abs(alone[0].logLikelihood - (row[Int(short[4])] - logSumExp)) < 1e-5)
    }

    @Test func multipleChoiceRowsKeepTheContinuationWhenCutFromTheLeft() {
        let evaluator = MultipleChoiceEvaluator(scorer: TokenScorer(model: Self.model, padding: 0), tokenizer: try! TinyTokenizer.make(), eos: 2, length: 6)
        let row = evaluator.row(context: [2, 10, 11, 12, 13, 14], continuation: [20, 21])
        #expect(row.ids == [11, 12, 13, 14, 20, 21])
        #expect(row.scored == [false, false, false, false, true, true])
        let long = evaluator.row(context: [2, 10], continuation: [20, 21, 22, 23, 24, 25, 26])
        #expect(long.scored.first == false && long.ids.count == 6)
    }
}

@Suite struct PromptTests {
    @Test func oneShotPutsASolvedOtherItemBeforeTheQuestion() {
        let items = (0..<4).map { ChoiceItem(question: "q\($0)", choices: ["a\($0)", "b\($0)"], answer: $0 % 2) }
        #expect(MultipleChoiceEvaluator.context(of: 1, in: items, shots: 0) == "q1\nSummary:")
        #expect(MultipleChoiceEvaluator.context(of: 1, in: items, shots: 1) == "q0\nSummary: a0\n\nq1\nSummary:")   // (1 + 3) % 4
        let two = Array(items.prefix(2))
        #expect(MultipleChoiceEvaluator.context(of: 0, in: two, shots: 1) == "q1\nSummary: b1\n\nq0\nSummary:")
    }
}

@Suite struct EvalInputTests {
    @Test func configurationAndDirectionsAreChecked() {
        #expect(TranslationDirection("fr-en")?.fileName == "en-fr.jsonl")
        #expect(TranslationDirection("en-pt")?.fileName == "en-pt.jsonl")
        #expect(TranslationDirection("en") == nil && TranslationDirection("en-en") == nil && TranslationDirection("e1-fr") == nil)
        func problem(_ json: String) -> String? {
            do { _ = try EvalConfiguration.decode(json: Data(json.utf8)); return nil } catch { return "\(error)" }
        }
        #expect(problem(#"{"mc_limt": 3}"#)?.hasPrefix("with.mc_limt: unknown key") == true)
        #expect(problem(#"{"translation": ["english-french", "en-fr"]}"#) == nil)
        #expect(problem(#"{"translation": ["en_fr"]}"#)?.hasPrefix("with.translation:") == true)
        #expect(problem(#"{"shots": [0, 5]}"#)?.hasPrefix("with.shots:") == true)
        #expect(problem("{}") == nil)
    }

    @Test func taskFilesNeedTheirHeaderAndFields() throws {
        let folder = NSTemporaryDirectory() + "trellis-eval-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let header = #"{"format":"trellis.corpus.eval","lang":"en","task":"multiple-choice","version":1}"#
        try (header + "\n" + #"{"question":"q","choices":["a","b"],"answer":1}"# + "\n").write(toFile: folder + "/ok.jsonl", atomically: true, encoding: .utf8)
        let (digest, items) = try TaskFiles.choiceItems(folder + "/ok.jsonl")
        #expect(items == [ChoiceItem(question: "q", choices: ["a", "b"], answer: 1)] && digest.count == 64)
        try (#"{"format":"other","version":1}"# + "\n").write(toFile: folder + "/bad.jsonl", atomically: true, encoding: .utf8)
        #expect(throws: EvalError.badTaskFile(path: folder + "/bad.jsonl", line: 1, problem: "expected a trellis.corpus.eval version 1 header")) {
            try TaskFiles.choiceItems(folder + "/bad.jsonl")
        }
        try (header + "\n" + #"{"question":"q","choices":["a"],"answer":3}"# + "\n").write(toFile: folder + "/range.jsonl", atomically: true, encoding: .utf8)
        #expect(throws: EvalError.self) { try TaskFiles.choiceItems(folder + "/range.jsonl") }
    }
}
