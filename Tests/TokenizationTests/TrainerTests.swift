import Foundation
import Testing
@testable import Tokenization

@Suite struct TrainerTests {
    /// HF's own trainer unit test (`trainer.rs::test_train`): 11 words, min_frequency 2,
    /// exactly three merges. Our alphabet is all 256 bytes, but ASCII letters keep their
    /// relative id order, so the merges are the same.
    @Test func hfTrainerUnitTestWordCounts() {
        var counts = WordCountTable()
        for (word, n) in [("roses", 1), ("are", 2), ("red", 1), ("voilets", 1), ("blue", 1), ("BERT", 1), ("is", 2),
                          ("big", 1), ("and", 1), ("so", 1), ("GPT-2", 1)] {
            Array(word.utf8).withUnsafeBufferPointer { counts.add($0.baseAddress!, length: $0.count, amount: n) }
        }
        let learner = MergeLearner(vocabularySize: 1000, specialTokens: [], minFrequency: 2)
        let result = try! learner.learn(from: counts)
        let merges = result.merges.map { [result.tokens[Int($0.left)], result.tokens[Int($0.right)], result.tokens[Int($0.result)]] }
        #expect(merges == [["r", "e", "re"], ["a", "re", "are"], ["i", "s", "is"]])
        #expect(result.tokens.count == 259)
    }

    @Test func mergedStringEqualToASpecialTokenReusesItsID() throws {
        // "<s>" is all word characters, so it is a piece; merging "<s" + ">" reproduces the
        // special token's text and HF reuses id 1 instead of adding a token.
        let texts = Array(repeating: "<s>\n", count: 50)
        let tokenizer = try BPETrainer(BPETrainerConfiguration(vocabularySize: 263)).train(texts: texts).tokenizer
        let strings = tokenizer.model.merges.map { tokenizer.model.tokens[Int($0.result)] }
        #expect(strings.contains("<s>"))
        #expect(tokenizer.model.merges.last?.result == 1)
    }

    @Test func deduplicationCountsEachLineOnce() throws {
        var options = BPETrainerConfiguration(vocabularySize: 300, deduplicateLines: true)
        options.workers = 1
        let outcome = try BPETrainer(options).train(texts: ["abc\n", "abc\n", "abc", "xyz\n"])
        #expect(outcome.statistics.sequences == 4)
        #expect(outcome.statistics.keptSequences == 2)  // "abc" equals "abc\n" without its newline
    }

    @Test func progressIsReported() throws {
        let events = EventLog()
        _ = try BPETrainer(BPETrainerConfiguration(vocabularySize: 600)).train(files: [Fixtures.url("train.txt").path]) {
            events.append($0)
        }
        let all = events.all
        #expect(all.contains { if case .counting = $0 { return true } else { return false } })
        #expect(all.contains { if case .counted = $0 { return true } else { return false } })
        #expect(all.last == .merging(done: 340, total: 340))
    }

    @Test(arguments: [
        (BPETrainerConfiguration(vocabularySize: 100), "vocabularySize"),
        (BPETrainerConfiguration(vocabularySize: 1000, reservedTokens: -1), "reservedTokens"),
    ])
    func invalidOptionsAreNamed(options: BPETrainerConfiguration, field: String) {
        #expect {
            try BPETrainer(options).train(texts: ["x"])
        } throws: { error in
            guard case .invalidConfiguration(let f, _) = error as? TokenizerError else { return false }
            return f == field
        }
    }

    @Test func cancellationStopsTraining() {
        #expect(throws: TokenizerError.cancelled) {
            try BPETrainer(BPETrainerConfiguration(vocabularySize: 2048)).train(files: [Fixtures.url("train.txt").path],
                                                                                 isCancelled: { true })
        }
    }

    @Test func emptyAndMissingInputsAreErrors() {
        #expect(throws: TokenizerError.emptyTrainingData) { try BPETrainer().train(texts: []) }
        #expect {
            try BPETrainer().train(files: ["/nonexistent/corpus.txt"])
        } throws: { error in
            if case .io(let path, _) = error as? TokenizerError { return path == "/nonexistent/corpus.txt" }
            return false
        }
    }
}

/// Collects progress events from the trainer's callback.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [TrainingProgress] = []
    func append(_ event: TrainingProgress) { lock.lock(); events.append(event); lock.unlock() }
    var all: [TrainingProgress] { lock.lock(); defer { lock.unlock() }; return events }
}
