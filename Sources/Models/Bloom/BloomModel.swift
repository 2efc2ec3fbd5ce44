import Foundation
import Layers
import TensorEngine

// Port of HF transformers `BloomForCausalLM` (modeling_bloom.py @9d97831, semantics only).
// Dims: B = batch, T = time, C = hidden, V = vocabulary.

/// Weight initialisation schemes.
public enum Initialization: Sendable, Equatable {
    /// Megatron/BLOOM: N(0, std) everywhere (std 0.0048), output projections
    /// (`self_attention.dense`, `mlp.dense_4h_to_h`) N(0, std/sqrt(2·layers)); biases 0, LN (1, 0).
    case bloom(std: Float = 0.0048)
    /// HF `_init_weights`: Linear and Embedding N(0, std = initializer_range 0.02), no depth scaling.
    case huggingFace(std: Float = 0.02)
}

/// BLOOM decoder with tied LM head: embeddings -> embedding LN -> blocks -> ln_f -> logits.
///
/// ```swift
/// let model = BloomModel(config: .init(vocabSize: 100, hiddenSize: 32, layerCount: 2, headCount: 4),
///                        initialization: .bloom(), seed: 42)
/// let (logits, loss) = model.loss(ids: ids, batch: 2, length: 16)
/// ```
public final class BloomModel: ParameterContainer {
    public let config: BloomConfiguration
    public let wordEmbeddings: Embedding
    public let embeddingLayerNorm: LayerNorm?
    /// Only for `.learned` positions.
    public let positionEmbeddings: Embedding?
    public let blocks: [BloomBlock]
    public let finalLayerNorm: LayerNorm
    /// ALiBi slope per head.
    public let slopes: [Float]

    /// A freshly initialised model.
    public init(config: BloomConfiguration, initialization: Initialization = .bloom(), seed: UInt64 = 42) {
        precondition((try? config.validate()) != nil, "BloomModel: invalid configuration \(config)")
        self.config = config
        var rng = SplitMix64(seed: seed)
        let c = config.hiddenSize
        let (std, outStd): (Float, Float)
        switch initialization {
        case .bloom(let s): (std, outStd) = (s, s / Float(2 * config.layerCount).squareRoot())
        case .huggingFace(let s): (std, outStd) = (s, s)
        }
        wordEmbeddings = Embedding(count: config.vocabSize, features: c, std: std, generator: &rng)
        embeddingLayerNorm = config.embeddingLayerNorm ? LayerNorm(features: c, eps: config.layerNormEpsilon) : nil
        positionEmbeddings = config.positionEncoding == .learned
            ? Embedding(count: config.maxPositions, features: c, std: std, generator: &rng) : nil
        blocks = (0..<config.layerCount).map { _ in
            BloomBlock(
                inputLayerNorm: LayerNorm(features: c, eps: config.layerNormEpsilon),
                attention: BloomAttention(
                    queryKeyValue: Linear(inFeatures: c, outFeatures: 3 * c, std: std, generator: &rng),
                    dense: Linear(inFeatures: c, outFeatures: c, std: outStd, generator: &rng),
                    heads: config.headCount),
                postAttentionLayerNorm: LayerNorm(features: c, eps: config.layerNormEpsilon),
                mlp: BloomMLP(up: Linear(inFeatures: c, outFeatures: 4 * c, std: std, generator: &rng),
                              down: Linear(inFeatures: 4 * c, outFeatures: c, std: outStd, generator: &rng)))
        }
        finalLayerNorm = LayerNorm(features: c, eps: config.layerNormEpsilon)
        slopes = ALiBi.slopes(heads: config.headCount)
    }

    /// A model over given parameters, keyed by HF names (with the `transformer.` prefix).
    init(config: BloomConfiguration, parameters p: [String: Tensor]) {
        self.config = config
        let eps = config.layerNormEpsilon
        func ln(_ name: String) -> LayerNorm { LayerNorm(weight: p["\(name).weight"]!, bias: p["\(name).bias"]!, eps: eps) }
        func lin(_ name: String) -> Linear { Linear(weight: p["\(name).weight"]!, bias: p["\(name).bias"]!) }
        wordEmbeddings = Embedding(weight: p["transformer.word_embeddings.weight"]!)
        embeddingLayerNorm = config.embeddingLayerNorm ? ln("transformer.word_embeddings_layernorm") : nil
        positionEmbeddings = config.positionEncoding == .learned ? Embedding(weight: p["transformer.position_embeddings.weight"]!) : nil
        blocks = (0..<config.layerCount).map { i in
            let h = "transformer.h.\(i)"
            return BloomBlock(
                inputLayerNorm: ln("\(h).input_layernorm"),
                attention: BloomAttention(queryKeyValue: lin("\(h).self_attention.query_key_value"),
                                          dense: lin("\(h).self_attention.dense"), heads: config.headCount),
                postAttentionLayerNorm: ln("\(h).post_attention_layernorm"),
                mlp: BloomMLP(up: lin("\(h).mlp.dense_h_to_4h"), down: lin("\(h).mlp.dense_4h_to_h")))
        }
        finalLayerNorm = ln("transformer.ln_f")
        slopes = ALiBi.slopes(heads: config.headCount)
    }

    /// HF parameter names (`transformer.…`) in `named_parameters()` order; `lm_head` is tied, not listed.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var out = prefixed("transformer.word_embeddings", wordEmbeddings)
        if let positionEmbeddings { out += prefixed("transformer.position_embeddings", positionEmbeddings) }
        if let embeddingLayerNorm { out += prefixed("transformer.word_embeddings_layernorm", embeddingLayerNorm) }
        for (i, block) in blocks.enumerated() { out += prefixed("transformer.h.\(i)", block) }
        return out + prefixed("transformer.ln_f", finalLayerNorm)
    }

    /// Final hidden states: ids (B·T, row-major) -> (B, T, C).
    public func hiddenStates(ids: [Int32], batch: Int, length: Int, options: ForwardOptions = .init()) -> Tensor {
        precondition(ids.count == batch * length, "BloomModel: \(ids.count) ids for batch \(batch) × length \(length)")
        var x = options.cast(wordEmbeddings(ids, shape: [batch, length]))   // (B, T) -> (B, T, C)
        precondition(options.packing == nil || config.positionEncoding != .rotary,
                     "BloomModel: packed rows need per-token rotary positions, which are not implemented; use ALiBi, learned or none")
        if let positionEmbeddings {
            precondition(length <= config.maxPositions, "BloomModel: length \(length) > maxPositions \(config.maxPositions)")
            if let packing = options.packing {                                // positions restart in each segment
                x = x + Tensor.embedding(positionEmbeddings.weight, ids: packing.positions, idShape: [batch, length])   // (B, T, C)
            } else {
                let positions = Tensor.embedding(positionEmbeddings.weight, ids: (0..<length).map(Int32.init), idShape: [1, length])
                x = x + positions                                             // (1, T, C) broadcast over B
            }
        }
        if let embeddingLayerNorm { x = options.cast(embeddingLayerNorm(x)) }
        for (i, block) in blocks.enumerated() {
            x = block(x, config: config, slopes: slopes, options: options, layer: i)
        }
        return finalLayerNorm(x)
    }

    /// Logits (B, T, V) through the tied LM head (x · word_embeddingsᵀ).
    public func logits(ids: [Int32], batch: Int, length: Int, options: ForwardOptions = .init()) -> Tensor {
        let h = hiddenStates(ids: ids, batch: batch, length: length, options: options)
        return options.cast(linear(Linear(weight: wordEmbeddings.weight, bias: nil), h, options))   // (B, T, C) -> (B, T, V)
    }

    /// Logits and mean next-token cross-entropy with labels = ids shifted by one (as
    /// transformers computes it: position t predicts id t+1; the last position has no target).
    public func loss(ids: [Int32], batch: Int, length: Int, options: ForwardOptions = .init()) -> (logits: Tensor, loss: Tensor) {
        let logits = self.logits(ids: ids, batch: batch, length: length, options: options)
        var targets = [Int32](repeating: -100, count: batch * length)
        for b in 0..<batch { for t in 0..<(length - 1) { targets[b * length + t] = ids[b * length + t + 1] } }
        // (B, T, V) -> (B·T, V); loss in Float32 whatever the precision.
        let loss = Tensor.crossEntropy(logits: logits.reshaped([batch * length, config.vocabSize]), targets: targets)
        return (logits, loss)
    }
}
