import Foundation
import Testing
@testable import Tokenization

@Suite struct EncodingTests {
    static let tokenizer: Tokenizer = try! Tokenizer(contentsOf: Fixtures.url("hf-tokenizer.json"))

    @Test func offsetsAreByteRangesThatTileTheInput() {
        let text = "Hé said:  <s>ok</s>\n"
        let encoding = Self.tokenizer.encodeWithOffsets(text)
        let bytes = Array(text.utf8)
        #expect(encoding.ids == Self.tokenizer.encode(text))
        #expect(encoding.offsets.count == encoding.ids.count)
        var position = 0
        for (id, range) in zip(encoding.ids, encoding.offsets) {
            #expect(range.lowerBound == position)
            #expect(Array(bytes[range]) == Self.tokenizer.model.tokenBytes[Int(id)])
            position = range.upperBound
        }
        #expect(position == bytes.count)
        // The special tokens are matched in the text and keep their own ranges.
        let specials = zip(encoding.ids, encoding.offsets).filter { $0.0 < 4 }
        #expect(specials.map(\.0) == [1, 2])
        #expect(specials.map(\.1) == [11..<14, 16..<20])
    }

    @Test func specialTokenTextBecomesTheSpecialToken() {
        let ids = Self.tokenizer.encode("The quick brown fox</s>")
        #expect(ids.last == SpecialTokens.endOfDocumentID)
        #expect(Self.tokenizer.encode("<pad><pad>") == [3, 3])
        #expect(Self.tokenizer.encode("<s") != [1])
    }

    @Test func batchEncodingEqualsOneByOne() throws {
        let lines = try Fixtures.heldOutLines()
        let one = lines.map { Self.tokenizer.encode($0) }
        #expect(Self.tokenizer.encodeBatch(lines, workers: 3) == one)
        #expect(Self.tokenizer.encodeBatch(lines.map { Array($0.utf8) }, workers: 2) == one)
        var buffer: [UInt8] = [], ranges: [Range<Int>] = []
        for line in lines {
            let start = buffer.count
            buffer += Array(line.utf8)
            ranges.append(start..<buffer.count)
            buffer.append(0x0A)
        }
        #expect(Self.tokenizer.encodeBatch(buffer, ranges: ranges) == one)
        let withOffsets = Self.tokenizer.encodeBatchWithOffsets(lines.map { Array($0.utf8) })
        #expect(withOffsets.map(\.ids) == one)
    }

    /// Long pieces use the heap algorithm, short ones the scan; both must agree with each
    /// other (and so with HF, whose algorithm the heap version is).
    @Test func heapAndScanMergeAlgorithmsAgree() throws {
        let model = Self.tokenizer.model
        let lines = try Fixtures.heldOutLines()
        var rng = SplitMix64(seed: 11)
        let scratch = MergeScratch()
        for _ in 0..<300 {
            var piece: [UInt8] = []
            while piece.count < Int.random(in: 2...600, using: &rng) {
                piece += Array(lines.randomElement(using: &rng)!.utf8.prefix(Int.random(in: 1...40, using: &rng)))
            }
            scratch.reserve(piece.count)
            let scanned = piece.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: scratch.ids, count: model.mergeByScanning($0.baseAddress!, count: $0.count, scratch: scratch))) }
            let heaped = piece.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: scratch.ids, count: model.mergeWithHeap($0.baseAddress!, count: $0.count, scratch: scratch))) }
            #expect(scanned == heaped)
        }
    }

    @Test func longPiecesAreHandled() throws {
        let long = String(repeating: "数字与混合测试", count: 400)  // 8,400 bytes, one piece
        let ids = Self.tokenizer.encode(long)
        #expect(try Self.tokenizer.decodeText(ids) == long)
        #expect(ids.count < long.utf8.count)
    }

    @Test func decodeRejectsUnknownIDsAndCanSkipSpecials() throws {
        #expect(throws: TokenizerError.unknownTokenID(999_999, vocabularySize: 2048)) {
            try Self.tokenizer.decode([5, 999_999])
        }
        let ids = Self.tokenizer.encode("<s>hi</s>")
        #expect(try Self.tokenizer.decodeText(ids, skipSpecialTokens: true) == "hi")
    }

    @Test func embeddingSizeIsPaddedLikeMegatron() {
        #expect(EmbeddingSize.padded(vocabularySize: 250_680, tensorParallelDegree: 4) == 250_880)
        #expect(EmbeddingSize.padded(vocabularySize: 250_680) == 250_752)
        #expect(EmbeddingSize.padded(vocabularySize: 8192) == 8192)
        #expect(EmbeddingSize.padded(vocabularySize: 8193, tensorParallelDegree: 2) == 8448)
        #expect(Self.tokenizer.paddedEmbeddingSize() == 2048)
    }
}
