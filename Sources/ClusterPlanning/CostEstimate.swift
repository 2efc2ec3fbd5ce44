import Foundation

/// Time, GPU-hours, energy and CO2 for a token budget.
///
/// GPU-seconds = tokens · (logged FLOPs per token) / (achieved FLOP/s per GPU). The achieved
/// rate is read in Megatron's accounting (hardware FLOPs, c = 4, with recomputation), which is
/// how BLOOM's 156 TFLOP/s was measured.
///
/// BLOOM-176B check: 366B tokens × 1.4356e12 FLOPs/token (c = 4) at 156 TFLOP/s gives
/// ≈ 935,570 GPU-hours (101.5 days on 384 GPUs). The reported figure is 1,082,990 (bloom.md §B.2),
/// 1.158× more: the formula counts only steady-state training FLOPs. bloom.md does not itemise
/// the gap. Likely contributors:
/// - the batch-size ramp-up: 9.8M samples at GBS 192→2048, with a much larger pipeline bubble.
///   It also explains why 366B tokens took ~95k steps rather than ~87k at full batch;
///   ``StepSchedule`` computes 95,151.
/// - restarts and lost work after hardware failures, plus evaluation and checkpoint saving.
/// - 156 TFLOP/s is the quoted figure, while the logs late in training show ~150 (149.77 at
///   iteration 85,376). At 149.77 the formula gives ≈ 974,500 GPU-hours, still 10% short.
public struct CostEstimate: Codable, Sendable, Equatable {
    /// Achieved FLOP/s per GPU assumed.
    public var flopsPerGPU: Double
    /// Total FLOPs in the logged accounting.
    public var totalFLOPs: Double
    /// Seconds per step at the full global batch.
    public var secondsPerStep: Double
    /// GPU-hours for the budget.
    public var gpuHours: Double
    /// Wall-clock days on all GPUs of the layout.
    public var days: Double
    /// Energy in kWh, `gpuHours · wattsPerGPU / 1000`.
    public var energyKWh: Double
    /// CO2 in kg, `energyKWh · gridGramsCO2PerKWh / 1000`.
    public var co2Kg: Double

    public init(budget: ComputeBudget, flops: FLOPsEstimate, schedule: StepSchedule,
                cluster: ClusterSpec, layout: ParallelLayout) {
        flopsPerGPU = budget.throughput.flopsPerGPU(peak: cluster.gpuPeakFLOPs)
        totalFLOPs = budget.tokens * flops.loggedFLOPsPerToken
        let world = Double(layout.worldSize)
        secondsPerStep = Double(schedule.tokensPerStep) * flops.loggedFLOPsPerToken / (world * flopsPerGPU)
        gpuHours = totalFLOPs / flopsPerGPU / 3600
        days = gpuHours / world / 24
        energyKWh = gpuHours * budget.wattsPerGPU / 1000
        co2Kg = energyKWh * budget.gridGramsCO2PerKWh / 1000
    }
}
