import CPUKernels

/// Rounding to bfloat16 (round to nearest, ties to even; NaN kept), for mixed precision:
/// fp32 master weights, activations and gradients rounded to bf16 at op boundaries.
/// The gradient is the straight-through estimator, itself rounded to bf16.
public enum BFloat16 {
    /// The bfloat16 value nearest to `x`, as a Float.
    @inline(__always)
    public static func round(_ x: Float) -> Float {
        if x.isNaN { return x }
        let bits = x.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return Float(bitPattern: rounded & 0xFFFF_0000)
    }

    /// A dense copy of `x` with every value rounded (AVX-512 kernel where the backend uses it: same bits).
    static func roundedCopy(_ x: Tensor) -> Tensor {
        guard let cpu = Engine.backend as? CPUBackend, cpu.usesAVX512 else { return Kernels.map(x) { round($0) } }
        let src = x.contiguousData()
        let out = Tensor(shape: x.shape, zeroed: false)
        let s = src.pointer, o = out.pointer
        Parallel.forRanges(out.count, costPerItem: 1) { r in trellis_round_bf16(s + r.lowerBound, o + r.lowerBound, r.count) }
        return out
    }
}

extension Tensor {
    /// Values rounded to bfloat16 precision (still stored as Float32).
    /// A tensor that is itself such a rounding is returned as is (round∘round = round, and the same for
    /// the rounded gradient), which saves the repeated casts at op boundaries.
    public func roundedToBFloat16() -> Tensor {
        if holdsBFloat16Values { return self }
        let out = BFloat16.roundedCopy(self)
        out.holdsBFloat16Values = true
        return Tensor.record("bf16", output: out, inputs: [self]) { g in [BFloat16.roundedCopy(g)] }
    }
}
