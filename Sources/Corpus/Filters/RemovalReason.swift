/// Why a document did not reach the shards, in pipeline order. Skips (bad input) come first, then the
/// quality filters in ROOTS order (a document is counted under the first one it fails), then dedup.
public enum RemovalReason: String, CaseIterable, Sendable, Codable {
    case malformedRecord = "malformed-record"
    case invalidUTF8 = "invalid-utf8"
    case unknownLanguage = "unknown-language"
    case empty
    case wordCount = "word-count"
    case characterRepetition = "character-repetition"
    case wordRepetition = "word-repetition"
    case specialCharacters = "special-characters"
    case stopWords = "stop-words"
    case flaggedWords = "flagged-words"
    case languageID = "language-id"
    case perplexity
    case exactDuplicate = "exact-duplicate"
    case nearDuplicate = "near-duplicate"

    /// The ROOTS quality filters, in application order.
    public static let qualityFilters: [RemovalReason] = [.wordCount, .characterRepetition, .wordRepetition, .specialCharacters, .stopWords, .flaggedWords, .languageID, .perplexity]

    /// True for bad-input skips (counted, never fatal).
    public var isSkip: Bool { [.malformedRecord, .invalidUTF8, .unknownLanguage].contains(self) }
}

/// The outcome of the quality filters for one document.
struct FilterVerdict {
    var reason: RemovalReason
    /// The indicator's value and the threshold it missed (for samples in the report).
    var value: Double
    var threshold: Double
    /// Language-ID prediction, when that filter ran.
    var predictedLanguage: String?
}

/// Applies the ROOTS filters in order; stops at the first failure.
enum QualityFilter {
    static func evaluate(_ analyzer: inout TextAnalyzer, language: String, parameters p: QualityParameters,
                         languageID: LanguageIdentifier?, perplexity: PerplexityFilter? = nil) -> FilterVerdict? {
        let words = analyzer.wordCount
        if words < p.minWords || words > p.maxWords {
            return FilterVerdict(reason: .wordCount, value: Double(words), threshold: Double(words < p.minWords ? p.minWords : p.maxWords))
        }
        let charRep = analyzer.characterRepetition(n: p.charRepetitionN)
        if charRep > p.maxCharRepetition { return FilterVerdict(reason: .characterRepetition, value: charRep, threshold: p.maxCharRepetition) }
        let wordRep = analyzer.wordRepetition(n: p.wordRepetitionN)
        if wordRep > p.maxWordRepetition { return FilterVerdict(reason: .wordRepetition, value: wordRep, threshold: p.maxWordRepetition) }
        let special = analyzer.specialCharacters()
        if special > p.maxSpecialCharacters { return FilterVerdict(reason: .specialCharacters, value: special, threshold: p.maxSpecialCharacters) }
        if let stop = StopWords.hashed[language] {
            let ratio = analyzer.listRatio(stop, augmentation: p.augmentationSizes, joiner: p.augmentationJoiner)
            if ratio < p.minStopWords { return FilterVerdict(reason: .stopWords, value: ratio, threshold: p.minStopWords) }
        }
        if let flagged = FlaggedWords.hashed[language] {
            let ratio = analyzer.listRatio(flagged, augmentation: p.augmentationSizes, joiner: p.augmentationJoiner)
            if ratio > p.maxFlaggedWords { return FilterVerdict(reason: .flaggedWords, value: ratio, threshold: p.maxFlaggedWords) }
        }
        if let languageID, languageID.languages.contains(language) {
            let (predicted, score) = languageID.identifyMapped(analyzer.letters)
            if predicted != language || score < p.minLanguageIDScore {
                return FilterVerdict(reason: .languageID, value: predicted == language ? score : 0, threshold: p.minLanguageIDScore, predictedLanguage: predicted)
            }
        }
        if let model = perplexity?.models[language] {
            analyzer.preparePerplexityTokens()
            let value = model.model.perplexity(words: analyzer.perplexityWords, lineEnds: analyzer.perplexityLineEnds)
            if value > model.threshold { return FilterVerdict(reason: .perplexity, value: value, threshold: model.threshold) }
        }
        return nil
    }
}
