import ContentDigest
import FileIO
import Foundation
import PromptTemplates

/// Builds an xP3-style prompted mixture: for every (dataset, template), the records in a seeded
/// order (SHA-256 of seed, dataset, template and record position), rendered, filtered and capped.
///
/// Rules, in order, per record: records whose language the template does not take are skipped;
/// records with a content field equal (after normalisation) to a content field of an evaluation
/// file are dropped (decontamination; provenance fields such as licence and package are not content); the rendered inputs and targets are trimmed (text) or kept as written (code);
/// an empty one drops the example, a target that renders to a list of several answers drops it
/// (multi-target), a one-element list is its element; an example already in the mixture (same
/// inputs and targets) is dropped; at most `cap` examples are kept per (dataset, template).
public struct MixtureBuilder {
    public struct Example: Equatable, Sendable {
        public var inputs: String
        public var targets: String
        public var task: String
        public var template: String
        public var lang: String
        public var heldOut: Bool
    }

    /// What happened to the records of one (dataset, template, language).
    public struct Count: Equatable, Sendable {
        public var task: String, template: String, lang: String
        public var heldOut: Bool
        public var kept = 0, empty = 0, multiTarget = 0, duplicate = 0, contaminated = 0, capped = 0
    }

    public var configuration: MixtureConfiguration
    /// The folder an upstream stage's output is in (`nil`: the manifest's folder).
    public var folder: (String?) throws -> String
    public var log: (String) -> Void = { _ in }

    public init(configuration: MixtureConfiguration, folder: @escaping (String?) throws -> String) {
        self.configuration = configuration; self.folder = folder
    }

    public func build() throws -> (examples: [Example], counts: [Count]) {
        let evalTexts = try evaluationTexts()
        var seen = Set<String>()
        var examples: [Example] = [], counts: [Count] = []
        for dataset in configuration.datasets {
            let records = try loadRecords(dataset)
            let code = dataset.kind == "code"
            // Decontamination once per record.
            let clean = records.map { r in !Self.contentTexts(r.record).contains { evalTexts.contains(Self.normalised($0)) } }
            for template in dataset.templates {
                let inputs = try PromptTemplate(template.inputs), targets = try PromptTemplate(template.targets)
                var perLanguage: [String: Count] = [:]
                let ranks = records.indices.map { Self.rank(configuration.seed, dataset.name, template.name, $0) }
                let order = records.indices.sorted { ranks[$0] < ranks[$1] }
                for index in order {
                    let (record, origin, lang) = records[index]
                    if let languages = template.languages, !languages.contains(lang) { continue }
                    var count = perLanguage[lang] ?? Count(task: dataset.task ?? dataset.name, template: template.name, lang: lang, heldOut: dataset.held_out ?? false)
                    defer { perLanguage[lang] = count }
                    guard clean[index] else { count.contaminated += 1; continue }
                    guard count.kept < configuration.cap else { count.capped += 1; continue }
                    func render(_ t: PromptTemplate, _ part: String) throws -> TemplateValue {
                        do { return .string(try t.render(record)) } catch let e as TemplateError {
                            throw MixtureError.template(dataset: dataset.name, template: template.name, part: part, record: origin, problem: e.description)
                        }
                    }
                    var input = try render(inputs, "inputs").pythonString, target = try render(targets, "targets").pythonString
                    if target.hasPrefix("["), target.hasSuffix("]"), case .list(let answers)? = PromptTemplate.literal(target) {
                        guard answers.count == 1 else { count.multiTarget += 1; continue }
                        target = answers[0].pythonString
                    }
                    if !code {
                        input = input.trimmingCharacters(in: .whitespacesAndNewlines)
                        target = target.trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                    guard !input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                          !target.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { count.empty += 1; continue }
                    guard seen.insert(input + "\u{1F}" + target).inserted else { count.duplicate += 1; continue }
                    count.kept += 1
                    examples.append(Example(inputs: input, targets: target, task: count.task, template: template.name, lang: lang, heldOut: count.heldOut))
                }
                let kept = perLanguage.values.reduce(0) { $0 + $1.kept }
                guard kept > 0 else {
                    let seen = perLanguage.values.reduce(0) { $0 + $1.kept + $1.empty + $1.multiTarget + $1.duplicate + $1.contaminated }
                    throw MixtureError.noRecords(dataset: dataset.name, template: template.name,
                                                 reason: seen == 0 ? "no record in the template's languages \(template.languages ?? [])" : "all \(seen) were empty, multi-target, duplicates or contaminated")
                }
                counts += perLanguage.values.sorted { $0.lang < $1.lang }
                log("prompts: \(dataset.name)/\(template.name): \(kept) examples in \(perLanguage.count) language(s)")
            }
        }
        return (examples, counts)
    }

    /// The records of a dataset with their origin (`file:line`-like) and language.
    func loadRecords(_ dataset: MixtureConfiguration.Dataset) throws -> [(record: RecordFiles.Record, origin: String, lang: String)] {
        let base = try folder(dataset.from)
        var files: [String] = []
        for pattern in dataset.files { files += FileMatching.files(under: base, matching: pattern) ?? [] }
        files = Array(Set(files)).sorted()
        guard !files.isEmpty else { throw MixtureError.noFiles(dataset: dataset.name, patterns: dataset.files, folder: base) }
        var out: [(RecordFiles.Record, String, String)] = []
        for file in files {
            let records: [RecordFiles.Record]
            do { records = try RecordFiles.read(file) } catch let e as RecordFiles.ReadError { throw MixtureError.badRecordFile(e.description) }
            let name = String(file.dropFirst(base.count).drop { $0 == "/" })
            for (i, r) in records.enumerated() {
                let origin = "\(name) record \(i + 1)"
                let lang: String
                if let field = dataset.lang_field {
                    guard case .string(let l)? = r[field], !l.isEmpty else { throw MixtureError.missingLanguage(dataset: dataset.name, record: origin) }
                    lang = l
                } else { lang = dataset.lang ?? "" }
                out.append((r, origin, lang))
            }
        }
        guard !out.isEmpty else { throw MixtureError.noRecords(dataset: dataset.name, template: nil, reason: "its files hold no records") }
        return out
    }

    /// Normalised texts of every string field of the evaluation files (at least 8 characters).
    func evaluationTexts() throws -> Set<String> {
        guard let d = configuration.decontaminate else { return [] }
        let base = try folder(d.from)
        var texts = Set<String>()
        for pattern in d.files {
            for file in FileMatching.files(under: base, matching: pattern) ?? [] {
                let records: [RecordFiles.Record]
                do { records = try RecordFiles.read(file) } catch let e as RecordFiles.ReadError { throw MixtureError.badRecordFile(e.description) }
                for r in records { for t in Self.contentTexts(r) { let n = Self.normalised(t); if n.count >= 8 { texts.insert(n) } } }
            }
        }
        log("prompts: \(texts.count) evaluation texts to decontaminate against")
        return texts
    }

    /// Provenance fields, the same on every record of a source (licence, package, version …): never
    /// evidence of contamination.
    static let provenanceFields: Set<String> = ["id", "license", "source", "package", "version", "lang", "kind", "format", "split", "task", "template"]

    /// The texts of a record's content fields (provenance fields left out), lists and objects included.
    static func contentTexts(_ record: RecordFiles.Record) -> [String] {
        record.filter { !provenanceFields.contains($0.key) }.values.flatMap(texts)
    }

    static func texts(of value: TemplateValue) -> [String] {
        switch value {
        case .string(let s): return [s]
        case .list(let l): return l.flatMap(texts)
        case .dict(let d): return d.values.flatMap(texts)
        default: return []
        }
    }

    /// Lower-cased letters and digits, other runs as one space: exact and normalised matches at once.
    static func normalised(_ text: String) -> String {
        var out = "", pendingSpace = false
        for c in text.lowercased() {
            if c.isLetter || c.isNumber {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                out.append(c); pendingSpace = false
            } else { pendingSpace = true }
        }
        return out
    }

    /// The seeded position of record `index` for (dataset, template).
    static func rank(_ seed: Int, _ dataset: String, _ template: String, _ index: Int) -> String {
        Digest.of(string: "\(seed)\u{1F}\(dataset)\u{1F}\(template)\u{1F}\(index)").hex
    }
}
