import Foundation

/// How a training job is split over GPUs and batched: 3D parallelism, batch sizes, ZeRO,
/// activation recomputation and precision.
///
/// ```swift
/// // BLOOM-176B on 48 nodes (bloom.md §B.2)
/// let layout = ParallelLayout(tensorParallel: 4, pipelineParallel: 12, dataParallel: 8,
///                             microBatch: 2, globalBatch: 2048, zeroStage: 1,
///                             recompute: true, precision: .bf16,
///                             partition: .transformerAndEmbedding)
/// ```
public struct ParallelLayout: Codable, Sendable, Equatable {
    /// Tensor-parallel degree `t` (`--tensor-model-parallel-size`).
    public var tensorParallel: Int
    /// Pipeline-parallel degree `p` (`--pipeline-model-parallel-size`).
    public var pipelineParallel: Int
    /// Data-parallel degree `d`; world size is `t · p · d`.
    public var dataParallel: Int
    /// Sequences per micro-batch per GPU (`--micro-batch-size`).
    public var microBatch: Int
    /// Sequences per optimizer step (`--global-batch-size`).
    public var globalBatch: Int
    /// Effective ZeRO sharding over data parallelism, 0–3: 1 shards optimizer states, 2 also
    /// gradients, 3 also weights. BLOOM-176B ran bf16 with DeepSpeed's `BF16_Optimizer`, which
    /// shards like ZeRO-1 while its DeepSpeed config says `"stage": 0` (bloom.md §B.1): plan it
    /// as `zeroStage: 1`; ``DeepSpeedConfig`` writes the config stage BLOOM used.
    public var zeroStage: Int
    /// Full activation recomputation (`--checkpoint-activations`).
    public var recompute: Bool
    /// Training number format.
    public var precision: Precision
    /// How layers are assigned to pipeline stages (`--pp-partition-method`).
    public var partition: PartitionMethod

    public init(tensorParallel: Int, pipelineParallel: Int, dataParallel: Int,
                microBatch: Int, globalBatch: Int, zeroStage: Int, recompute: Bool,
                precision: Precision, partition: PartitionMethod = .transformerAndEmbedding) {
        self.tensorParallel = tensorParallel
        self.pipelineParallel = pipelineParallel
        self.dataParallel = dataParallel
        self.microBatch = microBatch
        self.globalBatch = globalBatch
        self.zeroStage = zeroStage
        self.recompute = recompute
        self.precision = precision
        self.partition = partition
    }

    /// GPUs used, `t · p · d`.
    public var worldSize: Int { tensorParallel * pipelineParallel * dataParallel }

    /// Micro-batches each pipeline runs per optimizer step, `globalBatch / (microBatch · d)`.
    public var microBatchesPerStep: Int { globalBatch / max(1, microBatch * dataParallel) }
}

/// DeepSpeed pipeline partition methods of the `type:REGEX` form: every layer whose class
/// name matches counts as one unit, units are spread evenly over stages.
public enum PartitionMethod: String, Codable, Sendable, CaseIterable {
    /// `type:transformer`: only transformer blocks count; the embedding rides along on the
    /// first stage and the tied output embedding on the last.
    case transformerBlocks = "type:transformer"
    /// `type:transformer|embedding`: the input embedding and the tied output embedding count as
    /// one unit each, as BLOOM-176B did (70 blocks + 2 = 72 units on 12 stages, bloom.md §B.1).
    case transformerAndEmbedding = "type:transformer|embedding"
}
