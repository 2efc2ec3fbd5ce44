import CPUKernels
import Foundation

extension CPUBackend {
    public func exp(x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int) {
        let avx512 = usesAVX512
        Parallel.forRanges(count, costPerItem: 8) { r in
            if avx512 { trellis_exp(x + r.lowerBound, out + r.lowerBound, r.count); return }
            VectorMath.exp(x + r.lowerBound, out + r.lowerBound, count: r.count)
        }
    }
}

/// Elementwise unary math. Each forward is followed by its derivative:
/// exp' = exp(x); log' = 1/x; tanh' = 1 − tanh²; sqrt' = 1/(2·sqrt x); square' = 2x; relu' = [x > 0].
extension Tensor {
    /// e^x (vectorised).
    public func exp() -> Tensor {
        let src = contiguousData()
        let out = Tensor(shape: shape, zeroed: false)
        let s = src.pointer, o = out.pointer
        Engine.backend.exp(x: s, out: o, count: count)
        return Tensor.record("exp", output: out, inputs: [self]) { g in [g * out] }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        let out = Kernels.map(self) { Foundation.log($0) }
        return Tensor.record("log", output: out, inputs: [self]) { g in [g / self] }
    }

    /// Hyperbolic tangent (vectorised).
    public func tanh() -> Tensor {
        let src = contiguousData()
        let out = Tensor(shape: shape, zeroed: false)
        let s = src.pointer, o = out.pointer
        Parallel.forRanges(count, costPerItem: 8) { r in
            VectorMath.tanh(s + r.lowerBound, o + r.lowerBound, count: r.count)
        }
        return Tensor.record("tanh", output: out, inputs: [self]) { g in
            [Kernels.zip(g, out) { gi, t in gi * (1 - t * t) }]
        }
    }

    /// Square root.
    public func sqrt() -> Tensor {
        let out = Kernels.map(self) { $0.squareRoot() }
        return Tensor.record("sqrt", output: out, inputs: [self]) { g in
            [Kernels.zip(g, out) { gi, r in gi / (2 * r) }]
        }
    }

    /// x².
    public func square() -> Tensor {
        let out = Kernels.map(self) { $0 * $0 }
        return Tensor.record("square", output: out, inputs: [self]) { g in
            [Kernels.zip(g, self) { gi, x in 2 * x * gi }]
        }
    }

    /// max(x, 0).
    public func relu() -> Tensor {
        let out = Kernels.map(self) { max($0, 0) }
        return Tensor.record("relu", output: out, inputs: [self]) { g in
            [Kernels.zip(g, self) { gi, x in x > 0 ? gi : 0 }]
        }
    }
}
