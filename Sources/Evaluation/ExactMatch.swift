import Foundation

/// lm-evaluation-harness's `exact_match` (`exact_match_hf_evaluate`, HF evaluate's metric): each
/// regex in `regexesToIgnore` removed from both strings in turn, then optionally lowercased (Python's
/// `str.lower`), stripped of ASCII punctuation (`string.punctuation`) and of ASCII digits; 1 when the
/// strings are then equal code point for code point (Python compares `str` without Unicode
/// normalisation), else 0. Regexes run on `NSRegularExpression` (ICU), which agrees with Python's `re`
/// on the patterns task files use (classes, anchors, `(?s)`, escapes); a pattern it cannot compile is
/// an error naming it. Checked against lm_eval 0.4.9 on fixtures.
public struct ExactMatch: Sendable {
    public var regexesToIgnore: [String]
    public var ignoreCase: Bool
    public var ignorePunctuation: Bool
    public var ignoreNumbers: Bool

    public init(regexesToIgnore: [String] = [], ignoreCase: Bool = false, ignorePunctuation: Bool = false, ignoreNumbers: Bool = false) {
        self.regexesToIgnore = regexesToIgnore; self.ignoreCase = ignoreCase
        self.ignorePunctuation = ignorePunctuation; self.ignoreNumbers = ignoreNumbers
    }

    public struct InvalidRegex: Error, CustomStringConvertible {
        public var pattern: String
        public var description: String { "exact_match: regexes_to_ignore entry '\(pattern)' is not a valid regular expression" }
    }

    /// 1 or 0 for one prediction against its reference.
    public func score(prediction: String, reference: String) throws -> Double {
        var p = prediction, r = reference
        for pattern in regexesToIgnore {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { throw InvalidRegex(pattern: pattern) }
            p = regex.stringByReplacingMatches(in: p, range: NSRange(p.startIndex..., in: p), withTemplate: "")
            r = regex.stringByReplacingMatches(in: r, range: NSRange(r.startIndex..., in: r), withTemplate: "")
        }
        if ignoreCase { p = p.lowercased(); r = r.lowercased() }
        if ignorePunctuation { p = Self.removing(p, CHRF.isPunctuation); r = Self.removing(r, CHRF.isPunctuation) }
        if ignoreNumbers { p = Self.removing(p) { (0x30...0x39).contains($0.value) }; r = Self.removing(r) { (0x30...0x39).contains($0.value) } }
        return p.unicodeScalars.elementsEqual(r.unicodeScalars) ? 1 : 0
    }

    private static func removing(_ s: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: s.unicodeScalars.filter { !drop($0) })
        return String(kept)
    }
}
