import CanonicalJSON
import ClusterPlanning
import Execution
import Foundation

/// `kind: plan`: plans a large-model training run (parameters, memory per GPU, FLOPs,
/// GPU-hours, energy, CO2) and writes a Slurm + DeepSpeed launch bundle. It runs no training.
///
/// ```yaml
/// bloom_plan:
///   kind: plan
///   with:
///     preset: bloom-176b              # bloom-560m, bloom-1b1, bloom-1b7, bloom-3b, bloom-7b1, bloom-176b
///     cluster: {nodes: 24}            # data_parallel is re-derived as GPUs / (TP·PP) unless given
///     budget: {tokens: 366B, achieved_tflops: 150}
/// ```
///
/// The `with:` keys are the sections of `ClusterPlanning.PlanConfig`: `preset`, `model`,
/// `cluster`, `layout`, `training`, `budget`, `launch`, `strict_memory`. Unknown keys are
/// refused at every level. Without a preset, the model, cluster, layout, `training.lr` and
/// `budget` fields are required.
///
/// Outputs, in the stage's output folder:
/// - `plan.json`: the whole `TrainingPlan` (Codable)
/// - `plan.md`: the Markdown report
/// - `metrics.json`: flat numbers (`params`, `gpu_hours`, `days`, `memory_per_gpu_gb`,
///   `energy_kwh`, `co2_kg`, `fits`, `steps_with_rampup`, …), ready for `kind: collect`
/// - `launch/train.slurm` and `launch/ds_config.json`
///
/// Planning is pure arithmetic: the same `with:` always gives the same bytes. Bump `version`
/// whenever ClusterPlanning's formulas or output formats change.
public struct PlanKind: BuiltinKind {
    public let name = "plan"
    public let version = 1

    public init() {}

    /// Resolves and plans the config, so field errors, layout errors and (with
    /// `strict_memory: true`) memory overflow all show up before anything runs.
    public func validate(config: JSONValue) throws {
        _ = try Self.plan(from: config)
    }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        let plan = try Self.plan(from: config)
        if context.cancellation.isCancelled { throw CancellationError() }
        for (path, text) in PlanOutputs.files(for: plan).sorted(by: { $0.key < $1.key }) {
            let target = URL(fileURLWithPath: context.outputDirectory).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(text.utf8).write(to: target, options: .atomic)
        }
        context.log(String(format: "plan %@: %@ params, %.1f GiB/GPU peak (%@), %.0f GPU-hours, %.1f days",
                           plan.request.model.name, String(plan.totalParameters),
                           Double(plan.memoryPerGPUBytes) / 1_073_741_824, plan.fits ? "fits" : "DOES NOT FIT",
                           plan.cost.gpuHours, plan.cost.days))
        for warning in plan.warnings { context.log("warning: \(warning)") }
    }

    /// `with:` → `TrainingPlan`, turning every `PlanError` into `BuiltinConfigError(field:problem:)`
    /// (fields are dotted snake_case paths such as `layout.tensor_parallel`).
    static func plan(from config: JSONValue) throws -> TrainingPlan {
        // An empty `with:` may arrive as null; treat it as an empty mapping so the error names
        // the first missing field rather than the whole block.
        let object: JSONValue
        if case .null = config { object = .object([:]) } else { object = config }
        do {
            let data = try JSONEncoder().encode(object)
            return try TrainingPlanner.plan(try PlanConfig.parse(data).resolve())
        } catch let error as PlanError {
            throw BuiltinConfigError(field: error.field, problem: error.problem)
        }
    }
}
