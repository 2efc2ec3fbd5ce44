import CPUKernels

/// Softmax over the last dimension, optionally causally masked over the last two dims.
///
/// With `causal`, row i of a (…, Tq, Tk) block only sees keys j ≤ i + (Tk − Tq) (masked
/// entries are exactly 0, as with HF's additive `finfo.min` mask). Computed in fp32.
/// Backward: dx = y ⊙ (g − Σ_j g_j·y_j).
extension Tensor {
    /// Softmax of each row of the last dimension.
    public func softmax(causal: Bool = false) -> Tensor {
        let cols = shape[rank - 1]
        let q = causal ? shape[rank - 2] : 1
        let rows = count / max(cols, 1)
        let x = contiguousData()
        let out = Tensor(shape: shape, zeroed: false)
        Engine.backend.softmaxForward(x: x.pointer, out: out.pointer, rows: rows, cols: cols,
                                      causalQueries: causal ? q : 0)
        return Tensor.record("softmax", output: out, inputs: [self]) { g in
            let gd = g.contiguousData()
            let dx = Tensor(shape: out.shape, zeroed: false)
            Engine.backend.softmaxBackward(dout: gd.pointer, y: out.pointer, dx: dx.pointer, rows: rows, cols: cols)
            return [dx]
        }
    }
}

extension CPUBackend {
    /// `causalQueries > 0`: rows are grouped in blocks of that many queries, row i of a block
    /// keeps the first `cols − causalQueries + i + 1` entries.
    public func softmaxForward(x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                               causalQueries: Int) {
        Parallel.forRanges(rows, costPerItem: cols * 12) { r in
            for row in r {
                let visible = causalQueries > 0 ? cols - causalQueries + row % causalQueries + 1 : cols
                softmaxRow(x + row * cols, out + row * cols, visible: max(0, min(visible, cols)), cols: cols)
            }
        }
    }

    /// Softmax of `src[j] + slope·j` for j < visible into `dst`, zeros in `dst[visible..<cols]`;
    /// in place allowed. AVX-512 kernel or the portable one below.
    @inline(__always)
    public func softmaxRow(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                           visible: Int, cols: Int, slope: Float = 0) {
        if usesAVX512 { trellis_softmax_row(src, dst, visible, cols, slope); return }
        if slope != 0 { for j in 0..<visible { dst[j] = src[j] + slope * Float(j) } }
        Self.softmaxRow(slope != 0 ? UnsafePointer(dst) : src, dst, visible: visible, cols: cols)
    }

    /// Softmax of `src[0..<visible]` into `dst`, zeros in `dst[visible..<cols]`; in place allowed
    /// (portable Swift).
    @inline(__always)
    public static func softmaxRow(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                                  visible: Int, cols: Int) {
        if visible > 0 {
            let m = Kernels.maxRow(src, visible)
            SIMDLoop.map(0..<visible, src, dst) { VectorMath.exp($0 - m) }
            let inv = 1 / Kernels.sumRow(dst, visible)
            for j in 0..<visible { dst[j] *= inv }
        }
        for j in visible..<cols { dst[j] = 0 }
    }

    public func softmaxBackward(dout: UnsafePointer<Float>, y: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                rows: Int, cols: Int) {
        Parallel.forRanges(rows, costPerItem: cols * 4) { r in
            for row in r {
                let g = dout + row * cols, yr = y + row * cols, d = dx + row * cols
                var dot: Float = 0
                for j in 0..<cols { dot += g[j] * yr[j] }
                for j in 0..<cols { d[j] = yr[j] * (g[j] - dot) }
            }
        }
    }
}
