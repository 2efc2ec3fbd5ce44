/// Reusable working memory for ``BPEModel`` (one per thread, never shared).
final class MergeScratch {
    /// Pieces longer than this use the heap algorithm.
    static let heapThreshold = 192
    private(set) var capacity: Int
    private(set) var ids: UnsafeMutablePointer<TokenID>
    private(set) var ranks: UnsafeMutablePointer<UInt64>

    init() {
        capacity = 256
        ids = .allocate(capacity: capacity)
        ranks = .allocate(capacity: capacity)
    }

    deinit {
        ids.deallocate()
        ranks.deallocate()
    }

    @inline(__always)
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        ids.deallocate()
        ranks.deallocate()
        capacity = max(count, capacity * 2)
        ids = .allocate(capacity: capacity)
        ranks = .allocate(capacity: capacity)
    }
}

/// A binary min-heap of `UInt64`.
struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ value: UInt64) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left] < items[smallest] { smallest = left }
            if right < items.count && items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
