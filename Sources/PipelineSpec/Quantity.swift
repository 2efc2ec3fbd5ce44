import Foundation
import CanonicalJSON

/// Sizes and durations as people write them in manifests. Values are bounded (1 EiB, 3650 days)
/// so that schedulers can add, round and convert them without overflowing; anything that does not
/// read as a size or duration, or is out of bounds, is an error at the value's location.
enum Quantity {
    static let maxBytes: Int64 = 1 << 60
    static let maxSeconds = 3650 * 86_400

    /// `4GB`, `512MB`, `2G`, `1024` (bytes). Binary multiples (1 GB = 2^30 bytes), as Slurm reads them.
    static func bytes(_ node: SourceNode, field: String) throws -> Int64 {
        let notASize = ManifestError.invalidValue(node.location, field: field, reason: "'\(node.json.displayText)' is not a size such as 512MB or 4GB")
        let tooLarge = ManifestError.valueTooLarge(node.location, field: field, value: node.json.displayText, limit: "1 EiB (2^60 bytes)")
        if case .int(let i)? = node.scalar {
            guard i >= 0 else { throw notASize }
            guard Int64(i) <= maxBytes else { throw tooLarge }
            return Int64(i)
        }
        guard var text = node.scalar?.stringValue?.uppercased().replacingOccurrences(of: " ", with: "") else { throw notASize }
        if text.hasSuffix("IB") { text.removeLast(2) } else if text.hasSuffix("B") { text.removeLast() }
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40, "P": 0x1p50, "E": 0x1p60]
        var multiplier = 1.0
        if let last = text.last, let m = units[last] { multiplier = m; text.removeLast() }
        guard let number = decimal(text) else { throw notASize }
        let bytes = number * multiplier
        guard bytes.isFinite, bytes <= Double(maxBytes) else { throw tooLarge }
        return Int64(bytes)
    }

    /// `90s`, `30m`, `2h`, `1d`, `01:30:00` (or `MM:SS`), or a whole number of seconds.
    static func seconds(_ node: SourceNode, field: String) throws -> Int {
        let notADuration = ManifestError.invalidValue(node.location, field: field, reason: "'\(node.json.displayText)' is not a duration such as 90s, 30m, 2h or 01:30:00")
        let tooLarge = ManifestError.valueTooLarge(node.location, field: field, value: node.json.displayText, limit: "3650 days")
        if case .int(let i)? = node.scalar {
            guard i > 0 else { throw notADuration }
            guard i <= maxSeconds else { throw tooLarge }
            return i
        }
        guard let text = node.scalar?.stringValue?.lowercased() else { throw notADuration }
        if text.contains(":") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isDigit) }) else { throw notADuration }
            // Each part is at most `maxSeconds` before it is scaled, so nothing below overflows.
            var total = 0
            for part in parts {
                guard let n = Int(part), n <= maxSeconds else { throw tooLarge }
                total = total * 60 + n
                guard total <= maxSeconds else { throw tooLarge }
            }
            guard total > 0 else { throw notADuration }
            return total
        }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let last = text.last, let unit = units[last], let n = decimal(String(text.dropLast())), n > 0 else { throw notADuration }
        let seconds = (n * unit).rounded(.up)
        guard seconds.isFinite, seconds <= Double(maxSeconds) else { throw tooLarge }
        return Int(seconds)
    }

    /// A plain decimal number (`12`, `1.5`, `2e3`): no sign, no `inf`/`nan`/hex forms that
    /// `Double.init` would also accept. May be infinite when the exponent is huge.
    private static func decimal(_ text: String) -> Double? {
        guard let first = text.utf8.first, isDigit(first) || first == UInt8(ascii: ".") else { return nil }
        let allowed = text.utf8.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        guard allowed, let d = Double(text), !d.isNaN, d >= 0 else { return nil }
        return d
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
