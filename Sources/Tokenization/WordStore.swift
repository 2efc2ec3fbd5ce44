/// The words being merged: one flat symbol buffer with a start and a live length per word.
struct WordStore {
    private(set) var symbols: [TokenID] = []
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int32] = []
    private(set) var counts: [Int] = []

    var count: Int { counts.count }

    init(counts table: WordCountTable, byteID: [TokenID]) {
        symbols.reserveCapacity(table.arena.count)
        table.forEach { bytes, n in
            starts.append(symbols.count)
            lengths.append(Int32(bytes.count))
            counts.append(n)
            for byte in bytes { symbols.append(byteID[Int(byte)]) }
        }
    }

    /// Calls `body` for each adjacent pair of word `w`, in order.
    func forEachPair(of w: Int, _ body: (PackedPair) -> Void) {
        let start = starts[w], length = Int(lengths[w])
        guard length > 1 else { return }
        for i in start..<(start + length - 1) { body(pack(symbols[i], symbols[i + 1])) }
    }

    /// Replaces every non-overlapping `left right` (scanning left to right) in word `w` by
    /// `result`, reporting pair-count changes exactly as HF's `Word::merge` does.
    mutating func merge(word w: Int, _ left: TokenID, _ right: TokenID, into result: TokenID,
                        changes: (PackedPair, Int) -> Void) {
        let start = starts[w], length = Int(lengths[w])
        symbols.withUnsafeMutableBufferPointer { s in
            var read = 0, write = 0
            while read < length {
                if read + 1 < length && s[start + read] == left && s[start + read + 1] == right {
                    if write > 0 {
                        let previous = s[start + write - 1]
                        changes(pack(previous, left), -1)
                        changes(pack(previous, result), 1)
                    }
                    if read + 2 < length {
                        let next = s[start + read + 2]
                        changes(pack(right, next), -1)
                        changes(pack(result, next), 1)
                    }
                    s[start + write] = result
                    read += 2
                } else {
                    s[start + write] = s[start + read]
                    read += 1
                }
                write += 1
            }
            lengths[w] = Int32(write)
        }
    }
}
