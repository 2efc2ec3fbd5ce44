import CanonicalJSON
import Execution
import Foundation
import LMEvaluation

/// `kind: eval` — evaluates the upstream train stage's model on the upstream corpus' held-out
/// documents (perplexity, bits per byte, fertility per language), its multiple-choice files
/// (zero/one-shot `acc`, `acc_norm`) and its parallel sets (one-shot greedy translation, BLEU).
///
/// ```yaml
/// eval:
///   kind: eval
///   needs: [pretrain, corpus]
///   with: {translation: [en-fr, en-es], mc_limit: 100}
/// ```
/// Every key and its default: ``EvalConfiguration``. Outputs: `results/*.json` (one per task, with
/// the prompt format and the dataset digest), `results.json`, `metrics.json`.
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
        let run = EvalRun(configuration: configuration, trainFolder: try inputs.folder(containing: "training.json", what: "a trained model"),
                          corpusFolder: try inputs.folder(containing: "manifest.json", what: "a corpus"),
                          output: context.outputDirectory, log: context.log,
                          onProgress: { [throttle = ProgressThrottle(emit: context.progress)] p in
                              throttle.report(StageProgress(done: Double(p.tasksDone), total: Double(p.tasksTotal), unit: "tasks", phase: "eval",
                                                            figures: [("requests", .number(Double(p.requests))), ("task", .text(p.task))]),
                                              force: p.tasksDone == p.tasksTotal)
                          })
        try await onOwnThread { try run.run() }
    }
}
