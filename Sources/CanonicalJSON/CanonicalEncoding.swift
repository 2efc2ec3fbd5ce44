/// Canonical JSON: object keys sorted by their UTF-8 bytes, no insignificant whitespace,
/// integers in decimal, doubles in Swift's shortest round-trip form, strings escaped minimally.
/// Two equal values always encode to the same bytes, whatever order their keys were built in;
/// digests of key components rely on this.
extension JSONValue {
    public var canonicalString: String {
        var out = ""
        out.reserveCapacity(64)
        appendCanonical(to: &out)
        return out
    }

    public var canonicalBytes: [UInt8] { Array(canonicalString.utf8) }

    func appendCanonical(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { out += String(Int(d)) + ".0" } else if d.isFinite { out += "\(d)" } else { out += "null" }
        case .string(let s): JSONValue.appendEscaped(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.appendCanonical(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                JSONValue.appendEscaped(key, to: &out)
                out += ":"
                members[key]!.appendCanonical(to: &out)
            }
            out += "}"
        }
    }

    static func appendEscaped(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
