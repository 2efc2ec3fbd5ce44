import Foundation

/// The DeepSpeed JSON config for a Megatron-DeepSpeed run, as BLOOM wrote it (bloom.md §B.1).
///
/// - bf16: `"bf16": {"enabled": true}` with `"zero_optimization": {"stage": 0}` — DeepSpeed
///   then uses `BF16_Optimizer`, which shards like ZeRO-1 itself ("bf16 must use z0"). A plan
///   with `zeroStage` 0 or 1 therefore writes stage 0; 2 or 3 are written as asked.
/// - fp16: dynamic loss scaling (`loss_scale` 0), initial scale 2^12, window 500,
///   hysteresis 2, min scale 1; the stage is written as asked.
/// - fp32: neither section.
///
/// `steps_per_print` is an assumption (2000): bloom.md does not give it.
public struct DeepSpeedConfig: Codable, Sendable, Equatable {
    public struct ZeroOptimization: Codable, Sendable, Equatable { public var stage: Int }
    public struct BF16: Codable, Sendable, Equatable { public var enabled: Bool }
    public struct FP16: Codable, Sendable, Equatable {
        public var enabled: Bool
        public var loss_scale: Int
        public var loss_scale_window: Int
        public var initial_scale_power: Int
        public var hysteresis: Int
        public var min_loss_scale: Int
    }

    public var train_micro_batch_size_per_gpu: Int
    public var train_batch_size: Int
    public var gradient_clipping: Double
    public var zero_optimization: ZeroOptimization
    public var bf16: BF16?
    public var fp16: FP16?
    public var steps_per_print: Int
    public var wall_clock_breakdown: Bool

    /// The config for `request`.
    public init(_ request: PlanRequest, stepsPerPrint: Int = 2000) {
        let layout = request.layout
        train_micro_batch_size_per_gpu = layout.microBatch
        train_batch_size = layout.globalBatch
        gradient_clipping = request.training.clipGrad
        zero_optimization = ZeroOptimization(stage: Self.configStage(layout))
        bf16 = layout.precision == .bf16 ? BF16(enabled: true) : nil
        fp16 = layout.precision == .fp16
            ? FP16(enabled: true, loss_scale: 0, loss_scale_window: 500, initial_scale_power: 12,
                   hysteresis: 2, min_loss_scale: 1)
            : nil
        steps_per_print = stepsPerPrint
        wall_clock_breakdown = false
    }

    /// The `zero_optimization.stage` (and `--zero-stage`) to write for a planned layout.
    public static func configStage(_ layout: ParallelLayout) -> Int {
        layout.precision == .bf16 && layout.zeroStage <= 1 ? 0 : layout.zeroStage
    }

    /// Pretty-printed JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of Ints, Doubles and Bools cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }
}
