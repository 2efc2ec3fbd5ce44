import CanonicalJSON
import Foundation

/// Renders `report.md`: a readable summary per language and per source (documents and bytes in,
/// kept, removed by each filter, duplicates, redactions), examples per filter, and the shard list.
enum ReportWriter {
    static func markdown(_ stats: CorpusStats, shards: [ShardInfo], selection: String) -> String {
        var out = "# Corpus report\n\n"
        let total = stats.total
        out += "Selection `\(selection)`. Input: \(total.documentsIn) documents, \(mb(total.bytesIn)) MB of text. "
        out += "Kept: \(total.documentsKept) documents (\(percent(total.documentsKept, total.documentsIn))), \(mb(total.bytesKept)) MB "
        out += "in \(shards.count) shard(s).\n\n"
        out += "Template lines removed: \(total.templateLinesRemoved). Lines shared with evaluation sets removed: \(total.evalOverlapLinesRemoved). "
        out += "PII redacted: " + PIITag.allCases.map { "\($0.rawValue) \(total.redactions[$0])" }.joined(separator: ", ") + ".\n\n"
        if !stats.emptyFiles.isEmpty { out += "Empty input files skipped: " + stats.emptyFiles.map { "`\($0)`" }.joined(separator: ", ") + ".\n\n" }

        out += "## By language\n\n" + table(stats.byLanguage, label: "lang", perplexity: stats.perplexity != nil)
        out += "\n## By source\n\n" + table(stats.bySource, label: "source", perplexity: stats.perplexity != nil)
        out += "\n## By language and source\n\n" + table(stats.datasets.reduce(into: [:]) { $0[$1.key.replacingOccurrences(of: "|", with: " / ")] = $1.value }, label: "lang / source", perplexity: stats.perplexity != nil)

        out += "\n## Language identification\n\n"
        out += "Character 1–3-gram naive Bayes trained on the input's own labelled sources; languages: \(stats.languageIDLanguages.joined(separator: ", ")).\n\n"
        if !stats.languageIDConfusions.isEmpty {
            out += "Removed documents by declared → predicted language (declared = predicted: the share of agreeing windows was below the language's threshold).\n\n"
            out += "| declared → predicted | documents removed |\n|---|---:|\n"
            for (pair, count) in stats.languageIDConfusions.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                out += "| \(pair) | \(count) |\n"
            }
        }

        if let perplexity = stats.perplexity { out += perplexitySection(perplexity) }

        out += "\n## Examples of removed documents\n\n"
        out += "Chosen by a stable hash of the document id (not the first ones met).\n"
        for reason in RemovalReason.allCases {
            guard let samples = stats.samples[reason], !samples.isEmpty else { continue }
            out += "\n### \(reason.rawValue)\n\n"
            for s in samples {
                var detail = ""
                if RemovalReason.qualityFilters.contains(reason) { detail = " value \(Self.number(s.value)) vs threshold \(Self.number(s.threshold))" }
                if !s.note.isEmpty { detail += (detail.isEmpty ? " " : "; ") + s.note }
                out += "- `\(s.id)` (\(s.language), \(s.source))\(detail): \(escape(s.excerpt))\n"
            }
        }

        out += "\n## Evaluation sets (held out)\n\n| file | items |\n|---|---:|\n"
        for file in stats.evalFiles { out += "| `\(file.path)` | \(file.items) |\n" }

        out += "\n## Shards\n\n| shard | documents | bytes | sha256 |\n|---|---:|---:|---|\n"
        for shard in shards { out += "| `\(shard.path)` | \(shard.documents) | \(shard.bytes) | `\(shard.sha256.prefix(16))…` |\n" }
        out += "\nNear-duplicate search examined \(stats.nearDuplicateComparisons) candidate pairs (block-permutation tables, not all pairs).\n"
        return out
    }

    private static func perplexitySection(_ filter: PerplexityFilter) -> String {
        var out = "\n## Perplexity\n\n"
        out += "Word trigram models (interpolated modified Kneser-Ney) trained per language on reference documents that pass every other filter; "
        out += "threshold = a percentile of the perplexities of a calibration sample of the language's documents (all sources; see `stats.json` → `perplexity`).\n\n"
        out += "| lang | threshold | median (calibration) | training docs | tokens | vocabulary | calibration docs |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for (language, m) in filter.models.sorted(by: { $0.key < $1.key }) {
            out += "| \(language) | \(String(format: "%.0f", m.threshold)) | \(String(format: "%.0f", m.median)) | \(m.trainingDocuments) | "
            out += "\(m.model.trainingTokens) | \(m.model.vocabulary) | \(m.calibrationDocuments) |\n"
        }
        if !filter.skipped.isEmpty {
            out += "\nNo model (not filtered): " + filter.skipped.sorted(by: { $0.key < $1.key }).map { "\($0.key) (\($0.value))" }.joined(separator: ", ") + ".\n"
        }
        return out
    }

    private static let columns: [(RemovalReason, String)] = [
        (.wordCount, "words"), (.characterRepetition, "char rep"), (.wordRepetition, "word rep"), (.specialCharacters, "special"),
        (.stopWords, "stop"), (.flaggedWords, "flagged"), (.languageID, "lang ID"), (.perplexity, "ppl"), (.exactDuplicate, "exact dup"), (.nearDuplicate, "near dup"),
    ]

    /// The removal columns: the perplexity column only when the filter ran (a run without it renders as before it existed).
    private static func table(_ rows: [String: DatasetStats], label: String, perplexity: Bool) -> String {
        let columns = perplexity ? Self.columns : Self.columns.filter { $0.0 != .perplexity }
        var out = "| \(label) | docs in | MB in | kept | MB kept | " + columns.map(\.1).joined(separator: " | ")
        out += " | other skips | template lines | PII |\n|---|" + String(repeating: "---:|", count: 4 + columns.count + 3) + "\n"
        for (name, s) in rows.sorted(by: { $0.value.bytesIn != $1.value.bytesIn ? $0.value.bytesIn > $1.value.bytesIn : $0.key < $1.key }) {
            let skips = [RemovalReason.malformedRecord, .invalidUTF8, .unknownLanguage, .empty].reduce(0) { $0 + s.removedDocuments($1) }
            out += "| \(name) | \(s.documentsIn) | \(mb(s.bytesIn)) | \(s.documentsKept) | \(mb(s.bytesKept)) | "
            out += columns.map { String(s.removedDocuments($0.0)) }.joined(separator: " | ")
            out += " | \(skips) | \(s.templateLinesRemoved) | \(s.redactions.total) |\n"
        }
        return out
    }

    /// Up to 6 decimals, trailing zeros dropped (0.25, 12, 3.141593).
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "\(d)" }
        var s = String(format: "%.6f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    private static func mb(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / 1_000_000) }
    private static func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "–" : String(format: "%.1f%%", 100 * Double(a) / Double(b)) }
    private static func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'") }
}
