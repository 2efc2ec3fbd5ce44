import Dispatch
import Foundation

/// Deterministic data parallelism over the machine's cores.
///
/// Work is always cut into the same chunks for a given problem size (never depending on how
/// many threads happen to run), and any per-chunk partial results are combined by callers in
/// chunk order, so results are bit-identical run to run.
public enum Parallel {
    /// Upper bound on chunks per parallel loop; also fixes the reduction order.
    public static let maxChunks = 16

    /// Cores available to this process (the number of panels a large sgemm is cut into): the
    /// machine's, or fewer where `TRELLIS_CORES` says so (a builtin stage run as a child process
    /// gets its `resources.cores` there).
    public static let workerCount: Int = {
        let machine = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard let text = ProcessInfo.processInfo.environment["TRELLIS_CORES"], let cores = Int(text), cores >= 1 else { return machine }
        return min(machine, cores)
    }()

    /// Per-thread flag: true while running inside a parallel chunk (nested work stays serial).
    private static let regionKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling thread is already executing a chunk of a parallel loop.
    public static var isInsideParallelRegion: Bool { pthread_getspecific(regionKey) != nil }

    /// Runs `body` with the current thread marked as inside a parallel region.
    public static func markParallelRegion<R>(_ body: () throws -> R) rethrows -> R {
        let was = pthread_getspecific(regionKey)
        pthread_setspecific(regionKey, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(regionKey, was) }
        return try body()
    }

    /// Calls `body(range)` for consecutive sub-ranges of `0..<count`, concurrently when the
    /// work (`count × costPerItem` ≈ flops) is large enough to pay for the dispatch.
    public static func forRanges(_ count: Int, costPerItem: Int = 1,
                                 _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = chunkCount(count, costPerItem: costPerItem)
        if chunks == 1 || isInsideParallelRegion { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            markParallelRegion { body(range(of: c, chunks: chunks, count: count)) }
        }
    }

    /// Like ``forRanges(_:costPerItem:_:)`` but also passes the chunk index, so callers can
    /// keep one partial result per chunk and combine them in index order.
    public static func forChunks(_ count: Int, costPerItem: Int = 1,
                                 _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) -> Int {
        guard count > 0 else { return 0 }
        let chunks = chunkCount(count, costPerItem: costPerItem)
        if chunks == 1 { body(0, 0..<count); return 1 }
        if isInsideParallelRegion {
            for c in 0..<chunks { body(c, range(of: c, chunks: chunks, count: count)) }
            return chunks
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            markParallelRegion { body(c, range(of: c, chunks: chunks, count: count)) }
        }
        return chunks
    }

    /// Runs two independent closures concurrently, each marked as inside a parallel region
    /// (serially, in order, when already inside one).
    public static func pair(_ first: () -> Void, _ second: () -> Void) {
        if isInsideParallelRegion { first(); second(); return }
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            markParallelRegion { if i == 0 { first() } else { second() } }
        }
    }

    /// The number of chunks `forRanges` uses for this problem size.
    public static func chunkCount(_ count: Int, costPerItem: Int = 1) -> Int {
        let work = count * max(costPerItem, 1)
        guard work >= 1 << 15 else { return 1 }
        return min(maxChunks, count, max(1, work >> 14))
    }

    /// The `c`-th of `chunks` near-equal consecutive ranges of `0..<count`.
    public static func range(of c: Int, chunks: Int, count: Int) -> Range<Int> {
        let base = count / chunks, extra = count % chunks
        let start = c * base + min(c, extra)
        return start..<(start + base + (c < extra ? 1 : 0))
    }
}
