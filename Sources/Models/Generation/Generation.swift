import Foundation
import Layers
import TensorEngine

extension BloomModel {
    /// Logits (V) of the last of `ids`, appended after the positions held in `cache`.
    /// Batch size 1, no autograd; equal to the last row of a full ``logits(ids:batch:length:options:)``.
    public func nextTokenLogits(_ ids: [Int32], cache: KVCache) -> [Float] {
        cachedLogits(ids, cache: cache, allPositions: false)
    }

    /// Logits of every one of `ids` (n × V, row-major), appended after the positions in `cache`:
    /// a shared prefix is computed once and each continuation scored from a copy of its cache.
    public func cachedLogits(_ ids: [Int32], cache: KVCache, allPositions: Bool) -> [Float] {
        let hidden = cachedHiddenStates(ids, cache: cache, allPositions: allPositions)
        return vocabularyLogits(hidden, rows: allPositions ? ids.count : 1)
    }

    /// Final-LayerNorm outputs (n × C, or the last row only) of `ids` appended after `cache`; project
    /// many of them at once with ``vocabularyLogits(_:rows:)`` (one product instead of one per call).
    public func cachedHiddenStates(_ ids: [Int32], cache: KVCache, allPositions: Bool) -> [Float] {
        GradMode.withoutGrad {
            let n = ids.count, past = cache.length
            var x = wordEmbeddings(ids, shape: [1, n])                               // (1, n) -> (1, n, C)
            if let positionEmbeddings {
                x = x + Tensor.embedding(positionEmbeddings.weight, ids: (past..<(past + n)).map(Int32.init), idShape: [1, n])
            }
            if let embeddingLayerNorm { x = embeddingLayerNorm(x) }
            for (layer, block) in blocks.enumerated() {
                let a = block.inputLayerNorm(x)
                var qkv = block.attention.queryKeyValue(a)                           // (1, n, C) -> (1, n, 3C)
                if config.positionEncoding == .rotary { qkv = qkv.rotaryQKV(heads: config.headCount, positionOffset: past) }
                let context = cachedAttention(qkv: qkv.contiguousData(), layer: layer, cache: cache)   // -> (1, n, C)
                let attn = block.attention.dense(context)
                let h = (config.residualPostLayerNorm ? a : x) + attn
                let m = block.postAttentionLayerNorm(h)
                x = (config.residualPostLayerNorm ? m : h) + block.mlp.down(block.mlp.up(m).gelu())
            }
            cache.advance(by: n)
            let rows = allPositions ? x : x.sliced(axis: 1, range: (n - 1)..<n)      // (1, n or 1, C)
            return finalLayerNorm(rows).toArray()
        }
    }

    /// Logits (rows × V) of final hidden states (rows × C): the tied output embedding.
    public func vocabularyLogits(_ hidden: [Float], rows: Int) -> [Float] {
        GradMode.withoutGrad {
            Tensor.linear(Tensor(hidden, shape: [rows, config.hiddenSize]), weight: wordEmbeddings.weight, bias: nil).toArray()
        }
    }

    /// Attention of n new positions over cached + new keys; appends the new keys and values.
    private func cachedAttention(qkv: Tensor, layer: Int, cache: KVCache) -> Tensor {
        let n = qkv.shape[1], nh = config.headCount, hs = config.headSize, c = config.hiddenSize
        let past = cache.length, scale = 1 / Float(hs).squareRoot()
        let useSlopes = config.positionEncoding == .alibi
        let q = qkv.pointer
        if past == 0 && n > 1 {
            // Prefill of an empty cache: the fused causal kernel (the full forward's own), then store K and V.
            for h in 0..<nh {
                for i in 0..<n {
                    let row = q + i * 3 * c + h * 3 * hs
                    cache.append(layer: layer, head: h, key: row + hs, value: row + 2 * hs, headSize: hs)
                }
            }
            return Tensor.causalSelfAttention(qkv: qkv, heads: nh, slopes: useSlopes ? slopes : [], scale: scale)
        }
        let out = Tensor(shape: [1, n, c], zeroed: false)
        let o = out.pointer
        for h in 0..<nh {
            for i in 0..<n {
                let row = q + i * 3 * c + h * 3 * hs
                cache.append(layer: layer, head: h, key: row + hs, value: row + 2 * hs, headSize: hs)
            }
            let keys = cache.keys[layer][h], values = cache.values[layer][h]
            for i in 0..<n {
                let query = q + i * 3 * c + h * 3 * hs
                let visible = past + i + 1                                           // keys 0...past+i
                var scores = [Float](repeating: 0, count: visible)
                for j in 0..<visible {
                    var dot: Float = 0
                    for d in 0..<hs { dot += query[d] * keys[j * hs + d] }
                    scores[j] = dot * scale + (useSlopes ? slopes[h] * Float(j) : 0)
                }
                scores.withUnsafeMutableBufferPointer { CPUBackend.softmaxRow($0.baseAddress!, $0.baseAddress!, visible: visible, cols: visible) }
                let dst = o + i * c + h * hs
                for d in 0..<hs { dst[d] = 0 }
                for j in 0..<visible { for d in 0..<hs { dst[d] += scores[j] * values[j * hs + d] } }
            }
        }
        return out
    }

    /// Continues `prompt` by up to `maxNewTokens` tokens (stopping after `stopToken` if given),
    /// using a KV cache. Returns only the new tokens.
    public func generate(prompt: [Int32], maxNewTokens: Int, sampling: Sampling = .greedy,
                         stopToken: Int32? = nil) -> [Int32] {
        precondition(!prompt.isEmpty, "generate: empty prompt")
        let cache = KVCache(layers: config.layerCount, heads: config.headCount)
        var rng: SplitMix64? = nil
        if case .sample(_, _, let seed) = sampling { rng = SplitMix64(seed: seed) }
        var logits = nextTokenLogits(prompt, cache: cache)
        var generated: [Int32] = []
        for _ in 0..<maxNewTokens {
            let token = Sampler.choose(logits: logits, sampling: sampling, generator: &rng)
            generated.append(token)
            if token == stopToken { break }
            if config.positionEncoding == .learned && cache.length >= config.maxPositions { break }
            logits = nextTokenLogits([token], cache: cache)
        }
        return generated
    }
}
