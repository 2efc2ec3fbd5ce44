import CPUKernels

/// The scalars of one AdamW update (PyTorch `torch.optim.AdamW`), per element:
/// p ← p·decay; m ← m + (1 − β1)(g − m); v ← β2·v + (1 − β2)·g²; p ← p − stepSize·m / (sqrt(v)/bc2Sqrt + ε).
public struct AdamWStep: Sendable {
    public var decay: Float
    public var beta1: Float
    public var beta2: Float
    public var eps: Float
    public var stepSize: Float
    public var bc2Sqrt: Float

    public init(decay: Float, beta1: Float, beta2: Float, eps: Float, stepSize: Float, bc2Sqrt: Float) {
        self.decay = decay; self.beta1 = beta1; self.beta2 = beta2
        self.eps = eps; self.stepSize = stepSize; self.bc2Sqrt = bc2Sqrt
    }
}

extension CPUBackend {
    public func adamWUpdate(parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                            m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
                            hyper h: AdamWStep) {
        let avx512 = usesAVX512
        Parallel.forRanges(count, costPerItem: 12) { r in
            let o = r.lowerBound
            if avx512 {
                trellis_adamw(p + o, g + o, m + o, v + o, r.count, h.decay, h.beta1, h.beta2, h.eps, h.stepSize, h.bc2Sqrt)
                return
            }
            for i in r {
                p[i] *= h.decay
                m[i] += (1 - h.beta1) * (g[i] - m[i])
                v[i] = h.beta2 * v[i] + (1 - h.beta2) * g[i] * g[i]
                p[i] -= h.stepSize * m[i] / (v[i].squareRoot() / h.bc2Sqrt + h.eps)
            }
        }
    }

    /// Chunks (fixed by `count`) sum their squares concurrently; partials are added in chunk order.
    public func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var partials = [Float](repeating: 0, count: Parallel.maxChunks)
        let avx512 = usesAVX512
        let chunks = partials.withUnsafeMutableBufferPointer { buf in
            let out = buf.baseAddress!
            return Parallel.forChunks(count, costPerItem: 2) { c, r in
                if avx512 { out[c] = trellis_sum_squares(x + r.lowerBound, r.count); return }
                var s: Float = 0
                for i in r { s += x[i] * x[i] }
                out[c] = s
            }
        }
        var total: Float = 0
        for c in 0..<chunks { total += partials[c] }
        return total
    }
}
