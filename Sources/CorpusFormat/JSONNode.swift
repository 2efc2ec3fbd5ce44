import Foundation

/// A JSON value for the small persisted files (headers, manifests, stats, selections) with a
/// canonical serializer: sorted keys, fixed number formatting, so equal values give equal bytes.
public enum JSONNode: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    /// Parses JSON text (objects, arrays, scalars). Throws `FlatJSON.SyntaxError` on malformed input.
    public static func parse(_ data: Data) throws -> JSONNode { try parse([UInt8](data)) }

    /// Parses a UTF-8 byte array.
    public static func parse(_ bytes: [UInt8]) throws -> JSONNode {
        try bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let value = try parseValue(buffer, &i, depth: 0)
            skipSpace(buffer, &i)
            guard i == buffer.count else { throw FlatJSON.SyntaxError(offset: i, reason: "trailing characters") }
            return value
        }
    }

    private static func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 }
    }

    private static func parseValue(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, depth: Int) throws -> JSONNode {
        guard depth < 64 else { throw FlatJSON.SyntaxError(offset: i, reason: "nesting too deep") }
        skipSpace(b, &i)
        guard i < b.count else { throw FlatJSON.SyntaxError(offset: i, reason: "missing value") }
        switch b[i] {
        case 0x7B:
            i += 1
            var members: [String: JSONNode] = [:]
            skipSpace(b, &i)
            if i < b.count, b[i] == 0x7D { i += 1; return .object(members) }
            while true {
                skipSpace(b, &i)
                guard i < b.count, b[i] == 0x22 else { throw FlatJSON.SyntaxError(offset: i, reason: "expected a key") }
                let key = String(decoding: try FlatJSON.readString(b, &i), as: UTF8.self)
                skipSpace(b, &i)
                guard i < b.count, b[i] == 0x3A else { throw FlatJSON.SyntaxError(offset: i, reason: "expected ':'") }
                i += 1
                members[key] = try parseValue(b, &i, depth: depth + 1)
                skipSpace(b, &i)
                guard i < b.count else { throw FlatJSON.SyntaxError(offset: i, reason: "unterminated object") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x7D { i += 1; return .object(members) }
                throw FlatJSON.SyntaxError(offset: i, reason: "expected ',' or '}'")
            }
        case 0x5B:
            i += 1
            var items: [JSONNode] = []
            skipSpace(b, &i)
            if i < b.count, b[i] == 0x5D { i += 1; return .array(items) }
            while true {
                items.append(try parseValue(b, &i, depth: depth + 1))
                skipSpace(b, &i)
                guard i < b.count else { throw FlatJSON.SyntaxError(offset: i, reason: "unterminated array") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x5D { i += 1; return .array(items) }
                throw FlatJSON.SyntaxError(offset: i, reason: "expected ',' or ']'")
            }
        case 0x22:
            return .string(String(decoding: try FlatJSON.readString(b, &i), as: UTF8.self))
        case 0x74: try literal("true", b, &i); return .bool(true)
        case 0x66: try literal("false", b, &i); return .bool(false)
        case 0x6E: try literal("null", b, &i); return .null
        default:
            let start = i
            var isInteger = true
            while i < b.count, (0x30...0x39).contains(b[i]) || b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45 {
                if b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45 { isInteger = false }
                i += 1
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
            if isInteger, let v = Int(text) { return .int(v) }
            guard !text.isEmpty, let d = Double(text) else { throw FlatJSON.SyntaxError(offset: start, reason: "bad value") }
            return .double(d)
        }
    }

    private static func literal(_ word: String, _ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws {
        for byte in word.utf8 {
            guard i < b.count, b[i] == byte else { throw FlatJSON.SyntaxError(offset: i, reason: "bad literal") }
            i += 1
        }
    }

    // MARK: - Accessors

    public subscript(key: String) -> JSONNode? { if case .object(let o) = self { return o[key] }; return nil }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var int: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded(): return Int(d)
        default: return nil
        }
    }
    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSONNode]? { if case .array(let a) = self { return a }; return nil }
    public var object: [String: JSONNode]? { if case .object(let o) = self { return o }; return nil }

    // MARK: - Canonical output

    /// Canonical bytes: sorted keys; `pretty` adds two-space indentation and a trailing newline.
    public func serialized(pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out, pretty: pretty, indent: 0)
        if pretty { out.append(0x0A) }
        return out
    }

    /// Canonical text (see `serialized`).
    public func text(pretty: Bool = false) -> String { String(decoding: serialized(pretty: pretty), as: UTF8.self) }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d): out += Array(Self.format(d).utf8)
        case .string(let s): FlatJSON.appendString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += [0x5B, 0x5D]; return }
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { newline(&out, indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out.append(0x5D)
        case .object(let members):
            if members.isEmpty { out += [0x7B, 0x7D]; return }
            out.append(0x7B)
            for (i, key) in members.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { newline(&out, indent + 1) }
                FlatJSON.appendString(key, to: &out)
                out.append(0x3A)
                if pretty { out.append(0x20) }
                members[key]!.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out.append(0x7D)
        }
    }

    private func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out += [UInt8](repeating: 0x20, count: 2 * indent)
    }

    /// Doubles with up to 6 significant decimals, no exponent for ordinary magnitudes: stable across runs.
    package static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded() && abs(d) < 1e15 { return String(Int(d)) }
        var s = String(format: "%.6f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
