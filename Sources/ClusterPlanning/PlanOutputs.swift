import Foundation

/// The files a `plan` stage writes, as relative path → text:
/// `plan.json` (the whole ``TrainingPlan``), `plan.md` (``PlanReport``), `metrics.json` (flat
/// numbers, ``metrics(_:)``) and `launch/train.slurm` + `launch/ds_config.json`
/// (``LaunchBundle``).
public enum PlanOutputs {
    /// All output files for `plan`.
    public static func files(for plan: TrainingPlan) -> [String: String] {
        var files = [
            "plan.json": json(plan),
            "plan.md": PlanReport.markdown(plan),
            "metrics.json": metricsJSON(plan),
        ]
        for (name, text) in LaunchBundle.files(for: plan) { files["launch/" + name] = text }
        return files
    }

    /// Flat numeric metrics (snake_case keys), for `collect`-style tables.
    public static func metrics(_ plan: TrainingPlan) -> [String: Double] {
        [
            "params": Double(plan.totalParameters),
            "params_non_embedding": Double(plan.parameters.nonEmbedding),
            "padded_vocab": Double(plan.paddedVocab),
            "world_size": Double(plan.request.layout.worldSize),
            "memory_per_gpu_gb": Double(plan.memoryPerGPUBytes) / 1e9,
            "memory_per_gpu_gib": Double(plan.memoryPerGPUBytes) / 1_073_741_824,
            "memory_fraction": plan.memory.peakFraction,
            "fits": plan.fits ? 1 : 0,
            "flops_per_token_model": plan.flops.modelFLOPsPerToken,
            "flops_per_token_hardware": plan.flops.hardwareFLOPsPerToken,
            "flops_per_token_6n": plan.flops.sixNPerToken,
            "flops_per_step": plan.flopsPerStep,
            "total_flops": plan.cost.totalFLOPs,
            "tflops_per_gpu": plan.cost.flopsPerGPU / 1e12,
            "seconds_per_step": plan.cost.secondsPerStep,
            "steps": Double(plan.schedule.stepsAtFullBatch),
            "steps_with_rampup": Double(plan.schedule.stepsWithRampUp),
            "bubble_fraction": plan.schedule.bubbleFraction,
            "gpu_hours": plan.cost.gpuHours,
            "days": plan.cost.days,
            "energy_kwh": plan.cost.energyKWh,
            "co2_kg": plan.cost.co2Kg,
        ]
    }

    /// `plan` as pretty-printed JSON with sorted keys.
    public static func json(_ plan: TrainingPlan) -> String { encode(plan) }

    /// ``metrics(_:)`` as pretty-printed JSON with sorted keys.
    public static func metricsJSON(_ plan: TrainingPlan) -> String { encode(metrics(plan)) }

    private static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Only finite numbers reach here: validation rejects zero throughput and sizes.
        return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
    }
}
