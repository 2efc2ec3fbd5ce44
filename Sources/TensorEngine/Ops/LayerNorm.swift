import CPUKernels

/// LayerNorm over the last dimension (PyTorch `nn.LayerNorm`, biased variance):
/// y = (x − μ)·rstd·w + b, rstd = 1/sqrt(var + eps).
///
/// Backward (llm.c `layernorm_backward`): with x̂ = (x − μ)·rstd and d = g·w,
/// dx = rstd·(d − mean(d) − x̂·mean(d·x̂)); dw = Σ_rows g·x̂; db = Σ_rows g.
extension Tensor {
    /// Normalises each row of the last dimension, then scales and shifts.
    public func layerNorm(weight: Tensor, bias: Tensor, eps: Float) -> Tensor {
        let cols = shape[rank - 1], rows = count / max(cols, 1)
        precondition(weight.shape == [cols] && bias.shape == [cols],
                     "layerNorm: weight \(weight.shape) / bias \(bias.shape) do not match last dim \(cols)")
        let x = contiguousData(), w = weight.contiguousData(), b = bias.contiguousData()
        let out = Tensor(shape: shape, zeroed: false)
        let mean = Tensor(shape: [rows], zeroed: false), rstd = Tensor(shape: [rows], zeroed: false)
        Engine.backend.layerNormForward(x: x.pointer, weight: w.pointer, bias: b.pointer, out: out.pointer,
                                        mean: mean.pointer, rstd: rstd.pointer, rows: rows, cols: cols, eps: eps)
        return Tensor.record("layerNorm", output: out, inputs: [self, weight, bias]) { g in
            let gd = g.contiguousData()
            let dx = Tensor(shape: x.shape, zeroed: false)
            let dw = Tensor(shape: [cols], zeroed: true), db = Tensor(shape: [cols], zeroed: true)
            Engine.backend.layerNormBackward(dout: gd.pointer, x: x.pointer, weight: w.pointer, mean: mean.pointer,
                                             rstd: rstd.pointer, dx: dx.pointer, dweight: dw.pointer,
                                             dbias: db.pointer, rows: rows, cols: cols)
            return [dx, dw, db]
        }
    }
}

extension CPUBackend {
    public func layerNormForward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                                 out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                                 rstd: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float) {
        let avx512 = usesAVX512
        Parallel.forRanges(rows, costPerItem: cols * 8) { r in
            if avx512 {
                let o = r.lowerBound
                trellis_layer_norm_forward(x + o * cols, weight, bias, out + o * cols, mean + o, rstd + o, r.count, cols, eps)
                return
            }
            for row in r {
                let xr = x + row * cols, o = out + row * cols
                let m = Kernels.sumRow(xr, cols) / Float(cols)
                var v: Float = 0
                for i in 0..<cols { let d = xr[i] - m; v += d * d }
                let s = 1 / (v / Float(cols) + eps).squareRoot()
                for i in 0..<cols { o[i] = (xr[i] - m) * s * weight[i] + bias[i] }
                mean[row] = m; rstd[row] = s
            }
        }
    }

    public func layerNormBackward(dout: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                  mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                                  dx: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                                  dbias: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        // One partial (dw, db) per chunk, summed in chunk order for determinism.
        let partials = Tensor(shape: [Parallel.maxChunks, 2, cols], zeroed: true)
        let pp = partials.pointer
        let avx512 = usesAVX512
        let chunks = Parallel.forChunks(rows, costPerItem: cols * 12) { c, r in
            let pw = pp + c * 2 * cols, pb = pw + cols
            if avx512 {
                let o = r.lowerBound
                trellis_layer_norm_backward(dout + o * cols, x + o * cols, weight, mean + o, rstd + o, dx + o * cols,
                                            pw, pb, r.count, cols)
                return
            }
            for row in r {
                let g = dout + row * cols, xr = x + row * cols, d = dx + row * cols
                let m = mean[row], s = rstd[row]
                var meanD: Float = 0, meanDX: Float = 0
                for i in 0..<cols {
                    let xh = (xr[i] - m) * s
                    let di = g[i] * weight[i]
                    meanD += di; meanDX += di * xh
                    pw[i] += g[i] * xh; pb[i] += g[i]
                }
                meanD /= Float(cols); meanDX /= Float(cols)
                for i in 0..<cols {
                    let xh = (xr[i] - m) * s
                    d[i] = s * (g[i] * weight[i] - meanD - xh * meanDX)
                }
            }
        }
        for c in 0..<chunks {
            let pw = pp + c * 2 * cols, pb = pw + cols
            for i in 0..<cols { dweight[i] += pw[i]; dbias[i] += pb[i] }
        }
    }
}
