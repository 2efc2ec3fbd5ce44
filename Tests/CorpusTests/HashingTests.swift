import Testing
@testable import Corpus

@Suite("Hashing")
struct HashingTests {
    @Test("128-bit digest: empty input is zero, every byte and length matters")
    func digest128() {
        #expect(Digest128(hashing: [UInt8](), seed: 0) == Digest128(high: 0, low: 0))
        let base = Array("The quick brown fox jumps over the lazy dog".utf8)
        var seen = Set<Digest128>()
        for cut in 0...base.count { seen.insert(Digest128(hashing: Array(base.prefix(cut)))) }
        #expect(seen.count == base.count + 1)
        var flipped = base
        flipped[10] ^= 1
        #expect(Digest128(hashing: flipped) != Digest128(hashing: base))
        #expect(Digest128(hashing: base).description.count == 32)
    }

    @Test("Exact-dup keys ignore whitespace, digits and ASCII punctuation only")
    func exactDigestNormalization() {
        var buffer: [UInt8] = []
        func key(_ s: String) -> Digest128 { ExactDigest.digest(UTF8Codec.scalars(s), buffer: &buffer) }
        #expect(key("Hello, world! 2023") == key("Hello world"))
        #expect(key("Hello   world\n") == key("Helloworld"))
        #expect(key("Hello world") != key("hello world"))
        #expect(key("Grüße aus Köln") != key("Gruse aus Koln"))
    }
}

