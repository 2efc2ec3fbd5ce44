import Foundation

/// Training FLOPs per token and per step.
///
/// The Megatron formula used in its logs (bloom.md §B.3, Narayanan et al. 2021 eq. 3):
///
///     FLOPs per iteration = 24·c·B·s·L·h²·(1 + s/(6h) + V/(16·L·h))
///
/// with `c = 3` ("model FLOPs": forward + backward) and `c = 4` with full activation
/// recomputation ("hardware FLOPs": the forward runs twice). `V` is the padded vocabulary.
/// For an FFN multiplier `f ≠ 4` the leading `1` becomes `(4 + 2f)/12` (our generalisation).
/// The Kaplan-style shortcut `6·N` per token is kept for comparison.
public struct FLOPsEstimate: Codable, Sendable, Equatable {
    /// Megatron-formula FLOPs per token with c = 3.
    public var modelFLOPsPerToken: Double
    /// Megatron-formula FLOPs per token with c = 4 (equal to the model figure when
    /// recomputation is off).
    public var hardwareFLOPsPerToken: Double
    /// `6·N` per token.
    public var sixNPerToken: Double
    /// Whether the throughput is counted in hardware FLOPs (recomputation on).
    public var countsRecompute: Bool

    /// FLOPs per token in the accounting Megatron logs for this layout: hardware with
    /// recomputation, model without.
    public var loggedFLOPsPerToken: Double { countsRecompute ? hardwareFLOPsPerToken : modelFLOPsPerToken }

    public init(model: ModelConfig, paddedVocab: Int, parameters: Int, recompute: Bool) {
        modelFLOPsPerToken = Self.megatronPerToken(model: model, paddedVocab: paddedVocab, c: 3)
        hardwareFLOPsPerToken = recompute
            ? Self.megatronPerToken(model: model, paddedVocab: paddedVocab, c: 4)
            : modelFLOPsPerToken
        sixNPerToken = 6 * Double(parameters)
        countsRecompute = recompute
    }

    /// `24·c·L·h²·(κ + s/(6h) + V/(16·L·h))` — the Megatron formula divided by `B·s`.
    public static func megatronPerToken(model: ModelConfig, paddedVocab: Int, c: Double) -> Double {
        let L = Double(model.layers), h = Double(model.hidden), s = Double(model.seqLength)
        let V = Double(paddedVocab)
        let kappa = Double(4 + 2 * model.ffnMultiplier) / 12
        return 24 * c * L * h * h * (kappa + s / (6 * h) + V / (16 * L * h))
    }
}
