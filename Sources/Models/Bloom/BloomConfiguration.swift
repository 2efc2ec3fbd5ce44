import Foundation

/// How token positions enter the model (BLOOM: ALiBi). The alternatives exist for ablations.
public enum PositionEncoding: String, Sendable, CaseIterable {
    /// Linear attention biases with HF/Megatron slopes (BLOOM).
    case alibi
    /// A learned (maxPositions, hidden) table added to the token embeddings (GPT-2 style).
    case learned
    /// Rotary embeddings on queries and keys (GPT-NeoX "rotate half").
    case rotary
    /// No positional information beyond the causal mask.
    case none
}

/// BLOOM hyper-parameters, read from and written to HF `config.json` (`BloomConfig`).
///
/// HF keys map to fields; the aliases `n_embed`, `num_attention_heads` and `num_hidden_layers`
/// are accepted. Trellis-only ablation switches use `trellis_*` keys, which transformers keeps
/// as inert attributes. Unknown keys are rejected so typos do not silently change a model.
public struct BloomConfiguration: Sendable, Equatable {
    public var vocabSize: Int = 250_880
    public var hiddenSize: Int = 64
    public var layerCount: Int = 2
    public var headCount: Int = 8
    public var layerNormEpsilon: Float = 1e-5
    public var initializerRange: Float = 0.02
    public var hiddenDropout: Float = 0
    public var attentionDropout: Float = 0
    /// Residual taken after the LayerNorm instead of before (BLOOM: false).
    public var residualPostLayerNorm = false
    /// Trellis ablation: position encoding (default BLOOM's ALiBi).
    public var positionEncoding: PositionEncoding = .alibi
    /// Trellis ablation: LayerNorm right after the word embeddings (default BLOOM's true).
    public var embeddingLayerNorm = true
    /// Trellis ablation: table size for `.learned` positions.
    public var maxPositions: Int = 2048

    public init(vocabSize: Int = 250_880, hiddenSize: Int = 64, layerCount: Int = 2, headCount: Int = 8,
                layerNormEpsilon: Float = 1e-5, initializerRange: Float = 0.02, hiddenDropout: Float = 0,
                attentionDropout: Float = 0, positionEncoding: PositionEncoding = .alibi,
                embeddingLayerNorm: Bool = true, maxPositions: Int = 2048) {
        self.vocabSize = vocabSize; self.hiddenSize = hiddenSize; self.layerCount = layerCount
        self.headCount = headCount; self.layerNormEpsilon = layerNormEpsilon
        self.initializerRange = initializerRange; self.hiddenDropout = hiddenDropout
        self.attentionDropout = attentionDropout; self.positionEncoding = positionEncoding
        self.embeddingLayerNorm = embeddingLayerNorm; self.maxPositions = maxPositions
    }

    /// hidden / heads.
    public var headSize: Int { hiddenSize / headCount }

    /// Checks divisibility and ranges.
    public func validate() throws {
        func bad(_ key: String, _ reason: String) -> CheckpointError { .invalidConfigValue(key: key, reason: reason) }
        if vocabSize <= 0 { throw bad("vocab_size", "must be positive, got \(vocabSize)") }
        if hiddenSize <= 0 { throw bad("hidden_size", "must be positive, got \(hiddenSize)") }
        if layerCount <= 0 { throw bad("n_layer", "must be positive, got \(layerCount)") }
        if headCount <= 0 || hiddenSize % headCount != 0 {
            throw bad("n_head", "\(headCount) heads must divide hidden_size \(hiddenSize)")
        }
        if positionEncoding == .rotary && headSize % 2 != 0 { throw bad("trellis_position_encoding", "rotary needs an even head size") }
        for (key, p) in [("hidden_dropout", hiddenDropout), ("attention_dropout", attentionDropout)] where !(0..<1).contains(p) {
            throw bad(key, "must be in [0, 1), got \(p)")
        }
    }

    // MARK: - config.json

    /// Keys transformers writes for BLOOM that carry no meaning for this implementation.
    static let ignoredKeys: Set<String> = [
        "architectures", "model_type", "transformers_version", "torch_dtype", "dtype", "use_cache",
        "bos_token_id", "eos_token_id", "pad_token_id", "unk_token_id", "sep_token_id", "decoder_start_token_id",
        "pretraining_tp", "slow_but_exact", "tie_word_embeddings", "attention_softmax_in_fp32",
        "bias_dropout_fusion", "masked_softmax_fusion", "offset_alibi", "skip_bias_add", "skip_bias_add_qkv",
        "n_inner", "seq_length", "return_dict", "output_hidden_states", "output_attentions", "id2label",
        "label2id", "_name_or_path", "is_decoder", "is_encoder_decoder", "chunk_size_feed_forward",
        "problem_type", "tokenizer_class", "prefix", "task_specific_params", "finetuning_task",
    ]

    /// Parses HF `config.json` data.
    public static func decode(_ data: Data) throws -> BloomConfiguration {
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CheckpointError.invalidConfigValue(key: "<root>", reason: "config.json is not a JSON object")
        }
        var c = BloomConfiguration()
        func int(_ key: String) throws -> Int {
            guard let n = json[key] as? NSNumber, n.doubleValue == n.doubleValue.rounded() else {
                throw CheckpointError.invalidConfigValue(key: key, reason: "expected an integer, got \(json[key] ?? "null")")
            }
            return n.intValue
        }
        func float(_ key: String) throws -> Float {
            guard let n = json[key] as? NSNumber else {
                throw CheckpointError.invalidConfigValue(key: key, reason: "expected a number, got \(json[key] ?? "null")")
            }
            return n.floatValue
        }
        func bool(_ key: String) throws -> Bool {
            guard let b = json[key] as? Bool else {
                throw CheckpointError.invalidConfigValue(key: key, reason: "expected true or false")
            }
            return b
        }
        var sawVocab = false, sawHidden = false, sawLayers = false, sawHeads = false
        for key in json.keys.sorted() {
            switch key {
            case "vocab_size": c.vocabSize = try int(key); sawVocab = true
            case "hidden_size", "n_embed": c.hiddenSize = try int(key); sawHidden = true
            case "n_layer", "num_hidden_layers": c.layerCount = try int(key); sawLayers = true
            case "n_head", "num_attention_heads": c.headCount = try int(key); sawHeads = true
            case "layer_norm_epsilon": c.layerNormEpsilon = try float(key)
            case "initializer_range": c.initializerRange = try float(key)
            case "hidden_dropout": c.hiddenDropout = try float(key)
            case "attention_dropout": c.attentionDropout = try float(key)
            case "apply_residual_connection_post_layernorm": c.residualPostLayerNorm = try bool(key)
            case "trellis_embedding_layernorm": c.embeddingLayerNorm = try bool(key)
            case "trellis_max_positions": c.maxPositions = try int(key)
            case "trellis_position_encoding":
                guard let s = json[key] as? String, let p = PositionEncoding(rawValue: s) else {
                    throw CheckpointError.invalidConfigValue(key: key, reason: "expected one of \(PositionEncoding.allCases.map(\.rawValue))")
                }
                c.positionEncoding = p
            case "model_type":
                if let t = json[key] as? String, t != "bloom" {
                    throw CheckpointError.invalidConfigValue(key: key, reason: "expected \"bloom\", got \"\(t)\"")
                }
            default:
                if !ignoredKeys.contains(key) { throw CheckpointError.unknownConfigKey(key: key) }
            }
        }
        for (seen, key) in [(sawVocab, "vocab_size"), (sawHidden, "hidden_size"), (sawLayers, "n_layer"), (sawHeads, "n_head")] where !seen {
            throw CheckpointError.missingConfigKey(key: key)
        }
        try c.validate()
        return c
    }

    /// HF-compatible `config.json` (loads as `BloomConfig` in transformers).
    public func encode() throws -> Data {
        var json: [String: Any] = [
            "architectures": ["BloomForCausalLM"], "model_type": "bloom",
            "vocab_size": vocabSize, "hidden_size": hiddenSize, "n_layer": layerCount, "n_head": headCount,
            "layer_norm_epsilon": decimal(layerNormEpsilon), "initializer_range": decimal(initializerRange),
            "hidden_dropout": decimal(hiddenDropout), "attention_dropout": decimal(attentionDropout),
            "apply_residual_connection_post_layernorm": residualPostLayerNorm,
            "bos_token_id": 1, "eos_token_id": 2, "pretraining_tp": 1, "slow_but_exact": false,
            "tie_word_embeddings": true, "use_cache": true, "dtype": "float32",
        ]
        if positionEncoding != .alibi { json["trellis_position_encoding"] = positionEncoding.rawValue }
        if !embeddingLayerNorm { json["trellis_embedding_layernorm"] = false }
        if positionEncoding == .learned { json["trellis_max_positions"] = maxPositions }
        return try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
    }

    /// The Double with the Float's shortest decimal spelling (1e-05, not 9.999999747378752e-06).
    private func decimal(_ x: Float) -> Double { Double("\(x)") ?? Double(x) }
}
