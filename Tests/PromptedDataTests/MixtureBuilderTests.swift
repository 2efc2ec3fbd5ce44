import CanonicalJSON
import Foundation
import PromptedData
import Testing

/// xP3's construction rules on small datasets: language filter, decontamination, trimming, empty and
/// multi-target drops, deduplication across the mixture, the cap after a seeded shuffle, held-out
/// tasks written apart; and errors that name the dataset, template and record.
@Suite struct MixtureBuilderTests {
    static func folder(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "mixture-\(UUID().uuidString)"
        for (name, text) in files {
            let path = root + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return root
    }

    static func configuration(_ yamlLike: JSONValue) throws -> MixtureConfiguration { try MixtureConfiguration.decode(yamlLike) }

    static let records = """
        {"format": "trellis.corpus.eval", "version": 1}
        {"text": "Alpha describes a tool.", "summary": "a tool", "lang": "en", "license": "Same licence text everywhere"}
        {"text": "Beta describes a library.", "summary": "a library", "lang": "en"}
        {"text": "Gamma décrit un outil.", "summary": "un outil", "lang": "fr"}
        {"text": "Delta has no summary.", "summary": "   ", "lang": "en"}
        {"text": "Epsilon has two answers.", "summary": "['one', 'two']", "lang": "en"}
        {"text": "Zeta has one answer in a list.", "summary": "['only']", "lang": "en"}
        {"text": "Alpha describes a tool.", "summary": "a tool", "lang": "en"}
        {"text": "The held-out evaluation sentence, verbatim.", "summary": "leaked", "lang": "en"}
        """

    func config(cap: Int = 100, seed: Int = 1, languages: JSONValue? = nil, heldOut: Bool = false) throws -> MixtureConfiguration {
        var template: [String: JSONValue] = ["name": .string("tldr"), "inputs": .string("  {{ text }}\nTL;DR:  "), "targets": .string("{{ summary }}")]
        if let languages { template["languages"] = languages }
        return try Self.configuration(.object([
            "seed": .int(seed), "cap": .int(cap),
            "decontaminate": .object(["files": .array([.string("eval/*.jsonl")])]),
            "datasets": .array([.object(["name": .string("descriptions"), "files": .array([.string("data/*.jsonl")]), "lang_field": .string("lang"),
                                         "held_out": .bool(heldOut), "templates": .array([.object(template)])])]),
        ]))
    }

    // The licence is provenance, shared with every record: it must not count as contamination.
    static let evalFile = #"{"question": "The HELD-OUT evaluation sentence verbatim!", "answer": 1, "license": "Same licence text everywhere"}"# + "\n"

    @Test func constructionRules() throws {
        let root = try Self.folder(["data/a.jsonl": Self.records, "eval/e.jsonl": Self.evalFile])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (examples, counts) = try MixtureBuilder(configuration: try config()) { _ in root }.build()
        #expect(Set(examples.map(\.targets)) == ["a tool", "a library", "un outil", "only"])
        #expect(examples.allSatisfy { $0.inputs.hasSuffix("TL;DR:") && !$0.inputs.hasPrefix(" ") && $0.task == "descriptions" && $0.template == "tldr" })
        let en = try #require(counts.first { $0.lang == "en" })
        #expect(en.kept == 3 && en.empty == 1 && en.multiTarget == 1 && en.duplicate == 1 && en.contaminated == 1 && en.capped == 0)
        #expect(counts.first { $0.lang == "fr" }?.kept == 1)
    }

    @Test func languagesCapAndSeededOrder() throws {
        let root = try Self.folder(["data/a.jsonl": Self.records, "eval/e.jsonl": Self.evalFile])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let french = try MixtureBuilder(configuration: try config(languages: .array([.string("fr")]))) { _ in root }.build().examples
        #expect(french.map(\.lang) == ["fr"])
        let capped = try MixtureBuilder(configuration: try config(cap: 1)) { _ in root }.build()
        #expect(capped.examples.count == 2 && capped.counts.first { $0.lang == "en" }?.capped ?? 0 > 0)
        let again = try MixtureBuilder(configuration: try config(cap: 1)) { _ in root }.build()
        #expect(again.examples == capped.examples, "the same seed keeps the same examples")
        let orders = try (1...6).map { seed in try MixtureBuilder(configuration: try config(seed: seed)) { _ in root }.build().examples.map(\.targets) }
        #expect(Set(orders).count > 1, "another seed shuffles differently")
    }

    @Test func writesTheXP3LayoutAndCounts() throws {
        let root = try Self.folder(["data/a.jsonl": Self.records, "eval/e.jsonl": Self.evalFile])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (examples, counts) = try MixtureBuilder(configuration: try config(heldOut: true)) { _ in root }.build()
        try MixtureWriter.write(examples, counts: counts, to: root + "/out")
        let lines = try String(contentsOfFile: root + "/out/heldout/en/descriptions.tldr.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONValue.parse(Data(lines[0].utf8))
        #expect(Set(first.objectValue?.keys.map { $0 } ?? []) == ["inputs", "targets", "task", "template", "lang", "split"])
        #expect(first["split"] == .string("heldout"))
        #expect(!FileManager.default.fileExists(atPath: root + "/out/xp3"))
        let table = try String(contentsOfFile: root + "/out/counts.md", encoding: .utf8)
        #expect(table.contains("| descriptions | tldr | en | yes | 3 | 1 | 1 | 1 | 1 | 0 |"))
    }

    @Test func codeKeepsItsWhiteSpace() throws {
        let root = try Self.folder(["code.jsonl": #"{"doc": "Add two numbers.", "code": "def add(a, b):\n    return a + b\n"}"# + "\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let c = try Self.configuration(.object(["datasets": .array([.object([
            "name": .string("code"), "kind": .string("code"), "lang": .string("python"), "files": .array([.string("*.jsonl")]),
            "templates": .array([.object(["name": .string("doc2code"), "inputs": .string("# {{ doc }}\n"), "targets": .string("{{ code }}")])]),
        ])])]))
        let e = try #require(try MixtureBuilder(configuration: c) { _ in root }.build().examples.first)
        #expect(e.inputs == "# Add two numbers.\n" && e.targets == "def add(a, b):\n    return a + b\n")
    }

    @Test func errorsNameDatasetTemplateAndRecord() throws {
        let root = try Self.folder(["data/a.jsonl": Self.records, "eval/e.jsonl": Self.evalFile])
        defer { try? FileManager.default.removeItem(atPath: root) }
        var c = try config()
        c.datasets[0].templates[0].targets = "{{ synopsis }}"
        do { _ = try MixtureBuilder(configuration: c) { _ in root }.build(); Issue.record("a missing field rendered") } catch let e as MixtureError {
            #expect(e.description.contains("dataset 'descriptions', template 'tldr', targets on data/a.jsonl record ") && e.description.contains("'synopsis' is undefined"), "\(e)")
        }
        #expect(throws: MixtureError.self) { try MixtureBuilder(configuration: try config(languages: .array([.string("de")]))) { _ in root }.build() }
        #expect(throws: MixtureError.invalidConfiguration(field: "datasets[0].template", problem: "unknown key (known: files, from, held_out, kind, lang, lang_field, name, task, templates)")) {
            try Self.configuration(.object(["datasets": .array([.object(["name": .string("d"), "files": .array([.string("x")]), "lang": .string("en"), "template": .array([])])])]))
        }
        #expect(throws: MixtureError.self) {
            try Self.configuration(.object(["datasets": .array([.object(["name": .string("d"), "files": .array([.string("x")]), "lang": .string("en"),
                                                                        "templates": .array([.object(["name": .string("t"), "inputs": .string("{% if x %}"), "targets": .string("y")])])])])]))
        }
        #expect(throws: MixtureError.self) { try Self.configuration(.object(["cap": .int(0), "datasets": .array([])])) }
    }
}
