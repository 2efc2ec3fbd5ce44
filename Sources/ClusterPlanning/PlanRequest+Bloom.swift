import Foundation

/// The six BLOOM training runs as plan presets (bloom.md §B.1, §B.2).
///
/// From bloom.md: layers, hidden, heads, seq 2048, padded vocab 250,880 (tokenizer 250,680),
/// TP×PP, micro-batch, global batch, ramp-up, peak/min LR, warmup/decay/train samples,
/// Adam/clip/decay/init settings, nodes of 8 × A100 80GB, precision (fp16 small, bf16 176B),
/// ZeRO (stage 0 for the small models; ZeRO-1-equivalent BF16_Optimizer for 176B), tokens
/// trained (341B small [R/D], 366B for 176B), 156 TFLOP/s for 176B.
///
/// Assumptions (not in bloom.md for the small models, named here so they are not mistaken for
/// facts): activation recomputation on, `type:transformer|embedding` partitioning, save every
/// 100 / evaluate 1 iteration every 1000 iterations, and a throughput of 50% of peak (the 176B
/// ratio). Only the 176B script is verified to pass `--pad-vocab-size-to 250880`; the presets
/// set it for every size because every released checkpoint has 250,880 rows, which TP = 1 would
/// not give by Megatron's default rule (250,752).
extension PlanRequest {
    /// BLOOM-176B on Jean Zay: 48 nodes, TP 4 × PP 12 × DP 8, MBS 2, GBS 2048, bf16,
    /// 366B tokens at 156 TFLOP/s.
    public static let bloom176B = PlanRequest(
        model: ModelConfig(name: "bloom-176b", layers: 70, hidden: 14336, heads: 112,
                           vocabSize: 250_680, seqLength: 2048, padVocabTo: 250_880),
        cluster: .jeanZayA100(nodes: 48),
        layout: ParallelLayout(tensorParallel: 4, pipelineParallel: 12, dataParallel: 8, microBatch: 2,
                               globalBatch: 2048, zeroStage: 1, recompute: true, precision: .bf16,
                               partition: .transformerAndEmbedding),
        training: TrainingHyperparameters(lr: 6e-5, minLR: 6e-6,
                                          rampUp: BatchRampUp(start: 192, increment: 16, samples: 9_765_625),
                                          extraFlags: ["--sync-tp-duplicated-parameters"]),
        budget: ComputeBudget(tokens: 366e9, throughput: .achieved(flopsPerGPU: 156e12)),
        launch: LaunchOptions(jobName: "bloom-176b"))

    /// BLOOM-560M (tr11e): 24 × 1024, 16 heads, TP 1 × PP 1, 8 nodes, GBS 256, LR 3e-4.
    public static let bloom560M = small(name: "bloom-560m", layers: 24, hidden: 1024, heads: 16, tp: 1, pp: 1,
                                        nodes: 8, globalBatch: 256, rampIncrement: 32, lr: 3.0e-4)
    /// BLOOM-1.1B (tr11d): 24 × 1536, 16 heads, TP 1 × PP 2, 8 nodes, GBS 256, LR 2.5e-4.
    public static let bloom1B1 = small(name: "bloom-1b1", layers: 24, hidden: 1536, heads: 16, tp: 1, pp: 2,
                                       nodes: 8, globalBatch: 256, rampIncrement: 16, lr: 2.5e-4)
    /// BLOOM-1.7B (tr11b): 24 × 2048, 16 heads, TP 2 × PP 2, 16 nodes, GBS 512, LR 2e-4.
    public static let bloom1B7 = small(name: "bloom-1b7", layers: 24, hidden: 2048, heads: 16, tp: 2, pp: 2,
                                       nodes: 16, globalBatch: 512, rampIncrement: 16, lr: 2.0e-4)
    /// BLOOM-3B (tr11c): 30 × 2560, 32 heads, TP 4 × PP 4, 32 nodes, GBS 512, LR 1.6e-4.
    public static let bloom3B = small(name: "bloom-3b", layers: 30, hidden: 2560, heads: 32, tp: 4, pp: 4,
                                      nodes: 32, globalBatch: 512, rampIncrement: 32, lr: 1.6e-4)
    /// BLOOM-7.1B (tr11f): 30 × 4096, 32 heads, TP 4 × PP 4, 32 nodes, GBS 512, LR 1.2e-4.
    public static let bloom7B1 = small(name: "bloom-7b1", layers: 30, hidden: 4096, heads: 32, tp: 4, pp: 4,
                                       nodes: 32, globalBatch: 512, rampIncrement: 32, lr: 1.2e-4)

    /// All presets by the name used in `with: {preset: …}`.
    public static let bloomPresets: [String: PlanRequest] = [
        "bloom-560m": bloom560M, "bloom-1b1": bloom1B1, "bloom-1b7": bloom1B7,
        "bloom-3b": bloom3B, "bloom-7b1": bloom7B1, "bloom-176b": bloom176B,
    ]

    /// The preset called `name`.
    /// - Throws: ``PlanError/unknownPreset(name:known:)``.
    public static func preset(named name: String) throws -> PlanRequest {
        guard let preset = bloomPresets[name.lowercased()] else {
            throw PlanError.unknownPreset(name: name, known: bloomPresets.keys.sorted())
        }
        return preset
    }

    private static func small(name: String, layers: Int, hidden: Int, heads: Int, tp: Int, pp: Int, nodes: Int,
                              globalBatch: Int, rampIncrement: Int, lr: Double) -> PlanRequest {
        let cluster = ClusterSpec.jeanZayA100(nodes: nodes)
        return PlanRequest(
            model: ModelConfig(name: name, layers: layers, hidden: hidden, heads: heads,
                               vocabSize: 250_680, seqLength: 2048, padVocabTo: 250_880),
            cluster: cluster,
            layout: ParallelLayout(tensorParallel: tp, pipelineParallel: pp, dataParallel: cluster.gpus / (tp * pp),
                                   microBatch: 1, globalBatch: globalBatch, zeroStage: 0, recompute: true,
                                   precision: .fp16, partition: .transformerAndEmbedding),
            training: TrainingHyperparameters(lr: lr, minLR: 1e-5,
                                              rampUp: BatchRampUp(start: 192, increment: rampIncrement,
                                                                  samples: 9_765_625)),
            budget: ComputeBudget(tokens: 341e9, throughput: .utilization(fraction: 0.5)),
            launch: LaunchOptions(jobName: name))
    }
}
