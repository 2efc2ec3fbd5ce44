import Foundation

/// Bounded data parallelism: at most `workers` threads pull chunks of an index range. Results are
/// written by index, so output order never depends on scheduling.
enum Parallel {
    /// Calls `body(worker, range)` for consecutive chunks of `0..<count`, on up to `workers` threads.
    /// `worker` (0..<workers) lets callers keep per-thread scratch state.
    static func forEachChunk(count: Int, workers: Int, chunk: Int, _ body: (Int, Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = max(1, min(workers, (count + chunk - 1) / chunk))
        if workers == 1 {
            var start = 0
            while start < count { body(0, start..<min(count, start + chunk)); start += chunk }
            return
        }
        let lock = NSLock()
        var next = 0
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                lock.lock()
                let start = next
                next += chunk
                lock.unlock()
                if start >= count { return }
                body(worker, start..<min(count, start + chunk))
            }
        }
    }

    /// Maps `items` in parallel, preserving order.
    static func map<T, R>(_ items: [T], workers: Int, chunk: Int = 8, _ transform: (T) -> R) -> [R] {
        var results = [R?](repeating: nil, count: items.count)
        let lock = NSLock()
        forEachChunk(count: items.count, workers: workers, chunk: chunk) { _, range in
            var local: [R] = []
            local.reserveCapacity(range.count)
            for i in range { local.append(transform(items[i])) }
            lock.lock()
            for (offset, value) in local.enumerated() { results[range.lowerBound + offset] = value }
            lock.unlock()
        }
        return results.map { $0! }
    }
}
