import Foundation
import Layers
import TensorEngine

/// AdamW with PyTorch semantics (`torch.optim.AdamW`, single-tensor path; also llm.c `gpt2_update`):
/// https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
///
/// For step t (1-based), learning rate lr, per parameter p with gradient g:
/// ```
/// p ← p·(1 − lr·λ)                      // decoupled weight decay (λ = 0 for no-decay params)
/// m ← m + (1 − β1)·(g − m)
/// v ← β2·v + (1 − β2)·g²
/// p ← p − lr/(1 − β1ᵗ) · m / (sqrt(v)/sqrt(1 − β2ᵗ) + ε)
/// ```
/// Bias correction is always on (unlike MLX's default). By default only parameters of rank ≥ 2
/// are decayed, which for BLOOM excludes biases and LayerNorm parameters (Megatron
/// `_get_params_for_weight_decay_optimization`); embeddings are decayed.
public final class AdamW {
    /// Hyper-parameters; BLOOM's defaults.
    public struct Configuration: Sendable {
        public var beta1: Float = 0.9
        public var beta2: Float = 0.95
        public var eps: Float = 1e-8
        public var weightDecay: Float = 0.1
        public init(beta1: Float = 0.9, beta2: Float = 0.95, eps: Float = 1e-8, weightDecay: Float = 0.1) {
            self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
        }
    }

    /// One optimised tensor and its moment estimates.
    public struct Slot {
        public let name: String
        public let parameter: Tensor
        public let decays: Bool
        public let m: Tensor
        public let v: Tensor
    }

    public let configuration: Configuration
    public private(set) var slots: [Slot]
    /// Number of updates applied so far.
    public private(set) var stepCount = 0

    /// - Parameter decays: which parameters get weight decay (default: rank ≥ 2).
    public init(parameters: [(name: String, tensor: Tensor)], configuration: Configuration = .init(),
                decays: (String, Tensor) -> Bool = { _, t in t.rank >= 2 }) {
        self.configuration = configuration
        slots = parameters.map { p in
            Slot(name: p.name, parameter: p.tensor, decays: decays(p.name, p.tensor),
                 m: Tensor.zeros(p.tensor.shape), v: Tensor.zeros(p.tensor.shape))
        }
    }

    /// Sets the number of updates already applied (when moments are restored from a checkpoint).
    public func restore(stepCount: Int) {
        precondition(stepCount >= 0, "AdamW: negative step count")
        self.stepCount = stepCount
    }

    /// Applies one update with `learningRate`; parameters without a gradient are skipped.
    public func step(learningRate lr: Float) {
        stepCount += 1
        let c = configuration
        let bc1 = 1 - Foundation.pow(c.beta1, Float(stepCount))
        let bc2Sqrt = (1 - Foundation.pow(c.beta2, Float(stepCount))).squareRoot()
        let stepSize = lr / bc1
        for slot in slots {
            guard let grad = slot.parameter.grad else { continue }
            precondition(slot.parameter.isContiguous, "AdamW: parameter \(slot.name) must be contiguous")
            let g = grad.contiguousData()
            let hyper = AdamWStep(decay: 1 - lr * (slot.decays ? c.weightDecay : 0), beta1: c.beta1, beta2: c.beta2,
                                  eps: c.eps, stepSize: stepSize, bc2Sqrt: bc2Sqrt)
            Engine.backend.adamWUpdate(parameter: slot.parameter.pointer, gradient: g.pointer, m: slot.m.pointer,
                                       v: slot.v.pointer, count: slot.parameter.count, hyper: hyper)
        }
    }
}
