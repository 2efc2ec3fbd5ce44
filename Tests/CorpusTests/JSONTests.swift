import Testing
import CanonicalJSON
@testable import Corpus

@Suite("JSON")
struct JSONTests {
    @Test("Document records survive a write/parse round trip, escapes included")
    func recordRoundTrip() throws {
        let text = "Line \"one\"\n\ttab \\ back\u{1} control, emoji 🙂, Arabic دبيان, CJK 中文"
        let document = Support.doc("a/b#1", text, lang: "fr")
        let record = try #require(RawRecord.parse(document.jsonLine()))
        #expect(record.document == document)
    }

    @Test("\\u escapes and surrogate pairs decode")
    func unicodeEscapes() throws {
        let line = Array(#"{"id":"x","text":"caf\u00e9 \ud83d\ude00 \/"}"#.utf8)
        let record = try #require(RawRecord.parse(line))
        #expect(String(decoding: record.text, as: UTF8.self) == "café 😀 /")
    }

    @Test("Malformed records are rejected, not crashed on")
    func malformed() {
        for bad in [#"{"id":"x","text":"unterminated}"#, #"{"id":"x"}"#, "not json", #"{"id":"x","text":"a","nested":{"a":1}}"#, #"{"id":"x","text":"\ud800"}"#] {
            #expect(RawRecord.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test("Canonical JSON sorts keys, writes doubles losslessly, and lays out the pretty form")
    func canonical() throws {
        let node = JSONValue.object(["b": .int(1), "a": .array([.double(0.25), .double(1.0 / 3.0), .bool(true), .null]), "c": .string("é\"")])
        #expect(node.canonicalString == #"{"a":[0.25,0.3333333333333333,true,null],"b":1,"c":"é\""}"#)
        #expect(try JSONValue.parse(Array(node.canonicalString.utf8)) == node)
        #expect(node.prettyText == "{\n  \"a\": [\n    0.25,\n    0.3333333333333333,\n    true,\n    null\n  ],\n  \"b\": 1,\n  \"c\": \"é\\\"\"\n}\n")
        #expect(try JSONValue.parse(node.prettyBytes) == node)
        #expect(JSONValue.object(["e": .object([:]), "f": .array([])]).prettyText == "{\n  \"e\": {},\n  \"f\": []\n}\n")
    }

    @Test("Format headers are checked: wrong format, newer version and garbage are typed errors")
    func headers() throws {
        let good = FormatHeader(format: FormatHeader.shard, version: 1, fields: ["group": .string("fr")]).line()
        #expect(try FormatHeader.check(good, format: FormatHeader.shard, maxVersion: 1, path: "p").fields["group"] == .string("fr"))
        #expect(throws: CorpusError.self) { try FormatHeader.check(good, format: FormatHeader.documents, maxVersion: 1, path: "p") }
        let newer = FormatHeader(format: FormatHeader.shard, version: 9).line()
        #expect(throws: CorpusError.self) { try FormatHeader.check(newer, format: FormatHeader.shard, maxVersion: 1, path: "p") }
        #expect(throws: CorpusError.self) { try FormatHeader.check(Array("garbage".utf8), format: FormatHeader.shard, maxVersion: 1, path: "p") }
        #expect(throws: CorpusError.self) { try FormatHeader.check(nil, format: FormatHeader.shard, maxVersion: 1, path: "p") }
    }
}
