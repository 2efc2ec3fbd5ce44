import Foundation

/// Checks a ``PlanRequest`` before planning. Hard errors throw ``PlanError`` naming the field;
/// soft problems come back as warnings for the report.
public enum PlanValidation {
    /// Throws the first hard error found, in the order fields appear in a config.
    public static func validate(_ r: PlanRequest) throws {
        let m = r.model, l = r.layout, c = r.cluster
        try positive("model.layers", m.layers)
        try positive("model.hidden", m.hidden)
        try positive("model.heads", m.heads)
        try positive("model.vocab_size", m.vocabSize)
        try positive("model.seq_length", m.seqLength)
        try positive("model.ffn_multiplier", m.ffnMultiplier)
        try positive("cluster.nodes", c.nodes)
        try positive("cluster.gpus_per_node", c.gpusPerNode)
        try positive("cluster.gpu_memory_gib", c.gpuMemoryBytes)
        guard c.gpuPeakFLOPs > 0 else {
            throw PlanError.outOfRange(field: "cluster.gpu_peak_tflops", value: "\(c.gpuPeakFLOPs)", expected: "> 0")
        }
        try positive("layout.tensor_parallel", l.tensorParallel)
        try positive("layout.pipeline_parallel", l.pipelineParallel)
        try positive("layout.data_parallel", l.dataParallel)
        try positive("layout.micro_batch", l.microBatch)
        try positive("layout.global_batch", l.globalBatch)
        guard (0...3).contains(l.zeroStage) else {
            throw PlanError.outOfRange(field: "layout.zero_stage", value: "\(l.zeroStage)", expected: "0, 1, 2 or 3")
        }

        try divisible("model.hidden", m.hidden, by: "model.heads", m.heads)
        try divisible("model.heads", m.heads, by: "layout.tensor_parallel", l.tensorParallel)
        if let pad = m.padVocabTo {
            guard pad >= m.vocabSize else {
                throw PlanError.outOfRange(field: "model.pad_vocab_to", value: "\(pad)", expected: "≥ vocab_size \(m.vocabSize)")
            }
            try divisible("model.pad_vocab_to", pad, by: "layout.tensor_parallel", l.tensorParallel)
        }
        guard l.worldSize == c.gpus else {
            throw PlanError.worldSizeMismatch(tensorParallel: l.tensorParallel, pipelineParallel: l.pipelineParallel,
                                              dataParallel: l.dataParallel, nodes: c.nodes, gpusPerNode: c.gpusPerNode)
        }
        try divisible("layout.global_batch", l.globalBatch, by: "layout.micro_batch × layout.data_parallel",
                      l.microBatch * l.dataParallel)
        _ = try PipelinePartition.stages(layers: m.layers, stages: l.pipelineParallel, method: l.partition)

        if let ramp = r.training.rampUp {
            try positive("training.rampup.start", ramp.start)
            try positive("training.rampup.increment", ramp.increment)
            try positive("training.rampup.samples", ramp.samples)
            guard ramp.start <= l.globalBatch else {
                throw PlanError.outOfRange(field: "training.rampup.start", value: "\(ramp.start)",
                                           expected: "≤ global_batch \(l.globalBatch)")
            }
            try divisible("layout.global_batch − training.rampup.start", l.globalBatch - ramp.start,
                          by: "training.rampup.increment", ramp.increment)
        }

        guard r.budget.tokens > 0 else {
            throw PlanError.outOfRange(field: "budget.tokens", value: "\(r.budget.tokens)", expected: "> 0")
        }
        switch r.budget.throughput {
        case .achieved(let flops) where flops <= 0:
            throw PlanError.outOfRange(field: "budget.achieved_tflops", value: "\(flops / 1e12)", expected: "> 0")
        case .utilization(let u) where !(u > 0 && u <= 1):
            throw PlanError.outOfRange(field: "budget.utilization", value: "\(u)", expected: "in (0, 1]")
        default: break
        }
        guard r.budget.wattsPerGPU >= 0 else {
            throw PlanError.outOfRange(field: "budget.watts_per_gpu", value: "\(r.budget.wattsPerGPU)", expected: "≥ 0")
        }
        guard r.budget.gridGramsCO2PerKWh >= 0 else {
            throw PlanError.outOfRange(field: "budget.grid_g_co2_per_kwh", value: "\(r.budget.gridGramsCO2PerKWh)",
                                       expected: "≥ 0")
        }
    }

    /// Soft problems: layouts that run but are probably not what was meant.
    public static func warnings(_ r: PlanRequest) -> [String] {
        let l = r.layout, c = r.cluster
        var out: [String] = []
        if l.tensorParallel > c.gpusPerNode || c.gpusPerNode % l.tensorParallel != 0 {
            out.append("tensor parallelism \(l.tensorParallel) does not fit within a node of \(c.gpusPerNode) GPUs; TP traffic will cross the inter-node network")
        }
        if l.precision == .bf16 && l.zeroStage == 0 {
            out.append("bf16 with DeepSpeed stage 0 runs BF16_Optimizer, which shards optimizer state like ZeRO-1 anyway (bloom.md §B.1); zero_stage 0 overestimates memory")
        }
        if l.precision == .bf16 && l.zeroStage >= 2 {
            out.append("BLOOM's bf16 path required DeepSpeed stage 0 ('bf16 must use z0'); zero_stage \(l.zeroStage) with bf16 was not what BLOOM ran — check your DeepSpeed version")
        }
        if l.microBatchesPerStep < l.pipelineParallel {
            out.append("only \(l.microBatchesPerStep) micro-batches per step for \(l.pipelineParallel) pipeline stages: the pipeline never fills")
        }
        if let ramp = r.training.rampUp {
            let unit = l.microBatch * l.dataParallel
            let sizes = stride(from: ramp.start, to: l.globalBatch, by: max(1, ramp.increment))
            let bad = sizes.filter { $0 % unit != 0 }
            if !bad.isEmpty {
                let shown = bad.prefix(3).map(String.init).joined(separator: ", ")
                out.append("ramp-up batch sizes \(shown)\(bad.count > 3 ? ", …" : "") are not multiples of micro_batch × data_parallel = \(unit)")
            }
        }
        return out
    }

    private static func positive(_ field: String, _ value: Int) throws {
        guard value > 0 else { throw PlanError.outOfRange(field: field, value: "\(value)", expected: "≥ 1") }
    }

    private static func divisible(_ field: String, _ value: Int, by divisorField: String, _ divisor: Int) throws {
        guard divisor > 0, value % divisor == 0 else {
            throw PlanError.notDivisible(field: field, value: value, divisorField: divisorField, divisor: divisor)
        }
    }
}
