/// The trainer's priority queue: HF's `BinaryHeap<Merge>` where `Merge` orders by count,
/// then by the *reverse* of the pair, so the top is the highest count and, among equal
/// counts, the smallest `(left, right)`. Entries with the same count and pair only arise
/// for stale duplicates; their relative order does not change the result.
struct MergeQueue {
    struct Entry {
        var count: Int64
        var pair: PackedPair
        /// Index of this entry's word list in `lists`.
        fileprivate var list: Int32
    }

    private var heap: [Entry] = []
    private var lists: [[UInt32]] = []
    private var freeLists: [Int32] = []

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(count: Int64, pair: PackedPair, positions: [UInt32]) {
        let list: Int32
        if let reused = freeLists.popLast() {
            list = reused
            lists[Int(reused)] = positions
        } else {
            list = Int32(lists.count)
            lists.append(positions)
        }
        push(Entry(count: count, pair: pair, list: list))
    }

    /// Re-queues a popped entry (keeping its word list).
    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if !Self.above(heap[child], heap[parent]) { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        let n = heap.count
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < n && Self.above(heap[left], heap[best]) { best = left }
            if right < n && Self.above(heap[right], heap[best]) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return top
    }

    /// The words recorded with a popped entry.
    func positions(of entry: Entry) -> [UInt32] { lists[Int(entry.list)] }

    /// Frees a popped entry's word list once it has been used.
    mutating func release(_ entry: Entry) {
        lists[Int(entry.list)] = []
        freeLists.append(entry.list)
    }

    @inline(__always)
    private static func above(_ a: Entry, _ b: Entry) -> Bool {
        a.count != b.count ? a.count > b.count : a.pair < b.pair
    }
}
