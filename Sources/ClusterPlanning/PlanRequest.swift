import Foundation

/// Everything the planner needs: model, hardware, layout, hyperparameters, budget and
/// launch settings. Presets for the six BLOOM sizes live in `PlanRequest+Bloom.swift`.
///
/// ```swift
/// var request = PlanRequest.bloom176B
/// request.layout.microBatch = 1
/// let plan = try TrainingPlanner.plan(request)
/// ```
public struct PlanRequest: Codable, Sendable, Equatable {
    /// Architecture and sizes.
    public var model: ModelConfig
    /// Nodes, GPUs and their memory and peak.
    public var cluster: ClusterSpec
    /// Parallelism, batches, ZeRO, recomputation and precision.
    public var layout: ParallelLayout
    /// Optimizer, schedule and data settings for the launch script.
    public var training: TrainingHyperparameters
    /// Tokens, throughput, power and grid assumptions.
    public var budget: ComputeBudget
    /// Site settings for the Slurm script.
    public var launch: LaunchOptions
    /// When true, ``TrainingPlanner/plan(_:)`` throws ``PlanError/doesNotFit(stage:requiredBytes:availableBytes:)``
    /// instead of returning a plan with `fits == false`.
    public var strictMemory: Bool

    public init(model: ModelConfig, cluster: ClusterSpec, layout: ParallelLayout,
                training: TrainingHyperparameters, budget: ComputeBudget,
                launch: LaunchOptions = LaunchOptions(), strictMemory: Bool = false) {
        self.model = model
        self.cluster = cluster
        self.layout = layout
        self.training = training
        self.budget = budget
        self.launch = launch
        self.strictMemory = strictMemory
    }
}
