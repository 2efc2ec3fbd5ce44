import TensorEngine

/// Global-norm gradient clipping with PyTorch semantics (`torch.nn.utils.clip_grad_norm_`):
/// total = ‖(‖g₁‖, ‖g₂‖, …)‖₂; every gradient is multiplied by min(1, maxNorm/(total + 1e-6)).
public enum GradientClipping {
    /// Clips in place and returns the norm before clipping.
    @discardableResult
    public static func clipGlobalNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
        let total = globalNorm(parameters)
        let coefficient = min(1, maxNorm / (total + 1e-6))
        if coefficient == 1 { return total }     // multiplying by 1 changes no bit
        for p in parameters {
            guard let g = p.grad else { continue }
            let d = g.pointer
            Parallel.forRanges(g.count, costPerItem: 2) { r in
                for i in r { d[i] *= coefficient }
            }
        }
        return total
    }

    /// L2 norm over all gradients (per tensor in Float, in a fixed chunk order; across tensors in
    /// Double, parameters in order).
    public static func globalNorm(_ parameters: [Tensor]) -> Float {
        var sumSquares = 0.0
        for p in parameters {
            guard let g = p.grad?.contiguousData() else { continue }
            sumSquares += Double(Engine.backend.sumOfSquares(g.pointer, count: g.count))
        }
        return Float(sumSquares.squareRoot())
    }
}
