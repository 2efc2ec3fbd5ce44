import Testing
@testable import Corpus

@Suite("Hashing")
struct HashingTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("SHA-256 gives the same digest however the input is split")
    func sha256Streaming() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var hasher = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 37) { hasher.update(Array(bytes[chunk..<min(bytes.count, chunk + 37)])) }
        #expect(hasher.finalize().hex == SHA256.hex(of: bytes))
    }

    @Test("SHA-256: the SHA-extension path and the Swift loop agree on every length up to 4 blocks and on 1 MB",
          .enabled(if: SHA256.usesHardware, "this CPU has no SHA extensions: only the Swift loop runs, so there is nothing to compare"))
    func sha256HardwareMatchesPortable() {
        var generator = SplitMix(seed: 7)
        let bytes = (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for length in Array(0...260) + [1 << 20] {
            var fast = SHA256(), slow = SHA256()
            slow.portable = true
            fast.update(Array(bytes.prefix(length)))
            slow.update(Array(bytes.prefix(length)))
            #expect(fast.finalize() == slow.finalize(), "length \(length)")
        }
    }

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

