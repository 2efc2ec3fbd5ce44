import ArgumentParser
import Foundation
import LMEvaluation

/// `trellis bench eval`: requests per second of task files through each scoring path (one request
/// per forward pass, length-sorted batches, shared prefixes through the KV cache), measured side by
/// side in one process on the same requests; the median of `--runs`.
struct EvalBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Time log-likelihood scoring of task files: unbatched vs batched vs shared prefixes.")

    @Option(help: "A checkpoint folder (config.json, model.safetensors, tokenizer.json).") var model: String
    @Option(help: "Task files, comma-separated (multiple_choice / loglikelihood tasks are timed).") var tasks: String
    @Option(name: .customLong("data-root"), help: "Folder that relative data_files are read from (default: the current directory).") var dataRoot: String?
    @Option(help: "Documents per task.") var limit = 40
    @Option(help: "Timed runs per path (the median is reported).") var runs = 3
    @Option(name: .customLong("batch-size"), help: "Requests per forward pass of the batched path.") var batchSize = 8
    @Flag(help: "One JSON object instead of text.") var json = false

    func validate() throws {
        guard limit > 0, runs > 0, (1...4_096).contains(batchSize) else { throw ValidationError("limit and runs must be positive, batch size 1–4096") }
    }

    func run() async throws {
        try await guarded {
            let files = tasks.split(separator: ",").map(String.init)
            let dataRoot = self.dataRoot ?? FileManager.default.currentDirectoryPath
            let loaded = try HarnessEvaluation.load(files, dataRoot: dataRoot)
            let scored = files.enumerated().filter { [.multipleChoice, .loglikelihood].contains(loaded[$0.offset].0.outputType) }.map(\.element)
            guard !scored.isEmpty else { throw UsageError(message: "no multiple_choice or loglikelihood task among --tasks", hint: nil) }
            var rows: [[String: Any]] = []
            var reference: Double?
            for mode in HarnessLanguageModel.ScoringMode.allCases {
                var seconds: [Double] = [], requests = 0
                for _ in 0..<runs {
                    let output = NSTemporaryDirectory() + "trellis-eval-bench-\(UUID().uuidString)"
                    defer { try? FileManager.default.removeItem(atPath: output) }
                    var evaluation = HarnessEvaluation(modelFolder: model, taskFiles: scored, dataRoot: dataRoot, options: .init(limit: limit))
                    evaluation.batchSize = batchSize
                    evaluation.scoringMode = mode
                    var count = 0
                    evaluation.onProgress = { _, _, r, _ in count = r }
                    let start = Date()
                    try evaluation.run(output: output)
                    seconds.append(Date().timeIntervalSince(start))
                    requests = count
                }
                let median = seconds.sorted()[seconds.count / 2]
                let rate = Double(requests) / median
                if mode == .unbatched { reference = rate }
                rows.append(["path": mode.rawValue, "requests": requests, "median_seconds": median, "requests_per_second": rate,
                             "speedup": reference.map { rate / $0 } ?? 1, "runs": seconds])
            }
            if json {
                print(String(decoding: try JSONSerialization.data(withJSONObject: ["paths": rows, "cpu": SweepBenchmark.cpu], options: [.sortedKeys]), as: UTF8.self))
            } else {
                print("CPU: \(SweepBenchmark.cpu); \(scored.count) task files, \(limit) documents each, median of \(runs) runs")
                for row in rows {
                    let path = (row["path"] as! String).padding(toLength: 14, withPad: " ", startingAt: 0)
                    print(path + String(format: " %6d requests  %7.3f s  %8.1f requests/s  %5.2f× unbatched", row["requests"] as! Int,
                                 row["median_seconds"] as! Double, row["requests_per_second"] as! Double, row["speedup"] as! Double))
                }
            }
        }
    }
}
