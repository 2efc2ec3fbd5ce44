import Testing
@testable import Tokenization

/// BLOOM's split rule, on literal inputs (HF's outputs were checked with
/// `pre_tokenizers.Split(Regex(...), "isolated").pre_tokenize_str` in tokenizers 0.23.3).
@Suite struct PreTokenizerTests {
    let splitter = BloomPreTokenizer()

    @Test(arguments: [
        ("Hello world", ["Hello", " world"]),
        ("a  b", ["a", " ", " b"]),
        (" a", [" a"]),
        ("  a", [" ", " a"]),
        ("a\n\nb", ["a", "\n\n", "b"]),
        ("a \n b", ["a", " \n", " b"]),
        ("x, y", ["x", ",", " y"]),
        ("a\tb", ["a", "\t", "b"]),
        (" (x|y) ", [" (", "x", "|", "y", ") "]),
        ("a\u{A0}b", ["a", "\u{A0}", "b"]),
        ("\u{A0}a", ["\u{A0}", "a"]),
        ("数字123与English混合，测试。", ["数字123与English混合", "，", "测试", "。"]),
        ("क्य। दू", ["क्य", "।", " दू"]),
        ("", []),
        ("   ", ["   "]),
        ("<s>x</s>", ["<s>x</s>"]),
    ])
    func literalSplits(input: String, expected: [String]) {
        #expect(splitter.split(input) == expected)
    }

    /// The 39 scalars HF's regex treats as separators, found by splitting "a" + c + "a" for
    /// every scalar c in tokenizers 0.23.3 (Unicode White_Space plus `!(),.?|…、。，।۔،`).
    @Test func excludedScalarsAreExactlyTheMeasuredSet() {
        let measured: Set<UInt32> = [
            0x9, 0xA, 0xB, 0xC, 0xD, 0x20, 0x21, 0x28, 0x29, 0x2C, 0x2E, 0x3F, 0x7C, 0x85, 0xA0, 0x60C, 0x6D4, 0x964,
            0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2026,
            0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x3001, 0x3002, 0xFF0C,
        ]
        var found: Set<UInt32> = []
        for value in UInt32(0)...0x10FFFF where !(0xD800...0xDFFF).contains(value) {
            if BloomPreTokenizer.isExcluded(value) { found.insert(value) }
        }
        #expect(found == measured)
        // And the scanner agrees with the predicate on "a" + c + "a".
        for value in [UInt32(0x1C), 0x1F, 0x85, 0x2026, 0xFF0C, 0x3002, 0x1F600] {
            let text = "a" + String(Unicode.Scalar(value)!) + "a"
            #expect((splitter.split(text).count == 1) == !measured.contains(value), "U+\(String(value, radix: 16))")
        }
    }

    @Test func invalidUTF8BytesAreWordCharactersAndKeptVerbatim() {
        // 0xFF, a lone continuation byte, a truncated 3-byte sequence, an overlong "/" and a
        // UTF-16 surrogate encoded in UTF-8: each byte joins the surrounding word.
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0x20, 0x80, 0x20, 0xE2, 0x82, 0x20, 0xC0, 0xAF, 0x2C, 0xED, 0xA0, 0x80]
        let pieces = splitter.split(bytes).map { Array(bytes[$0]) }
        #expect(pieces == [[0x61, 0xFF, 0x62], [0x20, 0x80], [0x20, 0xE2, 0x82], [0x20, 0xC0, 0xAF], [0x2C], [0xED, 0xA0, 0x80]])
    }

    @Test func piecesTileEveryRandomInput() {
        var rng = SplitMix64(seed: 7)
        let alphabet: [[UInt8]] = [[0x20], [0x0A], [0x09], [0x2E], [0x61], [0x7C], [0xFF], [0x80],
                                   Array("…".utf8), Array("。".utf8), Array("é".utf8), Array("😀".utf8), [0xE2, 0x80]]
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<40, using: &rng) { bytes += alphabet.randomElement(using: &rng)! }
            let pieces = splitter.split(bytes)
            var position = 0
            for piece in pieces {
                #expect(piece.lowerBound == position && !piece.isEmpty)
                position = piece.upperBound
            }
            #expect(position == bytes.count)
        }
    }
}
