import Foundation
import Testing
@testable import Tokenization

/// decode(encode(x)) == x for arbitrary bytes, with the HF-trained vocabulary and ours.
@Suite struct RoundTripTests {
    static let tokenizers: [Tokenizer] = [
        try! Tokenizer(contentsOf: Fixtures.url("hf-tokenizer.json")),
        try! Fixtures.train(vocabularySize: 1000),
    ]

    static let samples: [String] = [
        "", " ", "\n", "\n\n\n", "\t\t", "  leading and trailing  ",
        "数字123与English混合，测试。中文没有空格分词",
        "日本語のテキスト、句読点。カタカナとひらがな",
        "العربية، مع علامات الترقيم. والسؤال؟ ١٢٣",
        "हिन्दी में लिखा गया वाक्य। दूसरा वाक्य।",
        "func f(_ x: Int) -> Int {\n\treturn x * 2\t// tab\n}\r\n",
        "emoji 😀👍🏽 👨‍👩‍👧‍👦 🇫🇷 1️⃣ \u{1F600}\u{FE0F}",
        "<s></s><pad><unk><reserved_0> </s>x<s",
        "\u{0}\u{1}\u{1F}\u{7F}\u{85}\u{A0}\u{AD}\u{2028}\u{FEFF}\u{10FFFF}",
    ]

    @Test(arguments: samples)
    func textRoundTrips(text: String) throws {
        for tokenizer in Self.tokenizers {
            #expect(try tokenizer.decode(tokenizer.encode(text)) == Array(text.utf8))
        }
    }

    @Test func invalidUTF8RoundTrips() throws {
        let cases: [[UInt8]] = [
            [0xFF], [0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0x61, 0xFF, 0x20, 0xFE, 0x0A, 0xC3], Array("é".utf8.dropLast()) + Array(" ok".utf8),
            Array("日本".utf8.dropFirst()) + [0x2C, 0x20, 0xF0, 0x9F, 0x98],
        ]
        for bytes in cases {
            for tokenizer in Self.tokenizers {
                #expect(try tokenizer.decode(tokenizer.encode(bytes)) == bytes, "\(bytes)")
            }
        }
    }

    @Test func randomBytesRoundTrip() throws {
        var rng = SplitMix64(seed: 42)
        let heldOut = try Fixtures.heldOutLines().map { Array($0.utf8) }
        var inputs: [[UInt8]] = []
        for k in 0..<3000 {
            let n = Int.random(in: 0..<200, using: &rng)
            switch k % 3 {
            case 0:  // uniform random bytes
                inputs.append((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
            case 1:  // real text with random bytes spliced in
                var text = heldOut.randomElement(using: &rng)!
                for _ in 0..<3 where !text.isEmpty {
                    text.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...text.count, using: &rng))
                }
                inputs.append(text)
            default:  // random scalars, including separators and astral characters
                let scalars = (0..<n / 4).map { _ -> Unicode.Scalar in
                    let pool: [ClosedRange<UInt32>] = [0x0...0x7F, 0x80...0x7FF, 0x900...0x97F, 0x3000...0x30FF, 0x1F300...0x1FAFF]
                    let range = pool.randomElement(using: &rng)!
                    return Unicode.Scalar(UInt32.random(in: range, using: &rng)) ?? "?"
                }
                inputs.append(Array(String(String.UnicodeScalarView(scalars)).utf8))
            }
        }
        for tokenizer in Self.tokenizers {
            let decoded = try tokenizer.decodeBatch(tokenizer.encodeBatch(inputs))
            let failures = zip(inputs, decoded).filter { $0.0 != $0.1 }.count
            #expect(failures == 0)
        }
    }
}
