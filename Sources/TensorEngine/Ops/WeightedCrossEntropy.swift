import Foundation

/// Cross-entropy with a weight per row, normalised by the total weight (Megatron's multitask loss
/// with `--norm-target-loss`: target tokens weighted 1/span, Σ w·CE / Σ w).
///
/// loss = Σ_i w_i (logsumexp(x_i) − x_i[t_i]) / Σ_i w_i over rows with a target and w_i > 0.
/// Backward: dx_i = g · w_i/Σw · (softmax(x_i) − onehot(t_i)); other rows get 0.
extension Tensor {
    public static func weightedCrossEntropy(logits: Tensor, targets: [Int32], weights: [Float], ignoreIndex: Int32 = -100) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == targets.count && weights.count == targets.count,
                     "weightedCrossEntropy: logits \(logits.shape), \(targets.count) targets, \(weights.count) weights")
        precondition(weights.allSatisfy { $0.isFinite && $0 >= 0 }, "weightedCrossEntropy: weights must be finite and not negative")
        let rows = logits.shape[0], cols = logits.shape[1]
        // A row without weight is an ignored row.
        let used = zip(targets, weights).map { $1 > 0 ? $0 : ignoreIndex }
        for t in used where t != ignoreIndex {
            precondition(t >= 0 && Int(t) < cols, "weightedCrossEntropy: target \(t) outside vocabulary 0..<\(cols)")
        }
        let total = zip(used, weights).reduce(0.0) { $1.0 == ignoreIndex ? $0 : $0 + Double($1.1) }
        let x = logits.contiguousData()
        let lse = Tensor(shape: [rows], zeroed: false)
        let needsGrad = GradMode.isEnabled && logits.requiresGrad
        let dlogits = needsGrad ? Tensor(shape: [rows, cols], zeroed: false) : nil
        _ = used.withUnsafeBufferPointer { t in
            Engine.backend.crossEntropyForward(logits: x.pointer, targets: t.baseAddress!, ignoreIndex: ignoreIndex,
                                               logSumExp: lse.pointer, dlogits: dlogits?.pointer, gradScale: 1, rows: rows, cols: cols)
        }
        var loss = 0.0
        for r in 0..<rows where used[r] != ignoreIndex {
            loss += Double(weights[r]) * (Double(lse.pointer[r]) - Double(x.pointer[r * cols + Int(used[r])]))
        }
        if let dlogits {
            for r in 0..<rows {
                let s = used[r] == ignoreIndex || total == 0 ? 0 : Float(Double(weights[r]) / total)
                let row = dlogits.pointer + r * cols
                for j in 0..<cols { row[j] *= s }
            }
        }
        let out = Tensor([total == 0 ? 0 : Float(loss / total)], shape: [])
        return record("weightedCrossEntropy", output: out, inputs: [logits]) { g in
            let gv = g.item()
            return [gv == 1 ? dlogits! : dlogits!.scaled(by: gv)]
        }
    }
}
