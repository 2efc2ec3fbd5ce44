import ParallelLoops
import Foundation

/// Streams the record lines of all input files, in catalog order, as batches of about `batchBytes`.
/// Each file's header is checked first; empty lines are ignored.
enum BatchReader {
    struct Item { var line: [UInt8]; var file: InputCatalog.File }

    static func forEachBatch(_ catalog: InputCatalog, batchBytes: Int, isCancelled: () -> Bool,
                             _ body: ([Item], Int) throws -> Void) throws {
        var batch: [Item] = []
        var bytes = 0
        for file in catalog.files {
            let reader = try LineReader(path: file.path)
            let header = try reader.next()
            if header == nil || header!.isEmpty {
                // An empty document file holds no documents; a missing header on a non-empty file is an error.
                if try reader.next() == nil { continue }
            }
            _ = try FormatHeader.check(header, format: FormatHeader.documents, maxVersion: DocumentFileWriter.version, path: file.path)
            bytes += (header?.count ?? 0) + 1
            while let line = try reader.next() {
                bytes += line.count + 1
                if line.isEmpty { continue }
                batch.append(Item(line: line, file: file))
                if bytes >= batchBytes {
                    if isCancelled() { throw CorpusError.cancelled }
                    try body(batch, bytes)
                    batch.removeAll(keepingCapacity: true)
                    bytes = 0
                }
            }
        }
        if !batch.isEmpty || bytes > 0 { try body(batch, bytes) }
    }
}

/// Pass 1: template-line counts per (source, language) and language-ID training samples.
/// Documents are parsed and their line keys computed in parallel; counting and sampling run in input
/// order on an ``OrderedStage``, overlapping with the next batch.
enum InputScan {
    struct Result {
        var templateCounts = KeyCounter()
        var samples: [String: [UInt32]] = [:]
        var reference = PerplexityFilter.Candidates()
        var sampleBytes: [String: Int] = [:]
        var done = 0, documents = 0
    }

    /// Datasets ("source|language") whose language-ID sample is full: the parallel step stops copying
    /// their text. Only ever grows, so a stale read copies more than needed and changes no result.
    private final class FullSamples: @unchecked Sendable {
        private let lock = NSLock()
        private var keys = Set<String>()
        func insert(_ key: String) { lock.lock(); keys.insert(key); lock.unlock() }
        var snapshot: Set<String> { lock.lock(); defer { lock.unlock() }; return keys }
    }

    static func run(_ catalog: InputCatalog, config: CorpusConfiguration, totalBytes: Int) throws -> Result {
        guard config.templateLines != nil || config.qualityFilters else { return Result() }
        let minLength = config.templateLines?.minLength ?? Int.max
        struct Scanned { var language: String; var source: String; var keys: [UInt64]; var scalars: [UInt32]?; var index: Int; var textBytes: Int; var id: String }
        let ordered = OrderedStage(Result())
        let full = FullSamples()
        try PrefetchingReader.forEachBatch(catalog, batchBytes: config.batchBytes, isCancelled: config.isCancelled) { batch, batchBytes in
            var scanned = [Scanned?](repeating: nil, count: batch.count)
            let fullSamples = full.snapshot
            let lock = NSLock()
            ParallelLoop.forEachBlock(count: batch.count, workers: config.cores, block: 16) { _, range in
                var local: [(Int, Scanned)] = []
                var scalars: [UInt32] = []
                for i in range {
                    let item = batch[i]
                    guard item.file.kind == .text, let record = RawRecord.parse(item.line),
                          LanguageTable.known[record.language] != nil,
                          record.text.withUnsafeBufferPointer({ UTF8Codec.decode($0, into: &scalars) }) else { continue }
                    let source = record.source.isEmpty ? item.file.source : record.source
                    var keys: [UInt64] = []
                    if config.templateLines != nil {
                        let salt = LineKey.salt(source: source, language: record.language)
                        scalars.withUnsafeBufferPointer { t in
                            var start = 0
                            while start < t.count {
                                var end = start
                                while end < t.count, t[end] != 0x0A { end += 1 }
                                let stripped = LineKey.stripped(t, start..<end)
                                if stripped.count >= minLength { keys.append(LineKey.template(t[stripped], salt: salt)) }
                                start = end + 1
                            }
                        }
                    }
                    local.append((i, Scanned(language: record.language, source: source, keys: keys, scalars: config.qualityFilters && !fullSamples.contains(source + "|" + record.language) ? scalars : nil,
                                             index: i, textBytes: record.text.count, id: record.id)))
                }
                lock.lock()
                for (i, value) in local { scanned[i] = value }
                lock.unlock()
            }
            let finished = scanned
            try ordered.submit { result in
                for case let item? in finished {
                    for key in item.keys { result.templateCounts.add(key) }
                    if config.qualityFilters, let settings = config.perplexity {
                        result.reference.offer(batch[item.index].line, ordinal: result.documents + item.index, id: item.id, language: item.language,
                                               source: item.source, textBytes: item.textBytes, settings: settings)
                    }
                    if let scalars = item.scalars {
                        let sampleKey = item.source + "|" + item.language
                        if result.sampleBytes[sampleKey, default: 0] < config.languageIDSampleBytes {
                            result.samples[item.language, default: []].append(contentsOf: scalars)
                            result.samples[item.language]!.append(0x0A)
                            result.sampleBytes[sampleKey, default: 0] += scalars.count
                            if result.sampleBytes[sampleKey]! >= config.languageIDSampleBytes { full.insert(sampleKey) }
                        }
                    }
                }
                result.done += batchBytes
                result.documents += batch.count
                config.progress?(CorpusProgress(phase: .scan, bytesDone: result.done, bytesTotal: totalBytes, documentsDone: result.documents))
            }
        }
        return try ordered.finish()
    }
}
