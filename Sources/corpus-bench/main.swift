import CanonicalJSON
import Corpus
import Foundation

// corpus-bench: fetches a selection (cached after the first run), then times the whole corpus
// processing (scan + filters + dedup + PII + shards + reports) and prints MB/s of input text.
//
//   corpus-bench [--selection demo|full] [--cache DIR] [--fetch-out DIR] [--out DIR] [--cores N] [--runs N]
//   corpus-bench --record-parse FILE [--runs N]   # per-record JSON parsing: the corpus' FlatJSON vs CanonicalJSON

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    if let i = arguments.firstIndex(of: name), i + 1 < arguments.count { return arguments[i + 1] }
    return fallback
}
let selectionName = option("--selection", "full")
let cache = option("--cache", ".data/cache")
let fetchDirectory = option("--fetch-out", ".data/fetch-\(selectionName)")
let outputDirectory = option("--out", ".data/corpus-\(selectionName)")
let cores = Int(option("--cores", "")) ?? ProcessInfo.processInfo.activeProcessorCount
let runs = max(1, Int(option("--runs", "1")) ?? 1)
// --perplexity off | <percentile>: the perplexity filter (default: on, the configuration's default percentile).
let perplexityOption = option("--perplexity", "")

/// Times parsing every record line of a document or shard file with the hot-path reader
/// (`RawRecord.parse`, FlatJSON) and with the general `JSONValue.parse`, best of `runs`.
func recordParseBenchmark(_ path: String) throws {
    let lines = try Data(contentsOf: URL(fileURLWithPath: path)).split(separator: 0x0A).dropFirst().map { [UInt8]($0) }
    let bytes = Double(lines.reduce(0) { $0 + $1.count })
    func best(_ body: () -> Int) -> (Double, Int) {
        var seconds = Double.infinity, result = 0
        for _ in 0..<runs { let start = Date(); result = body(); seconds = min(seconds, Date().timeIntervalSince(start)) }
        return (seconds, result)
    }
    let (flat, a) = best { lines.reduce(0) { $0 + (RawRecord.parse($1).map { $0.text.count } ?? 0) } }
    let (tree, b) = best { lines.reduce(0) { $0 + ((try? JSONValue.parse($1))?["text"]?.stringValue?.utf8.count ?? 0) } }
    print(String(format: "%d records, %.1f MB: FlatJSON %.3f s (%.0f MB/s), JSONValue %.3f s (%.0f MB/s), ratio %.2f; text bytes %d / %d",
                 lines.count, bytes / 1e6, flat, bytes / 1e6 / flat, tree, bytes / 1e6 / tree, tree / flat, a, b))
}

do {
    if let i = arguments.firstIndex(of: "--record-parse"), i + 1 < arguments.count {
        try recordParseBenchmark(arguments[i + 1])
        exit(0)
    }
    let selection = try Selection.builtin(selectionName)
    if !arguments.contains("--skip-fetch") {
    let fetch = try FetchStep.run(selection: selection, options: FetchOptions(cacheDirectory: cache, outputDirectory: fetchDirectory,
                                                                               cores: cores, log: { print("  fetch: " + $0) }))
    print(String(format: "fetch: %d packages (%d downloaded now, %.1f MB), text %.1f MB, code %.1f MB, %d eval files, %.1f s",
                 fetch.packages.count, fetch.downloaded.count, Double(fetch.downloadedBytes) / 1e6,
                 Double(fetch.textBytes) / 1e6, Double(fetch.codeBytes) / 1e6, fetch.evalFiles.count, fetch.seconds))
    }
    var best = Double.infinity
    for run in 1...runs {
        var config = CorpusConfiguration(inputDirectory: fetchDirectory, outputDirectory: outputDirectory, cores: cores)
        if perplexityOption == "off" { config.perplexity = nil } else if let percentile = Double(perplexityOption) { config.perplexity?.percentile = percentile }
        let result = try CorpusPipeline.run(config)
        let mb = Double(result.inputTextBytes) / 1e6
        best = min(best, result.totalSeconds)
        print(String(format: "run %d: %.1f MB of document text (%.1f MB of input files) in %.2f s (scan %.2f s, process %.2f s): %.1f MB/s text, %.1f MB/s input; cores %d",
                     run, mb, Double(result.inputBytes) / 1e6, result.totalSeconds, result.scanSeconds, result.processSeconds,
                     mb / result.totalSeconds, Double(result.inputBytes) / 1e6 / result.totalSeconds, cores))
        print(String(format: "  process pass: read %.2f s, parallel %.2f s, sequential %.2f s", result.readSeconds, result.parallelSeconds, result.sequentialSeconds))
        let t = result.stats.total
        if let p = result.stats.perplexity {
            let removed = result.stats.byLanguage.filter { $0.value.removedDocuments(.perplexity) > 0 }.sorted { $0.key < $1.key }
            print("  perplexity: models for \(p.models.count) languages; removed " + removed.map { "\($0.key) \($0.value.removedDocuments(.perplexity))/\($0.value.documentsIn)" }.joined(separator: ", "))
        }
        print("  kept \(t.documentsKept)/\(t.documentsIn) documents, \(String(format: "%.1f", Double(t.bytesKept) / 1e6)) MB in \(result.shards.count) shards; exact dup \(t.removedDocuments(.exactDuplicate)), near dup \(t.removedDocuments(.nearDuplicate)), PII \(t.redactions.total)")
    }
    print(String(format: "best: %.2f s", best))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
