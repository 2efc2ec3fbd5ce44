import Foundation

/// The planner's result: everything derived from a ``PlanRequest``. `Codable`, so it can be
/// written as `plan.json`; ``PlanReport`` renders it as Markdown.
public struct TrainingPlan: Codable, Sendable, Equatable {
    /// The request this plan was made from.
    public var request: PlanRequest
    /// Embedding rows after padding.
    public var paddedVocab: Int
    /// Parameter breakdown.
    public var parameters: ParameterCount
    /// Total parameters (also `parameters.total`; stored so JSON readers see it).
    public var totalParameters: Int
    /// Pipeline stages and what they hold.
    public var stages: [PipelineStage]
    /// Per-stage, per-GPU memory.
    public var memory: MemoryEstimate
    /// Peak per-GPU memory over all stages, in bytes.
    public var memoryPerGPUBytes: Int
    /// The stage with that peak.
    public var peakMemoryStage: Int
    /// Whether the peak fits in GPU memory (see ``MemoryEstimate`` for what is not modelled).
    public var fits: Bool
    /// FLOPs per token.
    public var flops: FLOPsEstimate
    /// FLOPs per step at the full global batch, logged accounting.
    public var flopsPerStep: Double
    /// Steps and pipeline bubble.
    public var schedule: StepSchedule
    /// Time, GPU-hours, energy, CO2.
    public var cost: CostEstimate
    /// Soft problems found (see ``PlanValidation/warnings(_:)``).
    public var warnings: [String]
}

/// Turns a ``PlanRequest`` into a ``TrainingPlan``. Pure: no I/O.
///
/// ```swift
/// let plan = try TrainingPlanner.plan(.bloom176B)
/// plan.totalParameters        // 176_247_271_424
/// plan.fits                   // true
/// print(PlanReport.markdown(plan))
/// ```
public enum TrainingPlanner {
    /// Validates `request` and computes the plan.
    /// - Throws: ``PlanError`` naming the field; ``PlanError/doesNotFit(stage:requiredBytes:availableBytes:)``
    ///   only when `request.strictMemory` is set.
    public static func plan(_ request: PlanRequest) throws -> TrainingPlan {
        try PlanValidation.validate(request)
        let model = request.model, layout = request.layout, cluster = request.cluster
        let vocab = VocabPadding.padded(model, tensorParallel: layout.tensorParallel)
        let params = ParameterCount(model: model, paddedVocab: vocab)
        let stages = try PipelinePartition.stages(layers: model.layers, stages: layout.pipelineParallel,
                                                  method: layout.partition)
        let memory = MemoryEstimate(model: model, layout: layout, cluster: cluster, stages: stages, paddedVocab: vocab)
        let flops = FLOPsEstimate(model: model, paddedVocab: vocab, parameters: params.total, recompute: layout.recompute)
        let schedule = StepSchedule(tokens: request.budget.tokens, model: model, layout: layout,
                                    rampUp: request.training.rampUp)
        let cost = CostEstimate(budget: request.budget, flops: flops, schedule: schedule, cluster: cluster, layout: layout)

        let peak = memory.peakStage
        if request.strictMemory && !memory.fits {
            throw PlanError.doesNotFit(stage: peak.stage, requiredBytes: peak.totalBytes,
                                       availableBytes: cluster.gpuMemoryBytes)
        }
        var warnings = PlanValidation.warnings(request)
        if !memory.fits {
            warnings.append("does not fit: " + PlanError.doesNotFit(stage: peak.stage, requiredBytes: peak.totalBytes,
                                                 availableBytes: cluster.gpuMemoryBytes).problem)
        } else if memory.peakFraction > 0.75 {
            warnings.append(String(format: "peak memory is %.0f%% of the GPU, above BigScience's 75%% rule of thumb (bloom.md §B.3); unmodelled buffers may not fit",
                                   memory.peakFraction * 100))
        }
        return TrainingPlan(request: request, paddedVocab: vocab, parameters: params, totalParameters: params.total,
                            stages: stages, memory: memory, memoryPerGPUBytes: peak.totalBytes,
                            peakMemoryStage: peak.stage, fits: memory.fits, flops: flops,
                            flopsPerStep: flops.loggedFLOPsPerToken * Double(schedule.tokensPerStep),
                            schedule: schedule, cost: cost, warnings: warnings)
    }
}
