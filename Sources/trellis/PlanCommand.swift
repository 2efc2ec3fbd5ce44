import ArgumentParser
import CanonicalJSON
import ClusterPlanning
import Foundation
import PipelineSpec

/// `trellis plan`: the large-model plan (parameters, memory per GPU, FLOPs, time, energy, CO2)
/// and a Slurm + DeepSpeed launch bundle, without a manifest. The `plan` stage kind does the same
/// inside a pipeline.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a large training run: exact parameter count, memory per GPU, FLOPs, GPU-hours, energy, launch bundle.",
        discussion: "The config file (YAML or JSON) has the sections of the `plan` stage kind's `with:` block: preset, model, cluster, layout, training, budget, launch, strict_memory.")

    @Option(help: "A preset: bloom-560m, bloom-1b1, bloom-1b7, bloom-3b, bloom-7b1, bloom-176b.")
    var preset: String?

    @Option(name: [.customShort("c"), .long], help: "A plan config file (YAML or JSON); --preset fills what it leaves out.")
    var config: String?

    @Option(help: "Write plan.json, plan.md, metrics.json and launch/ (Slurm script, ds_config.json) here.")
    var out: String?

    @Flag(help: "Print plan.json instead of the Markdown report.")
    var json = false

    func run() async throws {
        try await guarded {
            var value: JSONValue = .object([:])
            if let config {
                value = try YAMLReader().read(file: config).json
                guard value.objectValue != nil else { throw UsageError(message: "\(config): a plan config is a mapping") }
            }
            if let preset { value = value.setting(.string(preset), at: ["preset"]) }
            guard value.objectValue?.isEmpty == false else {
                throw UsageError(message: "nothing to plan", hint: "give --preset bloom-176b, or --config FILE")
            }
            let plan: TrainingPlan
            do {
                plan = try TrainingPlanner.plan(try PlanConfig.parse(Data(value.canonicalBytes)).resolve())
            } catch let error as PlanError {
                throw UsageError(message: "\(config ?? "plan"): \(error.field): \(error.problem)")
            }
            if let out {
                for (path, text) in PlanOutputs.files(for: plan) {
                    let target = URL(fileURLWithPath: out).appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: target, options: .atomic)
                }
            }
            print(json ? PlanOutputs.json(plan) : PlanReport.markdown(plan))
        }
    }
}
