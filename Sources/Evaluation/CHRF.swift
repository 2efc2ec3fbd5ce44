import Foundation

/// chrF and chrF++ exactly as sacrebleu 2.x computes them (`sacrebleu.metrics.CHRF`): character
/// n-grams of orders 1…`charOrder` over the segment with whitespace removed (kept with
/// `whitespace`), plus word n-grams of orders 1…`wordOrder` (chrF++ is `wordOrder` 2) over words
/// split on Python whitespace with one punctuation character split off each word's end (else its
/// start). Per segment the reference with the best F-score is kept; corpus statistics are summed;
/// the score is F-beta of the precision and recall averaged over the orders that have both
/// hypothesis and reference n-grams (sacrebleu ≥ 2.0), or the chrF++.py ε-smoothed average of
/// per-order F-scores with `epsSmoothing`. Strings are compared as Unicode scalar sequences, as
/// Python compares `str` (no canonical equivalence). Checked against sacrebleu on fixtures.
public struct CHRF: Sendable {
    public var charOrder = 6
    public var wordOrder = 0
    public var beta = 2
    public var lowercase = false
    public var whitespace = false
    public var epsSmoothing = false

    public init(charOrder: Int = 6, wordOrder: Int = 0, beta: Int = 2, lowercase: Bool = false, whitespace: Bool = false, epsSmoothing: Bool = false) {
        self.charOrder = charOrder; self.wordOrder = wordOrder; self.beta = beta
        self.lowercase = lowercase; self.whitespace = whitespace; self.epsSmoothing = epsSmoothing
    }

    public struct Score: Sendable, Equatable {
        /// 0…100.
        public var score: Double
        /// Per order (characters 1…charOrder, then words 1…wordOrder): hypothesis, reference and matching n-gram counts.
        public var statistics: [Int]
    }

    /// sacrebleu's signature (`nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`).
    public func signature(references: Int) -> String {
        "nrefs:\(references)|case:\(lowercase ? "lc" : "mixed")|eff:\(epsSmoothing ? "no" : "yes")|nc:\(charOrder)|nw:\(wordOrder)|space:\(whitespace ? "yes" : "no")|version:2.6.0"
    }

    /// `references` are streams, as sacrebleu takes them: `references[r][i]` is reference r of hypothesis i.
    public func corpusScore(hypotheses: [String], references: [[String]]) throws(MetricInputError) -> Score {
        guard !hypotheses.isEmpty else { throw .emptyCorpus }
        guard !references.isEmpty else { throw .noReferences }
        for (index, stream) in references.enumerated() where stream.count != hypotheses.count {
            throw .referenceStreamLengthMismatch(stream: index, expected: hypotheses.count, found: stream.count)
        }
        var total = [Int](repeating: 0, count: 3 * (charOrder + wordOrder))
        for (i, hypothesis) in hypotheses.enumerated() {
            let stats = segmentStatistics(hypothesis, references: references.map { $0[i] })
            for j in total.indices { total[j] += stats[j] }
        }
        return Score(score: fScore(total), statistics: total)
    }

    public func sentenceScore(hypothesis: String, references: [String]) throws(MetricInputError) -> Score {
        guard !references.isEmpty else { throw .noReferences }
        let stats = segmentStatistics(hypothesis, references: references)
        return Score(score: fScore(stats), statistics: stats)
    }

    // MARK: - Statistics

    private typealias Counts = [[Unicode.Scalar]: Int]

    private func segmentStatistics(_ hypothesis: String, references: [String]) -> [Int] {
        let hypothesisGrams = ngrams(hypothesis)
        var best: [Int] = [], bestF = -1.0
        for reference in references {
            let referenceGrams = ngrams(reference)
            var stats: [Int] = []
            for (h, r) in zip(hypothesisGrams, referenceGrams) {
                var matches = 0, hypothesisCount = 0
                for (gram, count) in h {
                    hypothesisCount += count
                    if let other = r[gram] { matches += min(count, other) }
                }
                // An order with no reference n-grams counts no hypothesis n-grams either.
                stats += [r.isEmpty ? 0 : hypothesisCount, r.values.reduce(0, +), matches]
            }
            let f = fScore(stats)
            if f > bestF { best = stats; bestF = f }
        }
        return best
    }

    /// Character n-gram counts of orders 1…charOrder, then word n-gram counts of orders 1…wordOrder.
    private func ngrams(_ text: String) -> [Counts] {
        let scalars = Array((lowercase ? text.lowercased() : text).unicodeScalars)
        let characters = whitespace ? scalars : scalars.filter { !PythonWhitespace.contains($0) }
        var result: [Counts] = []
        for n in 1...max(1, charOrder) where n <= charOrder {
            var counts: Counts = [:]
            if characters.count >= n { for i in 0...(characters.count - n) { counts[Array(characters[i..<(i + n)]), default: 0] += 1 } }
            result.append(counts)
        }
        if wordOrder > 0 {
            let words = Self.wordsWithPunctuationSplit(scalars)
            for n in 1...wordOrder {
                var counts: Counts = [:]
                if words.count >= n {
                    for i in 0...(words.count - n) { counts[Array(words[i..<(i + n)].joined(separator: [" "])), default: 0] += 1 }
                }
                result.append(counts)
            }
        }
        return result
    }

    /// sacrebleu's `_remove_punctuation`: a word longer than one character loses a trailing ASCII
    /// punctuation character as a word of its own, or else a leading one.
    static func wordsWithPunctuationSplit(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        for word in PythonWhitespace.split(scalars) {
            if word.count == 1 {
                words.append(word)
            } else if isPunctuation(word.last!) {
                words += [Array(word.dropLast()), [word.last!]]
            } else if isPunctuation(word.first!) {
                words += [[word.first!], Array(word.dropFirst())]
            } else {
                words.append(word)
            }
        }
        return words
    }

    /// Python's `string.punctuation`.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }

    // MARK: - Score

    private func fScore(_ statistics: [Int]) -> Double {
        let eps = 1e-16, factor = Double(beta * beta), order = charOrder + wordOrder
        guard order > 0 else { return 0 }   // no n-gram orders at all: nothing can match
        var smoothed = 0.0, averagePrecision = 0.0, averageRecall = 0.0, effectiveOrder = 0
        for i in 0..<order {
            let hypothesis = statistics[3 * i], reference = statistics[3 * i + 1], matches = Double(statistics[3 * i + 2])
            let precision = hypothesis > 0 ? matches / Double(hypothesis) : eps
            let recall = reference > 0 ? matches / Double(reference) : eps
            let denominator = factor * precision + recall
            smoothed += denominator > 0 ? (1 + factor) * precision * recall / denominator : eps
            if hypothesis > 0 && reference > 0 {
                averagePrecision += precision
                averageRecall += recall
                effectiveOrder += 1
            }
        }
        if epsSmoothing { return 100 * smoothed / Double(order) }
        if effectiveOrder == 0 { return 0 }
        averagePrecision /= Double(effectiveOrder)
        averageRecall /= Double(effectiveOrder)
        guard averagePrecision + averageRecall > 0 else { return 0 }
        return 100 * (1 + factor) * averagePrecision * averageRecall / (factor * averagePrecision + averageRecall)
    }
}
