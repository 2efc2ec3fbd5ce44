import CanonicalJSON
import Foundation
import Testing
@testable import Corpus

@Suite("Perplexity filter")
struct PerplexityTests {
    /// Word tokens per line, as the filter sees them (analyzer words after the KenLM-style normalization).
    static func lines(_ text: String) -> [[UInt64]] {
        var analyzer = TextAnalyzer()
        defer { analyzer.release() }
        analyzer.load(UTF8Codec.scalars(text), unsegmented: false)
        analyzer.preparePerplexityTokens()
        var out: [[UInt64]] = []
        var start = 0
        for end in analyzer.perplexityLineEnds { out.append(Array(analyzer.perplexityWords[start..<end])); start = end }
        return out
    }

    static func train(_ texts: [String]) -> NGramLanguageModel {
        var counts = NGramCounts()
        for text in texts { for line in lines(text) { counts.addSentence(line) } }
        return counts.build()
    }

    @Test("A document processed during the model build, then resolved by the filter, equals processing it with the filter in place")
    func preprocessedEqualsDirect() {
        let english = Support.ddtpTexts("en").filter { $0.count > 300 }.sorted()
        let model = Self.train(Array(english.prefix(200)))
        let candidates = english.suffix(30).map { $0 } + ["Contact jane.doe@example.org or see http://example.org for the full text of the notice, "
            + String(repeating: "the manual explains every option of the tool in detail and gives examples. ", count: 4)]
        var config = CorpusConfiguration(inputDirectory: "-", outputDirectory: "-", cores: 1)
        config.templateLines = nil
        let base = ProcessingContext(configuration: config, templateCounts: nil, evalLines: nil, languageID: nil)
        let values = candidates.map { model.perplexity(lines: Self.lines($0)) }.sorted()
        // Thresholds that keep all, remove about half, and remove every document.
        for threshold in [values.last! + 1, values[values.count / 2], 0] {
            var withFilter = base
            withFilter.perplexity = PerplexityFilter(models: ["en": .init(model: model, threshold: threshold, trainingDocuments: 200,
                                                                          calibrationDocuments: 30, median: 0)], skipped: [:])
            let worker = DocumentWorker(shingle: 6)
            for (i, text) in candidates.enumerated() {
                let line = Support.doc("p\(i)", text).jsonLine()
                let direct = worker.process(line, fallbackSource: "test", context: withFilter)
                let reused = worker.preprocess(line, fallbackSource: "test", context: base).resolved(by: withFilter.perplexity)
                #expect(reused.id == direct.id && reused.excerpt == direct.excerpt && reused.redactions == direct.redactions
                        && reused.lineEdits.template == direct.lineEdits.template && reused.inputBytes == direct.inputBytes)
                switch (reused.outcome, direct.outcome) {
                case let (.removed(a), .removed(b)):
                    #expect(a.reason == b.reason && a.value == b.value && a.threshold == b.threshold)
                case let (.candidate(d1, s1, l1, o1), .candidate(d2, s2, l2, o2)):
                    #expect(d1 == d2 && s1 == s2 && l1 == l2 && o1 == o2)
                default:
                    Issue.record("document \(i), threshold \(threshold): outcomes differ")
                }
            }
        }
    }

    @Test("Interpolated Kneser-Ney: P(w | u v) over the vocabulary plus the unknown word sums to 1")
    func normalization() {
        let texts = Array(Support.ddtpTexts("en").prefix(300))
        let model = Self.train(texts)
        #expect(model.vocabulary > 1000)
        var words: [UInt64] = []
        model.unigrams.forEach { key, entry in if entry.probability > 0 { words.append(key) } }
        #expect(words.count == model.vocabulary)
        // Contexts seen in training (the first two words of a line), an unseen one, and the sentence start.
        let first = Self.lines(texts[0])[0]
        let start = NGramLanguageModel.sentenceStart
        for (u, v) in [(first[0], first[1]), (start, first[0]), (start, start), (UInt64(12345), UInt64(67890))] {
            var total = model.probability(0xDEAD_BEEF, after: u, v)  // the unknown word
            for w in words { total += model.probability(w, after: u, v) }
            #expect(abs(total - 1) < 1e-3, "context \(u) \(v): \(total)")
        }
        let d = model.discounts
        #expect(d.count == 3 && d.allSatisfy { $0.count == 3 && $0.allSatisfy { $0 > 0 } && $0[0] <= 1 && $0[1] <= 2 && $0[2] <= 3 })
    }

    @Test("Held-out in-domain text scores lower perplexity than shuffled words or another language")
    func inDomainIsLessPerplexing() {
        let english = Support.ddtpTexts("en").filter { $0.count > 300 }
        #expect(english.count > 120)
        let model = Self.train(Array(english.dropLast(40)))
        var generator = SplitMix(seed: 7)
        for text in english.suffix(40) {
            let lines = Self.lines(text)
            let shuffled = lines.map { $0.shuffled(using: &generator) }
            let ppl = model.perplexity(lines: lines)
            #expect(ppl < model.perplexity(lines: shuffled), "\(text.prefix(60))")
            #expect(ppl > 1)
        }
        let french = Support.ddtpTexts("fr").filter { $0.count > 300 }.prefix(40)
        let inDomain = english.suffix(40).map { model.perplexity(lines: Self.lines($0)) }.sorted()
        let foreign = french.map { model.perplexity(lines: Self.lines($0)) }.sorted()
        #expect(inDomain[inDomain.count / 2] * 3 < foreign[foreign.count / 2])
    }

    @Test("Digits and typographic punctuation are normalized before scoring")
    func normalizationOfTokens() {
        #expect(Self.lines("Version 3.14 – l’été") == Self.lines("version 0.00 - l'été"))
        #expect(Self.lines("one two\nthree\n\n four").map(\.count) == [2, 1, 1])
    }

    @Test("Fixture corpus: per-language models, thresholds at the percentile, removals counted and sampled; off = no trace")
    func pipelineFilter() throws {
        let input = try Support.fetchFixtures().directory
        func run(_ settings: PerplexitySettings?, cores: Int = 2, batchBytes: Int = 4 << 20) throws -> (String, CorpusResult) {
            let output = Support.scratch() + "/corpus"
            var config = CorpusConfiguration(inputDirectory: input, outputDirectory: output, cores: cores)
            config.shardBytes = 64 << 10
            config.batchBytes = batchBytes
            config.perplexity = settings
            return (output, try CorpusPipeline.run(config))
        }
        // The fixture's documentation slices are tiny: DDTP joins the reference here.
        var strict = PerplexitySettings(percentile: 50, referenceSources: ["ddtp", "libreoffice-help", "debian-handbook"])
        strict.minimumCalibrationDocuments = 3
        strict.calibrationEvery = 4
        let (output, result) = try run(strict)
        let filter = try #require(result.stats.perplexity)
        #expect(filter.models["en"] != nil, "\(filter.skipped)")
        for (_, m) in filter.models { #expect(m.threshold >= m.median && m.trainingDocuments > 0 && m.calibrationDocuments >= 3) }
        let removed = result.stats.total.removedDocuments(.perplexity)
        #expect(removed > 0)
        let samples = result.stats.samples[.perplexity] ?? []
        #expect(!samples.isEmpty && samples.allSatisfy { $0.value > $0.threshold && filter.models[$0.language] != nil })
        let stats = try JSONValue.parse(try CorpusFiles.read(output + "/stats.json"))
        #expect(stats["perplexity"]?["models"] != nil)
        #expect(stats["total"]?["removed"]?["perplexity"]?["documents"]?.intValue == removed)
        let report = String(decoding: try CorpusFiles.read(output + "/report.md"), as: UTF8.self)
        #expect(report.contains("## Perplexity") && report.contains("### perplexity"))

        // Deterministic: one core and small batches give the same bytes.
        let (again, _) = try run(strict, cores: 1, batchBytes: 3000)
        for name in ["manifest.json", "stats.json", "report.md"] {
            #expect(try CorpusFiles.read(output + "/" + name) == CorpusFiles.read(again + "/" + name), "\(name)")
        }

        let (offOutput, off) = try run(nil)
        #expect(off.stats.perplexity == nil && off.stats.total.removedDocuments(.perplexity) == 0)
        #expect(off.stats.total.documentsKept > result.stats.total.documentsKept)
        let manifest = String(decoding: try CorpusFiles.read(offOutput + "/manifest.json"), as: UTF8.self)
        #expect(!manifest.contains("perplexity"))
        let offReport = String(decoding: try CorpusFiles.read(offOutput + "/report.md"), as: UTF8.self)
        #expect(!offReport.contains("| ppl |") && !offReport.contains("## Perplexity") && report.contains("| ppl |"))
    }
}

/// A small deterministic generator for shuffles in tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
