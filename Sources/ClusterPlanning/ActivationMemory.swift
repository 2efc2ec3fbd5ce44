import Foundation

/// Activation memory per transformer layer, after Korthikanti et al. 2022 ("Reducing
/// Activation Recomputation in Large Transformer Models"), with 16-bit activations:
///
///     no TP:                       s·b·h·(34 + 5·a·s/h)            bytes per layer
///     TP = t, sequence parallel off: s·b·h·(10 + 24/t + 5·a·s/(h·t))
///     full recomputation:           2·s·b·h  (only the layer input is kept)
///
/// `s` sequence length, `b` micro-batch, `h` hidden, `a` heads. fp32 activations double these.
public enum ActivationMemory {
    /// Bytes one layer keeps for one micro-batch without recomputation.
    public static func perLayerFull(model: ModelConfig, microBatch b: Int, tensorParallel t: Int,
                                    precision: Precision) -> Double {
        let s = Double(model.seqLength), h = Double(model.hidden), a = Double(model.heads)
        let td = Double(t)
        let bytes = s * Double(b) * h * (10 + 24 / td + 5 * a * s / (h * td))
        return bytes * Double(precision.activationBytes) / 2
    }

    /// Bytes one layer keeps for one micro-batch with full recomputation: its input, 2·s·b·h
    /// (replicated on every TP rank when sequence parallelism is off).
    public static func perLayerRecompute(model: ModelConfig, microBatch b: Int, precision: Precision) -> Double {
        Double(model.seqLength) * Double(b) * Double(model.hidden) * Double(precision.activationBytes)
    }

    /// Bytes one layer keeps per micro-batch under `layout`.
    public static func perLayer(model: ModelConfig, layout: ParallelLayout) -> Double {
        layout.recompute
            ? perLayerRecompute(model: model, microBatch: layout.microBatch, precision: layout.precision)
            : perLayerFull(model: model, microBatch: layout.microBatch, tensorParallel: layout.tensorParallel,
                           precision: layout.precision)
    }

    /// Micro-batches whose activations stage `stage` holds at once under the 1F1B schedule:
    /// stage k of p runs up to p − k forward passes before its first backward, capped by the
    /// number of micro-batches in a step. The first stage therefore keeps up to p.
    public static func inFlightMicroBatches(stage: Int, layout: ParallelLayout) -> Int {
        min(layout.pipelineParallel - stage, max(1, layout.microBatchesPerStep))
    }

    /// Extra bytes while one layer is being recomputed in backward: that layer's full
    /// activations for one micro-batch. Assumption (not from bloom.md): a transient working set
    /// of exactly one layer.
    public static func recomputeWorkingSet(model: ModelConfig, layout: ParallelLayout) -> Double {
        layout.recompute
            ? perLayerFull(model: model, microBatch: layout.microBatch, tensorParallel: layout.tensorParallel,
                           precision: layout.precision)
            : 0
    }

    /// Bytes of output logits on the last stage for one micro-batch: s·b·V/t values in fp32 for
    /// the cross-entropy. Assumption (not from bloom.md): 4 bytes per logit, one micro-batch.
    public static func logits(model: ModelConfig, layout: ParallelLayout, paddedVocab: Int) -> Double {
        Double(model.seqLength) * Double(layout.microBatch) * Double(paddedVocab) * 4
            / Double(layout.tensorParallel)
    }
}
