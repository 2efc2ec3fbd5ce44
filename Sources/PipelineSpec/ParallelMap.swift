import Foundation

/// Maps `count` indices on all cores, results in index order. Small inputs run inline: below
/// `inlineBelow` items the thread hand-off costs more than it saves.
package enum ParallelMap {
    package static func map<T>(_ count: Int, inlineBelow: Int = 32, _ transform: (Int) -> T) -> [T] {
        guard count >= inlineBelow, ProcessInfo.processInfo.activeProcessorCount > 1 else { return (0..<count).map(transform) }
        let chunks = min(count, ProcessInfo.processInfo.activeProcessorCount * 4)
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                // Chunk c covers [c·count/chunks, (c+1)·count/chunks): disjoint writes, no lock.
                for i in (chunk * count / chunks)..<((chunk + 1) * count / chunks) { out[i] = transform(i) }
            }
        }
        return results.map { $0! }
    }

    /// `map` for a throwing transform: throws the error of the lowest failing index. Indices above
    /// a failure are skipped (they cannot change the outcome), so an error that every item repeats
    /// (an undefined reference in a 200,000-member matrix, say) is paid for once per thread, not per item.
    package static func mapThrowing<T>(_ count: Int, inlineBelow: Int = 32, _ transform: (Int) throws -> T) throws -> [T] {
        let first = FirstFailure()
        let results = map(count, inlineBelow: inlineBelow) { i -> T? in
            guard !first.skips(i) else { return nil }
            do { return try transform(i) } catch { first.record(i, error); return nil }
        }
        if let error = first.error { throw error }
        return results.map { $0! }
    }

    private final class FirstFailure: @unchecked Sendable {
        private let lock = NSLock()
        private var index = Int.max
        private(set) var error: Error?
        func skips(_ i: Int) -> Bool { lock.withLock { i > index } }
        func record(_ i: Int, _ e: Error) { lock.withLock { if i < index { index = i; error = e } } }
    }
}
