import CanonicalJSON
/// Counts for one (language, source) dataset.
public struct DatasetStats: Sendable, Equatable {
    public var documentsIn = 0
    public var bytesIn = 0
    public var documentsKept = 0
    /// UTF-8 bytes of kept text after cleaning and redaction.
    public var bytesKept = 0
    /// Documents and input bytes removed, per reason.
    public var removed: [RemovalReason: (documents: Int, bytes: Int)] = [:]
    public var templateLinesRemoved = 0
    public var evalOverlapLinesRemoved = 0
    public var redactions = PIICounts()

    public static func == (a: DatasetStats, b: DatasetStats) -> Bool {
        a.documentsIn == b.documentsIn && a.bytesIn == b.bytesIn && a.documentsKept == b.documentsKept && a.bytesKept == b.bytesKept
            && a.templateLinesRemoved == b.templateLinesRemoved && a.evalOverlapLinesRemoved == b.evalOverlapLinesRemoved
            && a.redactions == b.redactions && a.removed.count == b.removed.count
            && a.removed.allSatisfy { key, value in b.removed[key].map { $0 == value } ?? false }
    }

    public func removedDocuments(_ reason: RemovalReason) -> Int { removed[reason]?.documents ?? 0 }

    mutating func remove(_ reason: RemovalReason, bytes: Int) {
        let old = removed[reason] ?? (0, 0)
        removed[reason] = (old.documents + 1, old.bytes + bytes)
    }

    static func += (lhs: inout DatasetStats, rhs: DatasetStats) {
        lhs.documentsIn += rhs.documentsIn; lhs.bytesIn += rhs.bytesIn
        lhs.documentsKept += rhs.documentsKept; lhs.bytesKept += rhs.bytesKept
        lhs.templateLinesRemoved += rhs.templateLinesRemoved; lhs.evalOverlapLinesRemoved += rhs.evalOverlapLinesRemoved
        lhs.redactions += rhs.redactions
        for (reason, value) in rhs.removed {
            let old = lhs.removed[reason] ?? (0, 0)
            lhs.removed[reason] = (old.documents + value.documents, old.bytes + value.bytes)
        }
    }

    var json: JSONValue {
        var removedNode: [String: JSONValue] = [:]
        for (reason, value) in removed { removedNode[reason.rawValue] = .object(["documents": .int(value.documents), "bytes": .int(value.bytes)]) }
        var pii: [String: JSONValue] = [:]
        for tag in PIITag.allCases { pii[tag.rawValue] = .int(redactions[tag]) }
        return .object([
            "documents_in": .int(documentsIn), "bytes_in": .int(bytesIn), "documents_kept": .int(documentsKept), "bytes_kept": .int(bytesKept),
            "removed": .object(removedNode), "template_lines_removed": .int(templateLinesRemoved),
            "eval_overlap_lines_removed": .int(evalOverlapLinesRemoved), "redactions": .object(pii),
        ])
    }
}

/// An example of a removed document, for the report.
public struct RemovalSample: Sendable, Equatable {
    public var id: String
    public var language: String
    public var source: String
    public var value: Double
    public var threshold: Double
    /// Extra context: the predicted language, or the id of the document this one duplicates.
    public var note: String
    public var excerpt: String
    var rank: UInt64

    var json: JSONValue {
        .object(["id": .string(id), "lang": .string(language), "source": .string(source), "value": .double(value),
                 "threshold": .double(threshold), "note": .string(note), "excerpt": .string(excerpt)])
    }
}

/// All statistics of a run: per (language, source), samples per removal reason, language-ID confusions.
public struct CorpusStats: Sendable {
    /// Keyed by "language|source".
    public var datasets: [String: DatasetStats] = [:]
    public var samples: [RemovalReason: [RemovalSample]] = [:]
    /// Documents removed by language ID: "declared→predicted" → count.
    public var languageIDConfusions: [String: Int] = [:]
    public var nearDuplicateComparisons = 0
    public var languageIDLanguages: [String] = []
    /// The perplexity models and thresholds (nil when the filter is off).
    public var perplexity: PerplexityFilter?
    public var evalFiles: [(path: String, items: Int)] = []
    /// Input files listed in sources.json that were empty and skipped.
    public var emptyFiles: [String] = []

    static func key(_ language: String, _ source: String) -> String { language + "|" + source }

    /// Totals per language (all sources).
    public var byLanguage: [String: DatasetStats] {
        var out: [String: DatasetStats] = [:]
        for (key, value) in datasets { out[String(key.split(separator: "|")[0]), default: DatasetStats()] += value }
        return out
    }

    /// Totals per source (all languages).
    public var bySource: [String: DatasetStats] {
        var out: [String: DatasetStats] = [:]
        for (key, value) in datasets { out[String(key.split(separator: "|")[1]), default: DatasetStats()] += value }
        return out
    }

    public var total: DatasetStats { datasets.values.reduce(into: DatasetStats()) { $0 += $1 } }

    /// Keeps the `limit` samples with the smallest rank (a stable hash of the id): deterministic and spread out.
    mutating func addSample(_ reason: RemovalReason, _ sample: RemovalSample, limit: Int) {
        guard limit > 0 else { return }
        var list = samples[reason] ?? []
        if list.count >= limit, let worst = list.last, worst.rank <= sample.rank { return }
        list.append(sample)
        list.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.id < $1.id }
        if list.count > limit { list.removeLast() }
        samples[reason] = list
    }

    var json: JSONValue {
        var sampleNode: [String: JSONValue] = [:]
        for (reason, list) in samples { sampleNode[reason.rawValue] = .array(list.map(\.json)) }
        var object: [String: JSONValue] = [
            "format": .string("trellis.corpus.stats"), "version": .int(1),
            "total": total.json,
            "by_language": .object(byLanguage.mapValues(\.json)),
            "by_source": .object(bySource.mapValues(\.json)),
            "by_language_and_source": .object(datasets.mapValues(\.json)),
            "samples": .object(sampleNode),
            "language_id": .object(["languages": .array(languageIDLanguages.map { .string($0) }),
                                    "confusions": .object(languageIDConfusions.mapValues { .int($0) })]),
            "near_dedup_comparisons": .int(nearDuplicateComparisons),
            "empty_files_skipped": .array(emptyFiles.map { .string($0) }),
            "eval": .array(evalFiles.map { .object(["path": .string($0.path), "items": .int($0.items)]) }),
        ]
        if let perplexity { object["perplexity"] = perplexity.json }
        return .object(object)
    }
}
