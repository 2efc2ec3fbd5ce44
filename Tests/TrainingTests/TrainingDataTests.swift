import Foundation
import Testing
@testable import Training

@Suite struct PackingAndScheduleTests {
    @Test func documentsArePackedWithEOSAndTheTailIsDropped() {
        let windows = PackedWindows.pack([[5, 6, 7], [8], [9, 10]], eos: 2, length: 3)
        // stream 5 6 7 2 8 2 9 10 2 → three full windows
        #expect(windows.ids == [5, 6, 7, 2, 8, 2, 9, 10, 2])
        let capped = PackedWindows.pack([[5, 6, 7], [8], [9, 10]], eos: 2, length: 4)
        #expect(capped.ids == [5, 6, 7, 2, 8, 2, 9, 10])
        #expect(PackedWindows.pack([[1, 1, 1, 1, 1]], eos: 2, length: 2, maxTokens: 3).count == 1)
    }

    @Test func trainingOrderIsASeededPermutationPerEpoch() {
        let p0 = PackedWindows.permutation(count: 50, seed: 42, epoch: 0)
        #expect(p0.sorted() == Array(0..<50))
        #expect(p0 == PackedWindows.permutation(count: 50, seed: 42, epoch: 0))
        #expect(p0 != PackedWindows.permutation(count: 50, seed: 42, epoch: 1))
        #expect(p0 != PackedWindows.permutation(count: 50, seed: 43, epoch: 0))
        let windows = PackedWindows(length: 2, ids: (0..<10).map(Int32.init))           // 5 windows
        let batch = windows.batch(startingAt: 3, rows: 4, seed: 1)                      // crosses into epoch 1
        let e0 = PackedWindows.permutation(count: 5, seed: 1, epoch: 0), e1 = PackedWindows.permutation(count: 5, seed: 1, epoch: 1)
        let expected = [e0[3], e0[4], e1[0], e1[1]].flatMap { Array(windows.window($0)) }
        #expect(batch == expected)
    }

    @Test func batchRampGrowsInEqualTokenStepsAndTheBudgetIsCovered() {
        var c = TrainingConfiguration()
        c.sequence_length = 10; c.batch_size = 6; c.tokens = 1000; c.warmup_tokens = 0
        c.batch_ramp = .init(start: 2, increment: 2, tokens: 200)                      // 20 samples: +2 every 10 samples
        let schedule = BatchSchedule(configuration: c)
        #expect(schedule.steps.prefix(9).map(\.batchSize) == [2, 2, 2, 2, 2, 4, 4, 4, 6])   // 10 samples at 2, 12 at 4, then 6
        #expect(schedule.steps.allSatisfy { $0.tokensBefore == $0.samplesBefore * 10 })
        #expect(schedule.totalTokens >= 1000 && schedule.totalTokens - 1000 < 60)
        c.batch_ramp = nil
        #expect(BatchSchedule(configuration: c).steps.count == 17)                      // ceil(100 samples / 6)
    }

    @Test func validationSplitDependsOnlyOnTheIdAndIsNearTheShare() {
        let ids = (0..<20_000).map { "doc/\($0)" }
        let held = ids.filter { CorpusSplit.isValidation(id: $0, percent: 5) }
        #expect(abs(Double(held.count) / 20_000 - 0.05) < 0.01)
        #expect(held == ids.filter { CorpusSplit.isValidation(id: $0, percent: 5) })
        #expect(Set(ids.filter { CorpusSplit.isValidation(id: $0, percent: 2) }).isSubset(of: Set(held)))
    }

    @Test func aCorruptShardIsNamedWithItsLine() throws {
        let corpus = try TinyCorpus()
        let shard = corpus.corpus + "/shards/fr/fr-00000.jsonl"
        try (try String(contentsOfFile: shard, encoding: .utf8) + "{\"id\": \"broken\n").write(toFile: shard, atomically: true, encoding: .utf8)
        do {
            _ = try CorpusSplit.load(corpusFolder: corpus.corpus, validationPercent: 5)
            Issue.record("a truncated record must not load")
        } catch let error as TrainingError {
            let message = "\(error)"
            #expect(message.contains("fr-00000.jsonl") && message.contains("line 122"), "\(message)")
        }
    }

    @Test func configurationErrorsNameTheField() throws {
        func problem(_ json: String) -> String? {
            do { _ = try TrainingConfiguration.decode(json: Data(json.utf8)); return nil } catch let error as TrainingError { return "\(error)" } catch { return "\(error)" }
        }
        #expect(problem(#"{"lr": 0.001, "modle": {}}"#)?.hasPrefix("with.modle: unknown key") == true)
        #expect(problem(#"{"model": {"position": "sinusoidal"}}"#)?.hasPrefix("with.model.position:") == true)
        #expect(problem(#"{"model": {"hidden": 30, "heads": 4}}"#)?.hasPrefix("with.model.heads:") == true)
        #expect(problem(#"{"batch_size": "many"}"#)?.hasPrefix("with.batch_size: expected") == true)
        #expect(problem(#"{"batch_size": 8, "batch_ramp": {"start": 2, "increment": 4, "tokens": 100}}"#)?.hasPrefix("with.batch_ramp.increment") == true)
        #expect(problem(#"{"warmup_tokens": 5000, "tokens": 4000}"#)?.hasPrefix("with.decay_tokens") == true)
        #expect(problem(#"{"model": {"hidden": 32, "heads": 4, "position": "rotary"}, "lr": 0.01}"#) == nil)
    }
}
