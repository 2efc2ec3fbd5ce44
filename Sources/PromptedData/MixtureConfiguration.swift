import CanonicalJSON
import PromptTemplates

/// What a `prompts` stage builds (its `with:` block): datasets of JSON-lines records, each rendered
/// through named templates into xP3's `{"inputs", "targets"}` examples.
///
/// ```yaml
/// with:
///   seed: 1234
///   cap: 100000                    # examples per (dataset, template), after the shuffle
///   decontaminate: {from: corpus, files: ["eval/*/*.jsonl"]}
///   datasets:
///     - name: ddtp-summarization
///       from: corpus               # an upstream output; files are globs inside it
///       files: ["shards/*/ddtp*.jsonl"]
///       lang_field: lang
///       held_out: false
///       templates:
///         - {name: tldr, inputs: "{{ text }}\nTL;DR:", targets: "{{ synopsis }}", languages: [en, fr]}
/// ```
public struct MixtureConfiguration: Codable, Equatable, Sendable {
    public struct Template: Codable, Equatable, Sendable {
        public var name: String
        public var inputs: String
        public var targets: String
        /// Only records in these languages (default: all).
        public var languages: [String]?
    }

    public struct Dataset: Codable, Equatable, Sendable {
        public var name: String
        /// The task name written on each example (default: the dataset's name).
        public var task: String?
        /// An upstream stage whose output holds `files` (default: the manifest's folder).
        public var from: String?
        /// Globs (`*` within one path component) relative to `from`.
        public var files: [String]
        /// `text` (inputs and targets trimmed) or `code` (white space kept: the newline between a
        /// code input and its target is part of the example).
        public var kind: String?
        /// A fixed language for every record, or the field that holds it.
        public var lang: String?
        public var lang_field: String?
        /// Held-out tasks are written apart (`heldout/`) and never trained on: the generalisation test.
        public var held_out: Bool?
        public var templates: [Template]
    }

    public struct Decontamination: Codable, Equatable, Sendable {
        public var from: String?
        public var files: [String]
    }

    public var seed: Int = 1234
    public var cap: Int = 100_000
    public var datasets: [Dataset] = []
    public var decontaminate: Decontamination?

    public init() {}

    enum CodingKeys: String, CodingKey { case seed, cap, datasets, decontaminate }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decodeIfPresent(Int.self, forKey: .seed) ?? 1234
        cap = try c.decodeIfPresent(Int.self, forKey: .cap) ?? 100_000
        datasets = try c.decode([Dataset].self, forKey: .datasets)
        decontaminate = try c.decodeIfPresent(Decontamination.self, forKey: .decontaminate)
    }

    public static let knownKeys: Set<String> = ["seed", "cap", "datasets", "decontaminate"]
    static let nested: [String: Set<String>] = [
        "datasets": ["name", "task", "from", "files", "kind", "lang", "lang_field", "held_out", "templates"],
        "templates": ["name", "inputs", "targets", "languages"],
        "decontaminate": ["from", "files"],
    ]

    /// Decodes a `with:` block, refusing unknown keys at every level (datasets and templates are lists
    /// of objects, checked one by one) and validating the result.
    public static func decode(_ json: JSONValue) throws -> MixtureConfiguration {
        func refuse(_ value: JSONValue?, known: Set<String>, at path: String) throws {
            guard case .object(let members)? = value else { return }
            for key in members.keys.sorted() where !known.contains(key) {
                throw MixtureError.invalidConfiguration(field: path.isEmpty ? key : path + "." + key,
                                                        problem: "unknown key (known: \(known.sorted().joined(separator: ", ")))")
            }
        }
        try refuse(json, known: knownKeys, at: "")
        try refuse(json["decontaminate"], known: nested["decontaminate"]!, at: "decontaminate")
        if case .array(let datasets)? = json["datasets"] {
            for (i, d) in datasets.enumerated() {
                try refuse(d, known: nested["datasets"]!, at: "datasets[\(i)]")
                if case .array(let templates)? = d["templates"] {
                    for (j, t) in templates.enumerated() { try refuse(t, known: nested["templates"]!, at: "datasets[\(i)].templates[\(j)]") }
                }
            }
        }
        let configuration: MixtureConfiguration
        do { configuration = try json.decode(MixtureConfiguration.self, knownKeys: knownKeys) } catch let p as JSONValue.DecodeProblem {
            throw MixtureError.invalidConfiguration(field: p.field, problem: p.problem)
        }
        try configuration.validate()
        return configuration
    }

    /// Checks values and parses every template, so a bad one fails while planning.
    public func validate() throws {
        func bad(_ field: String, _ problem: String) -> MixtureError { .invalidConfiguration(field: field, problem: problem) }
        guard !datasets.isEmpty else { throw bad("datasets", "must list at least one dataset") }
        guard (1...100_000_000).contains(cap) else { throw bad("cap", "must be between 1 and 100000000") }
        var names = Set<String>()
        for (i, d) in datasets.enumerated() {
            let field = "datasets[\(i)]"
            guard !d.name.isEmpty, d.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw bad(field + ".name", "'\(d.name)' must be letters, digits, '-', '_' or '.'")
            }
            guard names.insert(d.name).inserted else { throw bad(field + ".name", "'\(d.name)' is used twice") }
            guard !d.files.isEmpty else { throw bad(field + ".files", "must list at least one file or glob") }
            guard d.files.allSatisfy({ !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..") }) else {
                throw bad(field + ".files", "paths are relative to `from` (no '/' at the start, no '..')")
            }
            guard d.lang != nil || d.lang_field != nil else { throw bad(field, "needs `lang` (one language) or `lang_field`") }
            guard d.kind == nil || d.kind == "text" || d.kind == "code" else { throw bad(field + ".kind", "is text or code") }
            guard !d.templates.isEmpty else { throw bad(field + ".templates", "must list at least one template") }
            var templateNames = Set<String>()
            for (j, t) in d.templates.enumerated() {
                let tf = "\(field).templates[\(j)]"
                guard !t.name.isEmpty, t.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_".contains($0) }) else {
                    throw bad(tf + ".name", "'\(t.name)' must be letters, digits, '-' or '_'")
                }
                guard templateNames.insert(t.name).inserted else { throw bad(tf + ".name", "'\(t.name)' is used twice") }
                for (part, source) in [("inputs", t.inputs), ("targets", t.targets)] {
                    do { _ = try PromptTemplate(source) } catch let e as TemplateError {
                        throw MixtureError.template(dataset: d.name, template: t.name, part: part, record: nil, problem: e.description)
                    }
                }
            }
        }
    }
}

/// Why a prompted mixture could not be built, naming the dataset, template and record.
public enum MixtureError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(field: String, problem: String)
    case template(dataset: String, template: String, part: String, record: String?, problem: String)
    case noFiles(dataset: String, patterns: [String], folder: String)
    case noRecords(dataset: String, template: String?, reason: String)
    case missingLanguage(dataset: String, record: String)
    case badRecordFile(String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(field, problem): return "with.\(field): \(problem)"
        case let .template(dataset, template, part, record, problem):
            return "dataset '\(dataset)', template '\(template)', \(part)\(record.map { " on \($0)" } ?? ""): \(problem)"
        case let .noFiles(dataset, patterns, folder): return "dataset '\(dataset)': no file matches \(patterns.joined(separator: ", ")) in \(folder)"
        case let .noRecords(dataset, template, reason):
            return "dataset '\(dataset)'\(template.map { ", template '\($0)'" } ?? ""): no examples left (\(reason))"
        case let .missingLanguage(dataset, record): return "dataset '\(dataset)': \(record) has no language in its lang_field"
        case let .badRecordFile(problem): return problem
        }
    }
}
