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
    /// Set when the replicas of the group live in other processes (MPI): this process holds one.
    let processGroup: (any Collectives)?
    let options: ForwardOptions
    let gradClip: Float

    /// `workers` identical replicas (same seed) of a fresh model, one per thread.
    public convenience init(model config: BloomConfiguration, training t: TrainingConfiguration, workers: Int) {
        self.init(model: config, training: t, localReplicas: workers, processGroup: nil)
    }

    /// One replica in this process, rank `communicator.rank` of `communicator.worldSize`
    /// processes (MPI). Shards, sums and their order are those of the threaded trainer with as
    /// many workers, so both give the same losses and weights.
    public convenience init(model config: BloomConfiguration, training t: TrainingConfiguration, communicator: any Collectives) {
        self.init(model: config, training: t, localReplicas: 1, processGroup: communicator)
    }

    init(model config: BloomConfiguration, training t: TrainingConfiguration, localReplicas: Int, processGroup: (any Collectives)?) {
        precondition(localReplicas > 0, "DataParallelTrainer: workers must be positive")
        replicas = (0..<localReplicas).map { _ in BloomModel(config: config, initialization: t.initialization, seed: t.seed) }
        let adam = AdamW.Configuration(beta1: t.beta1, beta2: t.beta2, eps: t.eps, weightDecay: t.weight_decay)
        optimizers = replicas.map { AdamW(parameters: $0.namedParameters(), configuration: adam) }
        group = InProcessGroup(worldSize: localReplicas)
        self.processGroup = processGroup
        options = ForwardOptions(training: t.model.dropout > 0, dropoutSeed: 0, precision: t.forwardPrecision)
        gradClip = t.grad_clip
        for p in replicas.flatMap({ $0.namedParameters() }) { p.tensor.requiresGrad = true }
    }

    /// Replicas on threads of this process.
    public var workers: Int { replicas.count }
    /// Replicas in the whole group (threads here, or processes under MPI).
    public var groupSize: Int { processGroup?.worldSize ?? replicas.count }
    /// Replica 0, the one checkpoints and evaluation read.
    public var model: BloomModel { replicas[0] }

    /// One optimizer step on `ids` (rows × length, row-major; the whole global batch on every rank).
    public func step(ids: [Int32], rows: Int, length: Int, learningRate: Float, dropoutSeed: UInt64) -> StepOutcome {
        precondition(ids.count == rows * length && rows >= groupSize, "DataParallelTrainer: \(rows) rows for \(groupSize) workers")
        var stepOptions = options
        stepOptions.dropoutSeed = dropoutSeed
        let loss: Float, norm: Float
        if let processGroup {
            let shard = shardStep(replica: 0, shard: processGroup.rank, communicator: processGroup, ids: ids, rows: rows, length: length, options: stepOptions)
            let total = Tensor([shard.weightedLoss], shape: [1])
            processGroup.allReduceSum(total)                                // Σ weighted losses, rank order
            loss = total.pointer[0]
            norm = shard.norm
        } else {
            // One slot per rank; each rank writes only its own.
            let weightedLosses = UnsafeMutableBufferPointer<Float>.allocate(capacity: workers)
            let norms = UnsafeMutableBufferPointer<Float>.allocate(capacity: workers)
            defer { weightedLosses.deallocate(); norms.deallocate() }
            run { [self] rank in
                let shard = shardStep(replica: rank, shard: rank, communicator: workers > 1 ? group.communicator(rank: rank) : nil,
                                      ids: ids, rows: rows, length: length, options: stepOptions)
                weightedLosses[rank] = shard.weightedLoss
                norms[rank] = shard.norm
            }
            loss = weightedLosses.reduce(0, +)
            norm = norms[0]
        }
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

    /// Forward and backward of shard `shard` (of `groupSize`) on replica `replica`, gradients
    /// summed over the group, then clipped; returns the shard's weighted loss and the global norm.
    func shardStep(replica: Int, shard: Int, communicator: (any Collectives)?, ids: [Int32], rows: Int, length: Int,
                   options: ForwardOptions) -> (weightedLoss: Float, norm: Float) {
        let range = Parallel.range(of: shard, chunks: groupSize, count: rows)
        let model = replicas[replica]
        let weight = Float(range.count) / Float(rows)
        model.zeroGradients()
        let rowsOfShard = Array(ids[(range.lowerBound * length)..<(range.upperBound * length)])   // (rows_w · T)
        let (_, loss) = model.loss(ids: rowsOfShard, batch: range.count, length: length, options: options)
        (loss * weight).backward()                                          // this shard's share of the global mean
        let parameters = model.namedParameters().map(\.tensor)
        if let communicator, communicator.worldSize > 1 {
            // One collective for every gradient (a single bucket, as PyTorch DDP buckets them):
            // pack, sum over ranks in rank order, and leave each gradient as a view of its slice.
            let bucket = Tensor(shape: [parameters.reduce(0) { $0 + $1.count }], zeroed: false)   // (Σ parameter sizes)
            var offset = 0
            for p in parameters {
                if let g = p.grad { (bucket.pointer + offset).update(from: g.contiguousData().pointer, count: p.count) } else {
                    (bucket.pointer + offset).update(repeating: 0, count: p.count)
                }
                offset += p.count
            }
            communicator.allReduceSum(bucket)
            offset = 0
            for p in parameters {
                p.grad = Tensor(storage: bucket.storage, shape: p.shape, offset: offset)   // (p.shape) view of the bucket
                offset += p.count
            }
        }
        // Every rank holds the same summed gradients, so computes the same norm and coefficient.
        // (A non-finite norm leaves non-finite gradients; the step is then not applied anywhere.)
        let norm = gradClip > 0 ? GradientClipping.clipGlobalNorm(parameters, maxNorm: gradClip) : GradientClipping.globalNorm(parameters)
        return (loss.item() * weight, norm)
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
