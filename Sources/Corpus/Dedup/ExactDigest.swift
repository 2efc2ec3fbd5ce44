/// Exact-duplicate keys after the ROOTS catalogue rule (`dedup_document`): the text with every
/// whitespace character, decimal digit and ASCII punctuation character deleted, hashed to 128 bits.
/// Two documents that differ only in spacing, numbering or punctuation share a key.
enum ExactDigest {
    /// Bit b set: ASCII byte b is deleted (controls, space, digits, punctuation, DEL).
    private static let asciiDeleted: (UInt64, UInt64) = {
        var low: UInt64 = 0, high: UInt64 = 0
        for b in 0..<128 {
            let deleted = b <= 0x20 || (0x21...0x40).contains(b) || (0x5B...0x60).contains(b) || (0x7B...0x7F).contains(b)
            if deleted { if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) } }
        }
        return (low, high)
    }()

    static func digest(_ text: [UInt32], buffer: inout [UInt8]) -> Digest128 {
        let tables = ScalarTables.shared
        let (deletedLow, deletedHigh) = asciiDeleted
        // The kept text as UTF-8, written through a raw buffer (at most 4 bytes per scalar); the buffer
        // only grows, so a worker allocates it a few times per run, not once per document.
        if buffer.count < 4 * text.count { buffer = [UInt8](repeating: 0, count: max(4 * text.count, 2 * buffer.count)) }
        let kept: Int = buffer.withUnsafeMutableBufferPointer { out in
            var n = 0
            for s in text {
                if s < 0x80 {
                    let bit = s < 64 ? (deletedLow >> UInt64(s)) : (deletedHigh >> UInt64(s - 64))
                    if bit & 1 == 0 { out[n] = UInt8(s); n += 1 }
                } else {
                    let c = tables.cls(s)
                    if c.contains(.whitespace) || c.contains(.digit) { continue }
                    if s < 0x800 {
                        out[n] = UInt8(0xC0 | (s >> 6)); out[n + 1] = UInt8(0x80 | (s & 0x3F)); n += 2
                    } else if s < 0x10000 {
                        out[n] = UInt8(0xE0 | (s >> 12)); out[n + 1] = UInt8(0x80 | ((s >> 6) & 0x3F)); out[n + 2] = UInt8(0x80 | (s & 0x3F)); n += 3
                    } else {
                        out[n] = UInt8(0xF0 | (s >> 18)); out[n + 1] = UInt8(0x80 | ((s >> 12) & 0x3F))
                        out[n + 2] = UInt8(0x80 | ((s >> 6) & 0x3F)); out[n + 3] = UInt8(0x80 | (s & 0x3F)); n += 4
                    }
                }
            }
            return n
        }
        return buffer.withUnsafeBufferPointer { Digest128(hashing: UnsafeBufferPointer(rebasing: $0[0..<kept])) }
    }
}

/// Keys for line-level decisions: template (boilerplate) lines and lines shared with evaluation sets.
enum LineKey {
    /// Key of a stripped line within one (source, language) dataset, for template counting.
    static func template<C: Collection>(_ line: C, salt: UInt64) -> UInt64 where C.Element == UInt32 {
        var h = salt
        for s in line { h = WordHash.add(h, s) }
        return fmix64(h)
    }

    /// Salt of a (source, language) dataset.
    static func salt(source: String, language: String) -> UInt64 { stableHash(source + "\u{0}" + language) }

    /// Key of a line for evaluation overlap: lowercase, whitespace runs collapsed, trimmed.
    static func normalized<C: Collection>(_ line: C) -> UInt64 where C.Element == UInt32 {
        let tables = ScalarTables.shared
        var h = WordHash.seed
        var pendingSpace = false, started = false
        for s in line {
            if tables.cls(s).contains(.whitespace) { pendingSpace = started; continue }
            if pendingSpace { h = WordHash.add(h, 0x20); pendingSpace = false }
            h = WordHash.add(h, tables.low(s))
            started = true
        }
        return fmix64(h)
    }

    /// The range of `line` without leading and trailing whitespace.
    static func stripped(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Range<Int> {
        let tables = ScalarTables.shared
        var s = range.lowerBound, e = range.upperBound
        while s < e, tables.cls(text[s]).contains(.whitespace) { s += 1 }
        while e > s, tables.cls(text[e - 1]).contains(.whitespace) { e -= 1 }
        return s..<e
    }
}
