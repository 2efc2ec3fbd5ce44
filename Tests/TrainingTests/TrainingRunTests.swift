import Foundation
import Models
import Testing
@testable import Training

@Suite(.serialized) struct TrainingRunTests {
    /// Issue #23: the stage's progress comes at every log interval (and the last step), with the
    /// step's own metrics and the latest validation loss.
    @Test func progressIsReportedAtEveryLogInterval() throws {
        let corpus = try TinyCorpus()
        var configuration = TinyCorpus.configuration()
        configuration.log_every = 5
        configuration.validation_every = 10
        var calls: [(step: StepMetrics, steps: Int, validation: Double?)] = []
        _ = try TrainingRun(configuration: configuration, paths: corpus.paths("progress"), workers: 1, log: { _ in },
                            onLogStep: { calls.append(($0, $1, $2)) }).run()
        let logged = try MetricsLog.read(StepMetrics.self, from: corpus.paths("progress").output + "/metrics.jsonl")
        #expect(calls.map(\.step.step) == [5, 10, 15, 16] && calls.allSatisfy { $0.steps == 16 })
        #expect(calls.map(\.step) == [5, 10, 15, 16].map { logged[$0 - 1] }, "the metrics of the step itself")
        #expect(calls[0].validation == nil && calls[1].validation == nil && calls[2].validation != nil)
    }

    @Test func oneAndTwoWorkersGiveTheSameLossCurveWithinFloatTolerance() throws {
        let corpus = try TinyCorpus()
        let one = try TrainingRun(configuration: TinyCorpus.configuration(workers: 1), paths: corpus.paths("w1"), workers: 1, log: { _ in }).run()
        let two = try TrainingRun(configuration: TinyCorpus.configuration(workers: 2), paths: corpus.paths("w2"), workers: 2, log: { _ in }).run()
        let a = try MetricsLog.read(StepMetrics.self, from: corpus.paths("w1").output + "/metrics.jsonl")
        let b = try MetricsLog.read(StepMetrics.self, from: corpus.paths("w2").output + "/metrics.jsonl")
        #expect(a.count == 16 && b.count == 16)
        for (x, y) in zip(a, b) {
            #expect(abs(x.loss - y.loss) <= 1e-4 * abs(x.loss), "step \(x.step): \(x.loss) vs \(y.loss)")
        }
        #expect(a.last!.loss < a.first!.loss - 0.3, "the loss should fall: \(a.first!.loss) → \(a.last!.loss)")
        #expect(one.workers == 1 && two.workers == 2)
        #expect(abs(one.final_validation_loss - two.final_validation_loss) < 1e-3)
    }

    @Test func mixedPrecisionFollowsTheFloat32CurveAndIsDeterministic() throws {
        let corpus = try TinyCorpus()
        var configuration = TinyCorpus.configuration()
        _ = try TrainingRun(configuration: configuration, paths: corpus.paths("fp32"), workers: 1, log: { _ in }).run()
        configuration.precision = "bf16"   // bf16 matmuls: AMX tiles where the CPU has them
        _ = try TrainingRun(configuration: configuration, paths: corpus.paths("bf16a"), workers: 1, log: { _ in }).run()
        _ = try TrainingRun(configuration: configuration, paths: corpus.paths("bf16b"), workers: 1, log: { _ in }).run()
        let full = try MetricsLog.read(StepMetrics.self, from: corpus.paths("fp32").output + "/metrics.jsonl")
        let a = try MetricsLog.read(StepMetrics.self, from: corpus.paths("bf16a").output + "/metrics.jsonl")
        let b = try MetricsLog.read(StepMetrics.self, from: corpus.paths("bf16b").output + "/metrics.jsonl")
        #expect(a.count == 16 && a.map(\.loss) == b.map(\.loss), "two bf16 runs must give the same losses")
        for (x, y) in zip(a, full) {
            #expect(abs(x.loss - y.loss) <= 0.05 * abs(y.loss), "step \(x.step): bf16 \(x.loss) vs fp32 \(y.loss)")
        }
        #expect(a.map(\.loss) != full.map(\.loss), "bf16 rounding should change the losses a little")
        #expect(a.last!.loss < a.first!.loss - 0.3, "the loss should fall: \(a.first!.loss) → \(a.last!.loss)")
    }

    @Test func aRunStoppedMidwayResumesToBitIdenticalWeights() throws {
        let corpus = try TinyCorpus()
        let config = TinyCorpus.configuration()
        _ = try TrainingRun(configuration: config, paths: corpus.paths("whole"), workers: 1, log: { _ in }).run()

        // Stop at the start of step 7 (after the checkpoint of step 4 and three more steps).
        var polls = 0
        let interrupted = TrainingRun(configuration: config, paths: corpus.paths("cut"), workers: 1, log: { _ in },
                                      isCancelled: { polls += 1; return polls > 6 })
        #expect(throws: TrainingError.cancelled(step: 6)) { try interrupted.run() }
        #expect(try TrainingCheckpoint.latest(in: corpus.paths("cut").checkpointRoot)?.state.step == 4)

        // A fresh attempt (new output folder, same resume folder) picks up at step 4.
        var paths = corpus.paths("cut")
        paths.output = corpus.root + "/cut/out2"
        var lines: [String] = []
        let resumed = try TrainingRun(configuration: config, paths: paths, workers: 1, log: { lines.append($0) }).run()
        #expect(resumed.resumed_at_step == 4)
        #expect(lines.contains { $0.contains("resuming from") })
        let whole = try Data(contentsOf: URL(fileURLWithPath: corpus.paths("whole").output + "/model/model.safetensors"))
        let again = try Data(contentsOf: URL(fileURLWithPath: paths.output + "/model/model.safetensors"))
        #expect(whole == again, "final weights differ after resuming")
        let a = try MetricsLog.read(StepMetrics.self, from: corpus.paths("whole").output + "/metrics.jsonl").map(\.loss)
        let b = try MetricsLog.read(StepMetrics.self, from: paths.output + "/metrics.jsonl").map(\.loss)
        #expect(a == b)
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: paths.output + "/checkpoints").sorted()
        #expect(checkpoints == ["step-000004", "step-000008", "step-000012", "step-000016"])
        // The export loads back as a model with the same configuration.
        let model = try BloomCheckpoint.load(from: URL(fileURLWithPath: paths.output + "/model"))
        #expect(model.config.hiddenSize == 16 && FileManager.default.fileExists(atPath: paths.output + "/model/tokenizer.json"))
    }

    @Test func aDivergingRunStopsNamingTheStepAndKeepsTheLastCheckpoint() throws {
        let corpus = try TinyCorpus()
        var config = TinyCorpus.configuration()
        config.lr = 1e30; config.min_lr = 0; config.warmup_tokens = 0; config.grad_clip = 0; config.checkpoint_every = 1
        let run = TrainingRun(configuration: config, paths: corpus.paths("nan"), workers: 1, log: { _ in })
        do {
            _ = try run.run()
            Issue.record("a run with lr 1e30 should diverge")
        } catch let TrainingError.nonFiniteLoss(step, _, _, last) {
            #expect(step >= 2 && last == step - 1)
            let kept = try TrainingCheckpoint.latest(in: corpus.paths("nan").checkpointRoot)
            #expect(kept?.state.step == step - 1)
            #expect("\(TrainingError.nonFiniteLoss(step: step, loss: .nan, gradNorm: .nan, lastCheckpoint: last))".contains("step \(step)"))
        }
    }

    @Test func aNonFiniteStepChangesNoReplica() throws {
        var c = TinyCorpus.configuration(workers: 2)
        c.model.hidden = 8; c.model.heads = 2
        let trainer = DataParallelTrainer(model: c.bloomConfiguration(vocabularySize: 64), training: c, workers: 2)
        let before = trainer.replicas.map { $0.namedParameters().map { $0.tensor.toArray() } }
        trainer.replicas[1].namedParameters()[3].tensor.pointer[0] = .nan                    // poison one replica's copy
        let poisoned = trainer.replicas.map { $0.namedParameters().map { $0.tensor.toArray() } }
        let outcome = trainer.step(ids: (0..<64).map { Int32($0 % 60) }, rows: 4, length: 16, learningRate: 1e-3, dropoutSeed: 0)
        #expect(!outcome.applied && outcome.gradNorm.isNaN)
        #expect(trainer.replicas[0].namedParameters().map { $0.tensor.toArray() } == before[0])
        let after1 = trainer.replicas[1].namedParameters().map { $0.tensor.toArray() }
        #expect(after1.count == poisoned[1].count && trainer.optimizers.allSatisfy { $0.stepCount == 0 })
    }
}
