import ParallelLoops
import CanonicalJSON
import Foundation

/// What a corpus run produced.
public struct CorpusResult: Sendable {
    public var stats: CorpusStats
    public var shards: [ShardInfo]
    /// Bytes of the input document files read (per pass).
    public var inputBytes: Int
    /// UTF-8 bytes of document text in the input.
    public var inputTextBytes: Int
    public var scanSeconds: Double
    public var processSeconds: Double
    public var totalSeconds: Double
    /// Of the processing pass: waiting for input (read ahead on a thread of its own) and parallel per-document work (main thread), and the
    /// sequential dedup/writing (its own queue, overlapping with the next batch).
    public var readSeconds: Double
    public var parallelSeconds: Double
    public var sequentialSeconds: Double
}

/// The corpus step: reads the fetch step's documents and writes filtered, deduplicated, redacted,
/// deterministic shards with a manifest, `stats.json`, `report.md` and the held-out `eval/` sets.
///
/// Two streaming passes over the input, each in bounded batches:
/// 1. scan (parallel): count template lines per (source, language); collect language-ID training text.
/// 2. process (parallel per document, then sequential in input order): clean, filter, fingerprint and
///    redact in parallel; exact and near dedup and shard writing in order, so the output does not depend
///    on the number of cores.
///
/// ```swift
/// var config = CorpusConfiguration(inputDirectory: "fetch", outputDirectory: "corpus")
/// config.progress = { print($0.phase, $0.bytesDone, "/", $0.bytesTotal) }
/// let result = try CorpusPipeline.run(config)
/// ```
public enum CorpusPipeline {
    public static let manifestFormat = "trellis.corpus.manifest"

    public static func run(_ config: CorpusConfiguration) throws -> CorpusResult {
        try config.validate()
        let started = Date()
        let catalog = try InputCatalog.load(config.inputDirectory)
        let output = config.outputDirectory
        for stale in ["shards", "eval", "manifest.json", "stats.json", "report.md"] { try? FileManager.default.removeItem(atPath: output + "/" + stale) }
        try CorpusFiles.makeDirectory(output)
        let totalBytes = catalog.files.reduce(0) { $0 + $1.bytes }

        // Evaluation sets first: their lines are what decontamination removes.
        let eval = try EvalSets.copyAndIndex(catalog.evalFiles, from: config.inputDirectory, to: output, cores: config.cores)
        var stats = CorpusStats()
        stats.evalFiles = eval.files
        stats.emptyFiles = catalog.emptyFiles

        // Pass 1: template-line counts and language-ID samples.
        let scan = try InputScan.run(catalog, config: config, totalBytes: totalBytes)
        var languageID: LanguageIdentifier? = nil
        if config.qualityFilters, !scan.samples.isEmpty {
            languageID = LanguageIdentifier.train(samples: scan.samples, workers: config.cores)
            stats.languageIDLanguages = languageID!.languages
        }
        let scanSeconds = Date().timeIntervalSince(started)

        // Pass 2: process and write.
        let templateCounter = scan.templateCounts
        var context = ProcessingContext(configuration: config, templateCounts: config.templateLines == nil ? nil : templateCounter.view,
                                        evalLines: config.decontaminate ? eval.lines : nil, languageID: languageID)
        var preprocessed: [Int: PerplexityFilter.Preprocessed] = [:]
        if config.qualityFilters, let settings = config.perplexity {
            // The reference documents pass through every other filter first (the context has no perplexity yet);
            // the processing pass reuses those results and only applies the perplexity check to them.
            let built = PerplexityFilter.build(scan.reference, context: context, settings: settings, workers: config.cores)
            context.perplexity = built.filter
            stats.perplexity = built.filter
            preprocessed = built.preprocessed
        }
        let processStart = Date()
        let writer = ShardWriter(directory: output, targetBytes: config.shardBytes)
        let workers = (0..<config.cores).map { _ in DocumentWorker(shingle: config.nearDedup?.shingle ?? 6) }
        struct Ordered { var stats: CorpusStats; var deduplicator: Deduplicator; var done = 0; var documents = 0 }
        let ordered = OrderedStage(Ordered(stats: stats, deduplicator: Deduplicator(exact: config.exactDedup, near: config.nearDedup)))
        var parallelSeconds = 0.0, readSeconds = 0.0
        var readStart = Date()
        var ordinalBase = 0   // record lines before this batch (the scan's numbering)
        try PrefetchingReader.forEachBatch(catalog, batchBytes: config.batchBytes, isCancelled: config.isCancelled) { batch, batchBytes in
            readSeconds += Date().timeIntervalSince(readStart)
            let parallelStart = Date()
            var results = [ProcessedDocument?](repeating: nil, count: batch.count)
            let lock = NSLock()
            let base = ordinalBase
            ParallelLoop.forEachBlock(count: batch.count, workers: config.cores, block: 8) { worker, range in
                var local: [ProcessedDocument] = []
                for i in range {
                    if let done = preprocessed[base + i] {
                        local.append(done.resolved(by: context.perplexity))
                    } else {
                        local.append(workers[worker].process(batch[i].line, fallbackSource: batch[i].file.source, context: context))
                    }
                }
                lock.lock()
                for (offset, value) in local.enumerated() { results[range.lowerBound + offset] = value }
                lock.unlock()
            }
            parallelSeconds += Date().timeIntervalSince(parallelStart)
            ordinalBase += batch.count
            let finished = results
            try ordered.submit { state in
                for case let result? in finished {
                    try record(result, into: &state.stats, deduplicator: &state.deduplicator, writer: writer, config: config)
                }
                state.done += batchBytes
                state.documents += finished.count
                config.progress?(CorpusProgress(phase: .process, bytesDone: state.done, bytesTotal: totalBytes, documentsDone: state.documents))
            }
            readStart = Date()
        }
        let final = try ordered.finish()
        stats = final.stats
        let documents = final.documents
        withExtendedLifetime(templateCounter) {}  // the context's view points into its storage
        let shards = try writer.finish(workers: config.cores)
        stats.nearDuplicateComparisons = final.deduplicator.comparisons
        let processSeconds = Date().timeIntervalSince(processStart)

        // Manifest, stats, report.
        let manifest = JSONValue.object([
            "format": .string(manifestFormat), "version": .int(1),
            "input": .object(["selection": .string(catalog.selection), "sources_sha256": .string(catalog.sourcesDigest)]),
            "config": config.fingerprint,
            "shards": .array(shards.map { .object(["path": .string($0.path), "group": .string($0.group), "index": .int($0.index),
                                                   "documents": .int($0.documents), "bytes": .int($0.bytes), "sha256": .string($0.sha256)]) }),
            "totals": .object(["documents": .int(shards.reduce(0) { $0 + $1.documents }), "bytes": .int(shards.reduce(0) { $0 + $1.bytes })]),
        ])
        try CorpusFiles.write(manifest.prettyBytes, to: output + "/manifest.json")
        try CorpusFiles.write(stats.json.prettyBytes, to: output + "/stats.json")
        try CorpusFiles.write(Array(ReportWriter.markdown(stats, shards: shards, selection: catalog.selection).utf8), to: output + "/report.md")
        config.progress?(CorpusProgress(phase: .finish, bytesDone: totalBytes, bytesTotal: totalBytes, documentsDone: documents))
        return CorpusResult(stats: stats, shards: shards, inputBytes: totalBytes, inputTextBytes: stats.total.bytesIn,
                            scanSeconds: scanSeconds, processSeconds: processSeconds, totalSeconds: Date().timeIntervalSince(started),
                            readSeconds: readSeconds, parallelSeconds: parallelSeconds, sequentialSeconds: ordered.busySeconds)
    }

    /// The sequential step for one document, in input order.
    private static func record(_ result: ProcessedDocument, into stats: inout CorpusStats, deduplicator: inout Deduplicator,
                               writer: ShardWriter, config: CorpusConfiguration) throws {
        let key = CorpusStats.key(result.language.isEmpty ? "?" : result.language, result.source)
        var dataset = stats.datasets[key] ?? DatasetStats()
        dataset.documentsIn += 1
        dataset.bytesIn += result.inputBytes
        dataset.templateLinesRemoved += result.lineEdits.template
        dataset.evalOverlapLinesRemoved += result.lineEdits.evalOverlap
        func sample(_ reason: RemovalReason, value: Double, threshold: Double, note: String, excerpt: String) {
            stats.addSample(reason, RemovalSample(id: result.id, language: result.language, source: result.source, value: value, threshold: threshold,
                                                  note: note, excerpt: excerpt, rank: stableHash(reason.rawValue + result.id)), limit: config.samplesPerFilter)
        }
        switch result.outcome {
        case .removed(let verdict):
            dataset.remove(verdict.reason, bytes: result.inputBytes)
            if let predicted = verdict.predictedLanguage { stats.languageIDConfusions["\(result.language)→\(predicted)", default: 0] += 1 }
            sample(verdict.reason, value: verdict.value, threshold: verdict.threshold,
                   note: verdict.predictedLanguage.map { "predicted \($0)" } ?? "", excerpt: result.excerpt)
        case .candidate(let digest, let simhash, let line, let outputBytes):
            switch deduplicator.check(digest: digest, simhash: simhash, id: result.id) {
            case .exact(let original):
                dataset.remove(.exactDuplicate, bytes: result.inputBytes)
                sample(.exactDuplicate, value: 0, threshold: 0, note: "duplicate of \(original)", excerpt: Self.excerpt(line))
            case .near(let original, let distance):
                dataset.remove(.nearDuplicate, bytes: result.inputBytes)
                sample(.nearDuplicate, value: Double(distance), threshold: Double(config.nearDedup?.hamming ?? 0),
                       note: "near \(original) (Hamming \(distance))", excerpt: Self.excerpt(line))
            case .unique:
                try writer.append(line, group: result.kind == .code ? "code-" + result.language : result.language)
                dataset.documentsKept += 1
                dataset.bytesKept += outputBytes
                dataset.redactions += result.redactions
            }
        }
        stats.datasets[key] = dataset
    }

    /// The start of the `text` field of an encoded line (for samples).
    static func excerpt(_ line: [UInt8]) -> String {
        guard let record = RawRecord.parse(line) else { return "" }
        let text = String(decoding: record.text.prefix(300), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return String(text.prefix(240)) + (record.text.count > 240 ? "…" : "")
    }
}

/// Exact and near-duplicate decisions over the documents kept so far (input order).
struct Deduplicator {
    enum Decision { case unique, exact(String), near(String, Int) }
    private let exact: Bool
    /// Exact digests seen, keyed by their high half (low half checked on hit; chains are rare).
    private var seen = HeadMap()
    private var seenLow: [UInt64] = []
    private var seenNext: [Int32] = []
    private var index: NearDuplicateIndex?
    private var ids: [String] = []

    init(exact: Bool, near: (hamming: Int, blocks: Int, shingle: Int)?) {
        self.exact = exact
        index = near.map { NearDuplicateIndex(maxDistance: $0.hamming, blocks: $0.blocks) }
    }

    var comparisons: Int { index?.comparisons ?? 0 }

    mutating func check(digest: Digest128, simhash: UInt64, id: String) -> Decision {
        if exact {
            var entry = seen[digest.high]
            while entry >= 0 {
                if seenLow[Int(entry)] == digest.low { return .exact(ids[Int(entry)]) }
                entry = seenNext[Int(entry)]
            }
        }
        var nearIndex: Int? = nil
        if let index {
            if let hit = index.nearest(to: simhash) { return .near(ids[hit.index], hit.distance) }
            nearIndex = index.insert(simhash)
        }
        let position = Int32(ids.count)
        ids.append(id)
        if exact {
            seenLow.append(digest.low)
            seenNext.append(seen[digest.high])
            seen[digest.high] = position
        }
        _ = nearIndex
        return .unique
    }
}
