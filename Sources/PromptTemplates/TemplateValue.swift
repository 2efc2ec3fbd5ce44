import Foundation

/// A value a template computes with: Python's types as Jinja sees them (documents are JSON).
public indirect enum TemplateValue: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([TemplateValue])
    case dict([String: TemplateValue])

    /// Python truthiness: empty strings, lists and dicts, zero, `None` and `False` are false.
    public var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        }
    }

    /// Python's `==` (1 == 1.0 == True; lists and dicts element-wise).
    public func pythonEquals(_ other: TemplateValue) -> Bool { TemplateOperators.equal(self, other) }

    /// Python's type name, for error messages.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .dict: return "dict"
        }
    }

    /// `str(value)`: what `{{ value }}` prints.
    public var pythonString: String {
        switch self {
        case .string(let s): return s
        default: return pythonRepr
        }
    }

    /// `repr(value)`: strings quoted as Python quotes them; dict keys in sorted order (documents
    /// read from JSON have no other order here).
    public var pythonRepr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return Self.pythonFloat(d)
        case .string(let s): return Self.quoted(s)
        case .list(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .dict(let members):
            return "{" + members.keys.sorted().map { Self.quoted($0) + ": " + members[$0]!.pythonRepr }.joined(separator: ", ") + "}"
        }
    }

    /// Python's float repr: shortest round-trip digits, `1e-05` / `1e+16` outside [1e-4, 1e16), `.0` on integers.
    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let magnitude = abs(d)
        if magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e16) {
            // Swift's description already writes 1e-05 / 1e+16 for these.
            var text = "\(d)"
            if let e = text.firstIndex(of: "e"), !text[..<e].contains(".") { return text }
            if let e = text.firstIndex(of: "e"), text[..<e].hasSuffix(".0") { text.removeSubrange(text.index(e, offsetBy: -2)..<e) }
            return text
        }
        if d == d.rounded(), magnitude < 1e16 { return String(format: "%.1f", d) }
        return "\(d)"
    }

    /// A string literal as Python's `repr` writes it.
    public static func quoted(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote { out += "\\" + String(quote) }
                else if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\x%02x", scalar.value) }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + String(quote)
    }
}

import CanonicalJSON

extension TemplateValue {
    /// A document read from JSON (numbers keep JSON's int / float distinction).
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .list(a.map(TemplateValue.init))
        case .object(let o): self = .dict(o.mapValues(TemplateValue.init))
        }
    }
}
