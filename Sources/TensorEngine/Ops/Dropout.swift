/// Inverted dropout with a counter-based mask: element i is kept iff
/// `uniform(seed, i) ≥ p`, and kept values are scaled by 1/(1−p). The mask depends only on
/// (seed, index), never on threading. Backward multiplies by the same mask.
extension Tensor {
    /// Dropout with probability `p`; identity when `p == 0`.
    public func dropout(p: Float, seed: UInt64) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout: p must be in [0, 1), got \(p)")
        if p == 0 { return self }
        let mask = Tensor.dropoutMask(shape: shape, p: p, seed: seed)
        let out = Kernels.zip(self, mask) { $0 * $1 }
        return Tensor.record("dropout", output: out, inputs: [self]) { g in [Kernels.zip(g, mask) { $0 * $1 }] }
    }

    /// 0 or 1/(1−p) per element.
    public static func dropoutMask(shape: [Int], p: Float, seed: UInt64) -> Tensor {
        let out = Tensor(shape: shape, zeroed: false)
        let o = out.pointer, keep = 1 / (1 - p)
        Parallel.forRanges(out.count, costPerItem: 4) { r in
            for i in r { o[i] = CounterRandom.uniform(seed: seed, index: UInt64(i)) >= p ? keep : 0 }
        }
        return out
    }
}
