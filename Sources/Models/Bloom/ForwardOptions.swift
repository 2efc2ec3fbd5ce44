import TensorEngine

/// Numeric precision of the forward and backward pass.
public enum Precision: Sendable, Equatable {
    /// Everything in Float32.
    case float32
    /// Mixed precision: Float32 master weights; matmul operands and results, and the
    /// residual stream, rounded to bfloat16; softmax, LayerNorm statistics and the loss in Float32.
    case bfloat16Mixed
}

/// Per-call switches of a forward pass.
public struct ForwardOptions: Sendable {
    /// Applies dropout (with the configuration's probabilities) when true.
    public var training: Bool
    /// Seed of the dropout masks for this call (vary it per step).
    public var dropoutSeed: UInt64
    public var precision: Precision

    public init(training: Bool = false, dropoutSeed: UInt64 = 0, precision: Precision = .float32) {
        self.training = training; self.dropoutSeed = dropoutSeed; self.precision = precision
    }

    /// Rounds to bfloat16 under mixed precision; identity otherwise.
    func cast(_ t: Tensor) -> Tensor { precision == .bfloat16Mixed ? t.roundedToBFloat16() : t }

    /// A distinct dropout seed per (layer, site).
    func seed(layer: Int, site: Int) -> UInt64 { dropoutSeed &* 1_000_003 &+ UInt64(layer * 8 + site) }
}
