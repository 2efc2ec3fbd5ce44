import Foundation

extension PlanConfig {
    /// Builds the ``PlanRequest``: the preset (if any) with every given field laid over it.
    ///
    /// Defaults without a preset (assumptions, BLOOM-176B style): FFN 4h, ZeRO stage 1,
    /// recomputation on, bf16, `type:transformer|embedding`, min LR = 10% of `lr`, and the
    /// BLOOM defaults of ``TrainingHyperparameters`` and ``ComputeBudget``.
    /// - Throws: ``PlanError`` naming the missing or unknown field.
    public func resolve() throws -> PlanRequest {
        let base = try preset.map { try PlanRequest.preset(named: $0) }
        let m = model, cl = cluster, l = layout, t = training, b = budget, la = launch

        var modelName = base?.model.name ?? "custom"
        if base != nil, m.map({ $0 != ModelSection() }) == true, m?.name == nil { modelName += "-custom" }
        let resolvedModel = ModelConfig(
            name: m?.name ?? modelName,
            layers: try need(m?.layers, base?.model.layers, "model.layers"),
            hidden: try need(m?.hidden, base?.model.hidden, "model.hidden"),
            heads: try need(m?.heads, base?.model.heads, "model.heads"),
            vocabSize: try need(m?.vocab_size, base?.model.vocabSize, "model.vocab_size"),
            seqLength: try need(m?.seq_length, base?.model.seqLength, "model.seq_length"),
            ffnMultiplier: m?.ffn_multiplier ?? base?.model.ffnMultiplier ?? 4,
            padVocabTo: m?.pad_vocab_to ?? base?.model.padVocabTo)

        let gib: Double? = cl?.gpu_memory_gib
        let tflops: Double? = cl?.gpu_peak_tflops
        let resolvedCluster = ClusterSpec(
            name: cl?.name ?? base?.cluster.name ?? "cluster",
            gpuName: cl?.gpu_name ?? base?.cluster.gpuName ?? "GPU",
            nodes: try need(cl?.nodes, base?.cluster.nodes, "cluster.nodes"),
            gpusPerNode: try need(cl?.gpus_per_node, base?.cluster.gpusPerNode, "cluster.gpus_per_node"),
            gpuMemoryBytes: try need(gib.map { Int($0 * 1_073_741_824) }, base?.cluster.gpuMemoryBytes,
                                     "cluster.gpu_memory_gib"),
            gpuPeakFLOPs: try need(tflops.map { $0 * 1e12 }, base?.cluster.gpuPeakFLOPs, "cluster.gpu_peak_tflops"))

        let tp = try need(l?.tensor_parallel, base?.layout.tensorParallel, "layout.tensor_parallel")
        let pp = try need(l?.pipeline_parallel, base?.layout.pipelineParallel, "layout.pipeline_parallel")
        let dp = try l?.data_parallel ?? derivedDataParallel(gpus: resolvedCluster.gpus, tp: tp, pp: pp)
        let resolvedLayout = ParallelLayout(
            tensorParallel: tp, pipelineParallel: pp, dataParallel: dp,
            microBatch: try need(l?.micro_batch, base?.layout.microBatch, "layout.micro_batch"),
            globalBatch: try need(l?.global_batch, base?.layout.globalBatch, "layout.global_batch"),
            zeroStage: l?.zero_stage ?? base?.layout.zeroStage ?? 1,
            recompute: l?.recompute ?? base?.layout.recompute ?? true,
            precision: l?.precision ?? base?.layout.precision ?? .bf16,
            partition: l?.partition ?? base?.layout.partition ?? .transformerAndEmbedding)

        let lr = try need(t?.lr, base?.training.lr, "training.lr")
        var hp = base?.training ?? TrainingHyperparameters(lr: lr, minLR: lr / 10)
        hp.lr = lr
        if let v = t?.min_lr { hp.minLR = v }
        if let v = t?.clip_grad { hp.clipGrad = v }
        if let v = t?.weight_decay { hp.weightDecay = v }
        if let v = t?.adam_beta1 { hp.adamBeta1 = v }
        if let v = t?.adam_beta2 { hp.adamBeta2 = v }
        if let v = t?.adam_eps { hp.adamEps = v }
        if let v = t?.init_method_std { hp.initMethodStd = v }
        if let v = t?.warmup_samples { hp.warmupSamples = v }
        if let v = t?.decay_samples { hp.decaySamples = v }
        if let v = t?.train_samples { hp.trainSamples = v }
        if let v = t?.seed { hp.seed = v }
        if let v = t?.save_interval { hp.saveInterval = v }
        if let v = t?.eval_interval { hp.evalInterval = v }
        if let v = t?.eval_iters { hp.evalIters = v }
        if let v = t?.tokenizer { hp.tokenizer = v }
        if let v = t?.data_path { hp.dataPath = v }
        if let v = t?.extra_flags { hp.extraFlags = v }
        if let v = t?.rampup { hp.rampUp = BatchRampUp(start: v.start, increment: v.increment, samples: v.samples) }
        if t?.rampupDisabled == true { hp.rampUp = nil }

        if b?.achieved_tflops != nil && b?.utilization != nil {
            throw PlanError.invalidConfig(field: "budget.utilization", problem: "give achieved_tflops or utilization, not both")
        }
        let throughput: Throughput = try b?.achieved_tflops.map { .achieved(flopsPerGPU: $0 * 1e12) }
            ?? b?.utilization.map { .utilization(fraction: $0) }
            ?? need(nil, base?.budget.throughput, "budget.achieved_tflops")
        let defaults = ComputeBudget(tokens: 1, throughput: throughput)
        let resolvedBudget = ComputeBudget(
            tokens: try need(b?.tokens, base?.budget.tokens, "budget.tokens"),
            throughput: throughput,
            wattsPerGPU: b?.watts_per_gpu ?? base?.budget.wattsPerGPU ?? defaults.wattsPerGPU,
            gridGramsCO2PerKWh: b?.grid_g_co2_per_kwh ?? base?.budget.gridGramsCO2PerKWh ?? defaults.gridGramsCO2PerKWh)

        var launchOptions = base?.launch ?? LaunchOptions(jobName: resolvedModel.name)
        if let v = la?.job_name { launchOptions.jobName = v }
        if let v = la?.partition { launchOptions.partition = v }
        if let v = la?.account { launchOptions.account = v }
        if let v = la?.time { launchOptions.timeLimit = v }
        if let v = la?.cpus_per_task { launchOptions.cpusPerTask = v }
        if let v = la?.master_port { launchOptions.masterPort = v }
        if let v = la?.megatron_path { launchOptions.megatronPath = v }
        if let v = la?.checkpoint_path { launchOptions.checkpointPath = v }

        return PlanRequest(model: resolvedModel, cluster: resolvedCluster, layout: resolvedLayout, training: hp,
                           budget: resolvedBudget, launch: launchOptions,
                           strictMemory: strict_memory ?? base?.strictMemory ?? false)
    }

    private func need<T>(_ given: T?, _ fallback: T?, _ field: String) throws -> T {
        if let given { return given }
        if let fallback { return fallback }
        throw PlanError.invalidConfig(field: field, problem: preset == nil ? "missing (and no preset given)" : "missing")
    }

    private func derivedDataParallel(gpus: Int, tp: Int, pp: Int) throws -> Int {
        guard tp > 0, pp > 0, gpus % (tp * pp) == 0 else {
            throw PlanError.notDivisible(field: "cluster.nodes × cluster.gpus_per_node", value: gpus,
                                         divisorField: "layout.tensor_parallel × layout.pipeline_parallel",
                                         divisor: tp * pp)
        }
        return gpus / (tp * pp)
    }
}
