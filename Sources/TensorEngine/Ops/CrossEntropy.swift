import CPUKernels
import Foundation

/// Fused log-softmax + negative log-likelihood, averaged over non-ignored targets
/// (PyTorch `F.cross_entropy(logits, targets, ignore_index=-100)`).
///
/// loss = (1/N) Σ_i (logsumexp(x_i) − x_i[t_i]).
/// Backward: dx_i = g/N · (softmax(x_i) − onehot(t_i)); ignored rows get 0.
extension Tensor {
    /// Mean cross-entropy of (N, V) logits against N integer targets.
    ///
    /// When gradients are recorded, the forward pass also writes softmax − onehot (scaled by
    /// 1/N) while the exponentials are at hand, so the backward pass is a rescale at most.
    public static func crossEntropy(logits: Tensor, targets: [Int32], ignoreIndex: Int32 = -100) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == targets.count,
                     "crossEntropy: logits \(logits.shape) vs \(targets.count) targets")
        let rows = logits.shape[0], cols = logits.shape[1]
        for t in targets where t != ignoreIndex {
            precondition(t >= 0 && Int(t) < cols, "crossEntropy: target \(t) outside vocabulary 0..<\(cols)")
        }
        let x = logits.contiguousData()
        let lse = Tensor(shape: [rows], zeroed: false)
        let valid = targets.filter { $0 != ignoreIndex }.count
        let scale: Float = valid == 0 ? 0 : 1 / Float(valid)
        let needsGrad = GradMode.isEnabled && logits.requiresGrad
        let dlogits = needsGrad ? Tensor(shape: [rows, cols], zeroed: false) : nil
        let total = targets.withUnsafeBufferPointer { t in
            Engine.backend.crossEntropyForward(logits: x.pointer, targets: t.baseAddress!, ignoreIndex: ignoreIndex,
                                               logSumExp: lse.pointer, dlogits: dlogits?.pointer, gradScale: scale,
                                               rows: rows, cols: cols)
        }
        let out = Tensor([total * scale], shape: [])
        return record("crossEntropy", output: out, inputs: [logits]) { g in
            let gv = g.item()
            return [gv == 1 ? dlogits! : dlogits!.scaled(by: gv)]
        }
    }
}

extension CPUBackend {
    /// Writes logsumexp per row and, if `dlogits` is given, gradScale·(softmax − onehot);
    /// returns Σ of per-row losses (rows summed in order).
    public func crossEntropyForward(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, ignoreIndex: Int32,
                                    logSumExp: UnsafeMutablePointer<Float>, dlogits: UnsafeMutablePointer<Float>?,
                                    gradScale: Float, rows: Int, cols: Int) -> Float {
        let losses = Tensor(shape: [rows], zeroed: true)
        let lp = losses.pointer
        let avx512 = usesAVX512
        Parallel.forRanges(rows, costPerItem: cols * 10) { r in
            if avx512 {
                for row in r {
                    let x = logits + row * cols, t = targets[row]
                    let l = trellis_cross_entropy_row(x, cols, t == ignoreIndex ? -1 : t, gradScale,
                                                      dlogits.map { $0 + row * cols })
                    logSumExp[row] = l
                    lp[row] = t == ignoreIndex ? 0 : l - x[Int(t)]
                }
                return
            }
            let scratch = dlogits == nil ? UnsafeMutablePointer<Float>.allocate(capacity: cols) : nil
            defer { scratch?.deallocate() }
            for row in r {
                let x = logits + row * cols
                let e = dlogits.map { $0 + row * cols } ?? scratch!
                let m = Kernels.maxRow(x, cols)
                SIMDLoop.map(0..<cols, x, e) { VectorMath.exp($0 - m) }
                let sum = Kernels.sumRow(e, cols)
                let l = m + Foundation.log(sum)
                logSumExp[row] = l
                let t = targets[row]
                lp[row] = t == ignoreIndex ? 0 : l - x[Int(t)]
                if dlogits != nil {
                    if t == ignoreIndex { e.update(repeating: 0, count: cols); continue }
                    let s = gradScale / sum
                    for j in 0..<cols { e[j] *= s }
                    e[Int(t)] -= gradScale
                }
            }
        }
        var total: Float = 0
        for i in 0..<rows { total += lp[i] }
        return total
    }

    public func crossEntropyBackward(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, ignoreIndex: Int32,
                                     logSumExp: UnsafePointer<Float>, scale: Float, dlogits: UnsafeMutablePointer<Float>,
                                     rows: Int, cols: Int) {
        Parallel.forRanges(rows, costPerItem: cols * 10) { r in
            for row in r {
                let x = logits + row * cols, d = dlogits + row * cols
                let t = targets[row]
                if t == ignoreIndex { d.update(repeating: 0, count: cols); continue }
                let l = logSumExp[row]
                SIMDLoop.map(0..<cols, x, d) { VectorMath.exp($0 - l) * scale }
                d[Int(t)] -= scale
            }
        }
    }
}
