/// Per-language thresholds of the ROOTS/OSCAR quality filters
/// (BigScience `data-preparation`, `01b_oscar_cleaning_and_filtering/parameters_filtering.py`,
/// as summarized in the project's BLOOM reference, section D.1). Languages without a row use `default`.
public struct QualityParameters: Sendable, Equatable {
    /// Remove "words" containing `http`, `www`, `.com`, `href` or `//` before filtering.
    public var removeURLWords: Bool
    /// Remove words longer than this (unless short once special characters are stripped); nil = off.
    public var maxWordLength: Int?
    public var minWords: Int
    public var maxWords: Int
    /// Character n-gram length and maximal repetition ratio.
    public var charRepetitionN: Int
    public var maxCharRepetition: Double
    /// Word n-gram length and maximal repetition ratio.
    public var wordRepetitionN: Int
    public var maxWordRepetition: Double
    public var maxSpecialCharacters: Double
    public var minStopWords: Double
    public var maxFlaggedWords: Double
    public var minLanguageIDScore: Double
    /// Word n-grams joined and also matched against the stop-word and flagged lists (zh: 2 joined by "",
    /// vi: 2 and 3 joined by " ").
    public var augmentationSizes: [Int]
    public var augmentationJoiner: String

    static func row(_ url: Bool, _ longWord: Int?, _ minWords: Int, _ charRep: Double, _ wordRep: Double, _ special: Double,
                    _ stop: Double, _ flagged: Double, _ lid: Double, charN: Int = 10, wordN: Int = 5, maxWords: Int = 100_000,
                    augmentation: [Int] = [], joiner: String = "") -> QualityParameters {
        QualityParameters(removeURLWords: url, maxWordLength: longWord, minWords: minWords, maxWords: maxWords,
                          charRepetitionN: charN, maxCharRepetition: charRep, wordRepetitionN: wordN, maxWordRepetition: wordRep,
                          maxSpecialCharacters: special, minStopWords: stop, maxFlaggedWords: flagged, minLanguageIDScore: lid,
                          augmentationSizes: augmentation, augmentationJoiner: joiner)
    }

    /// The `default` row: used for every language without its own.
    public static let `default` = row(false, nil, 10, 0.20, 0.30, 0.40, 0.10, 0.10, 0.70)

    /// The per-language rows of the reference table.
    public static let table: [String: QualityParameters] = [
        "ar": row(true, 25, 20, 0.20, 0.34, 0.30, 0.07, 0.03, 0.81),
        "bn": row(true, 20, 33, 0.13, 0.21, 0.45, 0.002, 0.001, 0.95),
        "ca": row(true, 20, 15, 0.20, 0.40, 0.25, 0.25, 0.10, 0.80),
        "en": row(true, 25, 20, 0.106, 0.19, 0.40, 0.30, 0.01, 0.80),
        "es": row(true, 25, 16, 0.14, 0.25, 0.34, 0.40, 0.01, 0.80),
        "eu": row(true, 28, 8, 0.20, 0.40, 0.31, 0.05, 0.10, 0.70),
        "fr": row(true, 45, 13, 0.14, 0.13, 0.34, 0.27, 0.008, 0.80),
        "hi": row(true, 25, 38, 0.18, 0.47, 0.45, 0.01, 0.005, 0.90),
        "id": row(true, 30, 15, 0.15, 0.20, 0.34, 0.15, 0.01, 0.70),
        "pt": row(true, 19, 19, 0.25, 0.98, 0.35, 0.20, 0.007, 0.60),
        "ur": row(true, 20, 25, 0.19, 0.50, 0.25, 0.01, 0.025, 0.90, wordN: 7),
        "vi": row(true, 25, 30, 0.15, 0.20, 0.34, 0.08, 0.005, 0.90, augmentation: [2, 3], joiner: " "),
        "zh": row(false, nil, 1, 0.20, 0.96, 0.30, 0.1691, 0.001, 0.85, charN: 3, maxWords: 1_000_000, augmentation: [2], joiner: ""),
    ]

    /// The row for `language` (the reference's `default` row when it has none).
    public static func forLanguage(_ language: String) -> QualityParameters { table[language] ?? .default }
}
