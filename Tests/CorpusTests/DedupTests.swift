import Testing
@testable import Corpus

@Suite("Deduplication")
struct DedupTests {
    static let long = Support.ddtpTexts("en").filter { $0.count > 900 }.sorted()

    @Test("SimHash ignores case, punctuation and spacing; one changed word moves few bits; different texts differ a lot")
    func simhash() throws {
        var hasher = SimHasher(shingle: 6)
        let text = try #require(Self.long.first)
        let base = hasher.fingerprint(text)
        #expect(hasher.fingerprint(text.uppercased()) == base)
        #expect(hasher.fingerprint(text.replacingOccurrences(of: ",", with: " ").replacingOccurrences(of: " ", with: "  ")) == base)
        var words = text.split(separator: " ").map(String.init)
        words[words.count / 2] = "zebra"
        #expect((hasher.fingerprint(words.joined(separator: " ")) ^ base).nonzeroBitCount <= 4)
        for other in Self.long.dropFirst().prefix(10) {
            #expect((hasher.fingerprint(other) ^ base).nonzeroBitCount > 10)
        }
    }

    @Test("Block-permutation index finds neighbours within the radius, none beyond, without all pairs")
    func index() {
        let index = NearDuplicateIndex(maxDistance: 4, blocks: 6)
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return fmix64(state) }
        var stored: [UInt64] = []
        for _ in 0..<5000 { let f = next(); stored.append(f); index.insert(f) }
        for (i, f) in stored.enumerated().prefix(300) {
            var near = f
            for bit in [3, 17, 40, 63].prefix(i % 5) { near ^= 1 << UInt64(bit) }
            let hit = index.nearest(to: near)
            #expect(hit?.index == i && hit?.distance == i % 5)
            var far = f
            for bit in [1, 9, 22, 35, 50, 61] { far ^= 1 << UInt64(bit) }
            #expect(index.nearest(to: far) == nil)
        }
        #expect(index.comparisons < 600 * 5000 / 10, "examined \(index.comparisons) candidates")
    }

    @Test("Combinations for the block tables: C(6,2) = 15")
    func combinations() {
        #expect(NearDuplicateIndex.combinations(6, choose: 2).count == 15)
    }
}
