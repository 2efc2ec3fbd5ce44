import ArgumentParser
import Foundation
import PipelineGraph
import Report
import Scheduling

struct TableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table", abstract: "Print the experiment's models side by side: losses, per-language perplexity, throughput, eval scores.")

    @OptionGroup var manifest: ManifestOptions
    @Option(help: "How to print the tables.") var format: TableFormat = .text
    @Option(help: "Comma-separated languages for the per-language columns (default: all).") var languages: String?

    func run() async throws {
        try await guarded {
            let (experiment, graph) = try manifest.load()
            let results = try ExperimentResults.load(graph: graph, workspace: try manifest.workspace(for: experiment))
            let tables = ComparisonTables.make(results, languages: languages.map { $0.split(separator: ",").map(String.init) })
            guard !tables.isEmpty else {
                throw UsageError(message: "no train stage of \(experiment.manifest.name) has a stored result yet",
                                 hint: "run `trellis run -f \(manifest.manifest)` first; `trellis status` shows what is missing")
            }
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                print(String(decoding: try encoder.encode(tables), as: UTF8.self))
                return
            }
            print(tables.map { ComparisonTables.text($0, format: format) }.joined(separator: "\n"), terminator: "")
        }
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write one self-contained HTML page: the DAG with states and timings, loss curves, eval tables, the ablation comparison.")

    @OptionGroup var manifest: ManifestOptions
    @Option(name: [.short, .long], help: "Where to write the page (default: results/NAME-report.html beside the manifest).") var output: String?

    func run() async throws {
        try await guarded {
            let (experiment, graph) = try manifest.load()
            let workspace = try manifest.workspace(for: experiment)
            let results = try ExperimentResults.load(graph: graph, workspace: workspace)
            // Generated during a run: the stages running now are drawn as running, with their progress.
            let running = Dictionary(try workspace.runningStages(experiment: experiment.manifest.name).map { ($0.execution.stage, $0) }, uniquingKeysWith: { $1 })
            var document = ReportBuilder.document(experiment: experiment.manifest.name, manifestPath: manifest.manifest, results: results)
            let now = Date()
            for i in document.dag.nodes.indices {
                guard let r = running[document.dag.nodes[i].id] else { continue }
                document.dag.nodes[i].state = .running
                document.dag.nodes[i].progress = r.progress.map { ProgressText.describe($0, baseline: .init(time: r.execution.started, done: 0), now: now) }
                document.dag.nodes[i].fraction = r.progress?.fraction
            }
            let path = output ?? experiment.manifest.directory + "/results/\(experiment.manifest.name)-report.html"
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try Data(ReportRenderer.html(document).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            print("report: \(path) (\(results.stages.count) stages, \(results.models.count) models)")
        }
    }
}

/// Turns an experiment's results into the report's document model.
enum ReportBuilder {
    static func document(experiment: String, manifestPath: String, results: ExperimentResults) -> ReportDocument {
        let nodes = results.stages.map { s in
            ReportDAGNode(id: s.entry.instance.name, state: ReportNodeState(rawValue: s.entry.state.rawValue) ?? .missing, kind: s.kind,
                          seconds: s.seconds, finishedAt: s.finished.map { ISO8601DateFormatter().string(from: $0) })
        }
        let edges = results.stages.flatMap { s in s.entry.instance.upstream.map { ReportDAGEdge(from: $0, to: s.entry.instance.name) } }
        func series(_ records: [[String: Any]], _ y: String) -> [ReportPoint] {
            records.compactMap { r in number(r, "tokens").map { ReportPoint(x: $0, y: number(r, y) ?? .nan) } }
        }
        var curves: [ReportChart] = []
        if !results.models.isEmpty {
            curves.append(ReportChart(title: "Training loss", xLabel: "tokens", yLabel: "loss (nats/token)",
                                      series: results.models.map { ReportSeries(label: ExperimentResults.shortLabel($0), points: smoothed(series($0.steps, "loss"))) }))
            curves.append(ReportChart(title: "Validation loss", xLabel: "tokens", yLabel: "loss (nats/token)",
                                      series: results.models.map { ReportSeries(label: ExperimentResults.shortLabel($0), points: series($0.validation, "loss")) }))
            curves.append(ReportChart(title: "Learning rate", xLabel: "tokens", yLabel: "lr",
                                      series: results.models.map { ReportSeries(label: ExperimentResults.shortLabel($0), points: series($0.steps, "lr")) }))
        }
        let total = results.stages.compactMap(\.seconds).reduce(0, +)
        var facts = [ReportFact(key: "compute time of stored stages", value: String(format: "%.1f s", total))]
        for m in results.models {
            if let loss = number(m.summary, "final_validation_loss"), let tps = number(m.summary, "tokens_per_second") {
                facts.append(ReportFact(key: m.name, value: String(format: "validation loss %.3f, %.0f tokens/s, %@ parameters", loss, tps,
                                                                  NumberText.cell(number(m.summary, "parameters") ?? 0, ReportNumberFormat(style: .grouped, decimals: 0)))))
            }
        }
        var document = ReportDocument(title: "Trellis report: \(experiment)", subtitle: "Generated \(ISO8601DateFormatter().string(from: Date())) by trellis report",
                              experiment: experiment, manifestPath: manifestPath, facts: facts, dag: ReportDAG(nodes: nodes, edges: edges),
                              curves: curves, tables: ComparisonTables.make(results, languages: nil),
                              notes: ["Training-loss curves are smoothed with a centred moving average over 9 steps; validation points are as measured.",
                                      "Only stages whose outputs are fresh for the current manifest contribute results."])
        document.strips = TaskFileTables.strips(results.models.filter { $0.eval != nil })
        return document
    }

    /// Centred moving average over `window` points (NaN points break the average).
    static func smoothed(_ points: [ReportPoint], window: Int = 9) -> [ReportPoint] {
        guard points.count > window else { return points }
        let half = window / 2
        return points.indices.map { i in
            let range = max(0, i - half)...min(points.count - 1, i + half)
            let ys = range.map { points[$0].y }
            return ReportPoint(x: points[i].x, y: ys.reduce(0, +) / Double(ys.count))
        }
    }
}
