import Foundation

/// Locale-independent number formatting for reports and scripts.
enum Format {
    /// `176247271424` → `176,247,271,424`.
    static func int(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// Fixed decimals, POSIX formatting.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// Scientific notation with 3 significant digits, e.g. `5.25e+23`.
    static func sci(_ value: Double) -> String { String(format: "%.2e", value) }

    /// Bytes as GiB with one decimal.
    static func gib(_ bytes: Int) -> String { fixed(Double(bytes) / 1_073_741_824, 1) }
}
