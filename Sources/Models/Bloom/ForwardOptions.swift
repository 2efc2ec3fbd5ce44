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
    /// Packed rows (several examples per row, B·T each): attention stays within a segment and
    /// learned positions restart per segment. nil: one sequence per row.
    public var packing: Packing?

    /// Where each token's segment starts and its position inside it (both B·T).
    public struct Packing: Sendable {
        public var segmentStarts: [Int32]
        public var positions: [Int32]
        public init(segmentStarts: [Int32], positions: [Int32]) { self.segmentStarts = segmentStarts; self.positions = positions }

        /// From per-token segment ids (equal ids adjacent; 0 = padding, a segment of its own run).
        public init(segments: [Int32], length: Int) {
            var starts = [Int32](repeating: 0, count: segments.count), positions = starts
            for i in segments.indices {
                let t = i % length
                if t > 0 && segments[i] == segments[i - 1] {
                    starts[i] = starts[i - 1]; positions[i] = positions[i - 1] + 1
                } else {
                    starts[i] = Int32(t); positions[i] = 0
                }
            }
            self.init(segmentStarts: starts, positions: positions)
        }
    }

    public init(training: Bool = false, dropoutSeed: UInt64 = 0, precision: Precision = .float32, packing: Packing? = nil) {
        self.training = training; self.dropoutSeed = dropoutSeed; self.precision = precision; self.packing = packing
    }

    /// Rounds to bfloat16 under mixed precision; identity otherwise.
    func cast(_ t: Tensor) -> Tensor { precision == .bfloat16Mixed ? t.roundedToBFloat16() : t }

    /// A distinct dropout seed per (layer, site).
    func seed(layer: Int, site: Int) -> UInt64 { dropoutSeed &* 1_000_003 &+ UInt64(layer * 8 + site) }
}
