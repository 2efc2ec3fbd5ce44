import CanonicalJSON
import FileIO
import Foundation

/// Evaluates a checkpoint folder on lm-evaluation-harness task files and writes the harness's
/// results layout: `results.json`, and with `logSamples` one `samples_<task>.jsonl` per (sub)task.
public struct HarnessEvaluation {
    public var modelFolder: String
    public var taskFiles: [String]
    /// Where relative `data_files` are found (the harness: its working directory).
    public var dataRoot: String
    public var options: HarnessTaskEvaluator.Options
    public var maxLength: Int?
    public var batchSize = 8
    public var scoringMode = HarnessLanguageModel.ScoringMode.sharedPrefix
    public var log: (String) -> Void = { _ in }
    /// Prompts finished of all, and requests answered so far.
    public var onProgress: (_ promptsDone: Int, _ promptsTotal: Int, _ requests: Int, _ current: String) -> Void = { _, _, _, _ in }

    public init(modelFolder: String, taskFiles: [String], dataRoot: String, options: HarnessTaskEvaluator.Options) {
        self.modelFolder = modelFolder; self.taskFiles = taskFiles; self.dataRoot = dataRoot; self.options = options
    }

    /// Reads every task file and its data before the model is loaded, so a bad file fails fast.
    public static func load(_ files: [String], dataRoot: String) throws -> [(HarnessTask, [String: HarnessDataset])] {
        var seen: [String: String] = [:]
        return try files.map { file in
            let task = try HarnessTaskReader.read(file, dataRoot: dataRoot)
            if let other = seen[task.name] { throw TaskFileError(task.location, task: task.name, "the task name is also used by \(other)") }
            seen[task.name] = file
            var data: [String: HarnessDataset] = [:]
            for split in Set([task.testSplit, task.validationSplit, task.trainingSplit, task.fewshotSplit].compactMap { $0 }) {
                data[split] = try HarnessDataset.load(task.dataFiles[split]!, format: task.datasetFormat, task: task.name)
            }
            return (task, data)
        }
    }

    @discardableResult
    public func run(output: String) throws -> [HarnessResults.TaskOutcome] {
        let tasks = try Self.load(taskFiles, dataRoot: dataRoot)
        var lm = try HarnessLanguageModel(folder: modelFolder, maxLength: maxLength, batchSize: batchSize)
        lm.scoringMode = scoringMode
        let total = tasks.reduce(0) { $0 + $1.0.prompts.count }
        var done = 0, requests = 0, current = ""
        let report = onProgress
        lm.onScored = { n in requests += n; report(done, total, requests, current) }
        let evaluator = HarnessTaskEvaluator(model: lm, options: options)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var outcomes: [HarnessResults.TaskOutcome] = []
        for (task, data) in tasks {
            var prompts: [HarnessTaskEvaluator.PromptResult] = []
            for prompt in task.prompts {
                current = task.prompts.count == 1 ? task.name : "\(task.name) (\(prompt.name))"
                report(done, total, requests, current)
                let started = Date()
                let result = try evaluator.evaluate(task, prompt: prompt, data: data)
                prompts.append(result)
                done += 1
                report(done, total, requests, current)
                let figures = task.metrics.compactMap { m in result.metrics[m.name].map { String(format: "%@ %.4f", m.name, $0) } }.joined(separator: ", ")
                log(String(format: "eval: %@ %d-shot: %@ (%d documents, %.1f s)", current, result.shots, figures, result.documents, Date().timeIntervalSince(started)))
                if options.logSamples {
                    let name = task.prompts.count == 1 ? task.name : task.name + "." + prompt.name
                    let lines = result.samples.map { $0.canonicalString }.joined(separator: "\n") + "\n"
                    try AtomicFile.write(lines, to: output + "/samples_\(Self.fileSafe(name)).jsonl")
                }
            }
            outcomes.append(HarnessResults.TaskOutcome(task: task, prompts: prompts, totalDocuments: data[task.evaluationSplit]?.documents.count ?? 0))
        }
        let config: [String: JSONValue] = [
            "model": .string("trellis"), "model_args": .string("pretrained=\(modelFolder)"), "batch_size": .int(batchSize),
            "limit": options.limit.map { .int($0) } ?? .null, "num_fewshot": options.numFewshot.map { .int($0) } ?? .null,
            "fewshot_seed": .int(options.fewshotSeed), "max_length": .int(lm.maxLength), "bootstrap_iters": .int(1000),
            "scoring": .string(scoringMode.rawValue),
        ]
        let document = HarnessResults.document(outcomes, config: config)
        try AtomicFile.write(Self.pretty(document), to: output + "/results.json")
        return outcomes
    }

    static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }

    /// Indented JSON (sorted keys), as people read results files.
    static func pretty(_ value: JSONValue) -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(value.canonicalString.utf8))
        guard let object, let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else { return value.canonicalString }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
