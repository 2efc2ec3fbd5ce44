import ArgumentParser
import ContentStore
import Foundation
import PipelineGraph
import RunDatabase
import Scheduling

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List recent runs.")

    @OptionGroup var manifest: ManifestOptions
    @Option(help: "How many runs.") var limit = 20
    @Flag(help: "Machine-readable output.") var json = false

    func run() async throws {
        try await guarded {
            let (experiment, _) = try manifest.load()
            let workspace = try manifest.workspace(for: experiment)
            try workspace.database.closeAbandonedRuns()
            let runs = try workspace.database.runs(limit: limit)
            if json {
                printJSON(try runs.map { r -> [String: Any] in
                    let executions = try workspace.database.executions(run: r.id)
                    return ["id": r.id, "experiment": r.experiment, "manifest": r.manifest, "started": r.started.timeIntervalSince1970,
                            "ended": r.ended?.timeIntervalSince1970 ?? NSNull(), "status": r.status, "host": r.host,
                            "stages": executions.map { ["stage": $0.stage, "status": $0.status.rawValue, "key": $0.key] }]
                })
                return
            }
            let formatter = ISO8601DateFormatter()
            for r in runs {
                let executions = try workspace.database.executions(run: r.id)
                let counts = Dictionary(grouping: executions, by: \.status).map { "\($0.value.count) \($0.key.rawValue)" }.sorted().joined(separator: ", ")
                let seconds = r.ended.map { String(format: "%.1fs", $0.timeIntervalSince(r.started)) } ?? "-"
                print("#\(r.id)  \(formatter.string(from: r.started))  \(r.experiment)  \(r.status)  \(seconds)  \(counts)")
            }
        }
    }
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a stage: its key, output folder, metrics, resources and log.")

    @OptionGroup var manifest: ManifestOptions
    @Argument(help: "A stage (or matrix member) name.") var stage: String
    @Flag(help: "Machine-readable output.") var json = false

    func run() async throws {
        try await guarded {
            let (experiment, graph) = try manifest.load()
            let workspace = try manifest.workspace(for: experiment)
            for name in try graph.resolve(targets: [stage]) {
                let entry = try workspace.plan(graph, targets: [name], kindIdentity: kindIdentity).first { $0.instance.name == name }!
                let history = try workspace.database.executions(experiment: experiment.manifest.name, stage: name, limit: 5)
                let producer = try entry.key.flatMap { try workspace.database.producer(ofKey: $0.hex) }
                let metrics = try producer.map { try workspace.database.metrics(execution: $0.id) } ?? [:]
                let output = entry.tree.flatMap { try? workspace.trees.materialize($0) }
                let last = history.first
                let log = (last?.log).flatMap { try? workspace.trees.blobs.read($0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
                if json {
                    let executions: [[String: Any]] = history.map { e in
                        var row: [String: Any] = ["id": e.id, "run": e.runID, "status": e.status.rawValue, "key": e.key]
                        row["cpu_seconds"] = e.cpuSeconds
                        row["peak_memory_bytes"] = e.peakMemoryBytes
                        row["exit_code"] = e.exitCode.map { Int($0) }
                        row["error"] = e.error
                        row["numeric_path"] = e.numericPath
                        return row
                    }
                    var object: [String: Any] = ["stage": name, "state": entry.state.rawValue, "metrics": metrics, "reasons": entry.reasons, "executions": executions]
                    object["key"] = entry.key?.hex
                    object["output"] = output
                    printJSON(object)
                    continue
                }
                print("\(name)  [\(entry.state.rawValue)]")
                print("  key:     \(entry.key?.hex ?? "(not known until upstreams run)")")
                if let output { print("  output:  \(output)") }
                for (k, v) in metrics.sorted(by: { $0.key < $1.key }) { print("  metric   \(k) = \(v)") }
                for e in history {
                    let wall = e.ended.map { String(format: "%.2fs", $0.timeIntervalSince(e.started)) } ?? "-"
                    let cpu = e.cpuSeconds.map { String(format: "%.2fs cpu", $0) } ?? ""
                    let mem = e.peakMemoryBytes.map { "\(TerminalReporter.size($0)) peak" } ?? ""
                    print("  run #\(e.runID): \(e.status.rawValue)  \(wall) \(cpu) \(mem)" + (e.error.map { "  — \($0)" } ?? ""))
                    if let path = e.numericPath { print("           numeric path: \(path)") }
                }
                if !log.isEmpty {
                    print("  log of run #\(last!.runID) (last lines):")
                    for line in log.split(separator: "\n", omittingEmptySubsequences: false).suffix(20) { print("    │ " + line) }
                }
            }
        }
    }
}
