import Foundation

/// Human-readable Markdown for a ``TrainingPlan``.
///
/// ```swift
/// let text = PlanReport.markdown(try TrainingPlanner.plan(.bloom176B))
/// ```
public enum PlanReport {
    /// The report: model, layout, pipeline partition, memory per stage, compute and cost,
    /// warnings, and the assumptions behind the numbers.
    public static func markdown(_ plan: TrainingPlan) -> String {
        let r = plan.request, m = r.model, l = r.layout, c = r.cluster, b = r.budget
        var out: [String] = []
        out.append("# Training plan: \(m.name)")
        out.append("")
        out.append("## Model")
        out.append("")
        out.append("| layers | hidden | heads | head dim | FFN | seq | vocab (padded) | parameters |")
        out.append("|---|---|---|---|---|---|---|---|")
        out.append("| \(m.layers) | \(m.hidden) | \(m.heads) | \(m.headDim) | \(m.ffnMultiplier)h | \(m.seqLength) | "
            + "\(Format.int(m.vocabSize)) (\(Format.int(plan.paddedVocab))) | \(Format.int(plan.totalParameters)) |")
        out.append("")
        out.append("Per block \(Format.int(plan.parameters.perBlock)); embedding \(Format.int(plan.parameters.embedding)) (tied); "
            + "non-embedding \(Format.int(plan.parameters.nonEmbedding)).")
        out.append("")
        out.append("## Layout")
        out.append("")
        out.append("- Cluster: \(c.name), \(c.nodes) nodes × \(c.gpusPerNode) \(c.gpuName) = \(c.gpus) GPUs "
            + "(\(Format.gib(c.gpuMemoryBytes)) GiB, peak \(Format.fixed(c.gpuPeakFLOPs / 1e12, 0)) TFLOP/s each)")
        out.append("- TP \(l.tensorParallel) × PP \(l.pipelineParallel) × DP \(l.dataParallel); micro-batch \(l.microBatch), "
            + "global batch \(l.globalBatch) (\(plan.schedule.microBatchesPerStep) micro-batches per step, "
            + "pipeline bubble \(Format.fixed(plan.schedule.bubbleFraction * 100, 1))%)")
        out.append("- \(l.precision.rawValue), ZeRO stage \(l.zeroStage) (DeepSpeed config stage \(DeepSpeedConfig.configStage(l))), "
            + "recomputation \(l.recompute ? "on" : "off"), partition `\(l.partition.rawValue)`")
        out.append("")
        out.append("## Memory per GPU")
        out.append("")
        out.append("| stage | holds | params/GPU | weights | grads | optimizer | activations (in flight) | total GiB |")
        out.append("|---|---|---|---|---|---|---|---|")
        for (stage, mem) in zip(plan.stages, plan.memory.stages) {
            out.append("| \(stage.index) | \(holds(stage)) | \(Format.int(mem.parameters)) | \(Format.gib(mem.weightBytes)) | "
                + "\(Format.gib(mem.gradientBytes)) | \(Format.gib(mem.optimizerBytes)) | "
                + "\(Format.gib(mem.activationBytes)) (\(mem.inFlightMicroBatches)) | \(Format.gib(mem.totalBytes)) |")
        }
        out.append("")
        out.append("Peak \(Format.gib(plan.memoryPerGPUBytes)) GiB on stage \(plan.peakMemoryStage) of "
            + "\(Format.gib(c.gpuMemoryBytes)) GiB (\(Format.fixed(plan.memory.peakFraction * 100, 0))%): "
            + (plan.fits ? "**fits**." : "**does not fit**."))
        out.append("")
        out.append("## Compute and cost")
        out.append("")
        out.append("| quantity | value |")
        out.append("|---|---|")
        out.append("| tokens | \(Format.sci(b.tokens)) |")
        out.append("| FLOPs/token, Megatron c=3 (model) | \(Format.sci(plan.flops.modelFLOPsPerToken)) |")
        out.append("| FLOPs/token, Megatron c=4 (hardware, recompute) | \(Format.sci(plan.flops.hardwareFLOPsPerToken)) |")
        out.append("| FLOPs/token, 6N | \(Format.sci(plan.flops.sixNPerToken)) |")
        out.append("| FLOPs/step (logged accounting) | \(Format.sci(plan.flopsPerStep)) |")
        out.append("| total FLOPs (logged accounting) | \(Format.sci(plan.cost.totalFLOPs)) |")
        out.append("| throughput assumed | \(Format.fixed(plan.cost.flopsPerGPU / 1e12, 1)) TFLOP/s per GPU |")
        out.append("| seconds per step (full batch) | \(Format.fixed(plan.cost.secondsPerStep, 1)) |")
        out.append("| steps (full batch / with ramp-up) | \(Format.int(plan.schedule.stepsAtFullBatch)) / \(Format.int(plan.schedule.stepsWithRampUp)) |")
        out.append("| GPU-hours | \(Format.int(Int(plan.cost.gpuHours.rounded()))) |")
        out.append("| days on \(l.worldSize) GPUs | \(Format.fixed(plan.cost.days, 1)) |")
        out.append("| energy (\(Format.fixed(b.wattsPerGPU, 0)) W/GPU all-in) | \(Format.fixed(plan.cost.energyKWh / 1000, 1)) MWh |")
        out.append("| CO2 (\(Format.fixed(b.gridGramsCO2PerKWh, 0)) g/kWh) | \(Format.fixed(plan.cost.co2Kg / 1000, 1)) t |")
        out.append("")
        out.append("GPU-hours count only steady-state training FLOPs. Real runs add ramp-up, restarts after "
            + "failures, evaluation and checkpointing: BLOOM-176B's reported 1,082,990 GPU-hours are 1.16× "
            + "this formula's 935,570 at 156 TFLOP/s.")
        if !plan.warnings.isEmpty {
            out.append("")
            out.append("## Warnings")
            out.append("")
            out += plan.warnings.map { "- \($0)" }
        }
        out.append("")
        out.append("## Assumptions")
        out.append("")
        out.append("- Memory: \(l.precision.stateBytes.total) bytes/param of training state before ZeRO; activations per "
            + "Korthikanti et al. (sequence parallel off), 1F1B in-flight micro-batches, one layer of recompute working "
            + "set, fp32 logits on the last stage; CUDA context, fragmentation and communication buffers not modelled.")
        out.append("- Energy and CO2 scale linearly with GPU-hours; watts per GPU include node overhead.")
        return out.joined(separator: "\n") + "\n"
    }

    private static func holds(_ stage: PipelineStage) -> String {
        var parts: [String] = []
        if stage.hasInputEmbedding { parts.append("embedding") }
        if stage.blockCount > 0 { parts.append("blocks \(stage.firstBlock)–\(stage.endBlock - 1)") }
        if stage.hasOutputEmbedding { parts.append(stage.hasInputEmbedding ? "final LN" : "tied embedding + final LN") }
        return parts.joined(separator: " + ")
    }
}
