/// Writes ``OrderedJSON``s the way Rust's `serde_json` does, so that an exported
/// `tokenizer.json` is byte-for-byte what HF tokenizers' `save` would write: pretty form
/// with two-space indentation and `"key": value`, or compact form without whitespace;
/// strings escape only `"`, `\` and control characters (non-ASCII is written as is).
struct JSONWriter {
    private(set) var output: [UInt8] = []
    let pretty: Bool

    init(pretty: Bool, reserve: Int = 1 << 16) {
        self.pretty = pretty
        output.reserveCapacity(reserve)
    }

    mutating func write(_ value: OrderedJSON, indent: Int = 0) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let text): append(text)
        case .string(let s): writeString(s)
        case .array(let items):
            guard !items.isEmpty else { return append("[]") }
            output.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(item, indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "]"))
        case .object(let pairs):
            guard !pairs.isEmpty else { return append("{}") }
            output.append(UInt8(ascii: "{"))
            for (k, pair) in pairs.enumerated() {
                if k > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                writeString(pair.0)
                append(pretty ? ": " : ":")
                write(pair.1, indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        output.append(0x0A)
        for _ in 0..<(indent * 2) { output.append(0x20) }
    }

    private mutating func append(_ text: String) { output.append(contentsOf: text.utf8) }

    mutating func writeString(_ s: String) {
        output.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case 0x22: append("\\\"")
            case 0x5C: append("\\\\")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                append("\\u00")
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
