import Foundation

/// Perplexity-style metrics from a total negative log-likelihood (natural log) and the unit counts it
/// is spread over, following lm-evaluation-harness' rolling log-likelihood tasks (`wikitext`,
/// `PerplexityTask`/`ConfigurableTask.process_results` for `loglikelihood_rolling` in `lm_eval/api/task.py`,
/// aggregations `weighted_perplexity` and `bits_per_byte` in `lm_eval/api/metrics.py`):
///
/// - `word_perplexity` = exp(nll / words), `byte_perplexity` = exp(nll / bytes),
///   `bits_per_byte` = (nll / bytes) / ln 2 — the harness' `-weighted_mean(items) / math.log(2)`, in that
///   operation order; a token-level perplexity exp(nll / tokens) is added for training-loss comparisons.
/// - Corpus values are ratios of sums (the harness' `weighted_mean` is Σ loglikelihood / Σ count), so
///   combine documents with `+` before reading the metrics, never average per-document perplexities.
public struct LanguageModelingMetrics: Codable, Equatable, Sendable {
    /// Σ −log p over all predicted tokens, in nats.
    public var negativeLogLikelihood: Double
    public var tokenCount: Int
    /// UTF-8 bytes of the scored text (harness `count_bytes`).
    public var byteCount: Int
    /// Words of the scored text (harness `count_words`).
    public var wordCount: Int

    public init(negativeLogLikelihood: Double, tokenCount: Int, byteCount: Int, wordCount: Int) throws(LanguageModelingError) {
        guard negativeLogLikelihood.isFinite, negativeLogLikelihood >= 0 else {
            throw .invalidNegativeLogLikelihood(negativeLogLikelihood)
        }
        guard tokenCount > 0 else { throw .nonPositiveCount(unit: "tokens", count: tokenCount) }
        guard byteCount > 0 else { throw .nonPositiveCount(unit: "bytes", count: byteCount) }
        guard wordCount > 0 else { throw .nonPositiveCount(unit: "words", count: wordCount) }
        self.negativeLogLikelihood = negativeLogLikelihood
        self.tokenCount = tokenCount
        self.byteCount = byteCount
        self.wordCount = wordCount
    }

    /// One document: bytes and words are counted from `text` with the harness' rules.
    public init(negativeLogLikelihood: Double, tokenCount: Int, text: String) throws(LanguageModelingError) {
        try self.init(negativeLogLikelihood: negativeLogLikelihood, tokenCount: tokenCount,
                      byteCount: Self.countBytes(text), wordCount: Self.countWords(text))
    }

    /// exp(nll / tokens).
    public var tokenPerplexity: Double { exp(negativeLogLikelihood / Double(tokenCount)) }
    /// Harness `word_perplexity`: exp(nll / words).
    public var wordPerplexity: Double { exp(negativeLogLikelihood / Double(wordCount)) }
    /// Harness `byte_perplexity`: exp(nll / bytes).
    public var bytePerplexity: Double { exp(negativeLogLikelihood / Double(byteCount)) }
    /// Harness `bits_per_byte`: (nll / bytes) / ln 2.
    public var bitsPerByte: Double { negativeLogLikelihood / Double(byteCount) / log(2.0) }

    /// Sums of log-likelihoods and counts of two document sets.
    public static func + (lhs: LanguageModelingMetrics, rhs: LanguageModelingMetrics) -> LanguageModelingMetrics {
        var sum = lhs
        sum.negativeLogLikelihood += rhs.negativeLogLikelihood
        sum.tokenCount += rhs.tokenCount
        sum.byteCount += rhs.byteCount
        sum.wordCount += rhs.wordCount
        return sum
    }

    /// Harness `count_bytes`: `len(doc.encode("utf-8"))`.
    public static func countBytes(_ text: String) -> Int { text.utf8.count }

    /// Harness `count_words`: `len(re.split(r"\s+", doc))` — the number of whitespace runs plus one, so
    /// leading or trailing whitespace adds an (empty) word and the empty string counts as one word.
    /// `\s` is Python's Unicode whitespace (the same set as `str.isspace`).
    public static func countWords(_ text: String) -> Int {
        var runs = 0
        var inRun = false
        for scalar in text.unicodeScalars {
            let isSpace = PythonWhitespace.contains(scalar)
            if isSpace, !inRun { runs += 1 }
            inRun = isSpace
        }
        return runs + 1
    }

    enum CodingKeys: String, CodingKey {
        case negativeLogLikelihood = "negative_log_likelihood"
        case tokenCount = "token_count"
        case byteCount = "byte_count"
        case wordCount = "word_count"
        case tokenPerplexity = "token_perplexity"
        case wordPerplexity = "word_perplexity"
        case bytePerplexity = "byte_perplexity"
        case bitsPerByte = "bits_per_byte"
    }

    /// Decodes the inputs and re-validates them; the derived metrics in the JSON are ignored.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(negativeLogLikelihood: container.decode(Double.self, forKey: .negativeLogLikelihood),
                      tokenCount: container.decode(Int.self, forKey: .tokenCount),
                      byteCount: container.decode(Int.self, forKey: .byteCount),
                      wordCount: container.decode(Int.self, forKey: .wordCount))
    }

    /// Writes the inputs and the four derived metrics.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(negativeLogLikelihood, forKey: .negativeLogLikelihood)
        try container.encode(tokenCount, forKey: .tokenCount)
        try container.encode(byteCount, forKey: .byteCount)
        try container.encode(wordCount, forKey: .wordCount)
        try container.encode(tokenPerplexity, forKey: .tokenPerplexity)
        try container.encode(wordPerplexity, forKey: .wordPerplexity)
        try container.encode(bytePerplexity, forKey: .bytePerplexity)
        try container.encode(bitsPerByte, forKey: .bitsPerByte)
    }
}

/// Why perplexity metrics could not be formed.
public enum LanguageModelingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// NaN, infinite or negative total negative log-likelihood.
    case invalidNegativeLogLikelihood(Double)
    /// A count the metrics divide by is zero or negative.
    case nonPositiveCount(unit: String, count: Int)

    public var description: String {
        switch self {
        case .invalidNegativeLogLikelihood(let value):
            return "negative log-likelihood must be finite and ≥ 0, got \(value)"
        case .nonPositiveCount(let unit, let count):
            return "the number of \(unit) must be positive, got \(count)"
        }
    }
}
