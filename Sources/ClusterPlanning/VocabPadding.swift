import Foundation

/// Rows of the embedding matrix after padding.
///
/// Megatron pads the tokenizer vocabulary up to a multiple of 128 × TP so every tensor-parallel
/// rank holds an equal, aligned slice; `--pad-vocab-size-to N` asks for exactly `N` rows instead.
/// BLOOM pads 250,680 tokens to 250,880 = 1960 · 128 at every size (bloom.md §B.1, §C).
///
/// ```swift
/// VocabPadding.padded(vocabSize: 250_680, tensorParallel: 4)   // 250_880
/// VocabPadding.padded(vocabSize: 250_680, tensorParallel: 1)   // 250_752
/// ```
public enum VocabPadding {
    /// Megatron's `--make-vocab-size-divisible-by` default.
    public static let divisibleBy = 128

    /// The padded vocabulary size for `model` under tensor parallelism `tensorParallel`.
    public static func padded(_ model: ModelConfig, tensorParallel: Int) -> Int {
        if let explicit = model.padVocabTo { return explicit }
        return padded(vocabSize: model.vocabSize, tensorParallel: tensorParallel)
    }

    /// The next multiple of `128 · tensorParallel` at or above `vocabSize`.
    public static func padded(vocabSize: Int, tensorParallel: Int) -> Int {
        let multiple = divisibleBy * max(1, tensorParallel)
        return (vocabSize + multiple - 1) / multiple * multiple
    }
}
