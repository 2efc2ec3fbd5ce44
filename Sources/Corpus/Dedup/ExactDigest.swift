/// Exact-duplicate keys after the ROOTS catalogue rule (`dedup_document`): the text with every
/// whitespace character, decimal digit and ASCII punctuation character deleted, hashed to 128 bits.
/// Two documents that differ only in spacing, numbering or punctuation share a key.
enum ExactDigest {
    static func digest(_ text: [UInt32], buffer: inout [UInt8]) -> Digest128 {
        let tables = ScalarTables.shared
        buffer.removeAll(keepingCapacity: true)
        for s in text {
            if s < 0x80 {
                let b = UInt8(s)
                if b <= 0x20 || (b >= 0x30 && b <= 0x39) || (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40)
                    || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E) || b == 0x7F { continue }
                buffer.append(b)
            } else {
                let c = tables.cls(s)
                if c.contains(.whitespace) || c.contains(.digit) { continue }
                UTF8Codec.append(s, to: &buffer)
            }
        }
        return buffer.withUnsafeBufferPointer { Digest128(hashing: $0) }
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
