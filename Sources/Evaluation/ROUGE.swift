import Foundation

/// ROUGE-N, ROUGE-L and ROUGE-Lsum exactly as Google's `rouge_score` 0.1.2 computes them
/// (`RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=…)`, its default tokenizer):
/// text lowercased (Python's full Unicode lowercasing), every run of characters outside `[a-z0-9]`
/// a separator, tokens longer than 3 characters Porter-stemmed when `useStemmer` (NLTK's stemmer,
/// `PorterStemmer`). ROUGE-N counts clipped n-gram overlaps; ROUGE-L is the longest common
/// subsequence of the token lists; ROUGE-Lsum splits both texts on newlines (empty lines dropped)
/// and counts, per target sentence, the union of its LCS with every predicted sentence, each token
/// at most as often as it occurs on both sides. Checked against `rouge_score` on fixtures.
public struct ROUGE: Sendable {
    public var useStemmer: Bool

    public init(useStemmer: Bool = false) { self.useStemmer = useStemmer }

    public struct Score: Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var fmeasure: Double

        static let zero = Score(precision: 0, recall: 0, fmeasure: 0)

        init(precision: Double, recall: Double) {
            self.precision = precision
            self.recall = recall
            fmeasure = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        }

        init(precision: Double, recall: Double, fmeasure: Double) {
            self.precision = precision; self.recall = recall; self.fmeasure = fmeasure
        }
    }

    /// `rouge1`, `rouge2`, `rougeL`, `rougeLsum` of `prediction` against `target`.
    public func score(target: String, prediction: String) -> [String: Score] {
        let t = tokenize(target), p = tokenize(prediction)
        return ["rouge1": Self.ngramScore(t, p, n: 1), "rouge2": Self.ngramScore(t, p, n: 2),
                "rougeL": Self.lcsScore(t, p), "rougeLsum": summaryLevelLCS(target: target, prediction: prediction)]
    }

    /// ROUGE-N for any n ≥ 1.
    public func rougeN(target: String, prediction: String, n: Int) -> Score {
        Self.ngramScore(tokenize(target), tokenize(prediction), n: max(1, n))
    }

    /// rouge_score's default tokenizer.
    public func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let token = String(current)
            tokens.append(useStemmer && token.unicodeScalars.count > 3 ? PorterStemmer.stem(token) : token)
            current = String.UnicodeScalarView()
        }
        for scalar in text.lowercased().unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A, 0x30...0x39: current.append(scalar)
            default: flush()
            }
        }
        flush()
        // The stemmer's output is kept only if it is still a valid token (as rouge_score checks).
        return tokens.filter { !$0.isEmpty && $0.unicodeScalars.allSatisfy { (0x61...0x7A).contains($0.value) || (0x30...0x39).contains($0.value) } }
    }

    static func ngramScore(_ target: [String], _ prediction: [String], n: Int) -> Score {
        func grams(_ tokens: [String]) -> [ArraySlice<String>: Int] {
            var counts: [ArraySlice<String>: Int] = [:]
            if tokens.count >= n { for i in 0...(tokens.count - n) { counts[tokens[i..<(i + n)], default: 0] += 1 } }
            return counts
        }
        let t = grams(target), p = grams(prediction)
        let overlap = t.reduce(0) { $0 + min($1.value, p[$1.key] ?? 0) }
        let targetCount = t.values.reduce(0, +), predictionCount = p.values.reduce(0, +)
        return Score(precision: Double(overlap) / Double(max(predictionCount, 1)), recall: Double(overlap) / Double(max(targetCount, 1)))
    }

    static func lcsScore(_ target: [String], _ prediction: [String]) -> Score {
        guard !target.isEmpty, !prediction.isEmpty else { return .zero }
        let length = lcsTable(target, prediction).last!.last!
        return Score(precision: Double(length) / Double(prediction.count), recall: Double(length) / Double(target.count))
    }

    func summaryLevelLCS(target: String, prediction: String) -> Score {
        func sentences(_ text: String) -> [[String]] {
            // Python's `split("\n")` on code points: "\r\n" leaves a "\r" (a separator to the tokenizer).
            text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: true).map { tokenize(String(String.UnicodeScalarView($0))) }
        }
        let reference = sentences(target), candidate = sentences(prediction)
        guard !reference.isEmpty, !candidate.isEmpty else { return .zero }
        let m = reference.reduce(0) { $0 + $1.count }, n = candidate.reduce(0) { $0 + $1.count }
        guard m > 0, n > 0 else { return .zero }
        var referenceCounts: [String: Int] = [:], candidateCounts: [String: Int] = [:]
        for s in reference { for t in s { referenceCounts[t, default: 0] += 1 } }
        for s in candidate { for t in s { candidateCounts[t, default: 0] += 1 } }
        var hits = 0
        for r in reference {
            // The union of the LCS positions of r with each candidate sentence, in order.
            var union = Set<Int>()
            for c in candidate { union.formUnion(Self.lcsPositions(r, c)) }
            for position in union.sorted() {
                let token = r[position]
                if (candidateCounts[token] ?? 0) > 0 && (referenceCounts[token] ?? 0) > 0 {
                    hits += 1
                    candidateCounts[token]! -= 1
                    referenceCounts[token]! -= 1
                }
            }
        }
        return Score(precision: Double(hits) / Double(n), recall: Double(hits) / Double(m))
    }

    static func lcsTable(_ a: [String], _ b: [String]) -> [[Int]] {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 1..<(a.count + 1) {
            for j in 1..<(b.count + 1) {
                table[i][j] = a[i - 1] == b[j - 1] ? table[i - 1][j - 1] + 1 : max(table[i - 1][j], table[i][j - 1])
            }
        }
        return table
    }

    /// The positions in `a` of one longest common subsequence with `b`, chosen as rouge_score's
    /// backtracking chooses (on a tie it moves up in `a`).
    static func lcsPositions(_ a: [String], _ b: [String]) -> [Int] {
        guard !a.isEmpty, !b.isEmpty else { return [] }
        let t = lcsTable(a, b)
        var i = a.count, j = b.count, positions: [Int] = []
        while i > 0 && j > 0 {
            if a[i - 1] == b[j - 1] {
                positions.append(i - 1); i -= 1; j -= 1
            } else if t[i][j - 1] > t[i - 1][j] {
                j -= 1
            } else {
                i -= 1
            }
        }
        return positions.reversed()
    }
}
