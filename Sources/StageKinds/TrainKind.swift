import CanonicalJSON
import Execution
import FileIO
import Foundation
import Training

/// `kind: train` — pretrains a small BLOOM on the upstream corpus with the upstream tokenizer.
///
/// ```yaml
/// pretrain:
///   kind: train
///   needs: [corpus, tokenizer]
///   with:
///     model: {hidden: 128, layers: 4, heads: 4, position: alibi, embedding_layernorm: true}
///     sequence_length: 128
///     batch_size: 16            # global batch, sequences
///     tokens: 2000000           # budget
///     lr: 1e-3                  # warmup + cosine in tokens (warmup_tokens, decay_tokens, min_lr)
///     workers: 2                # data-parallel threads (default: the stage's cores)
///     # processes: 4            # …or data-parallel MPI processes (mpirun -np 4; mpi_launcher to change)
///     checkpoint_every: 100
/// ```
/// Every key and its default: ``TrainingConfiguration``. Outputs: `metrics.jsonl`, `validation.jsonl`,
/// `summary.json`, `metrics.json` (headline numbers for the run database), `model/` (HF format with
/// the tokenizer), `checkpoints/`. Checkpoints go to the stage's resume folder while it runs, so a
/// killed run resumes from the newest one.
public struct TrainKind: BuiltinKind {
    public let name = "train"
    public let version = 1

    public init() {}

    public func validate(config: JSONValue) throws {
        _ = try decode(config)
    }

    public func resolved(config: JSONValue) throws -> JSONValue { try JSONValue(encoding: try decode(config)) }

    func decode(_ config: JSONValue) throws -> TrainingConfiguration {
        do {
            return try TrainingConfiguration.decode(json: Data(config.canonicalString.utf8))
        } catch TrainingError.invalidConfiguration(let field, let problem) {
            throw BuiltinConfigError(field: field, problem: problem)
        }
    }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        let configuration = try decode(config)
        let inputs = UpstreamFolders(context, kind: name)
        let paths = TrainingRun.Paths(corpusFolder: try inputs.folder(containing: "manifest.json", what: "a corpus"),
                                      tokenizerFile: try inputs.folder(containing: "tokenizer.json", what: "a tokenizer") + "/tokenizer.json",
                                      output: context.outputDirectory,
                                      checkpointRoot: context.resumeDirectory ?? context.outputDirectory + "/.resume")
        let summary: TrainingSummary
        if configuration.usesMPI {
            let launcher = MPITrainingLauncher(configuration: configuration, paths: paths)
            try await onOwnThread { try launcher.run(context: context) }
            summary = try JSONDecoder().decode(TrainingSummary.self, from: Data(try FileContents.bytes(paths.output + "/summary.json")))
        } else {
            let workers = min(configuration.workers ?? max(1, context.cores), configuration.batch_ramp?.start ?? configuration.batch_size)
            let run = TrainingRun(configuration: configuration, paths: paths, workers: workers, log: context.log,
                                  isCancelled: { context.cancellation.isCancelled },
                                  onLogStep: { context.progress(TrainingProgressReport.progress($0, steps: $1, validationLoss: $2)) })
            summary = try await onOwnThread { try run.run() }
        }
        try HeadlineMetrics.write(summary: summary, to: context.outputDirectory + "/metrics.json")
        if context.resumeDirectory == nil { try? FileManager.default.removeItem(atPath: context.outputDirectory + "/.resume") }
    }
}

/// The headline numbers of a run as a flat `metrics.json` (what the run database and `collect` read).
enum HeadlineMetrics {
    static func write(summary s: TrainingSummary, to path: String) throws {
        var object: [String: Any] = [
            "final_loss": finite(s.final_loss), "validation_loss": finite(s.final_validation_loss), "tokens_per_second": s.tokens_per_second,
            "parameters": s.parameters, "tokens": s.tokens, "steps": s.steps, "seconds": s.seconds,
        ]
        for (group, loss) in s.validation { object["validation_loss_" + group] = finite(loss) }
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func finite(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
}

/// Finds upstream output folders by what they contain (a corpus holds `manifest.json`, a
/// tokenizer stage `tokenizer.json`, a train stage `model/config.json`).
struct UpstreamFolders {
    let kind: String
    let folders: [(name: String, path: String)]

    init(_ context: BuiltinContext, kind: String) {
        self.kind = kind
        folders = context.upstreamOutputs.sorted { $0.key < $1.key }.map { (name: $0.key, path: $0.value) }
    }

    /// The upstream folder holding `file`, nil when none does; several are an error.
    func optionalFolder(containing file: String) throws -> String? {
        let matches = folders.filter { FileManager.default.fileExists(atPath: $0.path + "/" + file) }
        guard matches.count <= 1 else {
            throw BuiltinConfigError(field: "needs", problem: "several upstream stages hold \(file): \(matches.map(\.name).joined(separator: ", "))")
        }
        return matches.first?.path
    }

    func folder(containing file: String, what: String) throws -> String {
        guard let folder = try optionalFolder(containing: file) else {
            throw MissingUpstream(kind: kind, what: "\(what) (\(file))", searched: folders.map(\.name))
        }
        return folder
    }
}

/// No upstream output holds what a builtin stage reads.
struct MissingUpstream: Error, CustomStringConvertible {
    var kind: String
    var what: String
    var searched: [String]
    var description: String {
        "\(kind): no upstream output holds \(what) (upstream: \(searched.isEmpty ? "none" : searched.joined(separator: ", "))) --- hint: list the stage that makes it in `needs`"
    }
}
