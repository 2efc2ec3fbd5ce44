import Foundation

/// Counts of distinct pieces ("words"), keyed by their bytes.
///
/// Keys live in one byte arena and the table is open-addressed on ``ByteHash``: counting
/// a piece costs one hash and usually one probe, with no allocation.
struct WordCountTable {
    private(set) var count = 0
    private var mask: Int
    private var hashes: [UInt64]
    private var slotEntry: [Int32]
    /// Entry storage, in insertion order.
    private(set) var keyOffsets: [Int] = []
    private(set) var keyLengths: [Int32] = []
    private(set) var counts: [Int] = []
    private(set) var arena: [UInt8] = []

    init(capacity requested: Int = 1 << 14) {
        var capacity = 1024
        while capacity < requested { capacity <<= 1 }
        mask = capacity - 1
        hashes = [UInt64](repeating: 0, count: capacity)
        slotEntry = [Int32](repeating: -1, count: capacity)
    }

    /// Adds `amount` to the count of the piece `bytes[0..<length]`.
    @inline(__always)
    mutating func add(_ bytes: UnsafePointer<UInt8>, length: Int, amount: Int = 1) {
        add(bytes, length: length, hash: ByteHash.hash(bytes, count: length), amount: amount)
    }

    mutating func add(_ bytes: UnsafePointer<UInt8>, length: Int, hash: UInt64, amount: Int) {
        let h = hash | 1
        var i = Int(truncatingIfNeeded: h >> 17) & mask
        while true {
            let stored = hashes[i]
            if stored == 0 { break }
            if stored == h {
                let entry = Int(slotEntry[i])
                if Int(keyLengths[entry]) == length
                    && arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + keyOffsets[entry], bytes, length) == 0 }) {
                    counts[entry] += amount
                    return
                }
            }
            i = (i + 1) & mask
        }
        hashes[i] = h
        slotEntry[i] = Int32(counts.count)
        keyOffsets.append(arena.count)
        keyLengths.append(Int32(length))
        counts.append(amount)
        arena.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
        count += 1
        if count * 2 > hashes.count { rehash(capacity: hashes.count * 2) }
    }

    /// Adds every count of `other` into this table.
    mutating func merge(_ other: WordCountTable) {
        other.arena.withUnsafeBufferPointer { arena in
            for entry in 0..<other.count {
                let start = arena.baseAddress! + other.keyOffsets[entry]
                add(start, length: Int(other.keyLengths[entry]), amount: other.counts[entry])
            }
        }
    }

    /// Calls `body(bytes, count)` for every piece, in insertion order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        arena.withUnsafeBufferPointer { arena in
            for entry in 0..<count {
                let start = arena.baseAddress! + keyOffsets[entry]
                body(UnsafeBufferPointer(start: start, count: Int(keyLengths[entry])), counts[entry])
            }
        }
    }

    /// Drops the rarest pieces until at most `limit / 2` remain (raising the cut-off count
    /// one at a time), to bound memory on corpora with unbounded vocabularies.
    mutating func prune(toAtMost limit: Int) {
        var threshold = 1
        var kept = count
        while kept > limit / 2 {
            kept = counts.lazy.filter { $0 > threshold }.count
            threshold += 1
        }
        let cutoff = threshold - 1
        var pruned = WordCountTable(capacity: kept * 2)
        forEach { bytes, n in
            if n > cutoff { pruned.add(bytes.baseAddress!, length: bytes.count, amount: n) }
        }
        self = pruned
    }

    private mutating func rehash(capacity: Int) {
        mask = capacity - 1
        hashes = [UInt64](repeating: 0, count: capacity)
        slotEntry = [Int32](repeating: -1, count: capacity)
        arena.withUnsafeBufferPointer { arena in
            for entry in 0..<count {
                let h = ByteHash.hash(arena.baseAddress! + keyOffsets[entry], count: Int(keyLengths[entry])) | 1
                var i = Int(truncatingIfNeeded: h >> 17) & mask
                while hashes[i] != 0 { i = (i + 1) & mask }
                hashes[i] = h
                slotEntry[i] = Int32(entry)
            }
        }
    }
}
