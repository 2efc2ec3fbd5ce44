/// Sufficient statistics of BLEU for one segment or a whole corpus: hypothesis length, effective
/// reference length, and per n-gram order the clipped matches and the hypothesis n-gram totals.
/// This is the list `[hyp_len, ref_len] + correct + total` built by sacrebleu's
/// `BLEU._compute_segment_statistics` and summed over segments by `sum_of_lists`.
public struct BLEUStatistics: Equatable, Sendable {
    public var hypothesisLength: Int
    public var referenceLength: Int
    /// Clipped n-gram matches, index 0 = unigrams.
    public var correct: [Int]
    /// Hypothesis n-grams, index 0 = unigrams.
    public var total: [Int]

    public init(hypothesisLength: Int, referenceLength: Int, correct: [Int], total: [Int]) {
        self.hypothesisLength = hypothesisLength
        self.referenceLength = referenceLength
        self.correct = correct
        self.total = total
    }

    /// All zeros, for `maxOrder` n-gram orders.
    public static func zero(maxOrder: Int) -> BLEUStatistics {
        BLEUStatistics(hypothesisLength: 0, referenceLength: 0,
                       correct: Array(repeating: 0, count: maxOrder), total: Array(repeating: 0, count: maxOrder))
    }

    /// Component-wise sum (sacrebleu `sum_of_lists`).
    public static func + (lhs: BLEUStatistics, rhs: BLEUStatistics) -> BLEUStatistics {
        precondition(lhs.correct.count == rhs.correct.count, "BLEU statistics of different n-gram orders")
        return BLEUStatistics(
            hypothesisLength: lhs.hypothesisLength + rhs.hypothesisLength,
            referenceLength: lhs.referenceLength + rhs.referenceLength,
            correct: zip(lhs.correct, rhs.correct).map { $0 + $1 },
            total: zip(lhs.total, rhs.total).map { $0 + $1 })
    }

    /// Statistics of one tokenized hypothesis against its tokenized references.
    ///
    /// - Effective reference length: the reference length closest to the hypothesis length, the shorter
    ///   one on a tie (`BLEU._get_closest_ref_len`).
    /// - Matches: each hypothesis n-gram count is clipped to the largest count of that n-gram in any
    ///   single reference (`BLEU._extract_reference_info` merges reference counters with `max`).
    static func segment(hypothesis: [[Unicode.Scalar]], references: [[[Unicode.Scalar]]], maxOrder: Int) -> BLEUStatistics {
        var vocabulary = TokenVocabulary()
        let hypothesisIDs = vocabulary.ids(hypothesis)
        var referenceCounts: [[Int]: Int] = [:]
        var referenceLengths: [Int] = []
        for reference in references {
            let ids = vocabulary.ids(reference)
            referenceLengths.append(ids.count)
            for (ngram, count) in NGramCounts.count(ids, maxOrder: maxOrder) {
                referenceCounts[ngram] = Swift.max(referenceCounts[ngram] ?? 0, count)
            }
        }
        var stats = BLEUStatistics.zero(maxOrder: maxOrder)
        stats.hypothesisLength = hypothesisIDs.count
        stats.referenceLength = closestReferenceLength(hypothesisLength: hypothesisIDs.count, referenceLengths: referenceLengths)
        for (ngram, count) in NGramCounts.count(hypothesisIDs, maxOrder: maxOrder) {
            let order = ngram.count - 1
            stats.total[order] += count
            if let referenceCount = referenceCounts[ngram] {
                stats.correct[order] += Swift.min(count, referenceCount)
            }
        }
        return stats
    }

    /// The reference length with the smallest absolute difference to the hypothesis length; ties go to
    /// the shorter reference. `-1` when there are no references (sacrebleu's sentinel; never reached here).
    static func closestReferenceLength(hypothesisLength: Int, referenceLengths: [Int]) -> Int {
        var closestDifference = -1
        var closestLength = -1
        for length in referenceLengths {
            let difference = abs(hypothesisLength - length)
            if closestDifference == -1 || difference < closestDifference {
                closestDifference = difference
                closestLength = length
            } else if difference == closestDifference, length < closestLength {
                closestLength = length
            }
        }
        return closestLength
    }
}

/// Maps tokens (scalar sequences, compared exactly like Python strings) to small integer ids so that
/// n-grams can be hashed as `[Int]`.
struct TokenVocabulary {
    private var idsByToken: [[Unicode.Scalar]: Int] = [:]

    mutating func ids(_ tokens: [[Unicode.Scalar]]) -> [Int] {
        tokens.map { token in
            if let id = idsByToken[token] { return id }
            let id = idsByToken.count
            idsByToken[token] = id
            return id
        }
    }
}

/// Counts of every n-gram of order 1…maxOrder (sacrebleu `helpers.extract_all_word_ngrams`).
enum NGramCounts {
    static func count(_ tokens: [Int], maxOrder: Int) -> [[Int]: Int] {
        var counts: [[Int]: Int] = [:]
        for order in 1...maxOrder where order <= tokens.count {
            for start in 0...(tokens.count - order) {
                counts[Array(tokens[start..<(start + order)]), default: 0] += 1
            }
        }
        return counts
    }
}
