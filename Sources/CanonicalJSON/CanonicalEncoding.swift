/// Canonical JSON: object keys sorted by their UTF-8 bytes, no insignificant whitespace,
/// integers in decimal, doubles in Swift's shortest round-trip form (whole ones as `N.0`),
/// strings with only `"`, `\` and control characters escaped. Two equal values always encode to
/// the same bytes, whatever order their keys were built in; digests of key components rely on this.
extension JSONValue {
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendCanonical(to: &out)
        return out
    }

    public var canonicalString: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// The canonical form laid out for people (files such as `stats.json`): the same values and key
    /// order, two-space indentation, `": "` after keys, a final newline.
    public var prettyBytes: [UInt8] {
        var out: [UInt8] = []
        appendCanonical(to: &out, indent: 0)
        out.append(0x0A)
        return out
    }

    public var prettyText: String { String(decoding: prettyBytes, as: UTF8.self) }

    /// `indent`: nil for the compact form, else the current depth of the pretty form.
    func appendCanonical(to out: inout [UInt8], indent: Int? = nil) {
        func newline(_ depth: Int) {
            guard indent != nil else { return }
            out.append(0x0A)
            out += repeatElement(UInt8(ascii: " "), count: 2 * depth)
        }
        let inner = indent.map { $0 + 1 }
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { out += (String(Int(d)) + ".0").utf8 } else if d.isFinite { out += "\(d)".utf8 } else { out += "null".utf8 }
        case .string(let s): JSONValue.appendEscaped(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let inner { newline(inner) }
                item.appendCanonical(to: &out, indent: inner)
            }
            if let indent, !items.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let inner { newline(inner) }
                JSONValue.appendEscaped(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                members[key]!.appendCanonical(to: &out, indent: inner)
            }
            if let indent, !keys.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
