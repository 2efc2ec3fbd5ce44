import Foundation

/// A word trigram language model with interpolated modified Kneser-Ney smoothing (Chen & Goodman
/// 1998; the estimator KenLM's `lmplz` uses), trained in process. Stands in for the per-language
/// KenLM models of the ROOTS perplexity filter.
///
/// Tokens are 64-bit word hashes (see `PerplexityTokens`); each line is a sentence, scored from two
/// `<s>` and ending with `</s>`. Per order n the three discounts D1, D2, D3+ come from the
/// count-of-counts; lower orders use continuation counts (except n-grams right after `<s>`, which
/// keep raw counts as in KenLM); the unigram distribution is interpolated with a uniform one over
/// the vocabulary plus one unknown word, so every word has a non-zero probability.
///
/// ```swift
/// var counts = NGramCounts()
/// counts.addSentence([h("the"), h("cat"), h("sat")])
/// let model = counts.build()
/// model.logProbability(sentence: [h("the"), h("cat")])   // natural log, includes </s>
/// ```
public struct NGramLanguageModel: Sendable {
    /// Per word: its interpolated unigram probability, and the back-off weight of the word as a bigram context.
    struct Unigram { var probability: Float; var gamma: Float }
    /// Per bigram: its discounted bigram term, and the back-off weight of the bigram as a trigram context.
    struct Bigram { var term: Float; var gamma: Float }

    static let sentenceStart: UInt64 = 0x5354_4152_545f_5f73  // "<s>"
    static let sentenceEnd: UInt64 = 0x454e_445f_5f5f_2f73    // "</s>"

    let unigrams: HashedTable<Unigram>
    let bigrams: HashedTable<Bigram>
    let trigrams: HashedTable<Float>
    /// Probability of a word never seen in training.
    let unknownProbability: Float
    /// Distinct words seen (including `</s>`), and training tokens.
    public let vocabulary: Int
    public let trainingTokens: Int
    /// Discounts (D1, D2, D3+) per order 1…3.
    public let discounts: [[Double]]

    @inline(__always) static func bigramKey(_ a: UInt64, _ b: UInt64) -> UInt64 { fmix64((a &* 0x9E37_79B9_7F4A_7C15) ^ b ^ 0x2B) }
    @inline(__always) static func trigramKey(_ context: UInt64, _ c: UInt64) -> UInt64 { fmix64((context &* 0xC2B2_AE3D_27D4_EB4F) ^ c ^ 0x3C) }

    /// P(w | u v), as `score` computes it (for tests and inspection).
    func probability(_ w: UInt64, after u: UInt64, _ v: UInt64) -> Double {
        let unigram = unigrams.value(w)
        let p1 = unigram.probability > 0 ? unigram.probability : unknownProbability
        let p2 = bigrams.value(Self.bigramKey(v, w)).term + unigrams.value(v).gamma * p1
        let context = Self.bigramKey(u, v)
        return Double(trigrams.value(Self.trigramKey(context, w)) + bigrams.value(context).gamma * p2)
    }

    /// Natural-log probability of one sentence (its words, then `</s>`).
    public func logProbability(sentence: [UInt64]) -> Double {
        sentence.withUnsafeBufferPointer { score($0).logProbability }
    }

    /// Sum of natural-log probabilities of `words` followed by `</s>`, and the number of predictions (words + 1).
    func score(_ words: UnsafeBufferPointer<UInt64>) -> (logProbability: Double, predictions: Int) {
        let start = Self.sentenceStart
        var contextKey = Self.bigramKey(start, start)          // (u, v) as a bigram key
        var gamma3 = bigrams.value(contextKey).gamma           // back-off weight of (u, v)
        var gamma2 = unigrams.value(start).gamma               // back-off weight of v
        var previous = start
        var total = 0.0
        // Probabilities are multiplied and the logarithm taken when the product gets small (not per word).
        var product = 1.0
        for i in 0...words.count {
            let w = i < words.count ? words[i] : Self.sentenceEnd
            let unigram = unigrams.value(w)
            let p1 = unigram.probability > 0 ? unigram.probability : unknownProbability
            let bigramKey = Self.bigramKey(previous, w)
            let bigram = bigrams.value(bigramKey)
            let p2 = bigram.term + gamma2 * p1
            let p3 = trigrams.value(Self.trigramKey(contextKey, w)) + gamma3 * p2
            product *= Double(max(p3, 1e-30))
            if product < 1e-250 { total += log(product); product = 1 }
            contextKey = bigramKey
            gamma3 = bigram.gamma
            gamma2 = unigram.gamma
            previous = w
        }
        return (total + log(product), words.count + 1)
    }

    /// Perplexity of a document given as words and line ends (see `TextAnalyzer.preparePerplexityTokens`).
    func perplexity(words: [UInt64], lineEnds: [Int]) -> Double {
        var total = 0.0, predictions = 0, start = 0
        words.withUnsafeBufferPointer { w in
            for end in lineEnds {
                let s = score(UnsafeBufferPointer(rebasing: w[start..<end]))
                total += s.logProbability
                predictions += s.predictions
                start = end
            }
        }
        return predictions == 0 ? 1 : exp(-total / Double(predictions))
    }

    /// Perplexity per the ROOTS formula: exp(−Σ ln P / Σ (words + 1)) over lines (same value as the
    /// reference's base-10 form).
    public func perplexity(lines: [[UInt64]]) -> Double {
        var total = 0.0, predictions = 0
        for line in lines {
            let s = line.withUnsafeBufferPointer { score($0) }
            total += s.logProbability
            predictions += s.predictions
        }
        return predictions == 0 ? 1 : exp(-total / Double(predictions))
    }
}

/// Counts for training an `NGramLanguageModel`: feed sentences, then `build()`.
public struct NGramCounts {
    /// One n-gram occurrence record: raw count (order 3) or adjusted count (order 2), with the keys of
    /// its context and of its suffix (the (n−1)-gram it ends with).
    struct Gram { var count: UInt32 = 0; var context: UInt64 = 0; var suffix: UInt64 = 0 }
    private var trigrams = HashedTable<Gram>(capacity: 1 << 12, empty: Gram())
    private var bigrams = HashedTable<Gram>(capacity: 1 << 12, empty: Gram())
    /// Continuation counts of words: distinct left neighbours.
    private var unigrams = HashedTable<UInt32>(capacity: 1 << 12, empty: 0)
    public private(set) var tokens = 0

    public init() {}

    /// Adds one sentence (a line's word hashes, without boundary markers).
    public mutating func addSentence(_ words: [UInt64]) {
        words.withUnsafeBufferPointer { add($0) }
    }

    mutating func add(_ words: UnsafeBufferPointer<UInt64>) {
        let start = NGramLanguageModel.sentenceStart
        var u = start, v = start
        for i in 0...words.count {
            let w = i < words.count ? words[i] : NGramLanguageModel.sentenceEnd
            let context = NGramLanguageModel.bigramKey(u, v)
            let suffix = NGramLanguageModel.bigramKey(v, w)
            var isNew = false
            trigrams.update(NGramLanguageModel.trigramKey(context, w)) { g in
                if g.count == 0 { isNew = true; g.context = context; g.suffix = suffix }
                g.count += 1
            }
            // Order 2 counts distinct left extensions, except right after <s> (nothing can precede it).
            if isNew || v == start {
                var bigramIsNew = false
                bigrams.update(suffix) { g in
                    if g.count == 0 { bigramIsNew = true; g.context = v; g.suffix = w }
                    g.count += 1
                }
                if bigramIsNew { unigrams.update(w) { $0 += 1 } }
            }
            u = v; v = w
        }
        tokens += words.count + 1
    }

    /// Modified Kneser-Ney discounts from count-of-counts n1…n4 (Chen & Goodman), kept in a sane range.
    static func discounts(_ n: [Int]) -> [Double] {
        let fallback = [0.5, 1.0, 1.5]
        guard n[0] > 0, n[1] > 0, n[2] > 0, n[3] > 0 else { return fallback }
        let y = Double(n[0]) / Double(n[0] + 2 * n[1])
        let d = [1 - 2 * y * Double(n[1]) / Double(n[0]), 2 - 3 * y * Double(n[2]) / Double(n[1]), 3 - 4 * y * Double(n[3]) / Double(n[2])]
        return zip(d, fallback).enumerated().map { k, pair in pair.0 > 0.05 && pair.0 <= Double(k + 1) ? pair.0 : pair.1 }
    }

    @inline(__always) static func discount(_ count: UInt32, _ d: [Double]) -> Double {
        count == 0 ? 0 : d[min(Int(count), 3) - 1]
    }

    /// Context statistics: Σ counts and the number of continuations with count 1, 2 and 3+.
    struct ContextStats { var total: UInt32 = 0; var n1: UInt32 = 0; var n2: UInt32 = 0; var n3: UInt32 = 0
        mutating func add(_ c: UInt32) { total += c; if c == 1 { n1 += 1 } else if c == 2 { n2 += 1 } else { n3 += 1 } }
        func gamma(_ d: [Double]) -> Double { total == 0 ? 1 : (d[0] * Double(n1) + d[1] * Double(n2) + d[2] * Double(n3)) / Double(total) }
    }

    static func countOfCounts<V>(_ table: HashedTable<V>, _ count: (V) -> UInt32) -> [Int] {
        var n = [0, 0, 0, 0]
        table.forEach { _, v in let c = Int(count(v)); if c >= 1 && c <= 4 { n[c - 1] += 1 } }
        return n
    }

    /// Estimates the model.
    public func build() -> NGramLanguageModel {
        let d3 = Self.discounts(Self.countOfCounts(trigrams) { $0.count })
        let d2 = Self.discounts(Self.countOfCounts(bigrams) { $0.count })
        let d1 = Self.discounts(Self.countOfCounts(unigrams) { $0 })

        // Unigrams: interpolated with the uniform distribution over the vocabulary and one unknown word.
        var all = ContextStats()
        unigrams.forEach { _, c in all.add(c) }
        let vocabulary = unigrams.count
        let gamma1 = all.gamma(d1)
        let uniform = gamma1 / Double(vocabulary + 1)
        var context2 = HashedTable<ContextStats>(capacity: unigrams.count, empty: ContextStats())
        bigrams.forEach { _, g in context2.update(g.context) { $0.add(g.count) } }
        var context3 = HashedTable<ContextStats>(capacity: bigrams.count, empty: ContextStats())
        trigrams.forEach { _, g in context3.update(g.context) { $0.add(g.count) } }

        var unigramTable = HashedTable<NGramLanguageModel.Unigram>(capacity: unigrams.count + 1, empty: .init(probability: 0, gamma: 1))
        unigrams.forEach { w, c in
            let p = all.total == 0 ? 0 : max(Double(c) - Self.discount(c, d1), 0) / Double(all.total) + uniform
            unigramTable.update(w) { $0 = .init(probability: Float(p), gamma: Float(context2.value(w).gamma(d2))) }
        }
        let start = NGramLanguageModel.sentenceStart
        unigramTable.update(start) { $0 = .init(probability: 0, gamma: Float(context2.value(start).gamma(d2))) }

        var bigramTable = HashedTable<NGramLanguageModel.Bigram>(capacity: bigrams.count + 1, empty: .init(term: 0, gamma: 1))
        bigrams.forEach { key, g in
            let total = context2.value(g.context).total
            let term = total == 0 ? 0 : max(Double(g.count) - Self.discount(g.count, d2), 0) / Double(total)
            bigramTable.update(key) { $0 = .init(term: Float(term), gamma: Float(context3.value(key).gamma(d3))) }
        }
        let startContext = NGramLanguageModel.bigramKey(start, start)
        bigramTable.update(startContext) { $0 = .init(term: 0, gamma: Float(context3.value(startContext).gamma(d3))) }

        var trigramTable = HashedTable<Float>(capacity: trigrams.count, empty: 0)
        trigrams.forEach { key, g in
            let total = context3.value(g.context).total
            trigramTable.update(key) { $0 = Float(max(Double(g.count) - Self.discount(g.count, d3), 0) / Double(total)) }
        }
        return NGramLanguageModel(unigrams: unigramTable, bigrams: bigramTable, trigrams: trigramTable,
                                  unknownProbability: Float(uniform), vocabulary: vocabulary, trainingTokens: tokens,
                                  discounts: [d1, d2, d3])
    }
}
