import ContentDigest
import CanonicalJSON
import Foundation
import Testing
@testable import Corpus

@Suite("Corpus pipeline")
struct PipelineTests {
    func run(_ input: String, cores: Int = 2, batchBytes: Int = 64 << 10, _ adjust: (inout CorpusConfiguration) -> Void = { _ in }) throws -> (String, CorpusResult) {
        let output = Support.scratch() + "/corpus"
        var config = CorpusConfiguration(inputDirectory: input, outputDirectory: output, cores: cores)
        config.batchBytes = batchBytes
        config.shardBytes = 64 << 10
        adjust(&config)
        return (output, try CorpusPipeline.run(config))
    }

    @Test("Fixture corpus end to end: shards, manifest digests, stats, report, eval sets")
    func endToEnd() throws {
        let input = try Support.fetchFixtures().directory
        // Fixture datasets are small: count a line as template from 5 copies (ROOTS: 10).
        let (output, result) = try run(input) { $0.templateLines = (15, 5) }
        let total = result.stats.total
        #expect(total.documentsIn > 300)
        #expect(total.documentsKept > 100 && total.documentsKept < total.documentsIn)
        #expect(result.shards.count >= 5)
        for shard in result.shards {
            let data = try CorpusFiles.read(output + "/" + shard.path)
            #expect(Digest.of(bytes: data).hex == shard.sha256)
            #expect(data.count == shard.bytes)
        }
        let kept = try Support.shardDocuments(output)
        #expect(kept.count == total.documentsKept)
        #expect(kept.allSatisfy { !$0.package.isEmpty && !$0.version.isEmpty && !$0.license.isEmpty })
        let stats = try JSONValue.parse(try CorpusFiles.read(output + "/stats.json"))
        #expect(stats["total"]?["documents_kept"]?.intValue == total.documentsKept)
        #expect(stats["by_language"]?["ar"] != nil && stats["by_source"]?["libreoffice-help"] != nil)
        let report = String(decoding: try CorpusFiles.read(output + "/report.md"), as: UTF8.self)
        for heading in ["## By language", "## By source", "## Examples of removed documents", "## Shards"] { #expect(report.contains(heading)) }
        #expect(FileManager.default.fileExists(atPath: output + "/eval/parallel/en-fr.jsonl"))
        // Each quality filter removed something on real text, and removals are sampled.
        for reason in [RemovalReason.wordCount, .characterRepetition, .stopWords] {
            #expect(total.removedDocuments(reason) > 0, "\(reason)")
            #expect(!(result.stats.samples[reason] ?? []).isEmpty)
        }
        #expect(total.templateLinesRemoved > 0)
    }

    @Test("Same input and config → same bytes, whatever the cores and batch size")
    func determinism() throws {
        let input = try Support.fetchFixtures().directory
        let (a, ra) = try run(input, cores: 1, batchBytes: 3000)
        let (b, rb) = try run(input, cores: 2, batchBytes: 1 << 20)
        #expect(ra.shards == rb.shards)
        for name in ["manifest.json", "stats.json", "report.md"] {
            #expect(try CorpusFiles.read(a + "/" + name) == CorpusFiles.read(b + "/" + name), "\(name)")
        }
    }

    @Test("Planted exact and near duplicates are found; the first copy is kept")
    func plantedDuplicates() throws {
        let texts = Support.ddtpTexts("en").filter { $0.count > 900 }.sorted()
        let original = texts[0]
        var words = original.split(separator: " ").map(String.init)
        words[words.count / 2] = "zebra"
        let documents = [
            Support.doc("orig", original),
            Support.doc("exact", original.replacingOccurrences(of: ",", with: " ,") + "  "),
            Support.doc("near", words.joined(separator: " ")),
            Support.doc("other", texts[1]),
        ]
        let input = Support.scratch() + "/in"
        try Support.writeInput(documents, to: input)
        let (output, result) = try run(input) { $0.qualityFilters = false }
        let total = result.stats.total
        #expect(total.removedDocuments(.exactDuplicate) == 1)
        #expect(total.removedDocuments(.nearDuplicate) == 1)
        #expect(Set(try Support.shardDocuments(output).map(\.id)) == ["orig", "other"])
        #expect(result.stats.samples[.nearDuplicate]?.first?.note.contains("orig") == true)
    }

    @Test("Planted PII is redacted in the shards and counted per tag; dates survive")
    func plantedPII() throws {
        let base = Support.ddtpTexts("en").filter { $0.count > 600 }.sorted()[2]
        let text = base + "\nWritten by jane@example.org on 2023-01-15 from 192.168.10.4, key a1b2c3d4e5f6g7h8."
        let input = Support.scratch() + "/in"
        try Support.writeInput([Support.doc("pii", text)], to: input)
        let (output, result) = try run(input) { $0.qualityFilters = false }
        let out = try Support.shardDocuments(output)[0].text
        #expect(out.hasSuffix("Written by PI:EMAIL on 2023-01-15 from PI:IP_ADDRESS, key PI:KEY."))
        let pii = result.stats.total.redactions
        #expect(pii[.email] == 1 && pii[.ipAddress] == 1 && pii[.key] == 1 && pii[.user] == 0)
    }

    @Test("Bad input is counted and skipped: invalid UTF-8, malformed lines, unknown language, empty file")
    func badInput() throws {
        let input = Support.scratch() + "/in"
        let good = Support.ddtpTexts("en").filter { $0.count > 600 }.sorted()[3]
        try Support.writeInput([Support.doc("good", good)], to: input,
                               extraFiles: [(path: "text/empty/en.jsonl", source: "empty", lang: "en", kind: "text")])
        try CorpusFiles.makeDirectory(input + "/text/empty")
        _ = FileManager.default.createFile(atPath: input + "/text/empty/en.jsonl", contents: Data())
        // Append an invalid-UTF-8 record and a malformed line to the good file.
        let handle = try #require(FileHandle(forWritingAtPath: input + "/text/test/en.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"id":"bad-utf8","lang":"en","source":"test","text":"caf"#.utf8) + Data([0xC3, 0x28]) + Data("\"}\n{broken\n".utf8))
        handle.write(Data(Support.doc("alien", good + " x", lang: "tlh").jsonLine() + [0x0A]))
        try handle.close()
        let (output, result) = try run(input) { $0.qualityFilters = false }
        let total = result.stats.total
        #expect(total.removedDocuments(.invalidUTF8) == 1)
        #expect(total.removedDocuments(.malformedRecord) == 1)
        #expect(total.removedDocuments(.unknownLanguage) == 1)
        #expect(total.documentsKept == 1)
        #expect(result.stats.emptyFiles == ["text/empty/en.jsonl"])
        #expect(try Support.shardDocuments(output).map(\.id) == ["good"])
    }

    @Test("Missing input, missing listed file, unknown language file, bad config: typed errors")
    func typedErrors() throws {
        let empty = Support.scratch()
        #expect(throws: CorpusError.self) { try run(empty) }
        let input = Support.scratch() + "/in"
        try Support.writeInput([Support.doc("a", "text")], to: input, extraFiles: [(path: "text/gone/en.jsonl", source: "gone", lang: "en", kind: "text")])
        #expect(throws: CorpusError.missingSource(name: "gone", detail: "text/gone/en.jsonl is listed in sources.json but missing")) { try run(input) }
        let alien = Support.scratch() + "/in"
        try Support.writeInput([Support.doc("a", "text", lang: "qq")], to: alien)
        #expect(throws: CorpusError.self) { try run(alien) }
        let fine = Support.scratch() + "/in"
        try Support.writeInput([Support.doc("a", "text")], to: fine)
        #expect(throws: CorpusError.invalidConfiguration(field: "dedup.simhash", problem: "need 0 ≤ hamming < blocks ≤ 16 (got hamming 6, blocks 6)")) {
            try run(fine) { $0.nearDedup = (6, 6, 6) }
        }
    }

    @Test("Template lines repeated in ≥ 10 documents and lines shared with eval sets are removed")
    func lineRemoval() throws {
        let texts = Support.ddtpTexts("en").filter { $0.count > 300 }.sorted()
        let boiler = "Copyright notice: this page was generated automatically."
        let documents = (0..<12).map { Support.doc("d\($0)", boiler + "\n" + texts[$0]) }
        let input = Support.scratch() + "/in"
        try Support.writeInput(documents, to: input)
        let evalLine = String(texts[20].split(separator: "\n").first!)
        let evalPath = "eval/parallel/en-xx.jsonl"
        let eval = FormatHeader(format: FormatHeader.eval, version: 1).line() + [0x0A] + JSONValue.object(["id": .string("e"), "src": .string(evalLine), "tgt": .string("x")]).canonicalBytes + [0x0A]
        try CorpusFiles.write(eval, to: input + "/" + evalPath)
        try Support.writeInput(documents + [Support.doc("leak", texts[21] + "\n" + evalLine)], to: input)
        var sources = try JSONValue.parse(try CorpusFiles.read(input + "/sources.json")).objectValue!
        sources["eval"] = .array([.object(["path": .string(evalPath), "items": .int(1)])])
        try CorpusFiles.write(JSONValue.object(sources).canonicalBytes, to: input + "/sources.json")
        let (output, result) = try run(input) { $0.qualityFilters = false }
        #expect(result.stats.total.templateLinesRemoved == 12)
        #expect(result.stats.total.evalOverlapLinesRemoved == 1)
        let kept = try Support.shardDocuments(output)
        #expect(!kept.contains { $0.text.contains(boiler) })
        #expect(kept.first { $0.id == "leak" }?.text.contains(evalLine) == false)
        #expect(FileManager.default.fileExists(atPath: output + "/" + evalPath))
    }

    @Test("Progress is reported per batch and ends at the total")
    func progress() throws {
        let input = try Support.fetchFixtures().directory
        final class Box: @unchecked Sendable { var events: [CorpusProgress] = []; let lock = NSLock() }
        let box = Box()
        _ = try run(input, batchBytes: 20_000) { config in
            config.progress = { event in box.lock.lock(); box.events.append(event); box.lock.unlock() }
        }
        #expect(box.events.filter { $0.phase == .process }.count > 3)
        let last = try #require(box.events.last)
        #expect(last.phase == .finish && last.bytesDone == last.bytesTotal)
    }
}
