import CPUKernels

/// GeLU, tanh approximation (BLOOM / Megatron `bias_gelu`, HF `bloom_gelu_forward`):
/// y = 0.5·x·(1 + tanh(0.79788456·x·(1 + 0.044715·x²))).
///
/// Backward (HF `bloom_gelu_back`): with t = tanh(…),
/// y' = 0.5·x·(1 − t²)·(0.79788456 + 0.1070322243·x²) + 0.5·(1 + t).
extension Tensor {
    /// Elementwise tanh-approximate GeLU.
    public func gelu() -> Tensor {
        let x = contiguousData()
        let out = Tensor(shape: shape, zeroed: false)
        Engine.backend.geluForward(x: x.pointer, out: out.pointer, count: count)
        return Tensor.record("gelu", output: out, inputs: [self]) { g in
            let gd = g.contiguousData()
            let dx = Tensor(shape: x.shape, zeroed: false)
            Engine.backend.geluBackward(dout: gd.pointer, x: x.pointer, dx: dx.pointer, count: x.count)
            return [dx]
        }
    }
}

extension CPUBackend {
    public func geluForward(x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int) {
        let avx512 = usesAVX512
        Parallel.forRanges(count, costPerItem: 16) { r in
            if avx512 { trellis_gelu_forward(x + r.lowerBound, out + r.lowerBound, r.count); return }
            SIMDLoop.map(r, x, out) { (v: SIMD16<Float>) -> SIMD16<Float> in
                let t: SIMD16<Float> = VectorMath.tanh(0.79788456 * v * (1 + 0.044715 * v * v))
                return 0.5 * v * (1 + t)
            }
        }
    }

    public func geluBackward(dout: UnsafePointer<Float>, x: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                             count: Int) {
        let avx512 = usesAVX512
        Parallel.forRanges(count, costPerItem: 20) { r in
            if avx512 { trellis_gelu_backward(dout + r.lowerBound, x + r.lowerBound, dx + r.lowerBound, r.count); return }
            SIMDLoop.zip(r, x, dout, dx) { (v: SIMD16<Float>, g: SIMD16<Float>) -> SIMD16<Float> in
                let v2: SIMD16<Float> = v * v
                let t: SIMD16<Float> = VectorMath.tanh(0.79788456 * v * (1 + 0.044715 * v2))
                let slope: SIMD16<Float> = (1 - t * t) * (0.79788456 + 0.1070322243 * v2)
                let d: SIMD16<Float> = 0.5 * v * slope + 0.5 * (1 + t)
                return g * d
            }
        }
    }
}
