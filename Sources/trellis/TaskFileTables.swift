import Evaluation
import Foundation
import Report

/// The tables and strip plots of the eval stages' lm-evaluation-harness task files (`tasks` in the
/// eval stage's `results.json`): a score per task and metric (the median over its prompts), the
/// spread over prompts, and one strip plot per task and metric that has several prompts.
enum TaskFileTables {
    /// Per model: task → metric → prompt → score.
    static func scores(_ m: ExperimentResults.Model) -> [String: [String: [String: Double]]] {
        var out: [String: [String: [String: Double]]] = [:]
        for task in (m.eval?["tasks"] as? [[String: Any]]) ?? [] {
            guard let name = task["task"] as? String else { continue }
            for prompt in (task["prompts"] as? [[String: Any]]) ?? [] {
                guard let promptName = prompt["prompt"] as? String, let metrics = prompt["metrics"] as? [String: Any] else { continue }
                for (metric, value) in metrics {
                    guard let v = (value as? NSNumber)?.doubleValue, v.isFinite else { continue }
                    out[name, default: [:]][metric, default: [:]][promptName] = v
                }
            }
        }
        return out
    }

    static func tables(_ models: [ExperimentResults.Model], keyColumns: [ReportColumn], keyCells: (ExperimentResults.Model) -> [ReportCell]) -> [ReportTable] {
        let perModel = models.map { ($0, scores($0)) }
        let columns = Array(Set(perModel.flatMap { _, s in s.flatMap { task, metrics in metrics.keys.map { "\(task)/\($0)" } } })).sorted()
        guard !columns.isEmpty else { return [] }
        func distribution(_ s: [String: [String: [String: Double]]], _ column: String) -> PromptDistribution? {
            let parts = column.split(separator: "/", maxSplits: 1).map(String.init)
            return PromptDistribution(Array((s[parts[0]]?[parts[1]] ?? [:]).values))
        }
        var tables = [ReportTable(
            title: "Task files (lm-evaluation-harness)",
            caption: "Eval stage, task files of experiments/tasks: columns are task/metric; a task with several prompts shows the median over its prompts (harness conventions, docs/evaluation.md).",
            columns: keyColumns + columns.map { ReportColumn(name: $0, numeric: true, best: $0.contains("perplexity") || $0.hasSuffix("bits_per_byte") ? .min : .max) },
            rows: perModel.map { m, s in keyCells(m) + columns.map { c in distribution(s, c).map { .number($0.median, decimals: 3) } ?? .text("–") } })]
        var spreadRows: [[ReportCell]] = []
        for (m, s) in perModel {
            for column in columns {
                guard let d = distribution(s, column), d.count > 1 else { continue }
                spreadRows.append(keyCells(m) + [.text(column), .number(Double(d.count), decimals: 0), .number(d.minimum, decimals: 3),
                                                 .number(d.lowerQuartile, decimals: 3), .number(d.median, decimals: 3),
                                                 .number(d.upperQuartile, decimals: 3), .number(d.maximum, decimals: 3),
                                                 .number(d.interQuartileRange, decimals: 3)])
            }
        }
        if !spreadRows.isEmpty {
            tables.append(ReportTable(
                title: "Spread over prompts",
                caption: "Tasks with several prompts: the distribution of each metric over the prompts (numpy quantiles), as the paper's figures report prompted evaluations.",
                columns: keyColumns + [ReportColumn(name: "task/metric"), ReportColumn(name: "prompts", numeric: true),
                                       ReportColumn(name: "min", numeric: true), ReportColumn(name: "Q1", numeric: true),
                                       ReportColumn(name: "median", numeric: true), ReportColumn(name: "Q3", numeric: true),
                                       ReportColumn(name: "max", numeric: true), ReportColumn(name: "IQR", numeric: true)],
                rows: spreadRows))
        }
        return tables
    }

    static func strips(_ models: [ExperimentResults.Model]) -> [ReportStripPlot] {
        let perModel = models.map { (ExperimentResults.shortLabel($0), scores($0)) }
        var keys = Set<String>()
        for (_, s) in perModel { for (task, metrics) in s { for (metric, prompts) in metrics where prompts.count > 1 { keys.insert("\(task)/\(metric)") } } }
        return keys.sorted().map { key in
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            let rows = perModel.compactMap { label, s in s[parts[0]]?[parts[1]].map { ReportStripPlot.Row(label: label, scores: $0) } }
            return ReportStripPlot(title: "\(parts[0]): \(parts[1]) over prompts", metric: parts[1], rows: rows)
        }
    }
}
