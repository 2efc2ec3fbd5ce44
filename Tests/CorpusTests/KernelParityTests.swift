import Testing
@testable import Corpus

/// The C kernels (`CorpusKernels`) must give the Swift loops' results bit for bit: the corpus output
/// may not depend on the CPU it ran on.
@Suite("Corpus kernels match the Swift loops",
       .enabled(if: LanguageIdentifier.usesAVX512 && SimHasher.usesAVX512,
                "this CPU has no AVX-512: the corpus runs the Swift loops only, so there is no kernel to compare"))
struct KernelParityTests {
    static let texts: [String] = ["en", "fr", "de"].flatMap { Support.ddtpTexts($0).sorted().prefix(60) }

    @Test("Language-ID window sums: kernel and Swift loop bit-identical for 1, 2 and 3 lanes of languages")
    func languageIDWindows() {
        // Pseudo-languages cut from real text, so 3, 20 and 40 languages need 1, 2 and 3 lanes.
        let pool = UTF8Codec.scalars(Self.texts.joined(separator: "\n"))
        for languageCount in [3, 20, 40] {
            var samples: [String: [UInt32]] = [:]
            let piece = pool.count / languageCount
            for l in 0..<languageCount { samples["l" + (l < 10 ? "0" : "") + String(l)] = Array(pool[(l * piece)..<((l + 1) * piece)]) }
            let model = LanguageIdentifier.train(samples: samples)
            var fast = [SIMD16<Float>](repeating: .zero, count: (languageCount + 15) / 16)
            var slow = fast
            for text in Self.texts.prefix(40) + ["", "a", "  ", "é à ü", "東京 大阪"] {
                var mapped: [UInt32] = []
                LanguageIdentifier.mapLetters(UTF8Codec.scalars(text), into: &mapped)
                for range in [0..<mapped.count, 0..<min(mapped.count, 256), (mapped.count / 2)..<mapped.count] {
                    model.scoreWindow(mapped, range, into: &fast)
                    model.scoreWindow(mapped, range, into: &slow, portable: true)
                    #expect(fast.map { $0.bitPatterns } == slow.map { $0.bitPatterns }, "\(languageCount) languages, \(range)")
                }
                #expect(model.identifyMapped(mapped) == model.identifyMapped(mapped, portable: true))
            }
        }
    }

    @Test("SimHash: kernel and Swift vote loop give the same fingerprint (short, long and repetitive texts)")
    func simhash() {
        var fast = SimHasher(shingle: 6)
        var slow = SimHasher(shingle: 6)
        slow.portable = true
        let long = Self.texts.joined(separator: " ")  // far more than 255 shingles: the byte counters spill
        let repeated = String(repeating: "abc ", count: 3000)
        for text in Self.texts + ["a", "ab", "abcde", "abcdef", "abcdefg", long, repeated, "東京 大阪 名古屋"] {
            #expect(fast.fingerprint(text) == slow.fingerprint(text), "\(text.prefix(40))")
        }
        var three = SimHasher(shingle: 3), threeSlow = SimHasher(shingle: 3)
        threeSlow.portable = true
        #expect(three.fingerprint(long) == threeSlow.fingerprint(long))
    }
}

private extension SIMD16 where Scalar == Float {
    var bitPatterns: [UInt32] { (0..<16).map { self[$0].bitPattern } }
}
