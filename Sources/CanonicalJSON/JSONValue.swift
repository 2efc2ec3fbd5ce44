import Foundation

/// A JSON value: the common currency of params, stage configs, metrics and key components.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The value at a dotted path (`a.b.c`), if every step is an object member.
    public subscript(path path: [String]) -> JSONValue? {
        var current: JSONValue = self
        for component in path {
            guard case .object(let members) = current, let next = members[component] else { return nil }
            current = next
        }
        return current
    }

    /// Returns a copy with the value at `path` replaced (objects are created along the way).
    public func setting(_ value: JSONValue, at path: ArraySlice<String>) -> JSONValue {
        guard let head = path.first else { return value }
        var members: [String: JSONValue] = [:]
        if case .object(let existing) = self { members = existing }
        members[head] = (members[head] ?? .object([:])).setting(value, at: path.dropFirst())
        return .object(members)
    }

    /// A short human rendering: strings bare, everything else as canonical JSON.
    public var displayText: String {
        if case .string(let s) = self { return s }
        return canonicalString
    }

    /// An object's member, or nil (not an object, or no such member).
    public subscript(key: String) -> JSONValue? { if case .object(let o) = self { return o[key] }; return nil }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var intValue: Int? { if case .int(let i) = self { return i }; return nil }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }

    /// The JSON type name, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "list"
        case .object: return "mapping"
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let b = try? container.decode(Bool.self) { self = .bool(b); return }
        if let i = try? container.decode(Int.self) { self = .int(i); return }
        if let d = try? container.decode(Double.self) { self = .double(d); return }
        if let s = try? container.decode(String.self) { self = .string(s); return }
        if let a = try? container.decode([JSONValue].self) { self = .array(a); return }
        self = .object(try container.decode([String: JSONValue].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// Parses JSON text.
    public static func parse(_ data: Data) throws -> JSONValue {
        var parser = JSONParser([UInt8](data))
        return try parser.parseDocument()
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var parser = JSONParser(bytes)
        return try parser.parseDocument()
    }

    public static func parse(_ text: String) throws -> JSONValue {
        var parser = JSONParser(Array(text.utf8))
        return try parser.parseDocument()
    }
}
