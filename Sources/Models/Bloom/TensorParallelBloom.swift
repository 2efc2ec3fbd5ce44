import Layers
import TensorEngine

// Megatron-style tensor parallelism for BLOOM. Dims: B = batch, T = time, C = hidden,
// nh = heads, R = tensor-parallel ranks; a rank holds nh/R heads and 4C/R MLP units.

/// One rank's share of a ``BloomModel`` split across `group.worldSize` tensor-parallel ranks:
/// `query_key_value` and `dense_h_to_4h` column-parallel (rows of the heads / units this rank
/// owns; BLOOM's per-head QKV layout makes a head's rows contiguous), `dense` and
/// `dense_4h_to_h` row-parallel (the matching input columns; their bias added once, after the
/// sum). Embeddings, LayerNorms and the tied head are replicated: their gradients come out equal
/// on every rank because `f` sums the input gradients of each parallel region.
public final class TensorParallelBloom: ParameterContainer {
    public let config: BloomConfiguration
    public let group: any Collectives
    let wordEmbeddings: Embedding
    let embeddingLayerNorm: LayerNorm?
    let positionEmbeddings: Embedding?
    let blocks: [Block]
    let finalLayerNorm: LayerNorm
    /// ALiBi slopes of this rank's heads.
    let slopes: [Float]
    let localHeads: Int

    struct Block {
        var inputLayerNorm: LayerNorm
        var queryKeyValue: Linear        // (3C/R, C)
        var dense: Linear                // weight (C, C/R), bias (C): added after the sum
        var postAttentionLayerNorm: LayerNorm
        var up: Linear                   // (4C/R, C)
        var down: Linear                 // weight (C, 4C/R), bias (C): added after the sum
    }

    /// Copies this rank's slices out of `full` (every rank passes the same model).
    public init(splitting full: BloomModel, group: any Collectives) {
        let r = group.rank, ranks = group.worldSize
        let c = full.config.hiddenSize, nh = full.config.headCount
        precondition(nh % ranks == 0, "TensorParallelBloom: \(nh) heads do not split over \(ranks) ranks")
        config = full.config
        self.group = group
        localHeads = nh / ranks
        func copy(_ t: Tensor) -> Tensor { t.copy() }
        func rows(_ t: Tensor, _ part: Int) -> Tensor {                       // slice `r` of `ranks` along axis 0
            t.sliced(axis: 0, range: (r * part)..<((r + 1) * part)).copy()
        }
        func columns(_ t: Tensor, _ part: Int) -> Tensor {                    // slice `r` along axis 1
            t.sliced(axis: 1, range: (r * part)..<((r + 1) * part)).copy()
        }
        wordEmbeddings = Embedding(weight: copy(full.wordEmbeddings.weight))
        embeddingLayerNorm = full.embeddingLayerNorm.map { LayerNorm(weight: copy($0.weight), bias: copy($0.bias), eps: $0.eps) }
        positionEmbeddings = full.positionEmbeddings.map { Embedding(weight: copy($0.weight)) }
        blocks = full.blocks.map { b in
            Block(
                inputLayerNorm: LayerNorm(weight: copy(b.inputLayerNorm.weight), bias: copy(b.inputLayerNorm.bias), eps: b.inputLayerNorm.eps),
                queryKeyValue: Linear(weight: rows(b.attention.queryKeyValue.weight, 3 * c / ranks),
                                      bias: b.attention.queryKeyValue.bias.map { rows($0, 3 * c / ranks) }),
                dense: Linear(weight: columns(b.attention.dense.weight, c / ranks), bias: b.attention.dense.bias.map(copy)),
                postAttentionLayerNorm: LayerNorm(weight: copy(b.postAttentionLayerNorm.weight), bias: copy(b.postAttentionLayerNorm.bias),
                                                  eps: b.postAttentionLayerNorm.eps),
                up: Linear(weight: rows(b.mlp.up.weight, 4 * c / ranks), bias: b.mlp.up.bias.map { rows($0, 4 * c / ranks) }),
                down: Linear(weight: columns(b.mlp.down.weight, 4 * c / ranks), bias: b.mlp.down.bias.map(copy)))
        }
        finalLayerNorm = LayerNorm(weight: copy(full.finalLayerNorm.weight), bias: copy(full.finalLayerNorm.bias), eps: full.finalLayerNorm.eps)
        slopes = Array(full.slopes[(r * localHeads)..<((r + 1) * localHeads)])
    }

    /// HF names; sharded tensors keep the full tensor's name (this rank holds a slice of it).
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var out = prefixed("transformer.word_embeddings", wordEmbeddings)
        if let positionEmbeddings { out += prefixed("transformer.position_embeddings", positionEmbeddings) }
        if let embeddingLayerNorm { out += prefixed("transformer.word_embeddings_layernorm", embeddingLayerNorm) }
        for (i, b) in blocks.enumerated() {
            let h = "transformer.h.\(i)"
            out += prefixed("\(h).input_layernorm", b.inputLayerNorm) + prefixed("\(h).self_attention.query_key_value", b.queryKeyValue)
                + prefixed("\(h).self_attention.dense", b.dense) + prefixed("\(h).post_attention_layernorm", b.postAttentionLayerNorm)
                + prefixed("\(h).mlp.dense_h_to_4h", b.up) + prefixed("\(h).mlp.dense_4h_to_h", b.down)
        }
        return out + prefixed("transformer.ln_f", finalLayerNorm)
    }

    /// Row-parallel layer: the ranks' partial products summed (`g`), then the bias once.
    func rowParallel(_ layer: Linear, _ x: Tensor, _ options: ForwardOptions) -> Tensor {
        let partial = options.cast(linear(Linear(weight: layer.weight, bias: nil), x, options))   // (B, T, C), this rank's part
        let total = partial.leavingTensorParallelRegion(group)
        return layer.bias.map { total + $0 } ?? total
    }

    /// ids (B·T) -> final hidden states (B, T, C), the same on every rank.
    public func hiddenStates(ids: [Int32], batch: Int, length: Int, options: ForwardOptions = .init()) -> Tensor {
        var x = options.cast(wordEmbeddings(ids, shape: [batch, length]))   // (B, T) -> (B, T, C)
        if let positionEmbeddings {
            x = x + Tensor.embedding(positionEmbeddings.weight, ids: (0..<length).map(Int32.init), idShape: [1, length])
        }
        if let embeddingLayerNorm { x = options.cast(embeddingLayerNorm(x)) }
        let p = options.training ? config.hiddenDropout : 0
        for (i, b) in blocks.enumerated() {
            let a = options.cast(b.inputLayerNorm(x))
            let residual1 = config.residualPostLayerNorm ? a : x
            var qkv = options.cast(linear(b.queryKeyValue, a.enteringTensorParallelRegion(group), options))   // (B, T, 3C/R)
            if config.positionEncoding == .rotary { qkv = qkv.rotaryQKV(heads: localHeads) }
            let context = options.cast(Tensor.causalSelfAttention(                                          // (B, T, C/R)
                qkv: qkv, heads: localHeads, slopes: config.positionEncoding == .alibi ? slopes : [],
                dropout: options.training ? config.attentionDropout : 0, seed: options.seed(layer: i, site: 0) &+ UInt64(group.rank)))
            let attention = rowParallel(b.dense, context, options)                                          // (B, T, C)
            let h = options.cast(residual1 + attention.dropout(p: p, seed: options.seed(layer: i, site: 1)))
            let m = options.cast(b.postAttentionLayerNorm(h))
            let residual2 = config.residualPostLayerNorm ? m : h
            let units = options.cast(linear(b.up, m.enteringTensorParallelRegion(group), options).gelu())   // (B, T, 4C/R)
            x = options.cast(residual2 + rowParallel(b.down, units, options).dropout(p: p, seed: options.seed(layer: i, site: 2)))
        }
        return finalLayerNorm(x)
    }

    /// Logits and mean next-token cross-entropy, as ``BloomModel/loss(ids:batch:length:options:)``.
    public func loss(ids: [Int32], batch: Int, length: Int, options: ForwardOptions = .init()) -> (logits: Tensor, loss: Tensor) {
        let h = hiddenStates(ids: ids, batch: batch, length: length, options: options)
        let logits = options.cast(linear(Linear(weight: wordEmbeddings.weight, bias: nil), h, options))     // (B, T, V)
        var targets = [Int32](repeating: -100, count: batch * length)
        for b in 0..<batch { for t in 0..<(length - 1) { targets[b * length + t] = ids[b * length + t + 1] } }
        return (logits, Tensor.crossEntropy(logits: logits.reshaped([batch * length, config.vocabSize]), targets: targets))   // (B·T, V)
    }
}
