import CanonicalJSON
import Execution
import Foundation
import PromptedData

/// `kind: prompts` — an xP3-style prompted mixture from JSON-lines datasets and named templates
/// (``MixtureConfiguration``; rules in ``MixtureBuilder``). Outputs `xp3/<lang>/<task>.<template>.jsonl`,
/// `heldout/<lang>/…` for held-out tasks, `counts.json` and `counts.md`.
///
/// ```yaml
/// prompts:
///   kind: prompts
///   needs: [corpus]
///   with:
///     decontaminate: {from: corpus, files: ["eval/*/*.jsonl"]}
///     datasets:
///       - {name: summaries, from: corpus, files: ["eval/summarization/*.jsonl"], lang_field: lang, held_out: true,
///          templates: [{name: tldr, inputs: "{{ text }}\nTL;DR:", targets: "{{ summary }}"}]}
/// ```
public struct PromptsKind: BuiltinKind {
    public let name = "prompts"
    public let version = 1

    public init() {}

    func decode(_ config: JSONValue) throws -> MixtureConfiguration {
        do { return try MixtureConfiguration.decode(config) } catch MixtureError.invalidConfiguration(let field, let problem) {
            throw BuiltinConfigError(field: field, problem: problem)
        } catch let e as MixtureError {
            throw BuiltinConfigError(field: "datasets", problem: e.description)
        }
    }

    public func validate(config: JSONValue) throws { _ = try decode(config) }

    public func resolved(config: JSONValue) throws -> JSONValue { try JSONValue(encoding: try decode(config)) }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        let configuration = try decode(config)
        var builder = MixtureBuilder(configuration: configuration) { stage in
            guard let stage else { return context.workingDirectory }
            guard let folder = context.upstreamOutputs[stage] else {
                throw BuiltinConfigError(field: "from", problem: "'\(stage)' is not an upstream stage (upstream: \(context.upstreamOutputs.keys.sorted().joined(separator: ", ")))")
            }
            return folder
        }
        builder.log = context.log
        try await onOwnThread { [builder] in
            let (examples, counts) = try builder.build()
            try MixtureWriter.write(examples, counts: counts, to: context.outputDirectory)
            context.log("prompts: \(examples.filter { !$0.heldOut }.count) training examples, \(examples.filter(\.heldOut).count) held out, in \(counts.count) (task, template, language) cells")
        }
    }
}
