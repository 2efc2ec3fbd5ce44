import ParallelLoops
import Dispatch
import Foundation

extension Tokenizer {
    /// Encodes many inputs on `workers` threads (default: all cores). Result `i` is
    /// `encode(inputs[i])`; each thread keeps its own warm word cache.
    public func encodeBatch(_ inputs: [[UInt8]], workers: Int = defaultWorkerCount) -> [[TokenID]] {
        parallelMap(count: inputs.count, workers: workers) { i, cache in
            inputs[i].withUnsafeBufferPointer { self.encodeIDs($0, 0..<$0.count, cache: cache) }
        }
    }

    /// Encodes many texts (their UTF-8) in parallel; see ``encodeBatch(_:workers:)-([[UInt8]])``.
    public func encodeBatch(_ texts: [String], workers: Int = defaultWorkerCount) -> [[TokenID]] {
        parallelMap(count: texts.count, workers: workers) { i, cache in
            let text = texts[i]
            if let ids = text.utf8.withContiguousStorageIfAvailable({ self.encodeIDs($0, 0..<$0.count, cache: cache) }) {
                return ids
            }
            return Array(text.utf8).withUnsafeBufferPointer { self.encodeIDs($0, 0..<$0.count, cache: cache) }
        }
    }

    /// Encodes the byte ranges `ranges` of one buffer (e.g. the lines of a file) in parallel.
    public func encodeBatch(_ bytes: [UInt8], ranges: [Range<Int>], workers: Int = defaultWorkerCount) -> [[TokenID]] {
        bytes.withUnsafeBufferPointer { buffer in
            parallelMap(count: ranges.count, workers: workers) { i, cache in
                self.encodeIDs(buffer, ranges[i], cache: cache)
            }
        }
    }

    /// Encodes many inputs with offsets, in parallel.
    public func encodeBatchWithOffsets(_ inputs: [[UInt8]], workers: Int = defaultWorkerCount) -> [Encoding] {
        parallelMap(count: inputs.count, workers: workers) { i, cache in
            inputs[i].withUnsafeBufferPointer { buffer in
                var ids: [TokenID] = []
                var offsets: [Range<Int>] = []
                self.encode(buffer, 0..<buffer.count, cache: cache, into: &ids, offsets: &offsets, recordOffsets: true)
                return Encoding(ids: ids, offsets: offsets)
            }
        }
    }

    /// Decodes many id sequences in parallel.
    public func decodeBatch(_ sequences: [[TokenID]], workers: Int = defaultWorkerCount) throws -> [[UInt8]] {
        var failure: Error?
        let lock = NSLock()
        let results: [[UInt8]] = parallelMap(count: sequences.count, workers: workers) { i, _ in
            do {
                return try self.decode(sequences[i])
            } catch {
                lock.lock()
                failure = failure ?? error
                lock.unlock()
                return []
            }
        }
        if let failure { throw failure }
        return results
    }

    /// The number of cores, the default worker count.
    public static var defaultWorkerCount: Int { ProcessInfo.processInfo.activeProcessorCount }
    public var defaultWorkerCount: Int { Self.defaultWorkerCount }

    @inline(__always)
    func encodeIDs(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, cache: WordCache) -> [TokenID] {
        var ids: [TokenID] = []
        ids.reserveCapacity(range.count / 3 + 4)
        var unused: [Range<Int>] = []
        encode(buffer, range, cache: cache, into: &ids, offsets: &unused, recordOffsets: false)
        return ids
    }

    /// Runs `body(i, cache)` for every `i < count` on `workers` threads, handing out indices
    /// in small blocks so uneven inputs balance (one word cache per thread); results keep input order.
    func parallelMap<T>(count: Int, workers: Int, _ body: (Int, WordCache) -> T) -> [T] {
        let workers = max(1, min(workers, count))
        if workers == 1 {
            return caches.withCache { cache in (0..<count).map { body($0, cache) } }
        }
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            ParallelLoop.workers(count: count, workers: workers, block: ParallelLoop.defaultBlock(count: count, workers: workers)) { _, claim in
                caches.withCache { cache in
                    while let range = claim() { for i in range { output[i] = body(i, cache) } }
                }
            }
        }
        return results.map { $0! }
    }
}
