import Layers
import TensorEngine

// Port of HF transformers `models/bloom/modeling_bloom.py` (BloomAttention, BloomMLP, BloomBlock).
// Dims: B = batch, T = time, C = hidden, nh = heads, hs = head size.

// MARK: - Attention

/// Self-attention with BLOOM's fused per-head QKV projection (layout (nh, 3, hs), not
/// [all Q | all K | all V]), ALiBi or another position encoding, scale 1/sqrt(hs), fp32 softmax.
public struct BloomAttention: ParameterContainer {
    /// `query_key_value`: C -> 3C
    public let queryKeyValue: Linear
    /// `dense`: C -> C
    public let dense: Linear
    let heads: Int

    init(queryKeyValue: Linear, dense: Linear, heads: Int) {
        self.queryKeyValue = queryKeyValue; self.dense = dense; self.heads = heads
    }

    /// x (B, T, C) -> (B, T, C)
    func callAsFunction(_ x: Tensor, config: BloomConfiguration, slopes: [Float], options: ForwardOptions,
                        layer: Int) -> Tensor {
        var qkv = options.cast(linear(queryKeyValue, x, options))             // (B, T, C) -> (B, T, 3C)
        if config.positionEncoding == .rotary { qkv = qkv.rotaryQKV(heads: heads) }
        let p = options.training ? config.attentionDropout : 0
        let context = options.cast(Tensor.causalSelfAttention(               // (B, T, 3C) -> (B, T, C)
            qkv: qkv, heads: heads, slopes: config.positionEncoding == .alibi ? slopes : [],
            dropout: p, seed: options.seed(layer: layer, site: 0), segmentStarts: options.packing?.segmentStarts))
        return options.cast(linear(dense, context, options))
    }

    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        prefixed("query_key_value", queryKeyValue) + prefixed("dense", dense)
    }
}

/// A Linear whose operands are rounded to bfloat16 under mixed precision (and whose products, forward
/// and backward, then run as bfloat16 matmuls: AMX tiles where the CPU has them).
func linear(_ layer: Linear, _ x: Tensor, _ options: ForwardOptions) -> Tensor {
    guard options.precision == .bfloat16Mixed else { return layer(x) }
    return Tensor.linear(options.cast(x), weight: options.cast(layer.weight), bias: layer.bias.map(options.cast), bfloat16: true)
}

// MARK: - MLP

/// dense_h_to_4h -> tanh GeLU -> dense_4h_to_h.
public struct BloomMLP: ParameterContainer {
    public let up: Linear
    public let down: Linear

    /// x (B, T, C) -> (B, T, 4C) -> (B, T, C)
    func callAsFunction(_ x: Tensor, options: ForwardOptions) -> Tensor {
        let h = options.cast(linear(up, x, options).gelu())
        return options.cast(linear(down, h, options))
    }

    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        prefixed("dense_h_to_4h", up) + prefixed("dense_4h_to_h", down)
    }
}

// MARK: - Block

/// Pre-LN block: x + drop(attn(LN(x))), then + drop(mlp(LN(·))).
public struct BloomBlock: ParameterContainer {
    public let inputLayerNorm: LayerNorm
    public let attention: BloomAttention
    public let postAttentionLayerNorm: LayerNorm
    public let mlp: BloomMLP

    func callAsFunction(_ x: Tensor, config: BloomConfiguration, slopes: [Float], options: ForwardOptions,
                        layer: Int) -> Tensor {
        let p = options.training ? config.hiddenDropout : 0
        let a = options.cast(inputLayerNorm(x))
        let residual1 = config.residualPostLayerNorm ? a : x
        let attn = attention(a, config: config, slopes: slopes, options: options, layer: layer)
        let h = options.cast(residual1 + attn.dropout(p: p, seed: options.seed(layer: layer, site: 1)))
        let m = options.cast(postAttentionLayerNorm(h))
        let residual2 = config.residualPostLayerNorm ? m : h
        return options.cast(residual2 + mlp(m, options: options).dropout(p: p, seed: options.seed(layer: layer, site: 2)))
    }

    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        prefixed("input_layernorm", inputLayerNorm) + prefixed("self_attention", attention)
            + prefixed("post_attention_layernorm", postAttentionLayerNorm) + prefixed("mlp", mlp)
    }
}
