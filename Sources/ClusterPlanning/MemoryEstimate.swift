import Foundation

/// Memory one GPU of one pipeline stage needs, in bytes.
public struct StageMemory: Codable, Sendable, Equatable {
    /// Stage index.
    public var stage: Int
    /// Parameters held by one GPU of this stage (after TP, before ZeRO).
    public var parameters: Int
    /// 16-bit (or fp32) weights, sharded by ZeRO-3.
    public var weightBytes: Int
    /// Gradients, sharded by ZeRO-2 and 3.
    public var gradientBytes: Int
    /// Optimizer state incl. master weights, sharded by ZeRO-1, 2 and 3.
    public var optimizerBytes: Int
    /// Activations: in-flight micro-batches × blocks × per-layer bytes, plus the recompute
    /// working set and (last stage) the logits.
    public var activationBytes: Int
    /// Micro-batches whose activations are held at once.
    public var inFlightMicroBatches: Int

    /// Sum of all four.
    public var totalBytes: Int { weightBytes + gradientBytes + optimizerBytes + activationBytes }
}

/// Per-GPU memory of every pipeline stage and whether the busiest one fits.
///
/// Sharding: TP splits each block (``ParameterCount/perBlockPerRank(model:tensorParallel:)``)
/// and the vocabulary-parallel embedding (V·h/t); PP gives each stage its blocks, the embedding
/// living on the first stage and its tied copy on the last; ZeRO stage z over DP = d divides
/// optimizer state (z ≥ 1), gradients (z ≥ 2) and weights (z = 3) by d. Bytes per parameter:
/// ``Precision/stateBytes``. Activations: ``ActivationMemory``. Not modelled: CUDA context,
/// allocator fragmentation, communication buffers — keep headroom (BigScience's rule of thumb
/// was to stay under 75% of GPU memory, bloom.md §B.3).
public struct MemoryEstimate: Codable, Sendable, Equatable {
    /// One entry per pipeline stage.
    public var stages: [StageMemory]
    /// GPU memory available.
    public var gpuMemoryBytes: Int

    /// The stage with the highest total.
    public var peakStage: StageMemory { stages.max { $0.totalBytes < $1.totalBytes }! }
    /// The highest per-GPU total.
    public var peakBytes: Int { peakStage.totalBytes }
    /// Whether the busiest stage fits in GPU memory.
    public var fits: Bool { peakBytes <= gpuMemoryBytes }
    /// Peak as a fraction of GPU memory.
    public var peakFraction: Double { Double(peakBytes) / Double(gpuMemoryBytes) }

    /// Estimates memory for `stages` of `model` under `layout` on `cluster`.
    public init(model: ModelConfig, layout: ParallelLayout, cluster: ClusterSpec,
                stages: [PipelineStage], paddedVocab: Int) {
        let t = layout.tensorParallel
        let d = Double(layout.dataParallel)
        let bytes = layout.precision.stateBytes
        let blockParams = ParameterCount.perBlockPerRank(model: model, tensorParallel: t)
        let embeddingParams = paddedVocab * model.hidden / t
        let perLayer = ActivationMemory.perLayer(model: model, layout: layout)
        let workingSet = ActivationMemory.recomputeWorkingSet(model: model, layout: layout)
        let logits = ActivationMemory.logits(model: model, layout: layout, paddedVocab: paddedVocab)

        self.gpuMemoryBytes = cluster.gpuMemoryBytes
        self.stages = stages.map { stage in
            var params = stage.blockCount * blockParams
            // With a single stage the tied embedding is one tensor, held once.
            let embeddingCopies = (stage.hasInputEmbedding ? 1 : 0)
                + (stage.hasOutputEmbedding && !stage.hasInputEmbedding ? 1 : 0)
            params += embeddingCopies * embeddingParams
            if stage.hasInputEmbedding { params += 2 * model.hidden }   // embedding LayerNorm
            if stage.hasOutputEmbedding { params += 2 * model.hidden }  // final LayerNorm

            let p = Double(params)
            let z = layout.zeroStage
            let weights = p * Double(bytes.weights) / (z >= 3 ? d : 1)
            let grads = p * Double(bytes.gradients) / (z >= 2 ? d : 1)
            let optim = p * Double(bytes.optimizer) / (z >= 1 ? d : 1)

            let inFlight = ActivationMemory.inFlightMicroBatches(stage: stage.index, layout: layout)
            var activations = Double(inFlight * stage.blockCount) * perLayer
            if stage.blockCount > 0 { activations += workingSet }
            if stage.hasOutputEmbedding { activations += logits }

            return StageMemory(stage: stage.index, parameters: params,
                               weightBytes: Int(weights.rounded(.up)), gradientBytes: Int(grads.rounded(.up)),
                               optimizerBytes: Int(optim.rounded(.up)), activationBytes: Int(activations.rounded(.up)),
                               inFlightMicroBatches: inFlight)
        }
    }
}
