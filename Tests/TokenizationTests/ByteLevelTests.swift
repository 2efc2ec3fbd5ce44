import Testing
@testable import Tokenization

@Suite struct ByteLevelTests {
    @Test func mappingIsGPT2s() {
        #expect(Set(ByteLevel.scalars).count == 256)
        #expect(ByteLevel.string(for: Array(" hi\n".utf8)) == "ĠhiĊ")
        #expect(ByteLevel.string(for: [0x00, 0x7F, 0xA0, 0xAD, 0xFF]) == "ĀġłŃÿ")
        #expect(ByteLevel.bytes(for: "ĠhiĊ") == Array(" hi\n".utf8))
        #expect(ByteLevel.bytes(for: "<s>") == Array("<s>".utf8))
        #expect(ByteLevel.bytes(for: "a b") == nil)  // a raw space is not a byte-level character
        #expect(ByteLevel.decodedBytes(for: "a b") == Array("a b".utf8))
    }

    @Test func alphabetOrderIsHFsIDOrder() throws {
        let hf = try Fixtures.hfModel("hf-tokenizer.json")
        let expected = ByteLevel.alphabetOrder.map { ByteLevel.string(for: [$0]) }
        #expect(Array(hf.vocab[4..<260]) == expected)
        #expect(ByteLevel.alphabetOrder.first == 0x21 && ByteLevel.alphabetOrder.last == 0xAD)
    }
}
