import Foundation

/// The package's data-parallel loops: up to `workers` threads claim consecutive blocks of an index
/// range from a shared counter (uneven items balance), and results are written by index, so output
/// order never depends on scheduling. (The tensor engine's `Parallel` is its own: kernel regions
/// sized to the engine's thread count.)
public enum ParallelLoop {
    /// Runs `body(worker, claim)` on up to `workers` threads; `claim()` hands out the next block of
    /// `0..<count` (nil once all are taken). `worker` (0..<workers) indexes per-thread scratch state.
    public static func workers(count: Int, workers: Int, block: Int, _ body: (_ worker: Int, _ claim: () -> Range<Int>?) -> Void) {
        guard count > 0 else { return }
        let block = max(1, block)
        let workers = max(1, min(workers, (count + block - 1) / block))
        if workers == 1 {
            var start = 0
            body(0) {
                guard start < count else { return nil }
                defer { start += block }
                return start..<min(count, start + block)
            }
            return
        }
        let counter = BlockCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            body(worker) {
                let start = counter.take(block)
                return start < count ? start..<min(count, start + block) : nil
            }
        }
    }

    /// Calls `body(worker, range)` for every block of `0..<count`.
    public static func forEachBlock(count: Int, workers: Int, block: Int, _ body: (_ worker: Int, Range<Int>) -> Void) {
        self.workers(count: count, workers: workers, block: block) { worker, claim in
            while let range = claim() { body(worker, range) }
        }
    }

    /// `transform(i)` for every `i < count`, in index order. `block`: indices per claim (default:
    /// about 16 claims per worker, at most 256 indices); below `inlineBelow` items everything runs on
    /// the calling thread (the hand-off would cost more than it saves).
    public static func map<T>(count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount, block: Int? = nil,
                              inlineBelow: Int = 2, _ transform: (Int) -> T) -> [T] {
        guard count >= max(2, inlineBelow), workers > 1 else { return (0..<count).map(transform) }
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            // Blocks are disjoint: each index is written by exactly one thread, without a lock.
            forEachBlock(count: count, workers: workers, block: block ?? defaultBlock(count: count, workers: workers)) { _, range in
                for i in range { out[i] = transform(i) }
            }
        }
        return results.map { $0! }
    }

    /// `transform` of every item, in order; `block` items per claim (default 8).
    public static func map<C: RandomAccessCollection, R>(_ items: C, workers: Int, block: Int = 8, _ transform: (C.Element) -> R) -> [R] {
        map(count: items.count, workers: workers, block: block) { transform(items[items.index(items.startIndex, offsetBy: $0)]) }
    }

    /// `map` for a throwing transform: throws the error of the lowest failing index. Indices above
    /// a failure are skipped (they cannot change the outcome), so an error that every item repeats
    /// (an undefined reference in a 200,000-member matrix, say) is paid for about once per block.
    public static func mapThrowing<T>(count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount, block: Int? = nil,
                                      inlineBelow: Int = 2, _ transform: (Int) throws -> T) throws -> [T] {
        let first = FirstFailure()
        let results = map(count: count, workers: workers, block: block, inlineBelow: inlineBelow) { i -> T? in
            guard !first.skips(i) else { return nil }
            do { return try transform(i) } catch { first.record(i, error); return nil }
        }
        if let error = first.error { throw error }
        return results.map { $0! }
    }

    /// About 16 blocks per worker, 1…256 indices each.
    public static func defaultBlock(count: Int, workers: Int) -> Int { max(1, min(256, count / (max(1, workers) * 16))) }

    private final class BlockCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func take(_ n: Int) -> Int { lock.withLock { defer { value += n }; return value } }
    }

    private final class FirstFailure: @unchecked Sendable {
        private let lock = NSLock()
        private var index = Int.max
        private(set) var error: Error?
        func skips(_ i: Int) -> Bool { lock.withLock { i > index } }
        func record(_ i: Int, _ e: Error) { lock.withLock { if i < index { index = i; error = e } } }
    }
}
