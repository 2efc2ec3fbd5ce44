/// Per-pair sets of word indices, built up during one step (HF's `where_to_update`).
/// Words are visited one at a time, so a repeated index is always the last one appended.
struct PositionLists {
    private var index = PairTable(minimumCapacity: 1 << 12)
    private var pairs: [PackedPair] = []
    private var lists: [[UInt32]] = []

    mutating func record(_ pair: PackedPair, word: UInt32) {
        if let slot = index.value(for: pair) {
            let k = Int(slot)
            if lists[k].last != word { lists[k].append(word) }
        } else {
            index.set(pair, UInt64(lists.count))
            pairs.append(pair)
            lists.append([word])
        }
    }

    /// Hands every (pair, words) to `body` and empties the lists.
    mutating func drain(_ body: (PackedPair, [UInt32]) -> Void) {
        for k in 0..<pairs.count { body(pairs[k], lists[k]) }
        if !pairs.isEmpty {
            if index.capacity > 1 << 16 {
                index = PairTable(minimumCapacity: 1 << 12)
            } else {
                index.removeAll(keys: pairs)
            }
            pairs.removeAll(keepingCapacity: true)
            lists.removeAll(keepingCapacity: true)
        }
    }
}
