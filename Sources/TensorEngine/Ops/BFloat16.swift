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
}

extension Tensor {
    /// Values rounded to bfloat16 precision (still stored as Float32).
    public func roundedToBFloat16() -> Tensor {
        let out = Kernels.map(self) { BFloat16.round($0) }
        return Tensor.record("bf16", output: out, inputs: [self]) { g in [Kernels.map(g) { BFloat16.round($0) }] }
    }
}
