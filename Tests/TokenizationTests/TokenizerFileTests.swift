import Foundation
import Testing
@testable import Tokenization

@Suite struct TokenizerFileTests {
    @Test func exportOfImportedHFFileIsByteIdentical() throws {
        for (name, pretty) in [("hf-tokenizer.json", true), ("hf-tokenizer-reserved.json", false), ("hf-tokenizer-dedup.json", false)] {
            let original = try Fixtures.bytes(name)
            let tokenizer = try Tokenizer(json: original)
            #expect(tokenizer.jsonData(pretty: pretty) == original, "\(name)")
        }
    }

    @Test func exportOfOurTrainingIsHFsFile() throws {
        let ours = try Fixtures.train(vocabularySize: 2048)
        #expect(ours.jsonData() == (try Fixtures.bytes("hf-tokenizer.json")))
        let reloaded = try Tokenizer(json: ours.jsonData(pretty: false))
        let lines = try Fixtures.heldOutLines()
        #expect(reloaded.encodeBatch(lines) == ours.encodeBatch(lines))
    }

    @Test func olderStringMergesAreAccepted() throws {
        var text = String(decoding: try Fixtures.bytes("hf-tokenizer-reserved.json"), as: UTF8.self)
        text = text.replacingOccurrences(of: "[\"Ġ\",\"Ġ\"]", with: "\"Ġ Ġ\"")
        let tokenizer = try Tokenizer(json: Array(text.utf8))
        #expect(tokenizer.model.merges.first == Merge(left: 227, right: 227, result: 263))
    }

    @Test func ignoreMergesUsesWholeVocabularyPieces() throws {
        let text = String(decoding: try Fixtures.bytes("hf-tokenizer-reserved.json"), as: UTF8.self)
        let plain = try Tokenizer(json: Array(text.utf8))
        let ignoring = try Tokenizer(json: Array(text.replacingOccurrences(of: "\"ignore_merges\":false", with: "\"ignore_merges\":true").utf8))
        #expect(ignoring.model.ignoreMerges && !plain.model.ignoreMerges)
        // Every multi-byte vocabulary entry is one token under ignore_merges.
        for (id, bytes) in plain.model.tokenBytes.enumerated() where id >= 263 {
            #expect(ignoring.encode(bytes) == [TokenID(id)])
        }
        #expect(ignoring.jsonData(pretty: false) == Array(text.replacingOccurrences(of: "\"ignore_merges\":false", with: "\"ignore_merges\":true").utf8))
    }

    /// Each corruption of a valid file, and the field its error must name.
    static let corruptions: [(String, String, String)] = [
        ("\"type\":\"BPE\"", "\"type\":\"WordPiece\"", "model.type"),
        ("\"normalizer\":null", "\"normalizer\":{\"type\":\"NFKC\"}", "normalizer"),
        ("\"Regex\":\" ?[^(\\\\s|[.,!?…。，、।۔،])]+\"", "\"Regex\":\"\\\\w+\"", "pre_tokenizer.pretokenizers[0].pattern.Regex"),
        ("\"behavior\":\"Isolated\"", "\"behavior\":\"Removed\"", "pre_tokenizer.pretokenizers[0].behavior"),
        ("\"add_prefix_space\":false", "\"add_prefix_space\":true", "pre_tokenizer.pretokenizers[1].add_prefix_space"),
        ("\"dropout\":null", "\"dropout\":0.1", "model.dropout"),
        ("\"vocab\":{", "\"vocabulary\":{", "model.vocab"),
        ("[\"Ġ\",\"Ġ\"]", "[\"Ġ\",\"nope\"]", "model.merges[0]"),
        ("[\"Ġ\",\"Ġ\"]", "[\"Ġ\"]", "model.merges[0]"),
        ("[\"Ġ\",\"Ġ\"]", "42", "model.merges[0]"),
        ("\"<unk>\":0,", "\"<unk>\":\"zero\",", "model.vocab[\"<unk>\"]"),
        ("\"!\":7,", "\"!\":8,", "model.vocab[\"\\\"\"]"),
        ("\"Ā\":195,", "", "model.vocab"),
        ("\"lstrip\":false", "\"lstrip\":true", "added_tokens[0].lstrip"),
        ("\"truncation\":null", "\"truncation\":{\"max_length\":8}", "truncation"),
        ("\"content\":\"<unk>\"", "\"content\":7", "added_tokens[0].content"),
        ("\"decoder\":{\"type\":\"ByteLevel\"", "\"decoder\":{\"type\":\"Metaspace\"", "decoder.type"),
    ]

    @Test(arguments: corruptions)
    func corruptFilesNameTheField(original: String, replacement: String, field: String) throws {
        let valid = String(decoding: try Fixtures.bytes("hf-tokenizer-reserved.json"), as: UTF8.self)
        #expect(valid.contains(original), "fixture lacks \(original)")
        let corrupt = valid.replacingOccurrences(of: original, with: replacement)
        do {
            _ = try Tokenizer(json: Array(corrupt.utf8))
            Issue.record("no error for \(field)")
        } catch let error as TokenizerFileError {
            let named: String
            switch error {
            case .missingField(let f): named = f
            case .wrongType(let f, _, _), .unsupported(let f, _, _), .invalid(let f, _): named = f
            case .malformedJSON: named = "(json)"
            }
            #expect(named == field, "\(error)")
            #expect(error.description.contains(field))
        }
    }

    @Test func notJSONReportsTheByteOffset() {
        #expect(throws: TokenizerFileError.malformedJSON(offset: 11, problem: "expected ',' or '}' in object")) {
            try Tokenizer(json: Array("{\"model\":1 x".utf8))
        }
        #expect(throws: TokenizerFileError.wrongType(field: "(root)", expected: "an object", found: "an array")) {
            try Tokenizer(json: Array("[]".utf8))
        }
        #expect(throws: TokenizerFileError.missingField("pre_tokenizer")) {
            try Tokenizer(json: Array("{}".utf8))
        }
    }

    @Test func jsonWriterEscapesLikeSerde() {
        var writer = JSONWriter(pretty: false)
        writer.write(.object([("k\"\\\n\u{1}é", .array([.number("1"), .null, .bool(true)]))]))
        #expect(String(decoding: writer.output, as: UTF8.self) == "{\"k\\\"\\\\\\n\\u0001é\":[1,null,true]}")
    }
}
