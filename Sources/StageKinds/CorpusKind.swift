import CanonicalJSON
import Corpus
import Execution
import Foundation

/// `kind: fetch` — downloads (or finds in the cache) the Debian packages of a corpus selection without
/// installing them, and extracts plain text per (source, language) with package, version and licence
/// on every document, plus held-out evaluation sets.
///
/// Output folder: `text/<source>/<lang>.jsonl`, `eval/{parallel,summarization,mc}/…jsonl`, `sources.json`.
///
/// - `selection`: `demo` (~20 MB text, 13 languages, 6 code languages), `full` (~100 MB text + ~30 MB
///   code) or `fixtures` (tiny, offline; needs `cache_dir` pointing at a fixture cache such as the
///   corpus package's `Tests/CorpusTests/Fixtures/cache`).
/// - `cache_dir`: download cache, keyed by package name and version; relative paths resolve against
///   the working directory. Default: `.corpus-cache` in the working directory. A second run with a
///   warm cache downloads nothing.
///
/// The apt candidate version of a package is part of what the stage reads but not of its key: when
/// the archive changes, the output can change for the same key. Pin versions in a selection for
/// strict reproducibility.
public struct FetchKind: BuiltinKind {
    struct Config: Decodable {
        var selection: String
        var cache_dir: String?
    }
    static let keys: Set<String> = ["selection", "cache_dir"]

    public let name = "fetch"
    public let version = 1

    public init() {}

    public func validate(config: JSONValue) throws {
        let c = try config.decodeConfig(Config.self, knownKeys: Self.keys)
        guard Selection.builtinNames.contains(c.selection) else {
            throw BuiltinConfigError(field: "selection", problem: "'\(c.selection)' is not a selection (known: \(Selection.builtinNames.joined(separator: ", ")))")
        }
        if c.selection == "fixtures" && c.cache_dir == nil {
            throw BuiltinConfigError(field: "cache_dir", problem: "the fixtures selection is served offline from a fixture cache; set cache_dir (e.g. Tests/CorpusTests/Fixtures/cache of the corpus package)")
        }
        if let dir = c.cache_dir, dir.isEmpty {
            throw BuiltinConfigError(field: "cache_dir", problem: "must not be empty")
        }
    }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        try validate(config: config)
        let c = try config.decodeConfig(Config.self, knownKeys: Self.keys)
        let selection: Selection
        do { selection = try Selection.builtin(c.selection) } catch let error as CorpusError {
            throw BuiltinConfigError(field: "selection", problem: error.description)
        }
        let cache = resolve(c.cache_dir ?? ".corpus-cache", against: context.workingDirectory)
        let cancellation = context.cancellation
        var options = FetchOptions(cacheDirectory: cache, outputDirectory: context.outputDirectory, cores: max(1, context.cores),
                                   log: context.log, isCancelled: { cancellation.isCancelled })
        options.progress = { [report = context.progress] phase, done, total, packages in
            report(StageProgress(done: Double(done), total: Double(total), unit: "sources", phase: phase, figures: [("packages", .number(Double(packages)))]))
        }
        // Blocking work (subprocesses, file parsing on `cores` threads): keep it off the cooperative pool.
        let frozen = options
        let report = try await onOwnThread { try FetchStep.run(selection: selection, options: frozen) }
        context.log(String(format: "fetch %@: %d packages (%d downloaded, %.1f MB), text %.1f MB, code %.1f MB, %d eval files, %.1f s",
                           selection.name, report.packages.count, report.downloaded.count, Double(report.downloadedBytes) / 1e6,
                           Double(report.textBytes) / 1e6, Double(report.codeBytes) / 1e6, report.evalFiles.count, report.seconds))
        for package in report.downloaded { context.log("downloaded \(package.package) \(package.version) (\(package.debBytes) bytes)") }
    }
}

/// `kind: corpus` — turns the upstream fetch stage's documents into filtered, deduplicated, redacted,
/// deterministic shards (ROOTS-style), with `manifest.json`, `stats.json`, `report.md` and the held-out
/// `eval/` sets in the output folder. Output bytes do not depend on `cores`.
///
/// ```yaml
/// with:
///   filters: roots            # roots | none
///   dedup:
///     exact: true
///     near: true
///     simhash: {hamming: 4, blocks: 6, shingle: 6}
///     template_lines: {min_length: 15, min_count: 10}
///   pii: true                 # EMAIL, USER, IP_ADDRESS, KEY → PI:<TAG> in text documents
///   pii_in_code: false
///   decontaminate: true       # drop training lines that occur in the eval sets
///   shard_bytes: 67108864
///   perplexity:               # ROOTS filter 8 (with filters: roots); `enabled: false` turns it off
///     enabled: true
///     percentile: 98          # threshold = this percentile of held-out reference documents' perplexity
///     reference_sources: [libreoffice-help, debian-handbook, gnome-user-docs]
///     reference_bytes: 400000   # reference text per language
/// ```
public struct CorpusKind: BuiltinKind {
    struct Config: Decodable {
        var filters: String?
        var dedup: Dedup?
        var pii: Bool?
        var pii_in_code: Bool?
        var decontaminate: Bool?
        var shard_bytes: Int?
        var perplexity: Perplexity?

        struct Dedup: Decodable {
            var exact: Bool?
            var near: Bool?
            var simhash: SimHash?
            var template_lines: TemplateLines?
        }
        struct Perplexity: Decodable { var enabled: Bool?; var percentile: Double?; var reference_sources: [String]?; var reference_bytes: Int? }
        struct SimHash: Decodable { var hamming: Int?; var blocks: Int?; var shingle: Int? }
        struct TemplateLines: Decodable { var min_length: Int?; var min_count: Int? }
    }
    static let keys: Set<String> = ["filters", "dedup", "pii", "pii_in_code", "decontaminate", "shard_bytes", "perplexity"]

    public let name = "corpus"
    public let version = 1

    public init() {}

    public func validate(config: JSONValue) throws {
        _ = try configuration(config, input: "", output: "", cores: 1)
    }

    /// Every setting `configuration` decides, as a `with` block that decodes to the same settings.
    public func resolved(config: JSONValue) throws -> JSONValue {
        let c = try configuration(config, input: "", output: "", cores: 1)
        var dedup: [String: JSONValue] = ["exact": .bool(c.exactDedup), "near": .bool(c.nearDedup != nil)]
        if let near = c.nearDedup { dedup["simhash"] = .object(["hamming": .int(near.hamming), "blocks": .int(near.blocks), "shingle": .int(near.shingle)]) }
        if let lines = c.templateLines { dedup["template_lines"] = .object(["min_length": .int(lines.minLength), "min_count": .int(lines.minCount)]) }
        var perplexity: [String: JSONValue] = ["enabled": .bool(c.perplexity != nil)]
        if let p = c.perplexity {
            perplexity["percentile"] = .double(p.percentile)
            perplexity["reference_sources"] = .array(p.referenceSources.map { .string($0) })
            perplexity["reference_bytes"] = .int(p.referenceBytesPerLanguage)
        }
        return .object(["filters": .string(c.qualityFilters ? "roots" : "none"), "dedup": .object(dedup), "pii": .bool(c.pii),
                        "pii_in_code": .bool(c.piiInCode), "decontaminate": .bool(c.decontaminate), "shard_bytes": .int(c.shardBytes),
                        "perplexity": .object(perplexity)])
    }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        let input = try upstreamFolder(context)
        var configuration = try configuration(config, input: input, output: context.outputDirectory, cores: max(1, context.cores))
        let cancellation = context.cancellation
        let log = context.log
        let reporter = ProgressLogger(log: log, progress: context.progress)
        configuration.isCancelled = { cancellation.isCancelled }
        configuration.progress = { reporter.report($0) }
        let frozen = configuration
        let result = try await onOwnThread { try CorpusPipeline.run(frozen) }
        let total = result.stats.total
        log(String(format: "corpus: %d → %d documents, %.1f → %.1f MB in %d shards; exact dup %d, near dup %d, PII %d; %.1f MB/s",
                   total.documentsIn, total.documentsKept, Double(total.bytesIn) / 1e6, Double(total.bytesKept) / 1e6, result.shards.count,
                   total.removedDocuments(.exactDuplicate), total.removedDocuments(.nearDuplicate), total.redactions.total,
                   Double(result.inputTextBytes) / 1e6 / max(result.totalSeconds, 1e-9)))
    }

    /// Decodes and checks `with:`, naming the offending field.
    func configuration(_ config: JSONValue, input: String, output: String, cores: Int) throws -> CorpusConfiguration {
        let c = try config.decodeConfig(Config.self, knownKeys: Self.keys, nested: Self.nestedKeys)
        var result = CorpusConfiguration(inputDirectory: input, outputDirectory: output, cores: cores)
        switch c.filters ?? "roots" {
        case "roots": result.qualityFilters = true
        case "none": result.qualityFilters = false
        case let other: throw BuiltinConfigError(field: "filters", problem: "'\(other)' is not a filter set (known: roots, none)")
        }
        result.exactDedup = c.dedup?.exact ?? true
        if c.dedup?.near == false {
            result.nearDedup = nil
        } else {
            let s = c.dedup?.simhash
            result.nearDedup = (s?.hamming ?? 4, s?.blocks ?? 6, s?.shingle ?? 6)
        }
        if let t = c.dedup?.template_lines {
            result.templateLines = (t.min_length ?? 15, t.min_count ?? 10)
        }
        result.pii = c.pii ?? true
        result.piiInCode = c.pii_in_code ?? false
        result.decontaminate = c.decontaminate ?? true
        if let bytes = c.shard_bytes { result.shardBytes = bytes }
        if let p = c.perplexity {
            if p.enabled == false {
                result.perplexity = nil
            } else {
                var settings = PerplexitySettings()
                if let percentile = p.percentile { settings.percentile = percentile }
                if let sources = p.reference_sources { settings.referenceSources = sources }
                if let bytes = p.reference_bytes { settings.referenceBytesPerLanguage = bytes }
                result.perplexity = settings
            }
        }
        do { try result.validate() } catch let CorpusError.invalidConfiguration(field, problem) {
            throw BuiltinConfigError(field: field, problem: problem)
        }
        return result
    }

    /// Known keys of the nested objects of `with`.
    static let nestedKeys: [String: Set<String>] = [
        "dedup": ["exact", "near", "simhash", "template_lines"],
        "dedup.simhash": ["hamming", "blocks", "shingle"],
        "dedup.template_lines": ["min_length", "min_count"],
        "perplexity": ["enabled", "percentile", "reference_sources", "reference_bytes"],
    ]

    /// The fetch stage's folder: the only upstream, or the one holding `sources.json`.
    private func upstreamFolder(_ context: BuiltinContext) throws -> String {
        let withSources = context.upstreamOutputs.sorted { $0.key < $1.key }
            .filter { FileManager.default.fileExists(atPath: $0.value + "/sources.json") }
        guard withSources.count == 1 else {
            let names = context.upstreamOutputs.keys.sorted().joined(separator: ", ")
            throw BuiltinConfigError(field: "needs", problem: withSources.isEmpty
                ? "needs a fetch stage upstream (an output folder with sources.json); upstreams: [\(names)]"
                : "several upstreams hold sources.json (\(withSources.map(\.key).joined(separator: ", "))); keep one")
        }
        return withSources[0].value
    }
}

/// Logs corpus progress at phase changes and every 10% of the input, and reports it as the stage's
/// progress (MB of input, documents, MB/s) at most once a second.
private final class ProgressLogger: @unchecked Sendable {
    private let log: @Sendable (String) -> Void
    private let throttle: ProgressThrottle
    private let lock = NSLock()
    private var phase: CorpusProgress.Phase?
    private var decile = -1
    private var phaseStart = Date()

    init(log: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (StageProgress) -> Void) {
        self.log = log
        throttle = ProgressThrottle(emit: progress)
    }

    func report(_ progress: CorpusProgress) {
        lock.lock(); defer { lock.unlock() }
        if progress.phase != phase { phaseStart = Date() }
        let megabytes = Double(progress.bytesDone) / 1e6
        var figures: [(name: String, value: StageProgress.Figure)] = [("documents", .number(Double(progress.documentsDone)))]
        // The rate of the processing phase, once it has run long enough to mean something.
        let seconds = Date().timeIntervalSince(phaseStart)
        if progress.phase == .process, seconds >= 0.5 { figures.append(("MB/s", .number((megabytes / seconds * 10).rounded() / 10))) }
        throttle.report(StageProgress(done: (megabytes * 10).rounded() / 10, total: (Double(progress.bytesTotal) / 1e5).rounded() / 10, unit: "MB",
                                      phase: progress.phase.rawValue, figures: figures),
                        force: progress.bytesDone == progress.bytesTotal)
        let d = progress.bytesTotal == 0 ? 10 : min(10, 10 * progress.bytesDone / progress.bytesTotal)
        guard progress.phase != phase || d > decile else { return }
        if progress.phase != phase { decile = -1 }
        phase = progress.phase
        decile = d
        log("corpus \(progress.phase.rawValue): \(d * 10)% (\(progress.documentsDone) documents)")
    }
}

private func resolve(_ path: String, against directory: String) -> String {
    path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
}
