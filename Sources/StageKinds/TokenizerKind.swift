import CanonicalJSON
import Dispatch
import Execution
import Corpus
import FileIO
import Foundation
import Tokenization

/// Trains BLOOM's byte-level BPE tokenizer on the upstream corpus.
public struct TokenizerKind: BuiltinKind {
    public let name = "tokenizer"
    public let version = 1

    public init() {}

    /// The `with:` block.
    struct Config: Decodable, Equatable {
        var vocab_size: Int?
        var reserved: Int?
        var dedup_lines: Bool?
        var input: String?

        static let knownKeys: Set<String> = ["vocab_size", "reserved", "dedup_lines", "input"]

        var vocabularySize: Int { vocab_size ?? 8192 }
        var reservedTokens: Int { reserved ?? 0 }
        var deduplicateLines: Bool { dedup_lines ?? true }
        var inputPattern: String { input ?? "*.txt" }
    }

    public func validate(config: JSONValue) throws {
        _ = try decode(config)
    }

    public func resolved(config: JSONValue) throws -> JSONValue {
        let c = try decode(config)
        return .object(["vocab_size": .int(c.vocabularySize), "reserved": .int(c.reservedTokens),
                        "dedup_lines": .bool(c.deduplicateLines), "input": .string(c.inputPattern)])
    }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        let config = try decode(config)
        let folder = try upstreamFolder(context)
        let files = try matchingFiles(in: folder, pattern: config.inputPattern)
        guard !files.isEmpty else {
            throw TokenizerStageError.noInput(folder: folder, pattern: config.inputPattern)
        }
        context.log("tokenizer: \(files.count) file(s) from \(folder), vocab \(config.vocabularySize), "
            + "reserved \(config.reservedTokens), dedup_lines \(config.deduplicateLines)")

        var options = BPETrainerConfiguration(vocabularySize: config.vocabularySize,
                                              reservedTokens: config.reservedTokens,
                                              deduplicateLines: config.deduplicateLines)
        options.workers = max(1, context.cores)
        let trainer = BPETrainer(options)
        let log = context.log
        let reporter = ProgressReporter(log: log, progress: context.progress)
        // Training is synchronous and CPU-bound: keep it off the cooperative thread pool.
        let outcome: TrainingOutcome = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .userInitiated).async {
                    continuation.resume(with: Result(catching: {
                        let isCancelled: @Sendable () -> Bool = { reporter.isCancelled || context.cancellation.isCancelled }
                        if files.allSatisfy({ $0.hasSuffix(".jsonl") }) {
                            return try trainer.train(texts: try Self.documentLines(files), progress: { reporter.report($0) }, isCancelled: isCancelled)
                        }
                        return try trainer.train(files: files, progress: { reporter.report($0) }, isCancelled: isCancelled)
                    }))
                }
            }
        } onCancel: {
            reporter.cancel()
        }

        let output = URL(fileURLWithPath: context.outputDirectory, isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try outcome.tokenizer.write(to: output.appendingPathComponent("tokenizer.json"))
        let s = outcome.statistics
        let metrics = Metrics(
            vocab_size: s.vocabularySize, merges: s.merges,
            padded_embedding_size: outcome.tokenizer.paddedEmbeddingSize(),
            training_seconds: s.trainingSeconds, counting_seconds: s.countingSeconds, merging_seconds: s.mergingSeconds,
            distinct_pieces: s.distinctPieces, sequences: s.sequences, kept_sequences: s.keptSequences,
            bytes_read: s.bytesRead, input_files: files.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(metrics).write(to: output.appendingPathComponent("metrics.json"), options: .atomic)
        log(String(format: "tokenizer: %d tokens (%d merges) in %.2f s", s.vocabularySize, s.merges, s.trainingSeconds))
    }

    /// The lines (each keeping its `\n`) of every document in corpus JSONL files (shards or
    /// fetched document files), in file order: the same sequences a text file of them would give.
    static func documentLines(_ files: [String]) throws -> [String] {
        var lines: [String] = []
        for file in files {
            let documents: [Document]
            do { documents = try DocumentFileReader.readShard(file).documents } catch {
                documents = try DocumentFileReader.readAll(file).documents
            }
            for document in documents {
                lines += document.text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }
            }
        }
        return lines
    }

    // MARK: - Config

    func decode(_ value: JSONValue) throws -> Config {
        let config: Config
        do {
            config = try value.decodeConfig(Config.self, knownKeys: Config.knownKeys)
        } catch let error as BuiltinConfigError {
            throw error
        } catch {
            throw BuiltinConfigError(field: "with", problem: "\(error)")
        }
        var options = BPETrainerConfiguration(vocabularySize: config.vocabularySize,
                                              reservedTokens: config.reservedTokens,
                                              deduplicateLines: config.deduplicateLines)
        options.workers = 1
        do {
            try options.validate()
        } catch TokenizerError.invalidConfiguration(let field, let problem) {
            let names = ["vocabularySize": "vocab_size", "reservedTokens": "reserved"]
            throw BuiltinConfigError(field: names[field] ?? field, problem: problem)
        }
        let pattern = config.inputPattern
        if pattern.isEmpty {
            throw BuiltinConfigError(field: "input", problem: "must not be empty")
        }
        if pattern.hasPrefix("/") || pattern.split(separator: "/").contains("..") {
            throw BuiltinConfigError(field: "input", problem: "must be relative to the upstream output folder, without '..': \(pattern)")
        }
        return config
    }

    // MARK: - Input

    /// The upstream corpus folder: the only upstream output, or the one named "corpus".
    func upstreamFolder(_ context: BuiltinContext) throws -> String {
        if context.upstreamOutputs.count == 1, let only = context.upstreamOutputs.first { return only.value }
        if let corpus = context.upstreamOutputs["corpus"] { return corpus }
        throw TokenizerStageError.ambiguousUpstream(Array(context.upstreamOutputs.keys).sorted())
    }

    /// Regular files under `folder` whose relative path matches `pattern`, sorted.
    func matchingFiles(in folder: String, pattern: String) throws -> [String] {
        guard let files = FileMatching.files(under: folder, matching: pattern) else { throw TokenizerStageError.unreadableFolder(folder) }
        return files
    }
}

/// metrics.json
struct Metrics: Encodable {
    var vocab_size: Int
    var merges: Int
    var padded_embedding_size: Int
    var training_seconds: Double
    var counting_seconds: Double
    var merging_seconds: Double
    var distinct_pieces: Int
    var sequences: Int
    var kept_sequences: Int
    var bytes_read: Int
    var input_files: Int
}

/// Failures of the tokenizer stage that are not configuration errors.
public enum TokenizerStageError: Error, CustomStringConvertible {
    case noInput(folder: String, pattern: String)
    case ambiguousUpstream([String])
    case unreadableFolder(String)

    public var description: String {
        switch self {
        case let .noInput(folder, pattern):
            return "tokenizer: no file in \(folder) matches input '\(pattern)' --- hint: set with.input, e.g. \"**/*.txt\" or \"*.jsonl\""
        case let .ambiguousUpstream(names):
            return "tokenizer: several upstream stages (\(names.joined(separator: ", "))) and none named 'corpus'"
        case let .unreadableFolder(folder):
            return "tokenizer: cannot list \(folder)"
        }
    }
}

/// Logs training progress about every 10%, reports it as the stage's progress (MB counted, then
/// merges made) at most once a second, and carries the cancellation flag.
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let log: @Sendable (String) -> Void
    private let throttle: ProgressThrottle
    private var lastDecile = -1
    private var cancelled = false

    init(log: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (StageProgress) -> Void = { _ in }) {
        self.log = log
        throttle = ProgressThrottle(emit: progress)
    }

    var isCancelled: Bool {
        lock.lock(); defer { lock.unlock() }
        return cancelled
    }

    func cancel() {
        lock.lock(); cancelled = true; lock.unlock()
    }

    func report(_ event: TrainingProgress) {
        switch event {
        case let .counting(read, total) where total > 0:
            throttle.report(StageProgress(done: (Double(read) / 1e5).rounded() / 10, total: (Double(total) / 1e5).rounded() / 10, unit: "MB", phase: "count"),
                            force: read == total)
            emit(phase: 0, fraction: Double(read) / Double(total), String(format: "counting: %.1f of %.1f MB", Double(read) / 1e6, Double(total) / 1e6))
        case let .counted(pieces, sequences, kept):
            log("tokenizer: \(pieces) distinct pieces from \(kept) of \(sequences) lines")
        case let .merging(done, total) where total > 0:
            throttle.report(StageProgress(done: Double(done), total: Double(total), unit: "merges", phase: "merge"), force: done == total)
            emit(phase: 1, fraction: Double(done) / Double(total), "merging: \(done) of \(total)")
        default:
            break
        }
    }

    private func emit(phase: Int, fraction: Double, _ message: String) {
        let decile = phase * 11 + Int(fraction * 10)
        lock.lock()
        let due = decile > lastDecile
        if due { lastDecile = decile }
        lock.unlock()
        if due { log("tokenizer: " + message) }
    }
}
