import CorpusFormat
import Foundation
import TensorEngine

/// A fixed tiny data-parallel training run (random token ids from a fixed seed, 3 layers,
/// 6 heads — a non-power-of-two ALiBi head count — batch 6 × 24) that the same code runs
/// threaded in one process and across processes under MPI: equal step losses and weights show
/// the process-level collectives sum exactly like the in-process ones.
public enum DataParallelCheck {
    public struct Outcome: Codable, Equatable, Sendable {
        public var losses: [Float]
        public var gradNorms: [Float]
        /// FNV-1a (64-bit) over every parameter's name and bytes (names sorted) after the last step.
        public var weightsDigest: String
    }

    /// What `trellis mpi-check` prints (rank 0).
    public struct Report: Codable, Sendable {
        public var worldSize: Int
        /// The collectives that gave the expected values on every rank.
        public var collectives: [String]
        public var training: Outcome
        /// Tensor parallelism across the processes: largest |Δ| of logits and of the loss against the unsplit model.
        public var tensorParallelLogitError: Float
        public var tensorParallelLossError: Float

        public init(worldSize: Int, collectives: [String], training: Outcome, tensorParallelLogitError: Float, tensorParallelLossError: Float) {
            self.worldSize = worldSize; self.collectives = collectives; self.training = training
            self.tensorParallelLogitError = tensorParallelLogitError; self.tensorParallelLossError = tensorParallelLossError
        }
    }

    public static func configuration() -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.model.hidden = 24; c.model.layers = 3; c.model.heads = 6
        c.sequence_length = 24; c.batch_size = 6
        c.lr = 3e-3; c.grad_clip = 1.0; c.seed = 7
        return c
    }

    public static let vocabularySize = 96

    /// Runs `steps` optimizer steps on `trainer` (built from ``configuration()``).
    public static func run(_ trainer: DataParallelTrainer, steps: Int) -> Outcome {
        let c = configuration()
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var losses: [Float] = [], norms: [Float] = []
        for step in 0..<steps {
            let ids: [Int32] = (0..<(c.batch_size * c.sequence_length)).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int32((state >> 33) % UInt64(vocabularySize))
            }
            let outcome = trainer.step(ids: ids, rows: c.batch_size, length: c.sequence_length, learningRate: Float(c.lr), dropoutSeed: UInt64(step))
            losses.append(outcome.loss); norms.append(outcome.gradNorm)
        }
        var bytes: [UInt8] = []
        for p in trainer.model.namedParameters().sorted(by: { $0.name < $1.name }) {
            let t = p.tensor.contiguousData()
            bytes += p.name.utf8
            bytes += UnsafeBufferPointer(start: t.pointer, count: t.count).withMemoryRebound(to: UInt8.self) { Array($0) }
        }
        return Outcome(losses: losses, gradNorms: norms, weightsDigest: String(format: "%016llx", fnv1a64(bytes)))
    }
}
