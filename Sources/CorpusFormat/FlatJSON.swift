/// A fast reader and writer for one-line JSON objects whose values are strings, numbers, booleans or
/// null (document records, eval items). Works on UTF-8 bytes; used on the hot path instead of
/// `JSONSerialization`, which costs more than the whole quality-filter pass.
package enum FlatJSON {
    /// A parsed value of a flat object.
    package enum Value {
        case string([UInt8])
        /// An array whose elements are all strings (eval `choices`).
        case strings([[UInt8]])
        case number(Double)
        case bool(Bool)
        case null
    }

    package struct SyntaxError: Error { let offset: Int; let reason: String }

    /// Calls `body` for each member of the object in `line`. Throws on malformed JSON, including nested values.
    package static func parse(_ line: UnsafeBufferPointer<UInt8>, _ body: (String, Value) throws -> Void) throws {
        try parseMembers(line) { key, value in try body(String(decoding: key, as: UTF8.self), value) }
    }

    /// As ``parse(_:_:)``, with each key as its unescaped UTF-8 bytes, valid during the call only (a key
    /// without escapes is handed over in place: no allocation per key on the hot path).
    package static func parseMembers(_ line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Value) throws -> Void) throws {
        var i = 0
        let n = line.count
        func skipSpace() { while i < n, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x0D || line[i] == 0x0A { i += 1 } }
        func fail(_ reason: String) -> SyntaxError { SyntaxError(offset: i, reason: reason) }
        skipSpace()
        guard i < n, line[i] == 0x7B else { throw fail("expected '{'") }
        i += 1
        skipSpace()
        if i < n, line[i] == 0x7D { return }
        while true {
            skipSpace()
            guard i < n, line[i] == 0x22 else { throw fail("expected a key") }
            let keyStart = i + 1, keyEnd = nextSpecial(line, from: keyStart)
            let plainKey = keyEnd < n && line[keyEnd] == 0x22
            var escapedKey: [UInt8] = []
            if plainKey { i = keyEnd + 1 } else { escapedKey = try readString(line, &i) }
            skipSpace()
            guard i < n, line[i] == 0x3A else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            guard i < n else { throw fail("missing value") }
            let value: Value
            switch line[i] {
            case 0x22: value = .string(try readString(line, &i))
            case 0x74: try expectWord("true", line, &i); value = .bool(true)
            case 0x66: try expectWord("false", line, &i); value = .bool(false)
            case 0x6E: try expectWord("null", line, &i); value = .null
            case 0x5B:
                i += 1
                var items: [[UInt8]] = []
                skipSpace()
                if i < n, line[i] == 0x5D { i += 1 } else {
                    while true {
                        skipSpace()
                        guard i < n, line[i] == 0x22 else { throw fail("arrays may only hold strings") }
                        items.append(try readString(line, &i))
                        skipSpace()
                        guard i < n else { throw fail("unterminated array") }
                        if line[i] == 0x2C { i += 1; continue }
                        if line[i] == 0x5D { i += 1; break }
                        throw fail("expected ',' or ']'")
                    }
                }
                value = .strings(items)
            case 0x2D, 0x30...0x39:
                let start = i
                while i < n, (0x30...0x39).contains(line[i]) || line[i] == 0x2D || line[i] == 0x2B || line[i] == 0x2E || line[i] == 0x65 || line[i] == 0x45 { i += 1 }
                guard let d = Double(String(decoding: UnsafeBufferPointer(rebasing: line[start..<i]), as: UTF8.self)) else { throw fail("bad number") }
                value = .number(d)
            default: throw fail("unsupported value (nested objects are not allowed)")
            }
            if plainKey {
                try body(UnsafeBufferPointer(rebasing: line[keyStart..<keyEnd]), value)
            } else {
                try escapedKey.withUnsafeBufferPointer { try body($0, value) }
            }
            skipSpace()
            guard i < n else { throw fail("unterminated object") }
            if line[i] == 0x2C { i += 1; continue }
            if line[i] == 0x7D { i += 1; break }
            throw fail("expected ',' or '}'")
        }
        skipSpace()
        if i != n { throw fail("trailing characters") }
    }

    private static func expectWord(_ word: StaticString, _ line: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws {
        let count = word.utf8CodeUnitCount
        guard i + count <= line.count else { throw SyntaxError(offset: i, reason: "bad literal") }
        let bytes = word.utf8Start
        for k in 0..<count where line[i + k] != bytes[k] { throw SyntaxError(offset: i, reason: "bad literal") }
        i += count
    }

    /// Index of the next `"` or `\\` at or after `from` (or `count`), eight bytes at a time.
    @inline(__always) package static func nextSpecial(_ line: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var i = from
        let n = line.count
        if let base = line.baseAddress {
            let quotes: UInt64 = 0x2222_2222_2222_2222, slashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
            let low: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let a = word ^ quotes, b = word ^ slashes
                // A zero byte in a or b marks a match (the classic "has zero byte" test).
                if ((a &- low) & ~a & high) | ((b &- low) & ~b & high) != 0 { break }
                i += 8
            }
        }
        while i < n, line[i] != 0x22, line[i] != 0x5C { i += 1 }
        return i
    }

    /// Reads a JSON string starting at the opening quote; returns its unescaped UTF-8 bytes.
    package static func readString(_ line: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> [UInt8] {
        i += 1
        let n = line.count
        var runStart = i
        i = nextSpecial(line, from: i)
        guard i < n else { throw SyntaxError(offset: i, reason: "unterminated string") }
        if line[i] == 0x22 {  // no escapes
            let out = Array(UnsafeBufferPointer(rebasing: line[runStart..<i]))
            i += 1
            return out
        }
        var out: [UInt8] = []
        out.reserveCapacity(i - runStart + 64)
        while true {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line[runStart..<i]))
            guard i < n else { break }
            if line[i] == 0x22 { i += 1; return out }
            guard i + 1 < n else { break }
            let e = line[i + 1]
            i += 2
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var code = try hex4(line, &i)
                if (0xD800...0xDBFF).contains(code), i + 1 < n, line[i] == 0x5C, line[i + 1] == 0x75 {
                    i += 2
                    let low = try hex4(line, &i)
                    guard (0xDC00...0xDFFF).contains(low) else { throw SyntaxError(offset: i, reason: "bad surrogate pair") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xD800...0xDFFF).contains(code) {
                    throw SyntaxError(offset: i, reason: "lone surrogate")
                }
                UTF8Codec.append(code, to: &out)
            default: throw SyntaxError(offset: i, reason: "bad escape")
            }
            runStart = i
            i = nextSpecial(line, from: i)
        }
        throw SyntaxError(offset: i, reason: "unterminated string")
    }

    private static func hex4(_ line: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> UInt32 {
        guard i + 4 <= line.count else { throw SyntaxError(offset: i, reason: "short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = line[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw SyntaxError(offset: i, reason: "bad hex digit")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    // MARK: - Writing

    /// Appends `"…"` with JSON escapes; non-ASCII is written as raw UTF-8.
    package static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString(bytes: $0, to: &out) }
    }

    /// Appends already-UTF-8 bytes as a JSON string.
    package static func appendString(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        for b in bytes { appendEscaped(b, to: &out) }
        out.append(0x22)
    }

    /// Appends scalar values as a JSON string (UTF-8 encoded, escaped).
    package static func appendString(scalars: ArraySlice<UInt32>, to out: inout [UInt8]) {
        // The exact encoded length first (the line is kept until its shard is written: no slack), then
        // written through a raw pointer.
        var length = 2
        for v in scalars {
            if v < 0x80 {
                length += v >= 0x20 ? (v == 0x22 || v == 0x5C ? 2 : 1) : (v == 0x0A || v == 0x09 || v == 0x0D ? 2 : 6)
            } else {
                length += v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
            }
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: length))
        let written: Int = out.withUnsafeMutableBufferPointer { buffer in
            var n = start
            buffer[n] = 0x22; n += 1
            scalars.withUnsafeBufferPointer { s in
                for v in s {
                    if v >= 0x20 && v < 0x80 && v != 0x22 && v != 0x5C {
                        buffer[n] = UInt8(v); n += 1
                    } else if v < 0x80 {
                        n += writeEscaped(UInt8(v), to: buffer.baseAddress! + n)
                    } else if v < 0x800 {
                        buffer[n] = UInt8(0xC0 | (v >> 6)); buffer[n + 1] = UInt8(0x80 | (v & 0x3F)); n += 2
                    } else if v < 0x10000 {
                        buffer[n] = UInt8(0xE0 | (v >> 12)); buffer[n + 1] = UInt8(0x80 | ((v >> 6) & 0x3F)); buffer[n + 2] = UInt8(0x80 | (v & 0x3F)); n += 3
                    } else {
                        buffer[n] = UInt8(0xF0 | (v >> 18)); buffer[n + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                        buffer[n + 2] = UInt8(0x80 | ((v >> 6) & 0x3F)); buffer[n + 3] = UInt8(0x80 | (v & 0x3F)); n += 4
                    }
                }
            }
            buffer[n] = 0x22; n += 1
            return n
        }
        assert(written == out.count, "appendString: length \(length) mis-counted")
    }

    /// Writes the JSON escape of an ASCII byte that needs one (quote, backslash, control) to `out`
    /// (room for 6 bytes) and returns its length; the same bytes as ``appendEscaped(_:to:)``.
    @inline(__always) package static func writeEscaped(_ b: UInt8, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = 0x5C
        switch b {
        case 0x22: out[1] = 0x22; return 2
        case 0x5C: out[1] = 0x5C; return 2
        case 0x0A: out[1] = 0x6E; return 2
        case 0x09: out[1] = 0x74; return 2
        case 0x0D: out[1] = 0x72; return 2
        default:
            let digits: StaticString = "0123456789abcdef"
            out[1] = 0x75; out[2] = 0x30; out[3] = 0x30
            out[4] = digits.utf8Start[Int(b >> 4)]; out[5] = digits.utf8Start[Int(b & 15)]
            return 6
        }
    }

    @inline(__always) package static func appendEscaped(_ b: UInt8, to out: inout [UInt8]) {
        guard b < 0x20 || b == 0x22 || b == 0x5C else { out.append(b); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { t in
            out.append(contentsOf: UnsafeBufferPointer(rebasing: t[0..<writeEscaped(b, to: t.baseAddress!)]))
        }
    }

    /// Appends `"key":` (with a leading comma unless `first`).
    package static func appendKey(_ key: String, first: Bool, to out: inout [UInt8]) {
        if !first { out.append(0x2C) }
        appendString(key, to: &out)
        out.append(0x3A)
    }
}
