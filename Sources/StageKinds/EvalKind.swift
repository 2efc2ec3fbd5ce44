import CanonicalJSON
import Execution
import Foundation
import LMEvaluation

/// `kind: eval` — evaluates a checkpoint (the upstream train stage's model by default) on the
/// upstream corpus' held-out documents (perplexity, bits per byte, fertility per language), its
/// multiple-choice files (zero/one-shot `acc`, `acc_norm`), its parallel sets (one-shot greedy
/// translation, BLEU, chrF), and on lm-evaluation-harness task files.
///
/// ```yaml
/// eval:
///   kind: eval
///   needs: [pretrain, corpus]
///   deps: [tasks/ddtp-synopsis.yaml]
///   with: {translation: [en-fr, en-es], tasks: [tasks/ddtp-synopsis.yaml], task_data: corpus}
/// ```
/// Every key and its default: ``EvalConfiguration``. Outputs: `results/*.json` (one per task, with
/// the prompt format and the dataset digest), `harness/results.json` (+ `samples_*.jsonl`),
/// `results.json`, `metrics.json`.
public struct EvalKind: BuiltinKind {
    public let name = "eval"
    public let version = 1

    public init() {}

    public func validate(config: JSONValue) throws { _ = try decode(config) }

    public func resolved(config: JSONValue) throws -> JSONValue { try JSONValue(encoding: try decode(config)) }

    func decode(_ config: JSONValue) throws -> EvalConfiguration {
        do { return try EvalConfiguration.decode(json: Data(config.canonicalString.utf8)) } catch EvalError.invalidConfiguration(let field, let problem) {
            throw BuiltinConfigError(field: field, problem: problem)
        }
    }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        let configuration = try decode(config)
        let inputs = UpstreamFolders(context, kind: name)
        let trainFolder = try inputs.optionalFolder(containing: "training.json")
        let modelFolder = try Self.modelFolder(configuration.model, trainFolder: trainFolder, context: context)
        var run = EvalRun(configuration: configuration, modelFolder: modelFolder, trainFolder: trainFolder,
                          corpusFolder: try inputs.optionalFolder(containing: "manifest.json"),
                          output: context.outputDirectory, log: context.log,
                          onProgress: { [throttle = ProgressThrottle(emit: context.progress)] p in
                              throttle.report(StageProgress(done: Double(p.tasksDone), total: Double(p.tasksTotal), unit: "tasks", phase: "eval",
                                                            figures: [("requests", .number(Double(p.requests))), ("task", .text(p.task))]),
                                              force: p.tasksDone == p.tasksTotal)
                          })
        run.taskFiles = configuration.tasks.map { Self.path($0, in: context.workingDirectory) }
        if let stage = configuration.task_data {
            guard let folder = context.upstreamOutputs[stage] else {
                throw BuiltinConfigError(field: "task_data", problem: "'\(stage)' is not an upstream stage (upstream: \(context.upstreamOutputs.keys.sorted().joined(separator: ", ")))")
            }
            run.taskDataRoot = folder
        } else {
            run.taskDataRoot = context.workingDirectory
        }
        try await onOwnThread { [run] in try run.run() }
    }

    static func path(_ p: String, in folder: String) -> String { p.hasPrefix("/") ? p : folder + "/" + p }

    /// `with.model`: an upstream stage's output (its `model/` folder when it has one) or a folder
    /// relative to the manifest; by default the upstream train stage's `model/`.
    static func modelFolder(_ model: String?, trainFolder: String?, context: BuiltinContext) throws -> String {
        func checkpoint(in folder: String) -> String? {
            let fm = FileManager.default
            if fm.fileExists(atPath: folder + "/model/config.json") { return folder + "/model" }
            if fm.fileExists(atPath: folder + "/config.json") { return folder }
            return nil
        }
        guard let model else {
            guard let trainFolder else {
                throw BuiltinConfigError(field: "model", problem: "no upstream train stage; name the checkpoint (an upstream stage or a folder listed in deps)")
            }
            return trainFolder + "/model"
        }
        if let upstream = context.upstreamOutputs[model] {
            guard let folder = checkpoint(in: upstream) else {
                throw BuiltinConfigError(field: "model", problem: "upstream '\(model)' holds no checkpoint (config.json, or model/config.json)")
            }
            return folder
        }
        let folder = path(model, in: context.workingDirectory)
        guard let found = checkpoint(in: folder) else {
            throw BuiltinConfigError(field: "model", problem: "'\(model)' is neither an upstream stage nor a checkpoint folder (config.json, model.safetensors, tokenizer.json)")
        }
        return found
    }
}
