import Layers
import TensorEngine

// GPipe-style pipeline parallelism for BLOOM. Dims: B = batch, T = time, C = hidden, V = vocabulary;
// S = stages (ranks of the group), M = micro-batches.

/// One pipeline stage of a ``BloomModel``: a contiguous run of blocks; stage 0 also embeds, the
/// last stage also holds `ln_f` and the tied LM head (its own copy of the word embeddings, whose
/// gradient is summed with stage 0's after the backward pass, as Megatron's embedding group does).
///
/// ``step(ids:batch:length:microBatches:options:)`` runs every micro-batch forward through the
/// stages (activations sent to the next rank), then every micro-batch backward in reverse order
/// (activation gradients sent to the previous rank); parameter gradients accumulate over
/// micro-batches and equal the whole model's gradient of the whole batch's mean loss.
public final class PipelineParallelBloom: ParameterContainer {
    public let config: BloomConfiguration
    public let group: any Collectives
    /// Global indices of this stage's blocks.
    public let layers: Range<Int>
    let wordEmbeddings: Embedding?
    let embeddingLayerNorm: LayerNorm?
    let positionEmbeddings: Embedding?
    let blocks: [BloomBlock]
    let finalLayerNorm: LayerNorm?
    /// The tied head's copy of the word embeddings (last stage only; the same tensor as
    /// `wordEmbeddings` when there is a single stage).
    let headWeight: Tensor?
    let slopes: [Float]

    var isFirst: Bool { group.rank == 0 }
    var isLast: Bool { group.rank == group.worldSize - 1 }

    /// Copies this stage's share of `full`; layers are dealt out as evenly as possible.
    public init(splitting full: BloomModel, group: any Collectives) {
        let stages = group.worldSize, s = group.rank, n = full.config.layerCount
        precondition(n >= stages, "PipelineParallelBloom: \(n) layers for \(stages) stages")
        config = full.config
        self.group = group
        layers = (s * n / stages)..<((s + 1) * n / stages)
        func copy(_ t: Tensor) -> Tensor { t.copy() }
        func ln(_ l: LayerNorm) -> LayerNorm { LayerNorm(weight: copy(l.weight), bias: copy(l.bias), eps: l.eps) }
        func lin(_ l: Linear) -> Linear { Linear(weight: copy(l.weight), bias: l.bias.map(copy)) }
        let first = s == 0, last = s == stages - 1
        wordEmbeddings = first ? Embedding(weight: copy(full.wordEmbeddings.weight)) : nil
        embeddingLayerNorm = first ? full.embeddingLayerNorm.map(ln) : nil
        positionEmbeddings = first ? full.positionEmbeddings.map { Embedding(weight: copy($0.weight)) } : nil
        let heads = full.config.headCount
        blocks = full.blocks[(s * n / stages)..<((s + 1) * n / stages)].map { b in
            BloomBlock(inputLayerNorm: ln(b.inputLayerNorm),
                       attention: BloomAttention(queryKeyValue: lin(b.attention.queryKeyValue), dense: lin(b.attention.dense), heads: heads),
                       postAttentionLayerNorm: ln(b.postAttentionLayerNorm),
                       mlp: BloomMLP(up: lin(b.mlp.up), down: lin(b.mlp.down)))
        }
        finalLayerNorm = last ? ln(full.finalLayerNorm) : nil
        headWeight = last ? (wordEmbeddings?.weight ?? Embedding(weight: copy(full.wordEmbeddings.weight)).weight) : nil
        slopes = full.slopes
    }

    /// HF names with global layer indices; the last stage lists its head copy as `lm_head.weight`.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        if let wordEmbeddings { out += prefixed("transformer.word_embeddings", wordEmbeddings) }
        if let positionEmbeddings { out += prefixed("transformer.position_embeddings", positionEmbeddings) }
        if let embeddingLayerNorm { out += prefixed("transformer.word_embeddings_layernorm", embeddingLayerNorm) }
        for (i, block) in zip(layers, blocks) { out += prefixed("transformer.h.\(i)", block) }
        if let finalLayerNorm { out += prefixed("transformer.ln_f", finalLayerNorm) }
        if let headWeight, wordEmbeddings == nil { out.append(("lm_head.weight", headWeight)) }
        return out
    }

    /// Forward and backward of the whole batch in `microBatches` equal parts; returns the mean
    /// loss on the last stage (nil elsewhere). Parameter gradients are left in `.grad`.
    @discardableResult
    public func step(ids: [Int32], batch: Int, length: Int, microBatches: Int, options: ForwardOptions = .init()) -> Float? {
        precondition(batch % microBatches == 0, "PipelineParallelBloom: batch \(batch) does not split into \(microBatches) micro-batches")
        let rows = batch / microBatches
        var inputs: [Tensor?] = [], outputs: [Tensor] = [], losses: [Float] = []
        for m in 0..<microBatches {                                          // all forwards
            let microIDs = Array(ids[(m * rows * length)..<((m + 1) * rows * length)])      // (rows · T)
            var x: Tensor
            var input: Tensor?
            if isFirst {
                x = options.cast(wordEmbeddings!(microIDs, shape: [rows, length]))        // (rows, T) -> (rows, T, C)
                if let positionEmbeddings {
                    x = x + Tensor.embedding(positionEmbeddings.weight, ids: (0..<length).map(Int32.init), idShape: [1, length])
                }
                if let embeddingLayerNorm { x = options.cast(embeddingLayerNorm(x)) }
            } else {
                x = group.receive(from: group.rank - 1)                      // (rows, T, C) from the previous stage
                x.requiresGrad = true
                input = x
            }
            for (i, block) in zip(layers, blocks) { x = block(x, config: config, slopes: slopes, options: options, layer: i) }
            if isLast {
                let h = finalLayerNorm!(x)
                let logits = options.cast(linear(Linear(weight: headWeight!, bias: nil), h, options))   // (rows, T, V)
                var targets = [Int32](repeating: -100, count: rows * length)
                for b in 0..<rows { for t in 0..<(length - 1) { targets[b * length + t] = microIDs[b * length + t + 1] } }
                let loss = Tensor.crossEntropy(logits: logits.reshaped([rows * length, config.vocabSize]), targets: targets)  // (rows·T, V)
                losses.append(loss.item())
                outputs.append(loss * (1 / Float(microBatches)))             // equal parts: the batch mean is the parts' mean
            } else {
                group.send(x, to: group.rank + 1)
                outputs.append(x)
            }
            inputs.append(input)
        }
        for m in (0..<microBatches).reversed() {                             // all backwards, last micro-batch first
            if isLast { outputs[m].backward() } else { outputs[m].backward(group.receive(from: group.rank + 1)) }
            if let input = inputs[m] { group.send(input.grad!, to: group.rank - 1) }
        }
        synchronizeEmbeddingGradients()
        return isLast ? losses.reduce(0, +) / Float(microBatches) : nil
    }

    /// Stage 0's and the last stage's word-embedding gradients, summed (first + last) on both.
    func synchronizeEmbeddingGradients() {
        let stages = group.worldSize
        guard stages > 1, isFirst || isLast else { return }
        let own = (isFirst ? wordEmbeddings!.weight : headWeight!)
        let mine = own.grad ?? Tensor.zeros(own.shape)
        let peer = isFirst ? stages - 1 : 0
        if isFirst { group.send(mine, to: peer) }
        let theirs = group.receive(from: peer)
        if isLast { group.send(mine, to: peer) }
        own.grad = isFirst ? mine + theirs : theirs + mine                   // first + last on both stages
    }
}
