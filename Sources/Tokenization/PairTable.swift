/// A pair of token ids packed as `left << 32 | right`. Comparing packed pairs as integers
/// orders them like Rust's tuple `(u32, u32)`, which the trainer's tie-break relies on.
@usableFromInline
typealias PackedPair = UInt64

@inline(__always) @usableFromInline
func pack(_ left: UInt32, _ right: UInt32) -> PackedPair {
    UInt64(left) << 32 | UInt64(right)
}

/// An open-addressing hash map from packed pairs to 64-bit values, with linear probing.
///
/// Used for the merge table (pair → rank and new id) in the encoder's hot loop and for pair
/// counts in the trainer. `Dictionary` would hash with SipHash and box through generics;
/// this table does one multiply per probe. Keys are never removed.
struct PairTable {
    /// A key no real pair can have: ids are < 2³².
    private static let emptyKey = UInt64.max
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(minimumCapacity: Int = 16) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        values = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        // Fibonacci hashing: the high bits of the product are well mixed.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The value stored for `key`, if any.
    @inline(__always)
    func value(for key: UInt64) -> UInt64? {
        keys.withUnsafeBufferPointer { keys in
            var i = Self.slot(key, mask)
            while true {
                let k = keys[i]
                if k == key { return values[i] }
                if k == Self.emptyKey { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Stores `value` for `key`, replacing any previous value.
    @inline(__always)
    mutating func set(_ key: UInt64, _ value: UInt64) {
        let i = findSlot(key)
        values[i] = value
        if keys[i] == Self.emptyKey {
            keys[i] = key
            count += 1
            if count * 2 > mask { grow() }
        }
    }

    /// Adds `delta` (two's complement) to the value for `key`, inserting 0 first if absent;
    /// returns the new value.
    @discardableResult @inline(__always)
    mutating func add(_ key: UInt64, _ delta: Int64) -> Int64 {
        let i = findSlot(key)
        if keys[i] == Self.emptyKey {
            keys[i] = key
            values[i] = UInt64(bitPattern: delta)
            count += 1
            if count * 2 > mask { grow() }
            return delta
        }
        let updated = Int64(bitPattern: values[i]) &+ delta
        values[i] = UInt64(bitPattern: updated)
        return updated
    }

    /// Calls `body` for every stored entry, in table order.
    func forEach(_ body: (UInt64, UInt64) -> Void) {
        for i in 0..<keys.count where keys[i] != Self.emptyKey { body(keys[i], values[i]) }
    }

    /// Empties the table given all of its keys (cheaper than a new table when the table
    /// is large and the keys are few).
    mutating func removeAll(keys allKeys: [UInt64]) {
        let slots = allKeys.map { findSlot($0) }
        for slot in slots { keys[slot] = Self.emptyKey }
        count = 0
    }

    /// The number of slots.
    var capacity: Int { keys.count }

    @inline(__always)
    private func findSlot(_ key: UInt64) -> Int {
        var i = Self.slot(key, mask)
        while keys[i] != key && keys[i] != Self.emptyKey { i = (i + 1) & mask }
        return i
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: Self.emptyKey, count: oldKeys.count * 2)
        values = [UInt64](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for i in 0..<oldKeys.count where oldKeys[i] != Self.emptyKey {
            let j = findSlot(oldKeys[i])
            keys[j] = oldKeys[i]
            values[j] = oldValues[i]
        }
    }
}
