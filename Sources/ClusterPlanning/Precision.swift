import Foundation

/// Training number format (`--bf16`, `--fp16`, or neither for fp32).
public enum Precision: String, Codable, Sendable, CaseIterable {
    case bf16
    case fp16
    case fp32

    /// Bytes per activation element. The Korthikanti et al. activation formula assumes 16-bit
    /// activations; fp32 doubles it.
    public var activationBytes: Int { self == .fp32 ? 4 : 2 }

    /// Bytes of training state per parameter, before any ZeRO sharding.
    ///
    /// Mixed precision follows the BigScience rule of thumb of ~18 bytes/param (bloom.md §B.3):
    /// 16-bit weights 2 + fp32 gradients 4 + fp32 master weights 4 + Adam m, v 8. The 176B run's
    /// `BF16_Optimizer` does keep fp32 master weights and accumulates gradients in fp32.
    /// Applying the same 4-byte gradients to fp16 is that rule of thumb, not a measurement.
    /// fp32 (assumption: no master copy) is 4 + 4 + 8 = 16 bytes/param.
    public var stateBytes: StateBytes {
        switch self {
        case .bf16, .fp16: return StateBytes(weights: 2, gradients: 4, optimizer: 12)
        case .fp32: return StateBytes(weights: 4, gradients: 4, optimizer: 8)
        }
    }
}

/// Bytes per parameter of each kind of training state.
public struct StateBytes: Codable, Sendable, Equatable {
    /// The weights used in forward/backward.
    public var weights: Int
    /// Gradients (accumulated across micro-batches).
    public var gradients: Int
    /// Optimizer state, including any fp32 master copy of the weights.
    public var optimizer: Int

    public init(weights: Int, gradients: Int, optimizer: Int) {
        self.weights = weights
        self.gradients = gradients
        self.optimizer = optimizer
    }

    /// Sum of the three.
    public var total: Int { weights + gradients + optimizer }
}
