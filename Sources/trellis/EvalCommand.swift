import ArgumentParser
import Foundation
import LMEvaluation

/// `trellis eval`: a checkpoint folder on lm-evaluation-harness task files, outside any manifest,
/// writing the harness's results layout.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a BLOOM checkpoint folder on lm-evaluation-harness task files (YAML) and write the harness's results layout.")

    @Option(help: "A checkpoint folder: config.json, model.safetensors and tokenizer.json (a train stage's model/ folder, or an HF BLOOM folder).")
    var model: String

    @Option(help: "Task files, comma-separated (lm-evaluation-harness YAML; see docs/evaluation.md).")
    var tasks: String

    @Option(name: .customLong("data-root"), help: "Folder that relative data_files are read from (default: the current directory, as the harness).")
    var dataRoot: String?

    @Option(name: .customLong("num-fewshot"), help: "Few-shot examples per prompt, overriding each task's num_fewshot.")
    var numFewshot: Int?

    @Option(help: "Evaluate the first N documents of each task only.")
    var limit: Int?

    @Flag(name: .customLong("log-samples"), help: "Also write samples_<task>.jsonl with every request, response and per-document score.")
    var logSamples = false

    @Option(name: .customLong("fewshot-seed"), help: "Seed of the few-shot sampler (the harness's default: 1234).")
    var fewshotSeed = 1234

    @Option(name: .customLong("max-length"), help: "Longest input in tokens (default: the tokenizer's model_max_length, else 2048).")
    var maxLength: Int?

    @Option(name: .customLong("batch-size"), help: "Requests per forward pass.")
    var batchSize = 8

    @Option(help: "Folder for results.json (and the samples files).")
    var output: String

    func run() async throws {
        try await guarded {
            let files = tasks.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !files.isEmpty else { throw UsageError(message: "--tasks names no task file", hint: "e.g. --tasks tasks/ddtp-synopsis.yaml") }
            if let numFewshot, !(0...1_000).contains(numFewshot) { throw UsageError(message: "--num-fewshot must be between 0 and 1000", hint: nil) }
            if let limit, limit <= 0 { throw UsageError(message: "--limit must be positive", hint: nil) }
            if let maxLength, !(2...1_000_000).contains(maxLength) { throw UsageError(message: "--max-length must be between 2 and 1000000", hint: nil) }
            guard (1...4_096).contains(batchSize) else { throw UsageError(message: "--batch-size must be between 1 and 4096", hint: nil) }
            var options = HarnessTaskEvaluator.Options(numFewshot: numFewshot, limit: limit, logSamples: logSamples)
            options.fewshotSeed = fewshotSeed
            var evaluation = HarnessEvaluation(modelFolder: model, taskFiles: files, dataRoot: dataRoot ?? FileManager.default.currentDirectoryPath, options: options)
            evaluation.maxLength = maxLength
            evaluation.batchSize = batchSize
            evaluation.log = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let outcomes = try evaluation.run(output: output)
            for outcome in outcomes {
                for prompt in outcome.prompts {
                    let name = outcome.prompts.count == 1 ? outcome.task.name : "\(outcome.task.name).\(prompt.prompt)"
                    let figures = outcome.task.metrics.compactMap { m in prompt.metrics[m.name].map { String(format: "%@ %.4f", m.name, $0) } }
                    print("\(name)\t\(prompt.shots)-shot\tn=\(prompt.documents)\t" + figures.joined(separator: "\t"))
                }
            }
            print("results: \(output)/results.json")
        }
    }
}
