/// GPT-2's reversible byte ↔ unicode mapping, as used by HF tokenizers' `ByteLevel`
/// pre-tokenizer and decoder.
///
/// Every byte is written as one printable unicode scalar so that vocabulary entries are
/// strings: bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves; the other 68 bytes
/// (controls, space, DEL, NBSP, soft hyphen) are shifted to U+0100…U+0143 in byte order.
/// Origin: `bytes_to_unicode` in openai/gpt-2 `src/encoder.py` (line 9), mirrored by
/// HF tokenizers `pre_tokenizers/byte_level.rs` (`bytes_char`).
///
/// ```swift
/// ByteLevel.string(for: Array(" hi".utf8))   // "Ġhi"
/// ByteLevel.bytes(for: "Ġhi")                 // [0x20, 0x68, 0x69]
/// ```
public enum ByteLevel {
    /// `scalars[b]` is the unicode scalar that represents byte `b`.
    public static let scalars: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var shifted: UInt32 = 0
        for byte in 0..<256 {
            if isPrintable(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = 256 + shifted
                shifted += 1
            }
        }
        return table
    }()

    /// The 256 bytes in the order HF's `BpeTrainer` gives them ids: sorted by the
    /// code point of their representing scalar (`compute_alphabet` sorts by `char as u32`).
    /// So `!` (0x21) comes first and the soft hyphen (0xAD, shown as `Ń`) last.
    public static let alphabetOrder: [UInt8] = {
        (0..<256).map { UInt8($0) }.sorted { scalars[Int($0)] < scalars[Int($1)] }
    }()

    /// The inverse table: scalar value → byte. Scalars above U+0143 never represent a byte.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for byte in 0..<256 { table[Int(scalars[byte])] = Int16(byte) }
        return table
    }()

    /// The byte-level string of `bytes`: one scalar per byte.
    public static func string<C: Collection>(for bytes: C) -> String where C.Element == UInt8 {
        var result = String.UnicodeScalarView()
        for byte in bytes { result.append(Unicode.Scalar(scalars[Int(byte)])!) }
        return String(result)
    }

    /// The bytes a byte-level string stands for, or `nil` when some character is not one of
    /// the 256 byte scalars (such a string is not a byte-level piece).
    public static func bytes(for string: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(string.unicodeScalars.count)
        for scalar in string.unicodeScalars {
            guard scalar.value < 0x144 else { return nil }
            let byte = byteForScalar[Int(scalar.value)]
            guard byte >= 0 else { return nil }
            result.append(UInt8(byte))
        }
        return result
    }

    /// The bytes HF's `ByteLevel` decoder produces for one token string: the byte-level
    /// decoding when every character is a byte scalar, otherwise the string's own UTF-8
    /// (this is how special tokens such as `<s>` decode).
    public static func decodedBytes(for token: String) -> [UInt8] {
        bytes(for: token) ?? Array(token.utf8)
    }

    private static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
