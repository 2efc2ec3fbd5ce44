import Foundation

/// What one pipeline stage holds.
public struct PipelineStage: Codable, Sendable, Equatable {
    /// Stage index, 0-based.
    public var index: Int
    /// First block index on this stage (0-based); equal to `endBlock` when it holds none.
    public var firstBlock: Int
    /// One past the last block index.
    public var endBlock: Int
    /// Holds the input word embedding and its LayerNorm (first stage).
    public var hasInputEmbedding: Bool
    /// Holds the tied output embedding and the final LayerNorm (last stage).
    public var hasOutputEmbedding: Bool

    /// Number of transformer blocks on this stage.
    public var blockCount: Int { endBlock - firstBlock }
}

/// Assigns transformer blocks and embeddings to pipeline stages the way DeepSpeed's
/// `--pp-partition-method type:REGEX` does: each matching layer is one unit and units are
/// spread evenly over stages in order.
///
/// BLOOM-176B, `type:transformer|embedding`, 70 blocks on 12 stages (bloom.md §B.1): 72 units,
/// 6 per stage, so stage 0 = embedding + 5 blocks, stages 1–10 = 6 blocks, stage 11 = 5 blocks
/// + tied embedding.
///
/// Assumption: when units do not divide evenly, the first `units mod stages` stages get one
/// extra unit. This matches the even case exactly; for uneven cases DeepSpeed's own balancing
/// was not checked against bloom.md.
public enum PipelinePartition {
    /// Splits `layers` blocks over `stages` stages using `method`.
    /// - Throws: ``PlanError/cannotPartition(units:stages:method:)`` when there are fewer units
    ///   than stages, or ``PlanError/outOfRange(field:value:expected:)`` for non-positive inputs.
    public static func stages(layers: Int, stages: Int, method: PartitionMethod) throws -> [PipelineStage] {
        guard layers > 0 else { throw PlanError.outOfRange(field: "model.layers", value: "\(layers)", expected: "≥ 1") }
        guard stages > 0 else {
            throw PlanError.outOfRange(field: "layout.pipeline_parallel", value: "\(stages)", expected: "≥ 1")
        }
        let embeddingUnits = method == .transformerAndEmbedding ? 2 : 0
        let units = layers + embeddingUnits
        guard units >= stages else { throw PlanError.cannotPartition(units: units, stages: stages, method: method) }

        // Unit u (0-based) is: input embedding (u == 0, when counted), a block, or the output
        // embedding (u == units - 1, when counted). Stage k owns units [bounds[k], bounds[k+1]).
        var bounds = [0]
        let base = units / stages, extra = units % stages
        for k in 0..<stages { bounds.append(bounds[k] + base + (k < extra ? 1 : 0)) }

        let blockOffset = embeddingUnits / 2   // units before block 0
        return (0..<stages).map { k in
            let first = min(max(bounds[k] - blockOffset, 0), layers)
            let end = min(max(bounds[k + 1] - blockOffset, 0), layers)
            return PipelineStage(index: k, firstBlock: first, endBlock: end,
                                 hasInputEmbedding: k == 0, hasOutputEmbedding: k == stages - 1)
        }
    }
}
