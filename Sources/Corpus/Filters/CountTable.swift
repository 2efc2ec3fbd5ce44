/// An open-addressing hash table from 64-bit keys to counts, reused across documents (cleared in
/// time proportional to what was inserted). Far cheaper than `Dictionary` for n-gram counting.
/// Key and count share a 16-byte slot, so a probe touches one cache line. Raw storage owned by one
/// worker (call `release()` when done); a value type so the hot loop has no dynamic exclusivity checks.
/// Slots are chosen by the key's low bits: keys must be well mixed.
struct CountTable {
    private struct Slot { var key: UInt64; var count: UInt32 }
    private var slots: UnsafeMutablePointer<Slot>
    private var used: UnsafeMutablePointer<Int32>
    /// Allocated slots (never shrinks) and the mask of the slots in use for the current document:
    /// sized to that document, so a small document after a huge one probes a small, cache-resident region.
    private var size: Int
    private var mask: Int
    /// Number of distinct keys.
    private(set) var distinct = 0

    init(capacity: Int = 1 << 12) {
        size = 16
        while size < capacity * 2 { size <<= 1 }
        mask = size - 1
        slots = .allocate(capacity: size); slots.initialize(repeating: Slot(key: 0, count: 0), count: size)
        used = .allocate(capacity: size)
    }

    /// Frees the storage; the table must not be used afterwards.
    func release() { slots.deallocate(); used.deallocate() }

    /// Empties the table; grows it first if the next document may need `expected` entries.
    mutating func reset(expected: Int) {
        for i in 0..<distinct { slots[Int(used[i])] = Slot(key: 0, count: 0) }
        distinct = 0
        if expected * 2 > size {
            release()
            while size < expected * 2 { size <<= 1 }
            slots = .allocate(capacity: size); slots.initialize(repeating: Slot(key: 0, count: 0), count: size)
            used = .allocate(capacity: size)
        }
        var inUse = 16
        while inUse < expected * 2 { inUse <<= 1 }
        mask = inUse - 1
    }

    /// Adds one occurrence of `key`. The table must have room (see `reset(expected:)`).
    @inline(__always) mutating func add(_ key: UInt64) {
        let k = key == 0 ? 1 : key
        var slot = Int(truncatingIfNeeded: k) & mask
        while true {
            let existing = slots[slot].key
            if existing == k { slots[slot].count &+= 1; return }
            if existing == 0 {
                slots[slot] = Slot(key: k, count: 1); used[distinct] = Int32(slot); distinct += 1
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` with each distinct key's count.
    @inline(__always) func forEachCount(_ body: (UInt32) -> Void) {
        for i in 0..<distinct { body(slots[Int(used[i])].count) }
    }
}

/// A growable map from (already well-mixed) 64-bit keys to counts, for corpus-wide line counts.
/// Open addressing over raw storage (`Dictionary` would rehash every key with SipHash); key and
/// count share a slot, so a lookup costs one cache miss. Built by one thread; afterwards `view`
/// gives threads a reference-count-free read-only handle, valid while the counter lives.
final class KeyCounter: @unchecked Sendable {
    struct Slot { var key: UInt64; var count: UInt32 }
    private var slots: UnsafeMutablePointer<Slot>
    private var size: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 16) {
        size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = .allocate(capacity: size); slots.initialize(repeating: Slot(key: 0, count: 0), count: size)
    }

    deinit { slots.deallocate() }

    func add(_ key: UInt64) {
        if (count + 1) * 2 > size { grow() }
        let k = key == 0 ? 1 : key
        let mask = size - 1
        var slot = Int(truncatingIfNeeded: k) & mask
        while true {
            if slots[slot].key == k { slots[slot].count &+= 1; return }
            if slots[slot].key == 0 { slots[slot] = Slot(key: k, count: 1); count += 1; return }
            slot = (slot + 1) & mask
        }
    }

    /// A read-only handle for lookups from many threads.
    var view: View { View(slots: slots, mask: size - 1) }

    struct View: @unchecked Sendable {
        let slots: UnsafeMutablePointer<Slot>
        let mask: Int

        /// The count of `key` (0 when absent).
        @inline(__always) func count(of key: UInt64) -> UInt32 {
            let k = key == 0 ? 1 : key
            var slot = Int(truncatingIfNeeded: k) & mask
            while true {
                let existing = slots[slot].key
                if existing == k { return slots[slot].count }
                if existing == 0 { return 0 }
                slot = (slot + 1) & mask
            }
        }
    }

    private func grow() {
        let old = slots, oldSize = size
        size *= 2
        slots = .allocate(capacity: size); slots.initialize(repeating: Slot(key: 0, count: 0), count: size)
        let mask = size - 1
        for i in 0..<oldSize where old[i].key != 0 {
            var slot = Int(truncatingIfNeeded: old[i].key) & mask
            while slots[slot].key != 0 { slot = (slot + 1) & mask }
            slots[slot] = old[i]
        }
        old.deallocate()
    }
}
