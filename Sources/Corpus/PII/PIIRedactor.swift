/// Replaces PII spans with `PI:<TAG>` and counts them per tag (BLOOM's redaction of the OSCAR part).
///
/// ```swift
/// var counts = PIICounts()
/// let out = PIIRedactor.redact("mail me: jane@example.org", counts: &counts)
/// // out == "mail me: PI:EMAIL", counts[.email] == 1
/// ```
public enum PIIRedactor {
    /// Redacts a string (convenience for tests and small inputs).
    public static func redact(_ text: String, counts: inout PIICounts) -> String {
        var out: [UInt32] = []
        guard redact(text.unicodeScalars.map(\.value), into: &out, counts: &counts) else { return text }
        return UTF8Codec.string(out[...])
    }

    /// Redacts scalar values into `out`. Returns false when nothing was found (then `out` is left as it
    /// was and the text is to be used unchanged: no copy on the common path).
    static func redact(_ text: [UInt32], into out: inout [UInt32], counts: inout PIICounts) -> Bool {
        let matches = detect(text)
        guard !matches.isEmpty else { return false }
        out.removeAll(keepingCapacity: true)
        var position = 0
        for match in matches {
            out.append(contentsOf: text[position..<match.start])
            out.append(contentsOf: match.tag.replacement.unicodeScalars.map(\.value))
            counts[match.tag] += 1
            position = match.end
        }
        out.append(contentsOf: text[position...])
        return true
    }

    /// All matches, sorted by start; overlaps resolved in favour of the earlier (then longer) span.
    static func detect(_ text: [UInt32]) -> [PIIMatch] {
        // Cheap pre-check: every pattern needs '@' or a digit (keys of shape 1 need digits/symbols).
        var hasAt = false, hasDigit = false, hasSymbol = false
        for c in text {
            if c == 0x40 { hasAt = true } else if c >= 0x30 && c <= 0x39 { hasDigit = true } else if c == 0x2D || c == 0x2F || c == 0x2B || c == 0x3D || c == 0x3A || c == 0x5F { hasSymbol = true }
        }
        guard hasAt || hasDigit || hasSymbol else { return [] }
        var matches: [PIIMatch] = []
        text.withUnsafeBufferPointer { t in
            if hasAt {
                PIIDetectors.emails(t, into: &matches)
                PIIDetectors.users(t, into: &matches)
            }
            if hasDigit { PIIDetectors.ipAddresses(t, into: &matches) }
            KeyDetector.keys(t, into: &matches)
        }
        guard matches.count > 1 else { return matches }
        matches.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        var kept: [PIIMatch] = []
        for match in matches {
            if let last = kept.last, match.start < last.end { continue }
            kept.append(match)
        }
        return kept
    }
}

/// Redaction counts per tag.
public struct PIICounts: Equatable, Sendable {
    public var values = [Int](repeating: 0, count: PIITag.allCases.count)
    public init() {}
    public subscript(tag: PIITag) -> Int {
        get { values[PIITag.allCases.firstIndex(of: tag)!] }
        set { values[PIITag.allCases.firstIndex(of: tag)!] = newValue }
    }
    public var total: Int { values.reduce(0, +) }
    public static func += (lhs: inout PIICounts, rhs: PIICounts) { for i in lhs.values.indices { lhs.values[i] += rhs.values[i] } }
}
