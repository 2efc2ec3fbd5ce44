import Foundation

/// Writes numbers as text the same way on every machine: C-locale decimal points, no negative zero.
public enum NumberText {
    /// `value` with `decimals` digits after the point (0…12).
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return nonFinite(value) }
        let text = String(format: "%.\(min(max(decimals, 0), 12))f", value)
        return isNegativeZero(text) ? String(text.dropFirst()) : text
    }

    /// An SVG coordinate: one decimal, trailing `.0` dropped.
    static func coordinate(_ value: Double) -> String {
        let text = fixed(value, decimals: 1)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// A table cell's number in its requested format; non-finite values show as an em dash.
    public static func cell(_ value: Double, _ format: ReportNumberFormat) -> String {
        guard value.isFinite else { return "—" }
        let decimals = min(max(format.decimals, 0), 12)
        switch format.style {
        case .fixed: return fixed(value, decimals: decimals)
        case .percent: return fixed(value * 100, decimals: decimals) + "%"
        case .scientific: return scientific(value, decimals: decimals)
        case .grouped: return grouped(value)
        }
    }

    /// `1.25e-4`: mantissa with `decimals` digits, exponent without padding or plus sign.
    static func scientific(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return nonFinite(value) }
        let text = String(format: "%.\(min(max(decimals, 0), 12))e", value)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = String(text[..<e])
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        return (isNegativeZero(mantissa) ? String(mantissa.dropFirst()) : mantissa) + "e\(exponent)"
    }

    /// `1,234,567`: rounded to an integer, thousands separated by commas.
    static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return nonFinite(value) }
        let digits = fixed(abs(value), decimals: 0)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 && digits.contains(where: { $0 != "0" }) ? "-" : "") + out
    }

    /// A duration for a DAG box: `0.42 s`, `12.3 s`, `4m 05s`, `2h 13m`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        if seconds < 10 { return fixed(seconds, decimals: 2) + " s" }
        if seconds < 60 { return fixed(seconds, decimals: 1) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60)m " + twoDigits(whole % 60) + "s" }
        return "\(whole / 3600)h " + twoDigits(whole / 60 % 60) + "m"
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func nonFinite(_ value: Double) -> String { value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }

    private static func isNegativeZero(_ text: String) -> Bool {
        text.hasPrefix("-") && !text.contains(where: { $0.isNumber && $0 != "0" })
    }
}
