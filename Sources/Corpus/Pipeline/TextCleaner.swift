/// Line- and word-level edits made before the quality filters:
/// 1. template lines (boilerplate repeated ≥ N times in the dataset) and evaluation-overlap lines are deleted;
/// 2. the ROOTS pre-filter normalization: strip, delete non-printing characters, map exotic whitespace
///    to a space, delete "words" containing `http`/`www`/`.com`/`href`/`//` and over-long words
///    (per-language switches), collapse runs of spaces and of blank lines.
///
/// Unlike the reference, which turns every newline into a space, line breaks (and one blank line
/// between paragraphs) are kept: documentation structure is useful training signal.
enum TextCleaner {
    struct LineEdits { var template = 0; var evalOverlap = 0 }

    /// Deletes template and evaluation-overlap lines from `text` into `out`.
    static func removeLines(_ text: [UInt32], into out: inout [UInt32], templateCounts: KeyCounter.View?, templateSalt: UInt64,
                            minLength: Int, minCount: UInt32, evalLines: Set<UInt64>?) -> LineEdits {
        out.removeAll(keepingCapacity: true)
        var edits = LineEdits()
        text.withUnsafeBufferPointer { t in
            var start = 0
            while start <= t.count {
                var end = start
                while end < t.count, t[end] != 0x0A { end += 1 }
                let stripped = LineKey.stripped(t, start..<end)
                var drop = false
                if let templateCounts, stripped.count >= minLength,
                   templateCounts.count(of: LineKey.template(t[stripped], salt: templateSalt)) >= minCount {
                    drop = true; edits.template += 1
                } else if let evalLines, stripped.count >= 20, evalLines.contains(LineKey.normalized(t[stripped])) {
                    drop = true; edits.evalOverlap += 1
                }
                if !drop {
                    out.append(contentsOf: t[start..<end])
                    if end < t.count { out.append(0x0A) }
                }
                start = end + 1
            }
        }
        return edits
    }

    private static let badSubstrings: [[UInt32]] = ["http", "www", ".com", "href", "//"].map { $0.unicodeScalars.map(\.value) }

    /// The pre-filter normalization of `text` into `out`.
    static func normalize(_ text: [UInt32], into out: inout [UInt32], parameters p: QualityParameters) {
        let tables = ScalarTables.shared
        let filterWords = p.removeURLWords || p.maxWordLength != nil
        // Output never exceeds the input: every separator written replaces at least one whitespace.
        // `out` keeps its storage from document to document (filled, written, then cut to length).
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: repeatElement(0, count: text.count + 2))
        let written: Int = out.withUnsafeMutableBufferPointer { buffer in
            var n = 0
            text.withUnsafeBufferPointer { t in
                var atLineStart = true, sawBlank = false
                var i = 0
                while i < t.count {
                    let v = t[i]
                    if v == 0x0A {
                        if !atLineStart { atLineStart = true; sawBlank = false } else if n > 0 { sawBlank = true }
                        i += 1
                        continue
                    }
                    let c = tables.cls(v)
                    if c.contains(.whitespace) || c.contains(.nonPrinting) { i += 1; continue }
                    var end = i + 1
                    var hasNonPrinting = false
                    while end < t.count {
                        let e = t[end]
                        if e == 0x0A { break }
                        let ec = tables.cls(e)
                        if ec.contains(.whitespace) { break }
                        if ec.contains(.nonPrinting) { hasNonPrinting = true }
                        end += 1
                    }
                    if !filterWords || keep(t, i..<end, p, tables) {
                        if n > 0 {
                            if atLineStart { buffer[n] = 0x0A; n += 1; if sawBlank { buffer[n] = 0x0A; n += 1 } } else { buffer[n] = 0x20; n += 1 }
                        }
                        if hasNonPrinting {
                            for k in i..<end where !tables.cls(t[k]).contains(.nonPrinting) { buffer[n] = t[k]; n += 1 }
                        } else {
                            for k in i..<end { buffer[n] = t[k]; n += 1 }
                        }
                        atLineStart = false
                        sawBlank = false
                    }
                    i = end
                }
            }
            return n
        }
        out.removeLast(out.count - written)
    }

    private static func keep(_ word: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ p: QualityParameters, _ tables: ScalarTables) -> Bool {
        var s = range.lowerBound, e = range.upperBound
        while s < e, tables.cls(word[s]).contains(.special) { s += 1 }
        while e > s, tables.cls(word[e - 1]).contains(.special) { e -= 1 }
        if p.removeURLWords {
            for bad in badSubstrings where contains(word, s..<e, bad, tables) { return false }
        }
        if let limit = p.maxWordLength, range.count > limit {
            return e > s && e - s <= limit
        }
        return true
    }

    /// Whether `word[range]`, lowercased, contains `needle` (ASCII), without allocating.
    private static func contains(_ word: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ needle: [UInt32], _ tables: ScalarTables) -> Bool {
        guard needle.count <= range.count else { return false }
        for i in range.lowerBound...(range.upperBound - needle.count) where tables.low(word[i]) == needle[0] {
            var match = true
            for k in 1..<needle.count where tables.low(word[i + k]) != needle[k] { match = false; break }
            if match { return true }
        }
        return false
    }
}
