import Foundation

/// The shape of a BLOOM-architecture decoder: pre-LayerNorm blocks, ALiBi (no position
/// embeddings), an embedding LayerNorm, a final LayerNorm and an output head tied to the
/// word embeddings (bloom.md §A.1).
///
/// The parameter and FLOP formulas in this package assume exactly this architecture.
///
/// ```swift
/// let model = ModelConfig(name: "bloom-176b", layers: 70, hidden: 14336, heads: 112,
///                         vocabSize: 250_680, seqLength: 2048, padVocabTo: 250_880)
/// ```
public struct ModelConfig: Codable, Sendable, Equatable {
    /// A label for reports (e.g. `bloom-176b`).
    public var name: String
    /// Number of transformer blocks `L`.
    public var layers: Int
    /// Hidden size `h`.
    public var hidden: Int
    /// Attention heads `a`; `hidden` must be divisible by it.
    public var heads: Int
    /// Tokenizer vocabulary size before padding (250,680 for BLOOM).
    public var vocabSize: Int
    /// Training sequence length `s`.
    public var seqLength: Int
    /// FFN inner size as a multiple of `hidden` (4 for every BLOOM size).
    public var ffnMultiplier: Int
    /// Pad the embedding matrix to exactly this many rows (`--pad-vocab-size-to`); when `nil`,
    /// Megatron's default rule applies (next multiple of 128 × TP), see ``VocabPadding``.
    public var padVocabTo: Int?

    public init(name: String, layers: Int, hidden: Int, heads: Int, vocabSize: Int,
                seqLength: Int, ffnMultiplier: Int = 4, padVocabTo: Int? = nil) {
        self.name = name
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.vocabSize = vocabSize
        self.seqLength = seqLength
        self.ffnMultiplier = ffnMultiplier
        self.padVocabTo = padVocabTo
    }

    /// `hidden / heads`.
    public var headDim: Int { hidden / heads }
    /// FFN inner size `ffnMultiplier · hidden`.
    public var ffnHidden: Int { ffnMultiplier * hidden }
}
