import Dispatch
import Foundation

/// Turns streamed training text into piece counts (HF's `BpeTrainer::feed`), on all cores.
///
/// Text arrives in batches of *sequences* (lines, for files). Each worker pre-tokenizes a
/// share of the batch with ``PieceScanner`` and counts pieces in its own table; the tables
/// are merged once at the end. Memory is one batch plus the distinct pieces, never the
/// corpus.
final class WordCounter {
    let workers: Int
    let deduplicateLines: Bool
    let maxDistinctWords: Int?
    private var tables: [WordCountTable]
    private var seen = LineDeduplicator()
    /// Sequences offered and sequences counted (they differ by the duplicates dropped).
    private(set) var sequencesSeen = 0
    private(set) var sequencesKept = 0

    init(workers: Int, deduplicateLines: Bool, maxDistinctWords: Int?) {
        self.workers = max(1, workers)
        self.deduplicateLines = deduplicateLines
        self.maxDistinctWords = maxDistinctWords
        tables = (0..<max(1, workers)).map { _ in WordCountTable() }
    }

    /// Counts `buffer` split into lines after each `\n` (the `\n` stays in its line, as HF's
    /// `lines_with_ending` keeps it). A final line without `\n` is counted as it is.
    func addLines(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(buffer.count / 48)
        var start = 0
        while start < buffer.count {
            if let hit = memchr(base + start, 0x0A, buffer.count - start) {
                let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                ranges.append(start..<end)
                start = end
            } else {
                ranges.append(start..<buffer.count)
                break
            }
        }
        addSequences(buffer, ranges: ranges)
    }

    /// Counts the pieces of each range of `buffer` (each range is one sequence).
    func addSequences(_ buffer: UnsafeBufferPointer<UInt8>, ranges: [Range<Int>]) {
        guard let base = buffer.baseAddress else { return }
        sequencesSeen += ranges.count
        var kept = ranges
        if deduplicateLines {
            kept = ranges.filter { range in
                var length = range.count
                if length > 0 && base[range.upperBound - 1] == 0x0A { length -= 1 }
                return seen.insert(LineDeduplicator.fingerprint(base + range.lowerBound, length: length))
            }
        }
        sequencesKept += kept.count
        let shares = Self.split(kept, into: workers)
        tables.withUnsafeMutableBufferPointer { tables in
            let tables = tables
            DispatchQueue.concurrentPerform(iterations: shares.count) { worker in
                var table = tables[worker]
                tables[worker] = WordCountTable(capacity: 16)  // release the reference while mutating
                for index in shares[worker] {
                    let range = kept[index]
                    var scanner = PieceScanner(buffer, from: range.lowerBound, to: range.upperBound)
                    while let piece = scanner.next() {
                        table.add(base + piece.lowerBound, length: piece.count)
                    }
                }
                tables[worker] = table
            }
        }
        if let limit = maxDistinctWords {
            for w in tables.indices where tables[w].count > limit { tables[w].prune(toAtMost: limit) }
        }
    }

    /// All counts, merged.
    func finish() -> WordCountTable {
        var total = tables[0]
        for table in tables.dropFirst() { total.merge(table) }
        tables = [WordCountTable()]
        if let limit = maxDistinctWords, total.count > limit { total.prune(toAtMost: limit) }
        return total
    }

    /// Splits sequence indices into `parts` contiguous runs of about equal byte size.
    private static func split(_ ranges: [Range<Int>], into parts: Int) -> [Range<Int>] {
        let total = ranges.reduce(0) { $0 + $1.count }
        guard parts > 1, ranges.count > 1 else { return [0..<ranges.count] }
        var shares: [Range<Int>] = []
        var start = 0, accumulated = 0
        for (i, range) in ranges.enumerated() {
            accumulated += range.count
            if accumulated * parts >= total * (shares.count + 1) && shares.count < parts - 1 {
                shares.append(start..<(i + 1))
                start = i + 1
            }
        }
        shares.append(start..<ranges.count)
        return shares
    }
}
