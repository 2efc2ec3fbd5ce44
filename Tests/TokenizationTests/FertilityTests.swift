import Foundation
import Testing
@testable import Tokenization

@Suite struct FertilityTests {
    @Test func wordCounting() {
        #expect(Fertility.wordCount("Hello  big\tworld\n") == 3)
        #expect(Fertility.wordCount("数字123与English") == 5)  // 数 字 123 与 English
        #expect(Fertility.wordCount("日本語のテキスト") == 8)
        #expect(Fertility.wordCount("हिन्दी में लिखा") == 3)
        #expect(Fertility.wordCount("") == 0)
    }

    /// A report on the fixture: the multilingual tokenizer against one monolingual tokenizer
    /// per source, all with 1,000 tokens. (Too little text to say anything about BLOOM's
    /// 10% target; this checks the arithmetic and the shape of the report.)
    @Test func reportOnTheFixtureLanguages() throws {
        let train = try Fixtures.bytes("train.txt").split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
            .map { String(decoding: $0, as: UTF8.self) + "\n" }
        let held = try Fixtures.heldOutLines()
        guard case .array(let spans) = try Fixtures.json("languages.json") else {
            Issue.record("languages.json is not an array")
            return
        }
        func range(_ value: OrderedJSON?) -> Range<Int> {
            guard case .array(let pair)? = value, case .number(let a) = pair[0], case .number(let b) = pair[1] else { return 0..<0 }
            return Int(a)!..<Int(b)!
        }
        let samples = spans.map { span -> LanguageSample in
            guard case .string(let label)? = span["label"] else { return LanguageSample(name: "?", trainingLines: [], evaluationTexts: []) }
            return LanguageSample(name: label, trainingLines: Array(train[range(span["train"])]),
                                  evaluationTexts: Array(held[range(span["heldout"])]))
        }
        #expect(samples.map(\.name) == ["en", "fr", "es", "pt", "vi", "ar", "hi", "ta", "zh", "ja", "python", "go"])
        let options = BPETrainerConfiguration(vocabularySize: 1000)
        let multilingual = try BPETrainer(options).train(texts: train).tokenizer
        let report = try Fertility.report(multilingual: multilingual, languages: samples, configuration: options)
        #expect(report.languages.count == 12)
        for language in report.languages {
            #expect(language.words > 0 && language.monolingualTokens > 0)
            // A tokenizer that saw only this language compresses it better than one that
            // shares its vocabulary with eleven others.
            #expect(language.degradationPercent > 0, "\(language.name)")
            let expected = (Double(language.multilingualTokens) / Double(language.monolingualTokens) - 1) * 100
            #expect(abs(language.degradationPercent - expected) < 1e-9)
            #expect(language.withinTarget == (language.degradationPercent <= 10))
        }
        #expect(report.markdown.contains("| hi |"))
        let decoded = try JSONDecoder().decode(FertilityReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
    }
}
