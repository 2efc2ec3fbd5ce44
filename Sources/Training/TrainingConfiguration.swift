import CanonicalJSON
import Foundation
import Models

/// Everything that decides a pretraining run: model shape, data, optimisation and checkpointing.
/// Decoded from a `train` stage's `with:` block (snake_case keys, BLOOM-like defaults scaled down).
///
/// Token budgets are in tokens, as in the paper (warmup 375M tokens, cosine decay over 410B tokens
/// for 176B); they are turned into steps by ``BatchSchedule``.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// The model's shape and the ablation switches.
    public struct Model: Codable, Equatable, Sendable {
        public var hidden = 128
        public var layers = 4
        public var heads = 4
        /// alibi (BLOOM), learned, rotary or none.
        public var position = "alibi"
        /// LayerNorm right after the word embeddings (BLOOM: true).
        public var embedding_layernorm = true
        public var dropout: Float = 0
        /// bloom (std 0.0048, depth-scaled output projections) or hf (std 0.02).
        public var initialization = "bloom"
        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Model()
            hidden = try c.decodeIfPresent(Int.self, forKey: .hidden) ?? d.hidden
            layers = try c.decodeIfPresent(Int.self, forKey: .layers) ?? d.layers
            heads = try c.decodeIfPresent(Int.self, forKey: .heads) ?? d.heads
            position = try c.decodeIfPresent(String.self, forKey: .position) ?? d.position
            embedding_layernorm = try c.decodeIfPresent(Bool.self, forKey: .embedding_layernorm) ?? d.embedding_layernorm
            dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? d.dropout
            initialization = try c.decodeIfPresent(String.self, forKey: .initialization) ?? d.initialization
        }
    }

    /// Megatron's `--rampup-batch-size START INCREMENT TOKENS`: the global batch grows from
    /// `start` by `increment` sequences in equal steps over the first `tokens` tokens.
    public struct BatchRamp: Codable, Equatable, Sendable {
        public var start: Int
        public var increment: Int
        public var tokens: Int
    }

    public var model = Model()
    /// Tokens per training window (inputs; the loss covers length − 1 next-token predictions).
    public var sequence_length = 128
    /// Global batch in sequences.
    public var batch_size = 16
    public var batch_ramp: BatchRamp?
    /// Training budget in tokens (steps run until at least this many tokens were seen).
    public var tokens = 1_000_000
    public var lr: Double = 1e-3
    public var min_lr: Double = 1e-4
    public var warmup_tokens = 50_000
    /// Cosine decay horizon in tokens; default: the whole budget.
    public var decay_tokens: Int?
    public var weight_decay: Float = 0.1
    public var beta1: Float = 0.9
    public var beta2: Float = 0.95
    public var eps: Float = 1e-8
    /// Global-norm clipping (BLOOM: 1.0); 0 turns it off.
    public var grad_clip: Float = 1
    public var seed: UInt64 = 42
    /// Data-parallel workers (threads, one model replica each); default: the stage's cores.
    public var workers: Int?
    /// Data-parallel processes under MPI (`mpirun -np N`, one replica each); unset or 1: threads in
    /// the stage's own process (`workers`). Both split and sum alike, so give the same weights.
    public var processes: Int?
    /// The MPI launcher and its options (default: `mpirun` on this node).
    public var mpi_launcher: [String]?
    /// Checkpoint every this many steps (0: only at the end).
    public var checkpoint_every = 100
    /// Percentage of documents (by id hash) held out for validation.
    public var validation_percent: Double = 2
    /// Validation every this many steps (and at the end); 0: only at the end.
    public var validation_every = 100
    /// Cap on validation tokens per language group.
    public var validation_tokens = 8_192
    /// Corpus groups to train on (languages such as `en` and code groups such as `code-python`); default all.
    public var groups: [String]?
    /// float32 or bf16 (mixed precision: fp32 master weights, bf16 matmuls).
    public var precision = "float32"
    /// Log a progress line every this many steps.
    public var log_every = 10

    public init() {}

    /// Every key is optional; a missing one keeps the default above.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfiguration()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T { try c.decodeIfPresent(T.self, forKey: key) ?? fallback }
        model = try value(.model, d.model)
        sequence_length = try value(.sequence_length, d.sequence_length)
        batch_size = try value(.batch_size, d.batch_size)
        batch_ramp = try c.decodeIfPresent(BatchRamp.self, forKey: .batch_ramp)
        tokens = try value(.tokens, d.tokens)
        lr = try value(.lr, d.lr)
        min_lr = try value(.min_lr, d.min_lr)
        warmup_tokens = try value(.warmup_tokens, d.warmup_tokens)
        decay_tokens = try c.decodeIfPresent(Int.self, forKey: .decay_tokens)
        weight_decay = try value(.weight_decay, d.weight_decay)
        beta1 = try value(.beta1, d.beta1)
        beta2 = try value(.beta2, d.beta2)
        eps = try value(.eps, d.eps)
        grad_clip = try value(.grad_clip, d.grad_clip)
        seed = try value(.seed, d.seed)
        workers = try c.decodeIfPresent(Int.self, forKey: .workers)
        processes = try c.decodeIfPresent(Int.self, forKey: .processes)
        mpi_launcher = try c.decodeIfPresent([String].self, forKey: .mpi_launcher)
        checkpoint_every = try value(.checkpoint_every, d.checkpoint_every)
        validation_percent = try value(.validation_percent, d.validation_percent)
        validation_every = try value(.validation_every, d.validation_every)
        validation_tokens = try value(.validation_tokens, d.validation_tokens)
        groups = try c.decodeIfPresent([String].self, forKey: .groups)
        precision = try value(.precision, d.precision)
        log_every = try value(.log_every, d.log_every)
    }

    static let knownKeys: Set<String> = [
        "model", "sequence_length", "batch_size", "batch_ramp", "tokens", "lr", "min_lr", "warmup_tokens", "decay_tokens",
        "weight_decay", "beta1", "beta2", "eps", "grad_clip", "seed", "workers", "processes", "mpi_launcher", "checkpoint_every", "validation_percent",
        "validation_every", "validation_tokens", "groups", "precision", "log_every",
    ]
    static let knownModelKeys: Set<String> = ["hidden", "layers", "heads", "position", "embedding_layernorm", "dropout", "initialization"]

    /// Decodes JSON, refusing unknown keys (with the known ones listed) and values of the wrong type.
    public static func decode(json: Data) throws -> TrainingConfiguration {
        let config: TrainingConfiguration
        do {
            config = try JSONValue.parse(json).decode(TrainingConfiguration.self, knownKeys: knownKeys, nested: ["model": knownModelKeys])
        } catch let p as JSONValue.DecodeProblem {
            throw TrainingError.invalidConfiguration(field: p.field, problem: p.problem)
        }
        try config.validate()
        return config
    }

    /// Range and consistency checks, naming the field.
    public func validate() throws {
        func bad(_ field: String, _ problem: String) -> TrainingError { .invalidConfiguration(field: field, problem: problem) }
        if model.hidden <= 0 || model.layers <= 0 || model.heads <= 0 { throw bad("model", "hidden, layers and heads must be positive") }
        if model.hidden % model.heads != 0 { throw bad("model.heads", "\(model.heads) heads must divide hidden \(model.hidden)") }
        if PositionEncoding(rawValue: model.position) == nil {
            throw bad("model.position", "'\(model.position)' is not one of \(PositionEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if model.position == "rotary" && (model.hidden / model.heads) % 2 != 0 { throw bad("model.position", "rotary needs an even head size") }
        if !(0..<1).contains(model.dropout) { throw bad("model.dropout", "must be in [0, 1)") }
        if !["bloom", "hf"].contains(model.initialization) { throw bad("model.initialization", "must be bloom or hf") }
        if sequence_length < 2 { throw bad("sequence_length", "must be at least 2") }
        if batch_size <= 0 { throw bad("batch_size", "must be positive") }
        if tokens < sequence_length { throw bad("tokens", "budget \(tokens) is less than one sequence (\(sequence_length))") }
        if let ramp = batch_ramp {
            if ramp.start <= 0 || ramp.start > batch_size { throw bad("batch_ramp.start", "must be in 1...batch_size") }
            if ramp.increment <= 0 || (batch_size - ramp.start) % ramp.increment != 0 {
                throw bad("batch_ramp.increment", "must be positive and divide batch_size − start (\(batch_size - ramp.start))")
            }
            if ramp.tokens < 0 { throw bad("batch_ramp.tokens", "must not be negative") }
        }
        if !(lr > 0) || !lr.isFinite { throw bad("lr", "must be positive") }
        if min_lr < 0 || min_lr > lr { throw bad("min_lr", "must be in [0, lr]") }
        if warmup_tokens < 0 { throw bad("warmup_tokens", "must not be negative") }
        if decayTokens <= warmup_tokens { throw bad("decay_tokens", "must exceed warmup_tokens (\(warmup_tokens))") }
        if grad_clip < 0 { throw bad("grad_clip", "must not be negative") }
        if let workers, workers <= 0 || workers > batchRampStart { throw bad("workers", "must be in 1...\(batchRampStart) (the smallest global batch)") }
        if let processes {
            if processes <= 0 || processes > batchRampStart { throw bad("processes", "must be in 1...\(batchRampStart) (the smallest global batch)") }
            if processes > 1, let workers, workers > 1 { throw bad("processes", "set either processes (MPI) or workers (threads), not both") }
        }
        if let launcher = mpi_launcher, launcher.isEmpty { throw bad("mpi_launcher", "must name a program, e.g. [mpirun]") }
        if checkpoint_every < 0 { throw bad("checkpoint_every", "must not be negative") }
        if validation_percent <= 0 || validation_percent >= 50 { throw bad("validation_percent", "must be in (0, 50)") }
        if validation_every < 0 || validation_tokens < sequence_length { throw bad("validation_tokens", "must be at least sequence_length") }
        if !["float32", "bf16"].contains(precision) { throw bad("precision", "must be float32 or bf16") }
        if log_every <= 0 { throw bad("log_every", "must be positive") }
        if let groups, groups.isEmpty { throw bad("groups", "must not be empty (leave it out to use every group)") }
    }

    public var decayTokens: Int { decay_tokens ?? tokens }
    var batchRampStart: Int { batch_ramp?.start ?? batch_size }
    /// Whether the run is split across MPI processes.
    public var usesMPI: Bool { (processes ?? 1) > 1 }

    /// The engine's model configuration for a vocabulary of `vocabularySize` (already padded).
    public func bloomConfiguration(vocabularySize: Int) -> BloomConfiguration {
        BloomConfiguration(vocabSize: vocabularySize, hiddenSize: model.hidden, layerCount: model.layers, headCount: model.heads,
                           hiddenDropout: model.dropout, attentionDropout: model.dropout,
                           positionEncoding: PositionEncoding(rawValue: model.position) ?? .alibi,
                           embeddingLayerNorm: model.embedding_layernorm, maxPositions: sequence_length)
    }

    public var initialization: Initialization { model.initialization == "hf" ? .huggingFace() : .bloom() }
    public var forwardPrecision: Precision { precision == "bf16" ? .bfloat16Mixed : .float32 }
}
