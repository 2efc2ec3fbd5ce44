import CanonicalJSON

/// Types an unquoted YAML scalar the way Yams' default (YAML 1.1) resolver does — null, bool,
/// int, float, else string — without a regular expression per scalar, which dominated load time
/// for large manifests.
enum PlainScalar {
    static func value(of text: String) -> JSONValue {
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { return .null }
        switch first {
        case UInt8(ascii: "~"): if bytes.count == 1 { return .null }
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if ["null", "Null", "NULL"].contains(text) { return .null }
            if ["no", "No", "NO"].contains(text) { return .bool(false) }
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "y"), UInt8(ascii: "Y"):
            if ["true", "True", "TRUE", "yes", "Yes", "YES"].contains(text) { return .bool(true) }
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            if ["false", "False", "FALSE"].contains(text) { return .bool(false) }
        case UInt8(ascii: "o"), UInt8(ascii: "O"):
            if ["on", "On", "ON"].contains(text) { return .bool(true) }
            if ["off", "Off", "OFF"].contains(text) { return .bool(false) }
        case UInt8(ascii: "."):
            if [".inf", ".Inf", ".INF"].contains(text) { return .double(.infinity) }
            if [".nan", ".NaN", ".NAN"].contains(text) { return .double(.nan) }
            return number(bytes) ?? .string(text)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if text == "-.inf" || text == "-.Inf" || text == "-.INF" { return .double(-.infinity) }
            if text == "+.inf" { return .double(.infinity) }
            return number(bytes) ?? .string(text)
        default: break
        }
        return .string(text)
    }

    /// Integers (decimal, 0x, 0o, 0b, YAML 1.1 leading-zero octal; `_` separators) and floats.
    private static func number(_ raw: [UInt8]) -> JSONValue? {
        let bytes = raw.filter { $0 != UInt8(ascii: "_") }
        guard !bytes.isEmpty, bytes.count == raw.count || raw.first != UInt8(ascii: "_") else { return nil }
        var sign = 1, i = 0
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { sign = bytes[0] == UInt8(ascii: "-") ? -1 : 1; i = 1 }
        let digits = Array(bytes[i...])
        guard !digits.isEmpty else { return nil }
        func integer(_ d: ArraySlice<UInt8>, radix: Int) -> JSONValue? {
            // `Int(_:radix:)` would also take a sign after the prefix (`-0x-8000…` then overflows `sign * v`).
            guard let first = d.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "+"),
                  let v = Int(String(decoding: d, as: UTF8.self), radix: radix) else { return nil }
            return .int(sign * v)
        }
        if digits.count > 2, digits[0] == UInt8(ascii: "0") {
            switch digits[1] {
            case UInt8(ascii: "x"): return integer(digits[2...], radix: 16)
            case UInt8(ascii: "o"): return integer(digits[2...], radix: 8)
            case UInt8(ascii: "b"): return integer(digits[2...], radix: 2)
            default: break
            }
        }
        let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if digits.allSatisfy(isDigit) {
            if digits.count > 1, digits[0] == UInt8(ascii: "0") { return integer(digits[1...], radix: 8) }
            return integer(digits[...], radix: 10)
        }
        // Floats: digits with at most one '.', an optional exponent; no other characters.
        let allowed = digits.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
        guard allowed, digits.contains(where: isDigit), let d = Double(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return .double(d)
    }
}
