/// The token stream the perplexity model sees: the analyzer's words (whitespace split, special
/// characters stripped from both ends, lowercased; Han/kana one character per word), after the
/// reference's KenLM normalization: every decimal digit becomes `0` and common Unicode punctuation
/// becomes its ASCII form. Each line of the document is one sentence.
extension TextAnalyzer {
    /// Fills `perplexityWords` with word hashes and `perplexityLineEnds` with the end index (into the
    /// words) of every non-empty line, in order.
    mutating func preparePerplexityTokens() {
        var tokens = perplexityWords, lineEnds = perplexityLineEnds
        perplexityWords = []; perplexityLineEnds = []
        defer { perplexityWords = tokens; perplexityLineEnds = lineEnds }
        tokens.removeAll(keepingCapacity: true)
        lineEnds.removeAll(keepingCapacity: true)
        let tables = ScalarTables.shared
        text.withUnsafeBufferPointer { t in
            lower.withUnsafeBufferPointer { l in
                var gapStart = 0
                for i in 0..<wordStart.count {
                    let s = Int(wordStart[i]), e = Int(wordEnd[i])
                    if !tokens.isEmpty, (lineEnds.last ?? 0) < tokens.count {
                        for k in gapStart..<s where t[k] == 0x0A { lineEnds.append(tokens.count); break }
                    }
                    var h = WordHash.seed
                    for k in s..<e { h = WordHash.add(h, Self.normalized(l[k], tables)) }
                    tokens.append(fmix64(h))
                    gapStart = e
                }
            }
        }
        if (lineEnds.last ?? 0) < tokens.count { lineEnds.append(tokens.count) }
    }

    /// Digits → `0`; typographic quotes, dashes and full-width punctuation → ASCII.
    @inline(__always) static func normalized(_ v: UInt32, _ tables: ScalarTables) -> UInt32 {
        if v < 0x80 { return v >= 0x30 && v <= 0x39 ? 0x30 : v }
        let c = tables.cls(v)
        if c.contains(.digit) { return 0x30 }
        guard c.contains(.punctuation) else { return v }
        switch v {
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x00B4: return 0x27
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x00AB, 0x00BB, 0x2033: return 0x22
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212: return 0x2D
        case 0x2026, 0x3002, 0xFF0E: return 0x2E
        case 0xFF0C, 0x3001, 0x060C: return 0x2C
        case 0xFF01...0xFF5E: return v - 0xFF01 + 0x21
        default: return v
        }
    }
}
