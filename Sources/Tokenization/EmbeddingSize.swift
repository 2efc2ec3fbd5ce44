/// The size of a model's embedding matrix for a tokenizer's vocabulary.
///
/// BLOOM pads its 250,680-token vocabulary to 250,880 rows (`--pad-vocab-size-to 250880`):
/// a multiple of 128 for fast matrix kernels that also splits evenly over tensor-parallel
/// ranks. This follows Megatron-LM's `_vocab_size_with_padding`: round up to a multiple of
/// `multiple × tensorParallelDegree`. The extra rows are never produced by the tokenizer.
///
/// ```swift
/// EmbeddingSize.padded(vocabularySize: 250_680, tensorParallelDegree: 4)  // 250_880
/// EmbeddingSize.padded(vocabularySize: 8192)                              // 8192
/// ```
public enum EmbeddingSize {
    /// `vocabularySize` rounded up to a multiple of `multiple × tensorParallelDegree`.
    /// - Precondition: all arguments positive (programmer error otherwise).
    public static func padded(vocabularySize: Int, multiple: Int = 128, tensorParallelDegree: Int = 1) -> Int {
        precondition(vocabularySize > 0 && multiple > 0 && tensorParallelDegree > 0,
                     "EmbeddingSize.padded: arguments must be positive")
        let step = multiple * tensorParallelDegree
        return (vocabularySize + step - 1) / step * step
    }
}

extension Tokenizer {
    /// The embedding rows a model needs for this vocabulary (see ``EmbeddingSize``).
    public func paddedEmbeddingSize(multiple: Int = 128, tensorParallelDegree: Int = 1) -> Int {
        EmbeddingSize.padded(vocabularySize: vocabularySize, multiple: multiple, tensorParallelDegree: tensorParallelDegree)
    }
}
