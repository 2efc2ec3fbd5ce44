import Foundation
import Testing
@testable import Tokenization

/// Encoding against HF tokenizers on held-out lines the tokenizer was not trained on.
@Suite struct EncodingParityTests {
    @Test func importedHFTokenizerEncodesLikeHF() throws {
        let tokenizer = try Tokenizer(contentsOf: Fixtures.url("hf-tokenizer.json"))
        let lines = try Fixtures.heldOutLines()
        let expected = try Fixtures.idLists("hf-heldout-ids.json")
        Fixtures.expectSameIDs(tokenizer.encodeBatch(lines), expected, lines: lines)
    }

    @Test func trainedTokenizerEncodesLikeHF() throws {
        let tokenizer = try Fixtures.train(vocabularySize: 2048)
        let lines = try Fixtures.heldOutLines()
        let expected = try Fixtures.idLists("hf-heldout-ids.json")
        Fixtures.expectSameIDs(lines.map { tokenizer.encode($0) }, expected, lines: lines)
    }

    @Test func splitMatchesHFPreTokenizerOnEveryHeldOutLine() throws {
        let lines = try Fixtures.heldOutLines()
        guard case .array(let rows) = try Fixtures.json("hf-pretokenize.json") else {
            Issue.record("hf-pretokenize.json is not an array")
            return
        }
        let splitter = BloomPreTokenizer()
        for (line, row) in zip(lines, rows) {
            guard case .array(let pieces) = row else { continue }
            let expected = pieces.map { piece -> String in
                if case .string(let s) = piece { return s }
                return ""
            }
            #expect(splitter.split(line) == expected, "line \(line.debugDescription)")
        }
    }
}
