import Foundation
import Layers
import Models
import Optimization
import TensorEngine

/// Data parallelism across threads of one process: one model replica and one AdamW per worker,
/// the global batch split into contiguous per-worker shards, gradients summed with the engine's
/// ``Collectives`` (weighted so the sum is the global batch's mean gradient), then every replica
/// clips and steps identically, so replicas stay bit-identical.
///
/// With one worker the step runs on the calling thread and the engine parallelises inside each
/// op; with several, each worker runs its ops serially on its own thread (no oversubscription).
public final class DataParallelTrainer {
    public struct StepOutcome: Sendable {
        /// Mean next-token loss over the global batch.
        public var loss: Float
        /// Global gradient norm before clipping.
        public var gradNorm: Float
        /// False when loss or norm were not finite: then no replica was changed.
        public var applied: Bool
    }

    public let replicas: [BloomModel]
    public let optimizers: [AdamW]
    let group: InProcessGroup
    let options: ForwardOptions
    let gradClip: Float

    /// `workers` identical replicas (same seed) of a fresh model.
    public init(model config: BloomConfiguration, training t: TrainingConfiguration, workers: Int) {
        precondition(workers > 0, "DataParallelTrainer: workers must be positive")
        replicas = (0..<workers).map { _ in BloomModel(config: config, initialization: t.initialization, seed: t.seed) }
        let adam = AdamW.Configuration(beta1: t.beta1, beta2: t.beta2, eps: t.eps, weightDecay: t.weight_decay)
        optimizers = replicas.map { AdamW(parameters: $0.namedParameters(), configuration: adam) }
        group = InProcessGroup(worldSize: workers)
        options = ForwardOptions(training: t.model.dropout > 0, dropoutSeed: 0, precision: t.forwardPrecision)
        gradClip = t.grad_clip
        for p in replicas.flatMap({ $0.namedParameters() }) { p.tensor.requiresGrad = true }
    }

    public var workers: Int { replicas.count }
    /// Replica 0, the one checkpoints and evaluation read.
    public var model: BloomModel { replicas[0] }

    /// One optimizer step on `ids` (rows × length, row-major).
    public func step(ids: [Int32], rows: Int, length: Int, learningRate: Float, dropoutSeed: UInt64) -> StepOutcome {
        precondition(ids.count == rows * length && rows >= workers, "DataParallelTrainer: \(rows) rows for \(workers) workers")
        // One slot per rank; each rank writes only its own.
        let weightedLosses = UnsafeMutableBufferPointer<Float>.allocate(capacity: workers)
        let norms = UnsafeMutableBufferPointer<Float>.allocate(capacity: workers)
        defer { weightedLosses.deallocate(); norms.deallocate() }
        var stepOptions = options
        stepOptions.dropoutSeed = dropoutSeed
        let body: (Int) -> Void = { [self] rank in
            let range = Parallel.range(of: rank, chunks: workers, count: rows)
            let model = replicas[rank]
            let weight = Float(range.count) / Float(rows)
            model.zeroGradients()
            let shard = Array(ids[(range.lowerBound * length)..<(range.upperBound * length)])   // (rows_w · T)
            let (_, loss) = model.loss(ids: shard, batch: range.count, length: length, options: stepOptions)
            (loss * weight).backward()                                      // this shard's share of the global mean
            weightedLosses[rank] = loss.item() * weight
            let parameters = model.namedParameters().map(\.tensor)
            if workers > 1 {
                let communicator = group.communicator(rank: rank)
                for p in parameters {
                    let g = (p.grad ?? Tensor.zeros(p.shape)).contiguousData()
                    communicator.allReduceSum(g)                            // Σ over ranks, in rank order
                    p.grad = g
                }
            }
            // Every rank holds the same summed gradients, so computes the same norm and coefficient.
            // (A non-finite norm leaves non-finite gradients; the step is then not applied anywhere.)
            norms[rank] = gradClip > 0 ? GradientClipping.clipGlobalNorm(parameters, maxNorm: gradClip)
                                       : GradientClipping.globalNorm(parameters)
        }
        run(body)
        let loss = weightedLosses.reduce(0, +)
        let norm = norms[0]
        guard loss.isFinite, norm.isFinite else {
            for model in replicas { model.zeroGradients() }
            return StepOutcome(loss: loss, gradNorm: norm, applied: false)
        }
        run { [self] rank in
            optimizers[rank].step(learningRate: learningRate)
            replicas[rank].zeroGradients()
        }
        return StepOutcome(loss: loss, gradNorm: norm, applied: true)
    }

    /// Runs `body(rank)` for every worker: inline for one, on dedicated threads otherwise.
    func run(_ body: @escaping (Int) -> Void) {
        if workers == 1 { body(0); return }
        let done = DispatchGroup()
        for rank in 0..<workers {
            done.enter()
            let thread = Thread {
                Parallel.markParallelRegion { body(rank) }
                done.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        done.wait()
    }
}
