import Foundation

/// A bounded cache from piece bytes to their token ids, owned by one thread at a time.
///
/// Natural text repeats its pieces constantly (`Ġthe`, `,`, `Ċ`), so most pieces skip BPE.
/// Keys and values live in two flat arenas indexed from an open-addressing table: no
/// per-entry allocation and no `String`. When the table or arenas fill up the cache is
/// cleared wholesale, which keeps memory bounded without LRU bookkeeping.
final class WordCache {
    /// Pieces longer than this are not cached (they are rare and would crowd the arena).
    static let maxKeyLength = 96

    private let capacity: Int
    private let mask: Int
    private var hashes: [UInt64]
    private var keyOffsets: [Int32]
    private var keyLengths: [Int32]
    private var valueOffsets: [Int32]
    private var valueLengths: [Int32]
    private var keyArena: [UInt8] = []
    private var valueArena: [TokenID] = []
    private var count = 0
    /// Working memory for the BPE merges of the thread that holds this cache.
    let scratch = MergeScratch()

    /// A cache of at most `capacity / 2` entries (`capacity` is rounded up to a power of 2).
    init(capacity requested: Int = 1 << 16) {
        var capacity = 1024
        while capacity < requested { capacity <<= 1 }
        self.capacity = capacity
        mask = capacity - 1
        hashes = [UInt64](repeating: 0, count: capacity)
        keyOffsets = [Int32](repeating: 0, count: capacity)
        keyLengths = [Int32](repeating: 0, count: capacity)
        valueOffsets = [Int32](repeating: 0, count: capacity)
        valueLengths = [Int32](repeating: 0, count: capacity)
        keyArena.reserveCapacity(capacity * 8)
        valueArena.reserveCapacity(capacity * 2)
    }

    /// Appends the cached ids of the piece to `output` and returns true, or returns false.
    @inline(__always)
    func appendCached(_ bytes: UnsafePointer<UInt8>, count length: Int, hash: UInt64,
                      into output: inout [TokenID]) -> Bool {
        let h = hash | 1
        var i = Int(truncatingIfNeeded: h >> 20) & mask
        return hashes.withUnsafeBufferPointer { hashes in
            while true {
                let stored = hashes[i]
                if stored == 0 { return false }
                if stored == h && Int(keyLengths[i]) == length
                    && keyArena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + Int(keyOffsets[i]), bytes, length) == 0 }) {
                    let start = Int(valueOffsets[i]), n = Int(valueLengths[i])
                    valueArena.withUnsafeBufferPointer {
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<(start + n)]))
                    }
                    return true
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Remembers `ids` for the piece.
    func insert(_ bytes: UnsafePointer<UInt8>, count length: Int, hash: UInt64, ids: ArraySlice<TokenID>) {
        if count * 2 >= capacity || keyArena.count + length > Int(Int32.max) / 2 { clear() }
        let h = hash | 1
        var i = Int(truncatingIfNeeded: h >> 20) & mask
        while hashes[i] != 0 { i = (i + 1) & mask }
        hashes[i] = h
        keyOffsets[i] = Int32(keyArena.count)
        keyLengths[i] = Int32(length)
        valueOffsets[i] = Int32(valueArena.count)
        valueLengths[i] = Int32(ids.count)
        keyArena.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
        valueArena.append(contentsOf: ids)
        count += 1
    }

    private func clear() {
        for i in 0..<capacity { hashes[i] = 0 }
        keyArena.removeAll(keepingCapacity: true)
        valueArena.removeAll(keepingCapacity: true)
        count = 0
    }
}

/// A pool of ``WordCache``s so that concurrent `encode` calls on one ``Tokenizer`` each get
/// a cache of their own, while sequential calls keep reusing a warm one.
final class WordCachePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [WordCache] = []
    /// At most this many idle caches are kept (the rest are dropped when returned).
    private let limit: Int

    init(limit: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        self.limit = limit
    }

    /// Runs `body` with a cache that no other thread uses meanwhile.
    @inline(__always)
    func withCache<R>(_ body: (WordCache) throws -> R) rethrows -> R {
        lock.lock()
        let cache = idle.popLast() ?? WordCache()
        lock.unlock()
        defer {
            lock.lock()
            if idle.count < limit { idle.append(cache) }
            lock.unlock()
        }
        return try body(cache)
    }
}
