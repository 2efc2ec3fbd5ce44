import Evaluation
import Foundation
import Tokenization
import Training

/// Perplexity, bits per byte and fertility of held-out documents (lm-evaluation-harness
/// `wikitext`-style rolling log-likelihood: each document scored whole, EOS as its start).
struct PerplexityEvaluator {
    let scorer: TokenScorer
    let tokenizer: Tokenizer
    let eos: Int32
    /// Longest input the model takes (the training sequence length).
    let length: Int

    struct Result {
        var metrics: LanguageModelingMetrics
        var documents: Int
        /// Tokens per word (`Fertility.wordCount` words).
        var fertility: Double
        /// The documents scored (their digest identifies the dataset).
        var scoredDocuments: [String]
    }

    /// Scores whole documents until at least `maxTokens` tokens were scored.
    func evaluate(_ documents: [String], maxTokens: Int) throws -> Result? {
        var rows: [TokenScorer.Row] = []
        var used: [String] = []
        var scoredTokens = 0
        for text in documents where scoredTokens < maxTokens {
            let ids = [eos] + tokenizer.encode(text).map { Int32(bitPattern: $0) }
            guard ids.count > 1 else { continue }
            var start = 0
            while start < ids.count - 1 {                              // window: 1 context token + length − 1 predictions
                let window = Array(ids[start..<min(ids.count, start + length)])
                rows.append(TokenScorer.Row(window: window))
                start += length - 1
            }
            scoredTokens += ids.count - 1
            used.append(text)
        }
        guard !used.isEmpty else { return nil }
        let scores = scorer.score(rows)
        let nll = -scores.reduce(0.0) { $0 + $1.logLikelihood }
        let tokens = scores.reduce(0) { $0 + $1.tokens }
        let metrics = try LanguageModelingMetrics(negativeLogLikelihood: nll, tokenCount: tokens,
                                                  byteCount: used.reduce(0) { $0 + $1.utf8.count },
                                                  wordCount: used.reduce(0) { $0 + LanguageModelingMetrics.countWords($1) })
        let words = used.reduce(0) { $0 + Fertility.wordCount($1) }
        return Result(metrics: metrics, documents: used.count, fertility: words > 0 ? Double(tokens) / Double(words) : .nan, scoredDocuments: used)
    }
}
