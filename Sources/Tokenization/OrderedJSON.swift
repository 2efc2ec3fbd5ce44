/// A parsed JSON value that keeps object key order and numbers' literal text: what reading and
/// writing `tokenizer.json` byte for byte as HF tokenizers does needs (the vocabulary is written in
/// id order, and errors should point at the n-th entry). Everything else uses `CanonicalJSON`.
///
/// A small hand-written parser instead of `JSONSerialization`: it reports the byte offset of
/// a syntax error, never guesses number-vs-bool types, and reads the 10+ MB files of large
/// vocabularies quickly.
indirect enum OrderedJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number, with its literal text (so integers are exact).
    case number(String)
    case string(String)
    case array([OrderedJSON])
    /// Key/value pairs in file order.
    case object([(String, OrderedJSON)])

    static func == (a: OrderedJSON, b: OrderedJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value of `key` in an object (first occurrence), or nil.
    subscript(key: String) -> OrderedJSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// A short name of the kind of value, for error messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Parses UTF-8 JSON text. Throws ``TokenizerFileError/malformedJSON(offset:problem:)``.
    static func parse(_ bytes: [UInt8]) throws -> OrderedJSON {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.atEnd else { throw parser.failure("unexpected text after the JSON value") }
            return value
        }
    }
}

/// Recursive-descent JSON parser over UTF-8 bytes (RFC 8259).
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }

    func failure(_ problem: String) -> TokenizerFileError {
        .malformedJSON(offset: i, problem: problem)
    }

    mutating func skipWhitespace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    mutating func value(depth: Int) throws -> OrderedJSON {
        guard depth < 512 else { throw failure("nesting is too deep") }
        guard i < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character '\(Unicode.Scalar(bytes[i]))'")
        }
    }

    mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard i < bytes.count, bytes[i] == byte else { throw failure("expected '\(word)'") }
            i += 1
        }
    }

    mutating func number() throws -> OrderedJSON {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        let digitsStart = i
        while i < bytes.count, (0x30...0x39).contains(bytes[i]) || [0x2E, 0x65, 0x45, 0x2B, 0x2D].contains(bytes[i]) {
            i += 1
        }
        guard i > digitsStart else { throw failure("malformed number") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard Double(text) != nil else { throw failure("malformed number '\(text)'") }
        return .number(text)
    }

    mutating func string() throws -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if byte < 0x20 { throw failure("control character in string") }
            if byte != UInt8(ascii: "\\") {
                out.append(byte)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { throw failure("unterminated escape") }
            let escape = bytes[i]
            i += 1
            switch escape {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw failure("unpaired surrogate escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate escape") }
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure("unpaired surrogate escape")
                }
                out.append(contentsOf: String(Unicode.Scalar(scalar)!).utf8)
            default:
                throw failure("invalid escape '\\\(Unicode.Scalar(escape))'")
            }
        }
        let text = String(decoding: out, as: UTF8.self)
        guard text.utf8.elementsEqual(out) else { throw failure("string is not valid UTF-8") }
        return text
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[i]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            i += 1
        }
        return value
    }

    mutating func array(depth: Int) throws -> OrderedJSON {
        i += 1
        var items: [OrderedJSON] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard i < bytes.count else { throw failure("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw failure("expected ',' or ']' in array")
        }
    }

    mutating func object(depth: Int) throws -> OrderedJSON {
        i += 1
        var pairs: [(String, OrderedJSON)] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(pairs)
        }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw failure("expected ':' after key") }
            i += 1
            skipWhitespace()
            pairs.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            guard i < bytes.count else { throw failure("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
            throw failure("expected ',' or '}' in object")
        }
    }
}
