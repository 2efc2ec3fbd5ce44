import Foundation
import Testing
@testable import Evaluation

@Suite struct LanguageModelingMetricsTests {
    /// nll = 10 nats over 5 tokens, 7 bytes, 2 words.
    @Test func metricsFromTotals() throws {
        let metrics = try LanguageModelingMetrics(negativeLogLikelihood: 10, tokenCount: 5, byteCount: 7, wordCount: 2)
        #expect(metrics.tokenPerplexity == exp(2.0))
        #expect(metrics.wordPerplexity == exp(5.0))
        #expect(metrics.bytePerplexity == exp(10.0 / 7))
        // The harness' −weighted_mean / log(2) with weighted_mean = −10/7, checked against CPython.
        #expect(metrics.bitsPerByte == 2.060992915555662)
        #expect(relativeDeviation(log2(metrics.bytePerplexity), metrics.bitsPerByte) < 1e-14)
    }

    /// A uniform model over 256 byte values has exactly 8 bits per byte and byte perplexity 256.
    @Test func uniformByteModel() throws {
        let metrics = try LanguageModelingMetrics(negativeLogLikelihood: 100 * log(256.0), tokenCount: 100, byteCount: 100, wordCount: 20)
        #expect(relativeDeviation(metrics.bitsPerByte, 8) < 1e-14)
        #expect(relativeDeviation(metrics.bytePerplexity, 256) < 1e-12)
        #expect(relativeDeviation(metrics.tokenPerplexity, 256) < 1e-12)
    }

    /// Harness `count_words` is `len(re.split(r"\s+", doc))`; `count_bytes` is the UTF-8 length.
    @Test func harnessWordAndByteCounting() {
        #expect(LanguageModelingMetrics.countWords(" a  b\u{A0}c ") == 5)  // ['', 'a', 'b', 'c', '']
        #expect(LanguageModelingMetrics.countWords("") == 1)
        #expect(LanguageModelingMetrics.countWords("one") == 1)
        #expect(LanguageModelingMetrics.countWords("x\u{200B}y") == 1)  // ZERO WIDTH SPACE is not \s
        #expect(LanguageModelingMetrics.countBytes("日本") == 6)
        #expect(LanguageModelingMetrics.countBytes("e\u{301}") == 3)
    }

    /// Documents combine by summing log-likelihoods and counts (harness `weighted_perplexity`),
    /// which differs from averaging per-document perplexities.
    @Test func documentsCombineAsRatiosOfSums() throws {
        let first = try LanguageModelingMetrics(negativeLogLikelihood: 6, tokenCount: 3, text: "a b c")
        let second = try LanguageModelingMetrics(negativeLogLikelihood: 4, tokenCount: 2, text: "d")
        #expect(first.wordCount == 3 && first.byteCount == 5)
        let corpus = first + second
        #expect(corpus.wordCount == 4 && corpus.byteCount == 6 && corpus.tokenCount == 5)
        #expect(corpus.wordPerplexity == exp(10.0 / 4))
        #expect(corpus.wordPerplexity != (first.wordPerplexity + second.wordPerplexity) / 2)
    }

    @Test func rejectsInvalidInputs() {
        #expect(throws: LanguageModelingError.nonPositiveCount(unit: "tokens", count: 0)) {
            try LanguageModelingMetrics(negativeLogLikelihood: 1, tokenCount: 0, byteCount: 1, wordCount: 1)
        }
        #expect(throws: LanguageModelingError.nonPositiveCount(unit: "bytes", count: 0)) {
            try LanguageModelingMetrics(negativeLogLikelihood: 1, tokenCount: 1, text: "")
        }
        #expect(throws: LanguageModelingError.invalidNegativeLogLikelihood(-1)) {
            try LanguageModelingMetrics(negativeLogLikelihood: -1, tokenCount: 1, byteCount: 1, wordCount: 1)
        }
        #expect(throws: (any Error).self) {
            try LanguageModelingMetrics(negativeLogLikelihood: .nan, tokenCount: 1, byteCount: 1, wordCount: 1)
        }
    }

    @Test func jsonCarriesHarnessMetricNames() throws {
        let metrics = try LanguageModelingMetrics(negativeLogLikelihood: 10, tokenCount: 5, byteCount: 7, wordCount: 2)
        let data = try JSONEncoder().encode(metrics)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["word_perplexity", "byte_perplexity", "bits_per_byte", "token_perplexity"] {
            #expect(object[key] is Double, "missing \(key)")
        }
        #expect(try JSONDecoder().decode(LanguageModelingMetrics.self, from: data) == metrics)
    }
}
