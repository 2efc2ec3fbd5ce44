/// BLOOM's pre-tokenizer: split the text into pieces, then hand each piece's bytes to the
/// byte-level BPE model (no prefix space, no GPT-2 regex, no normalizer).
///
/// The split is HF tokenizers' `Split(pattern: Regex(" ?[^(\s|[.,!?…。，、।۔،])]+"),
/// behavior: Isolated, invert: false)` from the released `bigscience/tokenizer`. Read as
/// Oniguruma reads it, the bracket is one character class, so a *word* is a maximal run of
/// characters that are none of: whitespace (`\s`), `(`, `|`, `)`, `.` `,` `!` `?` `…` `。`
/// `，` `、` `।` `۔` `،`; one U+0020 space right before a word joins it. Everything between
/// two words becomes one piece of its own, so whitespace and punctuation are kept.
///
/// This is a hand-written scanner, not a regex engine. The excluded set was measured on
/// HF tokenizers 0.23.3 by splitting `"a" + c + "a"` for every scalar `c`: 39 scalars,
/// listed in ``isExcluded(_:)``. Oniguruma's `\s` is exactly Unicode's `White_Space`
/// property, so U+001C…U+001F (which Python's `str.isspace` accepts) are word characters.
///
/// Invalid UTF-8: the input of ``Tokenizer/encode(_:)-([UInt8])`` is bytes. Every byte that
/// is not part of a well-formed UTF-8 sequence (a stray continuation byte, a truncated or
/// overlong sequence, an encoded surrogate, 0xC0/0xC1/0xF5…0xFF) is scanned, one byte at a time,
/// as a word character — as if it were U+FFFD — but the byte itself stays in the piece.
/// Segmentation of valid text is unchanged and no byte is ever dropped, so
/// `decode(encode(x)) == x` for every byte string.
///
/// ```swift
/// var scanner = PieceScanner(bytes, from: 0, to: bytes.count)   // "Hi  there, you\n"
/// while let piece = scanner.next() { … }  // "Hi", " ", " there", ",", " you", "\n"
/// ```
public struct BloomPreTokenizer: Sendable {
    /// The split pattern, as written in `tokenizer.json`.
    public static let pattern = " ?[^(\\s|[.,!?…。，、।۔،])]+"

    public init() {}

    /// The byte ranges of the pieces of `bytes`, in order; they tile the whole input.
    public func split(_ bytes: [UInt8]) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = PieceScanner(buffer, from: 0, to: buffer.count)
            var pieces: [Range<Int>] = []
            while let piece = scanner.next() { pieces.append(piece) }
            return pieces
        }
    }

    /// The pieces of `text` as strings (for inspection and tests).
    public func split(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return split(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// Whether the split rule treats the scalar `value` as a separator (not a word character).
    public static func isExcluded(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x21, 0x28, 0x29, 0x2C, 0x2E, 0x3F, 0x7C:
            return true
        case 0x85, 0xA0, 0x060C, 0x06D4, 0x0964, 0x1680, 0x2000...0x200A, 0x2026, 0x2028, 0x2029,
             0x202F, 0x205F, 0x3000, 0x3001, 0x3002, 0xFF0C:
            return true
        default:
            return false
        }
    }
}

/// Iterates the pieces of `buffer[from..<to]` under BLOOM's split rule (see
/// ``BloomPreTokenizer``). A struct over a raw buffer so the encoder's hot loop pays no
/// closure, `String` or allocation cost.
public struct PieceScanner {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var position: Int
    /// Start of the pending separator run (text not yet emitted).
    private var gapStart: Int
    /// A word found while a separator run was still pending: emitted on the next call.
    private var pendingWord: Range<Int>?

    /// A scanner over `buffer[from..<to]`; `buffer` must outlive the scanner.
    public init(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = to
        position = from
        gapStart = from
    }

    /// The next piece, or `nil` at the end.
    @inline(__always)
    public mutating func next() -> Range<Int>? {
        if let word = pendingWord {
            pendingWord = nil
            return word
        }
        while position < end {
            let length = wordCharacterLength(at: position)
            if length == 0 {
                position += separatorLength(at: position)
                continue
            }
            // A word starts here; a U+0020 just before it (inside the gap) joins it.
            var start = position
            if start > gapStart && base[start - 1] == 0x20 { start -= 1 }
            var wordEnd = position + length
            while wordEnd < end {
                let next = wordCharacterLength(at: wordEnd)
                if next == 0 { break }
                wordEnd += next
            }
            let gap = gapStart..<start
            gapStart = wordEnd
            position = wordEnd
            if gap.isEmpty { return start..<wordEnd }
            pendingWord = start..<wordEnd
            return gap
        }
        if gapStart < end {
            defer { gapStart = end }
            return gapStart..<end
        }
        return nil
    }

    /// The byte length of the word character at `i`, or 0 when it is a separator.
    @inline(__always)
    private func wordCharacterLength(at i: Int) -> Int {
        let byte = base[i]
        if byte < 0x80 { return asciiIsSeparator(byte) ? 0 : 1 }
        let (value, length) = decodeScalar(at: i)
        if length == 0 { return 1 }  // invalid UTF-8: one byte, scanned as a word character
        return BloomPreTokenizer.isExcluded(value) ? 0 : length
    }

    /// The byte length of the separator at `i` (called only where `wordCharacterLength` is 0).
    @inline(__always)
    private func separatorLength(at i: Int) -> Int {
        base[i] < 0x80 ? 1 : decodeScalar(at: i).length
    }

    @inline(__always)
    private func asciiIsSeparator(_ byte: UInt8) -> Bool {
        // \t \n \v \f \r, space, ! ( ) , . ? |
        switch byte {
        case 0x09...0x0D, 0x20, 0x21, 0x28, 0x29, 0x2C, 0x2E, 0x3F, 0x7C: return true
        default: return false
        }
    }

    /// Decodes one well-formed UTF-8 sequence (2–4 bytes) at `i`; length 0 when ill-formed.
    @inline(__always)
    private func decodeScalar(at i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(base[i])
        let available = end - i
        @inline(__always) func continuation(_ k: Int) -> UInt32? {
            guard k < available else { return nil }
            let b = UInt32(base[i + k])
            return b & 0xC0 == 0x80 ? b & 0x3F : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return (0, 0) }
            return ((b0 & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            guard let c1 = continuation(1), let c2 = continuation(2) else { return (0, 0) }
            let value = (b0 & 0x0F) << 12 | c1 << 6 | c2
            // Overlong (< U+0800) and surrogates (U+D800…U+DFFF) are ill-formed.
            if value < 0x800 || (0xD800...0xDFFF).contains(value) { return (0, 0) }
            return (value, 3)
        case 0xF0...0xF4:
            guard let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3)
            else { return (0, 0) }
            let value = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            if value < 0x10000 || value > 0x10FFFF { return (0, 0) }
            return (value, 4)
        default:
            return (0, 0)
        }
    }
}
