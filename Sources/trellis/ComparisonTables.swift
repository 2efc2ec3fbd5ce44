import Foundation
import Report

/// The side-by-side tables of an experiment's models (one row per train stage instance):
/// pretraining, held-out bits per byte, multiple choice and translation.
enum ComparisonTables {
    static func make(_ results: ExperimentResults, languages: [String]?) -> [ReportTable] {
        let models = results.models
        guard !models.isEmpty else { return [] }
        let coordinateKeys = Array(Set(models.flatMap { $0.coordinates.keys })).sorted()
        func keyCells(_ m: ExperimentResults.Model) -> [ReportCell] {
            [.text(coordinateKeys.isEmpty ? m.name : m.stage)] + coordinateKeys.map { .text(m.coordinates[$0] ?? "") }
        }
        let keyColumns = [ReportColumn(name: "model")] + coordinateKeys.map { ReportColumn(name: ExperimentResults.axisName($0)) }
        func cell(_ value: Double?, _ decimals: Int) -> ReportCell { value.map { .number($0, decimals: decimals) } ?? .text("–") }
        func chosen(_ all: [String]) -> [String] { languages.map { l in all.filter { l.contains($0) } } ?? all }

        var tables: [ReportTable] = []
        let validationLanguages = chosen(Array(Set(models.flatMap { ($0.summary["validation"] as? [String: Any])?.keys.map { $0 } ?? [] })).sorted())
        tables.append(ReportTable(
            title: "Pretraining",
            caption: "Validation loss in nats per token (held-out documents, token-weighted over languages); per-language columns are validation perplexity. Throughput is the median tokens/s of the run's steps.",
            columns: keyColumns + [
                ReportColumn(name: "params", numeric: true), ReportColumn(name: "tokens", numeric: true),
                ReportColumn(name: "train loss", numeric: true, best: .min), ReportColumn(name: "val loss", numeric: true, best: .min),
                ReportColumn(name: "tokens/s", numeric: true, best: .max),
            ] + validationLanguages.map { ReportColumn(name: "ppl " + $0, numeric: true, best: .min) },
            rows: models.map { m in
                keyCells(m) + [
                    number(m.summary, "parameters").map { .number($0, ReportNumberFormat(style: .grouped, decimals: 0)) } ?? .text("–"),
                    number(m.summary, "tokens").map { .number($0, ReportNumberFormat(style: .grouped, decimals: 0)) } ?? .text("–"),
                    cell(number(m.summary, "final_loss"), 3), cell(number(m.summary, "final_validation_loss"), 3),
                    cell(number(m.summary, "tokens_per_second"), 0),
                ] + validationLanguages.map { cell(number(m.summary, "validation_perplexity." + $0), 1) }
            }))

        let evaluated = models.filter { $0.eval != nil }
        guard !evaluated.isEmpty else { return tables }
        let perplexityLanguages = chosen(Array(Set(evaluated.flatMap { (($0.eval?["perplexity"] as? [String: Any]) ?? [:]).keys })).sorted())
        if !perplexityLanguages.isEmpty {
            tables.append(ReportTable(
                title: "Held-out bits per byte",
                caption: "Eval stage: negative log-likelihood of whole held-out documents in bits per UTF-8 byte (lower is better; comparable across tokenizers).",
                columns: keyColumns + perplexityLanguages.map { ReportColumn(name: $0, numeric: true, best: .min) },
                rows: evaluated.map { m in keyCells(m) + perplexityLanguages.map { cell(number(m.eval, "perplexity.\($0).bits_per_byte"), 3) } }))
        }
        let choiceColumns = Array(Set(evaluated.flatMap { m in ((m.eval?["multiple_choice"] as? [[String: Any]]) ?? []).map(Self.choiceName) })).sorted()
        if !choiceColumns.isEmpty {
            tables.append(ReportTable(
                title: "Multiple choice (acc)",
                caption: "Summed log-likelihood of each choice, lm-evaluation-harness conventions; columns are task/language/shots. Chance is 0.25 with four choices.",
                columns: keyColumns + choiceColumns.map { ReportColumn(name: $0, numeric: true, best: .max) },
                rows: evaluated.map { m in
                    let records = (m.eval?["multiple_choice"] as? [[String: Any]]) ?? []
                    return keyCells(m) + choiceColumns.map { name in cell(records.first { Self.choiceName($0) == name }.flatMap { number($0, "acc") }, 3) }
                }))
        }
        let directions = Array(Set(evaluated.flatMap { m in ((m.eval?["translation"] as? [[String: Any]]) ?? []).compactMap { $0["direction"] as? String } })).sorted()
        if !directions.isEmpty {
            tables.append(ReportTable(
                title: "One-shot translation (BLEU)",
                caption: "Greedy decoding, sacrebleu-compatible corpus BLEU (13a tokenizer, exp smoothing).",
                columns: keyColumns + directions.map { ReportColumn(name: $0, numeric: true, best: .max) },
                rows: evaluated.map { m in
                    let records = (m.eval?["translation"] as? [[String: Any]]) ?? []
                    return keyCells(m) + directions.map { d in cell(records.first { $0["direction"] as? String == d }.flatMap { number($0, "bleu") }, 2) }
                }))
            tables.append(ReportTable(
                title: "One-shot translation (chrF++)",
                caption: "The same translations, sacrebleu-compatible corpus chrF++ (character 6-grams and word 2-grams, β = 2); more informative than BLEU where BLEU is near 0.",
                columns: keyColumns + directions.map { ReportColumn(name: $0, numeric: true, best: .max) },
                rows: evaluated.map { m in
                    let records = (m.eval?["translation"] as? [[String: Any]]) ?? []
                    return keyCells(m) + directions.map { d in cell(records.first { $0["direction"] as? String == d }.flatMap { number($0, "chrf++") }, 2) }
                }))
        }
        return tables + TaskFileTables.tables(evaluated, keyColumns: keyColumns, keyCells: keyCells)
    }

    static func choiceName(_ record: [String: Any]) -> String {
        "\(record["task"] ?? "?")/\(record["language"] ?? "?")/\(record["shots"] ?? "?")-shot"
    }

    /// Plain-text rendering for the terminal (or CSV / Markdown).
    static func text(_ table: ReportTable, format: TableFormat) -> String {
        let header = table.columns.map(\.name)
        let rows = table.rows.map { $0.map(Self.cellText) }
        switch format {
        case .csv:
            func quote(_ s: String) -> String { s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
            return ([header] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .markdown:
            var lines = ["| " + header.joined(separator: " | ") + " |",
                         "|" + table.columns.map { $0.numeric ? "---:|" : "---|" }.joined()]
            lines += rows.map { "| " + $0.joined(separator: " | ") + " |" }
            return "### \(table.title)\n\n" + lines.joined(separator: "\n") + "\n"
        default:
            let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in
                    table.columns[i].numeric ? String(repeating: " ", count: widths[i] - c.count) + c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
            }
            return ([table.title, line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)).joined(separator: "\n") + "\n"
        }
    }

    static func cellText(_ cell: ReportCell) -> String {
        switch cell {
        case .text(let s): return s
        case .number(let x, let format): return NumberText.cell(x, format)
        }
    }
}
