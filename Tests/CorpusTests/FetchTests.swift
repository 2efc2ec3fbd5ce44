import CanonicalJSON
import Foundation
import Testing
@testable import Corpus

@Suite("Fetch step (fixture cache, offline)")
struct FetchTests {
    @Test("Extracts text per (source, language) with package, version and licence on every document")
    func extraction() throws {
        let (directory, report) = try Support.fetchFixtures()
        #expect(report.downloaded.isEmpty, "a cached/offline run downloads nothing")
        #expect(report.downloadedBytes == 0)
        let languages = Set(report.files.filter { $0.kind == .text }.map(\.language))
        #expect(languages.isSuperset(of: ["en", "fr", "es", "zh", "hi", "ar", "de"]))
        #expect(Set(report.files.filter { $0.kind == .code }.map(\.language)) == ["python", "lua"])
        for file in report.files {
            let (header, documents) = try DocumentFileReader.readAll(directory + "/" + file.path)
            #expect(header.fields["lang"] == .string(file.language))
            #expect(documents.count == file.documents && !documents.isEmpty)
            for d in documents {
                #expect(!d.package.isEmpty && !d.version.isEmpty && !d.license.isEmpty, "\(d.id)")
                #expect(d.source == file.source && d.language == file.language)
            }
        }
        let handbook = try DocumentFileReader.readAll(directory + "/text/debian-handbook/ar.jsonl").documents
        #expect(handbook.allSatisfy { $0.version == "11.20220922" && $0.license == "GPL-2.0+ or CC-BY-SA-3.0" })
        #expect(handbook.contains { $0.text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } })
    }

    @Test("sources.json lists files, packages with versions and licences, and eval sets")
    func sourcesFile() throws {
        let (directory, _) = try Support.fetchFixtures()
        let node = try JSONValue.parse(try CorpusFiles.read(directory + "/sources.json"))
        #expect(node["format"]?.stringValue == FetchStep.sourcesFormat)
        let packages = node["packages"]?.arrayValue ?? []
        #expect(packages.contains { $0["package"]?.stringValue == "libreoffice-help-fr" && $0["version"]?.stringValue == "4:7.4.7-1+deb12u14" && $0["license"]?.stringValue == "MPL-2.0" })
        #expect(packages.allSatisfy { $0["license"]?.stringValue?.isEmpty == false })
        #expect((node["eval"]?.arrayValue?.count ?? 0) > 0)
    }

    @Test("Held-out files become parallel pairs for several language pairs and never appear in training text")
    func heldOut() throws {
        let (directory, report) = try Support.fetchFixtures()
        let pairs = report.evalFiles.filter { $0.path.hasPrefix("eval/parallel/") }
        #expect(pairs.count >= 3, "\(report.evalFiles)")
        var evalIDs = Set<String>()
        for file in report.evalFiles {
            let reader = try LineReader(path: directory + "/" + file.path)
            _ = try FormatHeader.check(try reader.next(), format: FormatHeader.eval, maxVersion: 1, path: file.path)
            while let line = try reader.next() {
                let item = try JSONValue.parse(line)
                let id = item["id"]!.stringValue!
                evalIDs.insert(String(id.split(separator: "#")[0]))
                #expect(item["license"]?.stringValue?.isEmpty == false)
            }
        }
        #expect(report.evalFiles.contains { $0.path.hasPrefix("eval/summarization/") })
        #expect(report.evalFiles.contains { $0.path.hasPrefix("eval/mc/") })
        // A held-out file or description is held out in every language.
        let heldOutKeys = Set(evalIDs.map { id -> String in
            let parts = id.split(separator: "/", maxSplits: 2).map(String.init)
            return parts[0] == "ddtp" ? String(parts[2].split(separator: "/").last!) : parts[0] + "/" + parts[2]
        })
        for file in report.files where file.kind == .text {
            for d in try DocumentFileReader.readAll(directory + "/" + file.path).documents {
                let parts = d.id.split(separator: "/", maxSplits: 2).map(String.init)
                let key = parts[0] == "ddtp" ? String(parts[2].split(separator: "/").last!) : parts[0] + "/" + parts[2]
                #expect(!heldOutKeys.contains(key), "\(d.id) is held out but in training text")
            }
        }
    }

    @Test("Same cache, same selection: identical output bytes")
    func deterministic() throws {
        let a = try Support.fetchFixtures("a").directory, b = try Support.fetchFixtures("b").directory
        for relative in FileListing.files(under: a, extensions: [".jsonl", ".json"]) {
            #expect(FileManager.default.contents(atPath: a + "/" + relative) == FileManager.default.contents(atPath: b + "/" + relative), "\(relative)")
        }
    }

    @Test("Offline without the package in the cache: typed notCached error")
    func notCached() throws {
        var selection = try Selection.builtin("fixtures")
        selection.sources[3].packages = [PackageRef(package: "no-such-package", locale: nil, version: nil)]
        #expect(throws: CorpusError.notCached(package: "no-such-package", cacheDirectory: PackageCache(directory: Support.fixtureCache).directory)) {
            try FetchStep.run(selection: selection, options: FetchOptions(cacheDirectory: Support.fixtureCache, outputDirectory: Support.scratch()))
        }
    }

    @Test("DDTP indexes are cached per locale: a cached locale is reused, a missing one is a typed error offline")
    func ddtpPerLocale() throws {
        let cache = PackageCache(directory: Support.fixtureCache)
        let cached = try cache.ensureTranslations(locales: ["fr", "en"], offline: true, log: { _ in })
        #expect(cached.fromCache && cached.downloadBytes == 0)
        #expect(cached.dates["fr"] == "Sat, 11 Jul 2026 10:16:37 UTC")
        #expect(FileManager.default.fileExists(atPath: cached.path("fr")))
        #expect(throws: CorpusError.notCached(package: "ddtp (it)", cacheDirectory: cache.directory)) {
            try cache.ensureTranslations(locales: ["en", "it"], offline: true, log: { _ in })
        }
    }

    @Test("Bad selections: unknown language code, unknown extractor, missing locale folder")
    func badSelections() throws {
        func selection(_ sources: String) throws -> Selection {
            try Selection(node: try JSONValue.parse(Array(#"{"format":"trellis.corpus.selection","version":1,"name":"t","sources":[\#(sources)]}"#.utf8)), origin: "t")
        }
        #expect(throws: CorpusError.unknownLanguage(code: "xx", context: "selection 't', source 'd'")) {
            try selection(#"{"name":"d","extractor":"ddtp","locales":["en","xx"]}"#)
        }
        #expect(throws: CorpusError.self) { try selection(#"{"name":"d","extractor":"telepathy"}"#) }
        let missing = try selection(#"{"name":"debian-handbook","extractor":"publican-html","packages":[{"package":"debian-handbook"}],"root":"usr/share/doc/debian-handbook/html","locales":["en-US","fr-FR"],"reference":"en-US"}"#)
        #expect(throws: CorpusError.self) {
            try FetchStep.run(selection: missing, options: FetchOptions(cacheDirectory: Support.fixtureCache, outputDirectory: Support.scratch(), offline: true))
        }
        #expect(throws: CorpusError.self) { try Selection.builtin("nonexistent") }
    }

    @Test("Cache entries count only with their completion marker")
    func cacheMarker() throws {
        let cache = PackageCache(directory: Support.scratch())
        try CorpusFiles.makeDirectory(cache.directory + "/packages/half/1.0/root")
        #expect(cache.lookup("half", version: "1.0") == nil)
        #expect(cache.lookup("libreoffice-help-fr", version: nil) == nil)
        let fixtures = PackageCache(directory: Support.fixtureCache)
        #expect(fixtures.lookup("libreoffice-help-fr", version: "4:7.4.7-1+deb12u14")?.fromCache == true)
    }

    @Test("Shipped selections parse and describe the demo and full scales as data")
    func shippedSelections() throws {
        let demo = try Selection.builtin("demo"), full = try Selection.builtin("full")
        let demoLanguages = Set(demo.sources.flatMap { s in (s.extractor == .libreofficeHelp ? s.packages.compactMap(\.locale) : s.locales).compactMap(LanguageTable.normalize) })
        #expect(demoLanguages.count >= 8)
        #expect(demoLanguages.isSuperset(of: ["ar", "hi", "zh", "ja"]))
        #expect(demo.sources.filter { $0.extractor == .code }.count >= 4)
        #expect(full.sources.count > demo.sources.count)
    }
}
