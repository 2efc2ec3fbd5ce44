import Foundation

/// Fertility: tokens per word. BLOOM's design target was that its multilingual tokenizer
/// should not be more than about 10% worse (in fertility) than a monolingual tokenizer of the
/// same vocabulary size on any language (BLOOM paper §3.3, measured on UD treebanks).
public enum Fertility {
    /// BLOOM's target: at most 10% more tokens per word than a monolingual tokenizer.
    public static let bloomTargetPercent = 10.0

    /// Words in `text`: maximal runs of characters that are not white space, except that
    /// each Han, Hiragana or Katakana character counts as a word on its own (those scripts do
    /// not separate words with spaces and no segmenter is available here). Only ratios
    /// between tokenizers on the same text matter for the report, which this keeps fair.
    public static func wordCount(_ text: String) -> Int {
        var words = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                inWord = false
            } else if isUnsegmented(scalar.value) {
                words += 1
                inWord = false
            } else if !inWord {
                words += 1
                inWord = true
            }
        }
        return words
    }

    /// Tokens and words of `texts` under `tokenizer`.
    public static func measure(_ tokenizer: Tokenizer, on texts: [String]) -> (tokens: Int, words: Int) {
        let tokens = tokenizer.encodeBatch(texts).reduce(0) { $0 + $1.count }
        let words = texts.reduce(0) { $0 + wordCount($1) }
        return (tokens, words)
    }

    /// Compares `multilingual` with one monolingual tokenizer per language, each trained with
    /// `configuration` (normally the same vocabulary size) on that language's text alone.
    public static func report(multilingual: Tokenizer, languages: [LanguageSample],
                              configuration: BPETrainerConfiguration,
                              targetPercent: Double = bloomTargetPercent) throws -> FertilityReport {
        var rows: [FertilityReport.Language] = []
        for language in languages {
            let mono = try BPETrainer(configuration).train(texts: language.trainingLines).tokenizer
            let multi = measure(multilingual, on: language.evaluationTexts)
            let single = measure(mono, on: language.evaluationTexts)
            rows.append(FertilityReport.Language(name: language.name, words: multi.words,
                                                 multilingualTokens: multi.tokens, monolingualTokens: single.tokens,
                                                 targetPercent: targetPercent))
        }
        return FertilityReport(vocabularySize: multilingual.vocabularySize, targetPercent: targetPercent, languages: rows)
    }

    private static func isUnsegmented(_ v: UInt32) -> Bool {
        (0x3040...0x30FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x20000...0x3134F).contains(v)
    }
}

/// Text of one language for a fertility comparison.
public struct LanguageSample: Sendable {
    /// A label such as `hi` or `code-python`.
    public var name: String
    /// Training text for the monolingual tokenizer, one sequence per line (with its `\n`,
    /// as files are read).
    public var trainingLines: [String]
    /// Held-out text to measure fertility on.
    public var evaluationTexts: [String]

    public init(name: String, trainingLines: [String], evaluationTexts: [String]) {
        self.name = name
        self.trainingLines = trainingLines
        self.evaluationTexts = evaluationTexts
    }
}
