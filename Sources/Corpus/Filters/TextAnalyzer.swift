/// Computes the ROOTS quality indicators of one document. Holds reusable scratch buffers, so each
/// worker thread owns one analyzer and calls `load` per document.
///
/// Words follow the reference's `get_words_from_document`: split on whitespace, strip special
/// characters from both ends, lowercase, drop empties. For Chinese and Japanese (which the reference
/// segments with SentencePiece) every Han/kana character is a word of its own.
struct TextAnalyzer {
    /// The document (as loaded) and its lowercase.
    private(set) var text: [UInt32] = []
    private(set) var lower: [UInt32] = []
    /// Word spans into `lower`, and each word's hash.
    private(set) var wordStart: [Int32] = []
    private(set) var wordEnd: [Int32] = []
    private(set) var wordHash: [UInt64] = []
    private var table = CountTable()
    private var repeated: [UInt32] = []
    /// Special characters counted during `load`.
    private(set) var specialCount = 0
    /// Lowercase letters with every other run as one space: the language-ID input, built during `load`.
    private(set) var letters: [UInt32] = []
    /// The perplexity model's tokens and the end of each line in them (filled by `preparePerplexityTokens`).
    var perplexityWords: [UInt64] = []
    var perplexityLineEnds: [Int] = []

    var wordCount: Int { wordHash.count }

    /// Frees the n-gram table (the owning worker calls this once).
    func release() { table.release() }

    /// Loads a document and tokenizes it into words.
    mutating func load(_ scalars: [UInt32], unsegmented: Bool) {
        let tables = ScalarTables.shared
        text = scalars
        lower.removeAll(keepingCapacity: true)
        lower.append(contentsOf: repeatElement(0, count: scalars.count))
        wordStart.removeAll(keepingCapacity: true)
        wordEnd.removeAll(keepingCapacity: true)
        wordHash.removeAll(keepingCapacity: true)
        var starts = wordStart, ends = wordEnd, hashes = wordHash
        wordStart = []; wordEnd = []; wordHash = []
        var special = 0
        // `letters` keeps its storage from document to document (filled, written, then cut to length).
        var mappedLetters = letters
        letters = []
        mappedLetters.removeAll(keepingCapacity: true)
        mappedLetters.append(contentsOf: repeatElement(0, count: scalars.count + 2))
        let mappedCount: Int = mappedLetters.withUnsafeMutableBufferPointer { mapped in
            mapped[0] = 0x20
            var m = 1
            scalars.withUnsafeBufferPointer { t in
                lower.withUnsafeMutableBufferPointer { l in
                    var start = -1
                    @inline(__always) func addWord(_ start: Int, _ end: Int) {
                        var s = start, e = end
                        while s < e, tables.cls(l[s]).contains(.special) { s += 1 }
                        while e > s, tables.cls(l[e - 1]).contains(.special) { e -= 1 }
                        guard s < e else { return }
                        var h = WordHash.seed
                        for i in s..<e { h = WordHash.add(h, l[i]) }
                        starts.append(Int32(s)); ends.append(Int32(e)); hashes.append(fmix64(h))
                    }
                    for i in 0..<t.count {
                        let v = t[i]
                        let c = tables.cls(v)
                        let lv = tables.low(v)
                        l[i] = lv
                        if c.contains(.letter) {
                            mapped[m] = lv; m += 1
                        } else if mapped[m - 1] != 0x20 {
                            mapped[m] = 0x20; m += 1
                        }
                        if c.contains(.special) { special += 1 }
                        if c.contains(.whitespace) {
                            if start >= 0 { addWord(start, i) }
                            start = -1
                        } else if unsegmented && c.contains(.cjk) {
                            if start >= 0 { addWord(start, i) }
                            addWord(i, i + 1)
                            start = -1
                        } else if start < 0 {
                            start = i
                        }
                    }
                    if start >= 0 { addWord(start, t.count) }
                }
            }
            if mapped[m - 1] != 0x20 { mapped[m] = 0x20; m += 1 }
            return m
        }
        mappedLetters.removeLast(mappedLetters.count - mappedCount)
        letters = mappedLetters
        specialCount = special
        wordStart = starts; wordEnd = ends; wordHash = hashes
    }

    /// Share of all character n-grams taken by the most repeated ones: the top ⌊√distinct⌋ n-grams
    /// (at most as many as occur more than once), over all n-grams (reference: `compute_character_repetition_ratio`).
    mutating func characterRepetition(n: Int) -> Double {
        let count = text.count - n + 1
        guard count > 0 else { return 0 }
        table.reset(expected: count)
        let base: UInt64 = 0x100_0000_01b3
        var power: UInt64 = 1
        for _ in 0..<n { power = power &* base }
        let text = self.text
        var table = self.table
        defer { self.table = table }
        text.withUnsafeBufferPointer { t in
            var h: UInt64 = 0
            for i in 0..<t.count {
                h = h &* base &+ UInt64(t[i]) &+ 1
                if i >= n { h = h &- (UInt64(t[i - n]) &+ 1) &* power }
                // A cheap bijective mix (multiply by an odd constant, fold the high half down): the same
                // distinct n-grams as fmix64, so the same counts.
                if i >= n - 1 { let m = h &* 0x9E37_79B9_7F4A_7C15; table.add(m ^ (m >> 29)) }
            }
        }
        repeated.removeAll(keepingCapacity: true)
        var list = repeated
        repeated = []
        table.forEachCount { if $0 > 1 { list.append($0) } }
        let k = min(Int(Double(table.distinct).squareRoot()), list.count)
        var top = 0
        if k > 0 {
            list.sort(by: >)
            for i in 0..<k { top += Int(list[i]) }
        }
        repeated = list
        return Double(top) / Double(count)
    }

    /// Share of word n-grams that occur more than once (reference: `compute_word_repetition_ratio`).
    mutating func wordRepetition(n: Int) -> Double {
        let count = wordHash.count - n + 1
        guard count > 0 else { return 0 }
        table.reset(expected: count)
        let wordHash = self.wordHash
        var table = self.table
        defer { self.table = table }
        wordHash.withUnsafeBufferPointer { w in
            for i in 0..<count {
                var h: UInt64 = 0
                for k in 0..<n { h = (h &* 0x100_0000_01b3) ^ w[i + k] }
                table.add(fmix64(h))
            }
        }
        var repeatedTotal = 0
        table.forEachCount { if $0 > 1 { repeatedTotal += Int($0) } }
        return Double(repeatedTotal) / Double(count)
    }

    /// Share of characters that are special (punctuation, symbols, digits, whitespace, emoji).
    func specialCharacters() -> Double {
        text.isEmpty ? 0 : Double(specialCount) / Double(text.count)
    }

    /// Share of words (plus joined word n-grams, `augmentation`) found in `list`, capped at 1
    /// (reference: `compute_stopwords_ratio` / `compute_flagged_words_ratio`).
    func listRatio(_ list: WordSet, augmentation: [Int], joiner: String) -> Double {
        guard !wordHash.isEmpty else { return 0 }
        var hits = 0
        for h in wordHash where list.contains(h) { hits += 1 }
        let join = joiner.unicodeScalars.map(\.value)
        for size in augmentation where wordHash.count >= size {
            for i in 0...(wordHash.count - size) {
                var h = WordHash.seed
                for k in 0..<size {
                    if k > 0 { for j in join { h = WordHash.add(h, j) } }
                    for p in Int(wordStart[i + k])..<Int(wordEnd[i + k]) { h = WordHash.add(h, lower[p]) }
                }
                if list.contains(fmix64(h)) { hits += 1 }
            }
        }
        return min(1, Double(hits) / Double(wordHash.count))
    }
}
