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
}
