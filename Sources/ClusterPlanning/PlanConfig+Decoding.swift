import Foundation

// Strict decoding for `PlanConfig`: every section lists its keys once and refuses others, so a
// typo such as `micro_bach` is an error naming the field rather than a silently ignored key.

struct ConfigKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

extension KeyedDecodingContainer where K == ConfigKey {
    /// Throws for any key not in `known`, naming it with its dotted path.
    func refuseUnknown(_ known: [String]) throws {
        for key in allKeys where !known.contains(key.stringValue) {
            throw PlanError.invalidConfig(field: PlanConfig.path(codingPath + [key]),
                                          problem: "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func value<T: Decodable>(_ key: String) throws -> T? {
        try decodeIfPresent(T.self, forKey: ConfigKey(key))
    }
}

extension PlanConfig {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.refuseUnknown(["preset", "model", "cluster", "layout", "training", "budget", "launch", "strict_memory"])
        preset = try c.value("preset")
        model = try c.value("model")
        cluster = try c.value("cluster")
        layout = try c.value("layout")
        training = try c.value("training")
        budget = try c.value("budget")
        launch = try c.value("launch")
        strict_memory = try c.value("strict_memory")
    }
}

extension PlanConfig.ModelSection {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.refuseUnknown(["name", "layers", "hidden", "heads", "vocab_size", "seq_length", "ffn_multiplier",
                             "pad_vocab_to"])
        name = try c.value("name")
        layers = try c.value("layers")
        hidden = try c.value("hidden")
        heads = try c.value("heads")
        vocab_size = try c.value("vocab_size")
        seq_length = try c.value("seq_length")
        ffn_multiplier = try c.value("ffn_multiplier")
        pad_vocab_to = try c.value("pad_vocab_to")
    }
}

extension PlanConfig.ClusterSection {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.refuseUnknown(["name", "gpu_name", "nodes", "gpus_per_node", "gpu_memory_gib", "gpu_peak_tflops"])
        name = try c.value("name")
        gpu_name = try c.value("gpu_name")
        nodes = try c.value("nodes")
        gpus_per_node = try c.value("gpus_per_node")
        gpu_memory_gib = try c.value("gpu_memory_gib")
        gpu_peak_tflops = try c.value("gpu_peak_tflops")
    }
}

extension PlanConfig.LayoutSection {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.refuseUnknown(["tensor_parallel", "pipeline_parallel", "data_parallel", "micro_batch", "global_batch",
                             "zero_stage", "recompute", "precision", "partition"])
        tensor_parallel = try c.value("tensor_parallel")
        pipeline_parallel = try c.value("pipeline_parallel")
        data_parallel = try c.value("data_parallel")
        micro_batch = try c.value("micro_batch")
        global_batch = try c.value("global_batch")
        zero_stage = try c.value("zero_stage")
        recompute = try c.value("recompute")
        precision = try c.value("precision")
        partition = try c.value("partition")
    }
}

extension PlanConfig.RampUpSection {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.refuseUnknown(["start", "increment", "samples"])
        start = try c.decode(Int.self, forKey: ConfigKey("start"))
        increment = try c.decode(Int.self, forKey: ConfigKey("increment"))
        samples = try c.decode(Int.self, forKey: ConfigKey("samples"))
    }
}

extension PlanConfig.TrainingSection {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.refuseUnknown(["lr", "min_lr", "clip_grad", "weight_decay", "adam_beta1", "adam_beta2", "adam_eps",
                             "init_method_std", "warmup_samples", "decay_samples", "train_samples", "seed",
                             "save_interval", "eval_interval", "eval_iters", "rampup", "tokenizer", "data_path",
                             "extra_flags"])
        lr = try c.value("lr"); min_lr = try c.value("min_lr"); clip_grad = try c.value("clip_grad")
        weight_decay = try c.value("weight_decay"); adam_beta1 = try c.value("adam_beta1")
        adam_beta2 = try c.value("adam_beta2"); adam_eps = try c.value("adam_eps")
        init_method_std = try c.value("init_method_std"); warmup_samples = try c.value("warmup_samples")
        decay_samples = try c.value("decay_samples"); train_samples = try c.value("train_samples")
        seed = try c.value("seed"); save_interval = try c.value("save_interval")
        eval_interval = try c.value("eval_interval"); eval_iters = try c.value("eval_iters")
        tokenizer = try c.value("tokenizer"); data_path = try c.value("data_path")
        extra_flags = try c.value("extra_flags")
        if let off = try? c.decodeIfPresent(Bool.self, forKey: ConfigKey("rampup")) {
            guard off == false else {
                throw PlanError.invalidConfig(field: PlanConfig.path(c.codingPath + [ConfigKey("rampup")]),
                                              problem: "give {start, increment, samples} or false")
            }
            rampupDisabled = true
        } else {
            rampup = try c.value("rampup")
        }
    }
}

extension PlanConfig.BudgetSection {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.refuseUnknown(["tokens", "achieved_tflops", "utilization", "watts_per_gpu", "grid_g_co2_per_kwh"])
        if let text = try? c.decodeIfPresent(String.self, forKey: ConfigKey("tokens")) {
            guard let parsed = Self.quantity(text) else {
                throw PlanError.invalidConfig(field: PlanConfig.path(c.codingPath + [ConfigKey("tokens")]),
                                              problem: "'\(text)' is not a number like 366e9 or 366B")
            }
            tokens = parsed
        } else {
            tokens = try c.value("tokens")
        }
        achieved_tflops = try c.value("achieved_tflops")
        utilization = try c.value("utilization")
        watts_per_gpu = try c.value("watts_per_gpu")
        grid_g_co2_per_kwh = try c.value("grid_g_co2_per_kwh")
    }

    /// `"366B"` → 366e9; suffixes K, M, B (or G), T; plain numbers pass through.
    static func quantity(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        let scales: [Character: Double] = ["K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12]
        if let last = trimmed.last?.uppercased().first, let scale = scales[last] {
            return Double(trimmed.dropLast()).map { $0 * scale }
        }
        return Double(trimmed)
    }
}

extension PlanConfig.LaunchSection {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.refuseUnknown(["job_name", "partition", "account", "time", "cpus_per_task", "master_port",
                             "megatron_path", "checkpoint_path"])
        job_name = try c.value("job_name"); partition = try c.value("partition")
        account = try c.value("account"); time = try c.value("time")
        cpus_per_task = try c.value("cpus_per_task"); master_port = try c.value("master_port")
        megatron_path = try c.value("megatron_path"); checkpoint_path = try c.value("checkpoint_path")
    }
}
