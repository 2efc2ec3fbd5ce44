/// The PII kinds BLOOM redacted (BigScience `02_pii/bigscience_pii_detect_redact.py`, high-risk tags);
/// `ID` and phone `NUMBER` were disabled there for false positives and are not implemented here.
public enum PIITag: String, CaseIterable, Sendable, Codable {
    case email = "EMAIL"
    case user = "USER"
    case ipAddress = "IP_ADDRESS"
    case key = "KEY"

    /// The replacement text, e.g. `PI:EMAIL`.
    public var replacement: String { "PI:" + rawValue }
}

/// A detected span (scalar offsets, end exclusive).
struct PIIMatch: Equatable {
    var tag: PIITag
    var start: Int
    var end: Int
}

/// Character predicates of the reference regexes, on scalar values.
enum PIIChars {
    @inline(__always) static func isSpace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        return ScalarTables.classOf(c).contains(.whitespace)
    }
    @inline(__always) static func isHan(_ c: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(c) || (0x3400...0x4DBF).contains(c) || (0xF900...0xFAFF).contains(c) || (0x20000...0x2FA1F).contains(c)
    }
    @inline(__always) static func isDigit(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x30 && c <= 0x39 }
        return ScalarTables.classOf(c).contains(.digit)
    }
    @inline(__always) static func isASCIILetter(_ c: UInt32) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func isUpper(_ c: UInt32) -> Bool { c >= 0x41 && c <= 0x5A }
    @inline(__always) static func isHex(_ c: UInt32) -> Bool { (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }
    /// `\p{Pd}`: dash punctuation.
    @inline(__always) static func isDash(_ c: UInt32) -> Bool {
        c == 0x2D || (0x2010...0x2015).contains(c) || c == 0x2E3A || c == 0x2E3B || c == 0x301C || c == 0xFE58 || c == 0xFE63 || c == 0xFF0D
    }
    @inline(__always) static func isOneOf(_ c: UInt32, _ ascii: StaticString) -> Bool {
        guard c < 0x80 else { return false }
        let p = ascii.utf8Start
        for i in 0..<ascii.utf8CodeUnitCount where UInt32(p[i]) == c { return true }
        return false
    }

    /// Left context accepted before a match: start of text, whitespace, Han, or one of `set`.
    @inline(__always) static func leftOK(_ text: UnsafeBufferPointer<UInt32>, _ i: Int, _ set: StaticString) -> Bool {
        if i == 0 { return true }
        let c = text[i - 1]
        return isSpace(c) || isHan(c) || isOneOf(c, set)
    }

    /// Right context accepted after a match: end of text, whitespace, Han, or one of `set`.
    @inline(__always) static func rightOK(_ text: UnsafeBufferPointer<UInt32>, _ i: Int, _ set: StaticString) -> Bool {
        if i >= text.count { return true }
        let c = text[i]
        return isSpace(c) || isHan(c) || isOneOf(c, set)
    }

    /// The reference's date screen (`year_patterns`): yyyy-yyyy, yyyy-mm-dd, dd/mm/yyyy, mm-yyyy, yyyy-mm
    /// (with `-`, `/` or `.` where the reference allows them), anchored at the start of the match.
    static func looksLikeDate<C: Collection>(_ s: C) -> Bool where C.Element == UInt32 {
        let a = Array(s)
        func d(_ i: Int) -> Bool { i < a.count && a[i] >= 0x30 && a[i] <= 0x39 }
        func inRange(_ i: Int, _ lo: UInt32, _ hi: UInt32) -> Bool { i < a.count && a[i] >= lo && a[i] <= hi }
        func sep(_ i: Int, _ chars: StaticString, dash: Bool) -> Bool { i < a.count && (isOneOf(a[i], chars) || (dash && isDash(a[i]))) }
        func end(_ i: Int) -> Bool { i >= a.count || isSpace(a[i]) || isHan(a[i]) || isOneOf(a[i], "@,?!;:'\"(.") }
        func year(_ i: Int) -> Bool { inRange(i, 0x31, 0x32) && d(i + 1) && d(i + 2) && d(i + 3) }
        func twoDigit(_ i: Int) -> Bool { inRange(i, 0x30, 0x33) && d(i + 1) }
        if year(0), sep(4, "/", dash: true), year(5), end(9) { return true }
        if year(0), sep(4, "/.", dash: true), twoDigit(5), sep(7, "/.", dash: true), twoDigit(8), end(10) { return true }
        if twoDigit(0), sep(2, "/.", dash: true), twoDigit(3), sep(5, "/.", dash: true) {
            if year(6), end(10) { return true }
            if d(6), d(7), end(8) { return true }
        }
        if twoDigit(0), sep(2, "/", dash: true) {
            if year(3), end(7) { return true }
            if d(3), d(4), end(5) { return true }
        }
        if year(0), sep(4, "", dash: false) || (4 < a.count && a[4] == 0x2D), twoDigit(5), end(7) { return true }
        return false
    }
}
