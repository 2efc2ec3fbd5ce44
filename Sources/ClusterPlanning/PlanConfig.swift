import Foundation

/// The `with:` block of a `plan` stage: a preset and/or explicit fields, all snake_case and
/// all optional; unknown keys are refused at every level.
///
/// ```yaml
/// with:
///   preset: bloom-176b
///   layout: {micro_batch: 1}
///   budget: {tokens: 366B, achieved_tflops: 150}
/// ```
///
/// Without a preset, `model.{layers, hidden, heads, vocab_size, seq_length}`,
/// `cluster.{nodes, gpus_per_node, gpu_memory_gib, gpu_peak_tflops}`,
/// `layout.{tensor_parallel, pipeline_parallel, micro_batch, global_batch}`, `training.lr`,
/// `budget.tokens` and one of `budget.achieved_tflops` / `budget.utilization` are required.
/// `layout.data_parallel`, when absent, is derived as GPUs / (TP · PP).
public struct PlanConfig: Decodable, Sendable, Equatable {
    /// A name from ``PlanRequest/bloomPresets`` (e.g. `bloom-176b`).
    public var preset: String?
    public var model: ModelSection?
    public var cluster: ClusterSection?
    public var layout: LayoutSection?
    public var training: TrainingSection?
    public var budget: BudgetSection?
    public var launch: LaunchSection?
    /// Make memory overflow an error instead of `fits: false`.
    public var strict_memory: Bool?

    /// Overrides for ``ModelConfig``.
    public struct ModelSection: Decodable, Sendable, Equatable {
        public var name: String?
        public var layers, hidden, heads, vocab_size, seq_length, ffn_multiplier, pad_vocab_to: Int?
    }
    /// Overrides for ``ClusterSpec``; memory in GiB, peak in TFLOP/s.
    public struct ClusterSection: Decodable, Sendable, Equatable {
        public var name, gpu_name: String?
        public var nodes, gpus_per_node: Int?
        public var gpu_memory_gib, gpu_peak_tflops: Double?
    }
    /// Overrides for ``ParallelLayout``.
    public struct LayoutSection: Decodable, Sendable, Equatable {
        public var tensor_parallel, pipeline_parallel, data_parallel, micro_batch, global_batch, zero_stage: Int?
        public var recompute: Bool?
        public var precision: Precision?
        public var partition: PartitionMethod?
    }
    /// ``BatchRampUp`` as `{start, increment, samples}`.
    public struct RampUpSection: Decodable, Sendable, Equatable {
        public var start, increment, samples: Int
    }
    /// Overrides for ``TrainingHyperparameters``.
    public struct TrainingSection: Decodable, Sendable, Equatable {
        public var lr, min_lr, clip_grad, weight_decay, adam_beta1, adam_beta2, adam_eps, init_method_std: Double?
        public var warmup_samples, decay_samples, train_samples, seed, save_interval, eval_interval, eval_iters: Int?
        /// `{start, increment, samples}`, or `false` to turn a preset's ramp-up off.
        public var rampup: RampUpSection?
        public var rampupDisabled = false
        public var tokenizer, data_path: String?
        public var extra_flags: [String]?
    }
    /// Overrides for ``ComputeBudget``; throughput in TFLOP/s or as a fraction of peak.
    public struct BudgetSection: Decodable, Sendable, Equatable {
        /// A number or a string with a K/M/B/T suffix (`366B`).
        public var tokens: Double?
        public var achieved_tflops, utilization, watts_per_gpu, grid_g_co2_per_kwh: Double?
    }
    /// Overrides for ``LaunchOptions``.
    public struct LaunchSection: Decodable, Sendable, Equatable {
        public var job_name, partition, account, time, megatron_path, checkpoint_path: String?
        public var cpus_per_task, master_port: Int?
    }

    /// Decodes a `with:` block given as JSON bytes.
    /// - Throws: ``PlanError/invalidConfig(field:problem:)`` naming the dotted field.
    public static func parse(_ json: Data) throws -> PlanConfig {
        do {
            return try JSONDecoder().decode(PlanConfig.self, from: json)
        } catch let error as PlanError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw PlanError.invalidConfig(field: path(context.codingPath + [key]), problem: "missing")
        } catch let DecodingError.typeMismatch(type, context) {
            throw PlanError.invalidConfig(field: path(context.codingPath), problem: "expected \(type)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw PlanError.invalidConfig(field: path(context.codingPath), problem: "expected \(type), found null")
        } catch let DecodingError.dataCorrupted(context) {
            throw PlanError.invalidConfig(field: path(context.codingPath), problem: context.debugDescription)
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map(\.stringValue).joined(separator: ".")
    }
}
