import ArgumentParser
import Foundation
import PipelineGraph
import Scheduling

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show every stage as fresh, stale, missing or failed.")

    @OptionGroup var manifest: ManifestOptions
    @Argument(help: "Stages to show (default: all).") var targets: [String] = []
    @Flag(help: "Machine-readable output.") var json = false
    @Flag(help: "Rehash every dependency instead of trusting the stat cache.") var verify = false

    func run() async throws {
        try await guarded {
            let (experiment, graph) = try manifest.load()
            let workspace = try manifest.workspace(for: experiment)
            let entries = try workspace.plan(graph, targets: targets, kindIdentity: kindIdentity, rehash: verify)
            // Stages running now (another `trellis run`, here or as Slurm jobs), with their last progress.
            var running = try workspace.runningStages(experiment: experiment.manifest.name)
            if !running.isEmpty {
                let shown = Set(entries.map(\.instance.name))
                running = running.filter { shown.contains($0.execution.stage) }
            }
            if json {
                let byStage = Dictionary(running.map { ($0.execution.stage, $0) }, uniquingKeysWith: { $1 })
                printJSON(entries.map { e -> [String: Any] in
                    var row: [String: Any] = ["stage": e.instance.name, "state": e.state.rawValue, "key": e.key?.hex ?? NSNull(), "output": e.tree?.hex ?? NSNull(), "reasons": e.reasons]
                    if let r = byStage[e.instance.name] {
                        var running: [String: Any] = ["run": r.execution.runID, "started": r.execution.started.timeIntervalSince1970]
                        if let p = r.progress, let object = try? JSONSerialization.jsonObject(with: Data(p.jsonLine.utf8)) { running["progress"] = object }
                        row["running"] = running
                    }
                    return row
                })
                return
            }
            var width = 0
            var counts: [StageState: Int] = [:]
            for i in entries.indices {
                width = max(width, entries[i].instance.name.count)
                counts[entries[i].state, default: 0] += 1
            }
            width = min(48, width)
            var text = ""
            for i in entries.indices {
                let name = entries[i].instance.name, state = entries[i].state, reasons = entries[i].reasons
                text += name + String(repeating: " ", count: max(0, width - name.count)) + "  " + state.rawValue
                if state != .fresh {
                    let detail = (reasons.first?.split(separator: "\n").first.map(String.init) ?? "") + (reasons.count > 1 ? " (+\(reasons.count - 1) more)" : "")
                    text += String(repeating: " ", count: 7 - state.rawValue.count) + "  " + detail
                }
                text += "\n"
            }
            if !running.isEmpty {
                let now = Date()
                text += "\nrunning now:\n"
                for (execution, progress) in running {
                    let elapsed = ProgressText.duration(now.timeIntervalSince(execution.started))
                    let detail = progress.map { ProgressText.describe($0, baseline: .init(time: execution.started, done: 0), now: now) + "  " } ?? ""
                    text += "  \(execution.stage)  \(detail)(run \(execution.runID), \(elapsed))\n"
                }
            }
            print(text + "\n" + [StageState.fresh, .stale, .missing, .failed].compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
                  + (running.isEmpty ? "" : "; \(running.count) running"))
        }
    }
}

struct WhyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "why", abstract: "Explain what changed since a stage last succeeded.")

    @OptionGroup var manifest: ManifestOptions
    @Argument(help: "A stage (or matrix member) name.") var stage: String
    @Flag(help: "Machine-readable output.") var json = false

    func run() async throws {
        try await guarded {
            let (experiment, graph) = try manifest.load()
            let workspace = try manifest.workspace(for: experiment)
            let names = try graph.resolve(targets: [stage])
            let entries = try workspace.plan(graph, targets: names, kindIdentity: kindIdentity).filter { names.contains($0.instance.name) }
            if json {
                printJSON(entries.map { ["stage": $0.instance.name, "state": $0.state.rawValue, "reasons": $0.reasons] })
                return
            }
            for e in entries {
                switch e.state {
                case .fresh: print("\(e.instance.name) is up to date (key \(e.key!.short), output \(e.tree!.short))")
                default:
                    print("\(e.instance.name) is \(e.state.rawValue):")
                    for r in e.reasons { print("  - " + r) }
                }
            }
        }
    }
}

struct DagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dag", abstract: "Print the stage graph.")

    @OptionGroup var manifest: ManifestOptions
    @Option(help: "How to draw the graph.") var format: DagRenderer.Format = .text
    @Flag(help: "Annotate each stage with its state (reads the store).") var states = false

    func run() async throws {
        try await guarded {
            let (experiment, graph) = try manifest.load()
            var stateMap: [String: StageState] = [:]
            if states {
                let workspace = try manifest.workspace(for: experiment)
                for e in try workspace.plan(graph, targets: [], kindIdentity: kindIdentity) { stateMap[e.instance.name] = e.state }
            }
            print(DagRenderer.render(graph.instances, format: format, states: stateMap), terminator: "")
        }
    }
}
