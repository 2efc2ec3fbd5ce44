import CanonicalJSON
import Foundation
@testable import Corpus

/// Test helpers: fixture paths, scratch folders, small input builders.
enum Support {
    /// The fixture download cache (slices of real Debian packages; see Fixtures/ATTRIBUTION.md).
    static var fixtureCache: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("cache").path
    }

    /// A fresh, empty scratch folder.
    static func scratch(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "corpus-tests/\(safe)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs the fetch step on the `fixtures` selection into a scratch folder; returns the folder.
    static func fetchFixtures(_ name: String = #function) throws -> (directory: String, report: FetchReport) {
        let directory = scratch(name) + "/fetch"
        let report = try FetchStep.run(selection: try Selection.builtin("fixtures"),
                                       options: FetchOptions(cacheDirectory: fixtureCache, outputDirectory: directory, cores: 2))
        return (directory, report)
    }

    /// Writes an input folder (as the fetch step would) holding `documents`, grouped per (source, language).
    static func writeInput(_ documents: [Document], to directory: String, extraFiles: [(path: String, source: String, lang: String, kind: String)] = []) throws {
        var groups: [String: [Document]] = [:]
        var order: [String] = []
        for d in documents {
            let key = d.source + "/" + d.language
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(d)
        }
        var files: [JSONValue] = []
        for key in order {
            let docs = groups[key]!
            let path = "text/\(docs[0].source)/\(docs[0].language).jsonl"
            let writer = try DocumentFileWriter(path: directory + "/" + path, source: docs[0].source, language: docs[0].language, kind: docs[0].kind)
            for d in docs { try writer.append(d) }
            try writer.finish()
            files.append(.object(["path": .string(path), "source": .string(docs[0].source), "lang": .string(docs[0].language),
                                  "kind": .string(docs[0].kind.rawValue), "documents": .int(docs.count), "bytes": .int(writer.textBytes)]))
        }
        for extra in extraFiles {
            files.append(.object(["path": .string(extra.path), "source": .string(extra.source), "lang": .string(extra.lang),
                                  "kind": .string(extra.kind), "documents": .int(0), "bytes": .int(0)]))
        }
        try writeSources(files: files, to: directory)
    }

    static func writeSources(files: [JSONValue], eval: [JSONValue] = [], to directory: String) throws {
        let node = JSONValue.object(["format": .string(FetchStep.sourcesFormat), "version": .int(1), "selection": .string("test"),
                                    "heldOutPercent": .int(0), "files": .array(files), "packages": .array([]), "eval": .array(eval),
                                    "skipped": .object([:])])
        try CorpusFiles.write(node.prettyBytes, to: directory + "/sources.json")
    }

    /// A document with test provenance.
    static func doc(_ id: String, _ text: String, lang: String = "en", source: String = "test", kind: DocumentKind = .text) -> Document {
        Document(id: id, text: text, language: lang, source: source, kind: kind, package: "test-package", version: "1.0", license: "CC0-1.0")
    }

    /// Reads every record of every shard listed in a manifest.
    static func shardDocuments(_ directory: String) throws -> [Document] {
        let manifest = try JSONValue.parse(try CorpusFiles.read(directory + "/manifest.json"))
        var out: [Document] = []
        for shard in manifest["shards"]?.arrayValue ?? [] {
            let reader = try LineReader(path: directory + "/" + shard["path"]!.stringValue!)
            _ = try FormatHeader.check(try reader.next(), format: FormatHeader.shard, maxVersion: 1, path: shard["path"]!.stringValue!)
            while let line = try reader.next() { if let r = RawRecord.parse(line) { out.append(r.document) } }
        }
        return out
    }

    /// Real paragraphs: English and French Debian package descriptions from the fixture DDTP slice.
    static func ddtpTexts(_ locale: String) -> [String] {
        let data = FileManager.default.contents(atPath: fixtureCache + "/ddtp/\(locale)/Translation-\(locale)")!
        return DDTPIndex.parse(String(decoding: data, as: UTF8.self)).map(\.text)
    }
}
