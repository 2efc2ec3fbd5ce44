import Foundation
import CanonicalJSON

/// Sizes and durations as people write them in manifests.
enum Quantity {
    /// `4GB`, `512MB`, `2G`, `1024` (bytes). Binary multiples (1 GB = 2^30 bytes), as Slurm reads them.
    static func bytes(_ value: JSONValue) -> Int64? {
        if case .int(let i) = value { return i >= 0 ? Int64(i) : nil }
        guard var text = value.stringValue?.uppercased().replacingOccurrences(of: " ", with: "") else { return nil }
        if text.hasSuffix("IB") { text.removeLast(2) } else if text.hasSuffix("B") { text.removeLast() }
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var multiplier: Int64 = 1
        if let last = text.last, let m = units[last] { multiplier = m; text.removeLast() }
        guard let number = Double(text), number >= 0 else { return nil }
        return Int64(number * Double(multiplier))
    }

    /// `90s`, `30m`, `2h`, `1d`, `01:30:00`, or a number of seconds.
    static func seconds(_ value: JSONValue) -> Int? {
        if case .int(let i) = value { return i > 0 ? i : nil }
        guard let text = value.stringValue?.lowercased() else { return nil }
        if text.contains(":") {
            let parts = text.split(separator: ":").map { Int($0) }
            guard parts.allSatisfy({ $0 != nil }), (2...3).contains(parts.count) else { return nil }
            return parts.reduce(0) { $0 * 60 + $1! }
        }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let last = text.last, let unit = units[last], let n = Double(text.dropLast()), n > 0 else { return nil }
        return Int(n * Double(unit))
    }
}
