import Testing
@testable import Corpus

/// Each ROOTS quality filter, on real Debian package descriptions from the fixtures, altered so that
/// exactly that filter is the first to fail.
@Suite("Quality filters")
struct FilterTests {
    /// A long real English description that passes every filter.
    static let english: String = {
        Support.ddtpTexts("en").filter { $0.split(separator: " ").count > 120 }.sorted().first!
    }()
    static let languageID: LanguageIdentifier = {
        LanguageIdentifier.train(samples: [
            "en": UTF8Codec.scalars(Support.ddtpTexts("en").joined(separator: "\n")),
            "fr": UTF8Codec.scalars(Support.ddtpTexts("fr").joined(separator: "\n")),
            "de": UTF8Codec.scalars(Support.ddtpTexts("de").joined(separator: "\n")),
        ])
    }()

    func verdict(_ text: String, _ language: String = "en") -> FilterVerdict? {
        var analyzer = TextAnalyzer()
        defer { analyzer.release() }
        var normalized: [UInt32] = []
        let parameters = QualityParameters.forLanguage(language)
        TextCleaner.normalize(UTF8Codec.scalars(text), into: &normalized, parameters: parameters)
        analyzer.load(normalized, unsegmented: LanguageTable.isUnsegmented(language))
        return QualityFilter.evaluate(&analyzer, language: language, parameters: parameters, languageID: Self.languageID)
    }

    @Test("A real description passes every filter")
    func realTextPasses() {
        #expect(verdict(Self.english) == nil)
    }

    @Test("Too few words")
    func wordCount() {
        let short = Self.english.split(separator: " ").prefix(8).joined(separator: " ")
        #expect(verdict(short)?.reason == .wordCount)
    }

    @Test("Character repetition: the same sentence over and over")
    func characterRepetition() {
        let sentence = Self.english.split(separator: " ").prefix(12).joined(separator: " ")
        #expect(verdict(Array(repeating: sentence, count: 20).joined(separator: " "))?.reason == .characterRepetition)
    }

    @Test("Word repetition: a paragraph repeated once trips word 5-grams before character 10-grams")
    func wordRepetition() {
        let result = verdict(Self.english + "\n" + Self.english)
        #expect(result?.reason == .wordRepetition)
        #expect((result?.value ?? 0) > 0.9)
    }

    @Test("Special characters: a table of numbers")
    func specialCharacters() {
        let table = (1..<80).map { i in "\(i * 7919 % 10007)/\(i * 104729 % 9973)-(\(i * 31 % 97))%;" }.joined(separator: " ")
        #expect(verdict(Self.english.split(separator: " ").prefix(30).joined(separator: " ") + "\n" + table)?.reason == .specialCharacters)
    }

    @Test("Stop words: a list of package names has no function words")
    func stopWords() {
        // Distinct content words of real descriptions (function words removed): no repetition, no stop words.
        let stop = StopWords.hashed["en"]!
        var seen = Set<String>()
        let words = Support.ddtpTexts("en").flatMap { $0.split(separator: " ") }.map { String($0).lowercased() }
            .filter { $0.allSatisfy(\.isLetter) && !stop.contains(WordHash.of($0.unicodeScalars.map(\.value))) && seen.insert($0).inserted }
        #expect(verdict(words.prefix(150).joined(separator: " "))?.reason == .stopWords)
    }

    @Test("Flagged words above the English threshold (1%)")
    func flaggedWords() {
        let words = Self.english.split(separator: " ")
        let planted = words.prefix(50).joined(separator: " ") + " porn porno " + words.dropFirst(50).joined(separator: " ")
        #expect(verdict(planted)?.reason == .flaggedWords)
    }

    @Test("Language ID: English text declared as French is removed; French passes")
    func languageIDFilter() {
        let result = verdict(Self.english, "fr")
        #expect(result?.reason == .languageID || result?.reason == .stopWords)
        let french = Support.ddtpTexts("fr").filter { $0.split(separator: " ").count > 60 }.sorted().first!
        #expect(verdict(french, "fr") == nil)
        #expect(Self.languageID.identify(UTF8Codec.scalars(french)).language == "fr")
        #expect(Self.languageID.identify(UTF8Codec.scalars(Self.english)).language == "en")
    }

    @Test("Language ID score drops for a French page with untranslated English paragraphs")
    func mixedLanguage() {
        let french = Support.ddtpTexts("fr").filter { $0.split(separator: " ").count > 60 }.sorted()
        let mixed = [french[0], Self.english, french[1], Support.ddtpTexts("en").filter { $0.count > 600 }.sorted()[1]].joined(separator: "\n")
        let pure = Self.languageID.identify(UTF8Codec.scalars(french[0] + "\n" + french[1]))
        let score = Self.languageID.identify(UTF8Codec.scalars(mixed)).score
        #expect(pure.score > 0.9)
        #expect(score < 0.8)
    }

    @Test("Pre-filter normalization: URL words and long words go, line structure stays")
    func normalization() {
        var out: [UInt32] = []
        let text = "See https://example.com/x or www.debian.org for details.\n\n\n  Second\u{00A0}paragraph \u{200B}here  \n" + String(repeating: "x", count: 40)
        TextCleaner.normalize(UTF8Codec.scalars(text), into: &out, parameters: QualityParameters.forLanguage("en"))
        #expect(UTF8Codec.string(out[...]) == "See or for details.\n\nSecond paragraph here")
    }
}
