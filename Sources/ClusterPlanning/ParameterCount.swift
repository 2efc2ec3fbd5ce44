import Foundation

/// Exact parameter counts of a BLOOM-architecture model (bloom.md §B.3):
///
///     N = L·(12h² + 13h) + V·h + 4h
///
/// per block: QKV 3h²+3h, attention output h²+h, MLP 8h²+5h, two LayerNorms 4h; plus the tied
/// word embedding V·h (V padded), the embedding LayerNorm 2h and the final LayerNorm 2h; no
/// position embeddings (ALiBi). With V = 250,880 this gives the HF counts exactly, e.g.
/// 176,247,271,424 for BLOOM-176B. The FFN multiplier `f` generalises the block to
/// (4 + 2f)·h² + (9 + f)·h.
public struct ParameterCount: Codable, Sendable, Equatable {
    /// Parameters of one transformer block.
    public var perBlock: Int
    /// All transformer blocks, `L · perBlock`.
    public var blocks: Int
    /// The (tied) word embedding, `V_padded · h`.
    public var embedding: Int
    /// Embedding LayerNorm + final LayerNorm, `4h`.
    public var outerLayerNorms: Int
    /// The padded vocabulary used.
    public var paddedVocab: Int

    /// Total parameters.
    public var total: Int { blocks + embedding + outerLayerNorms }
    /// Parameters outside the embedding.
    public var nonEmbedding: Int { blocks + outerLayerNorms }

    /// Counts `model` with the vocabulary padded to `paddedVocab`.
    public init(model: ModelConfig, paddedVocab: Int) {
        let h = model.hidden
        let f = model.ffnMultiplier
        perBlock = (4 + 2 * f) * h * h + (9 + f) * h
        blocks = model.layers * perBlock
        embedding = paddedVocab * h
        outerLayerNorms = 4 * h
        self.paddedVocab = paddedVocab
    }

    /// Parameters of one block held by one tensor-parallel rank: the QKV and MLP-in weights and
    /// biases and the two output weights are split `t` ways (Megatron column/row parallel
    /// layers); the two output biases and both LayerNorms (6h) are replicated on every rank
    /// (bloom.md §A.1 lists exactly these as averaged rather than concatenated).
    public static func perBlockPerRank(model: ModelConfig, tensorParallel t: Int) -> Int {
        let h = model.hidden
        let f = model.ffnMultiplier
        let sharded = (4 + 2 * f) * h * h + (3 + f) * h
        return sharded / t + 6 * h
    }
}
