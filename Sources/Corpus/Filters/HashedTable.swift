/// An open-addressing map from well-mixed 64-bit keys to values, on one plain array of (key, value)
/// entries (no SipHash, no per-entry allocation; a lookup touches one cache line, not one for the key
/// and one for the value). Used by the n-gram language model for training counts and scoring tables.
/// Key 0 is reserved as "empty"; callers' keys are remapped to 1 when they are 0.
struct HashedTable<Value> {
    struct Entry {
        var key: UInt64
        var value: Value
    }
    private var entries: [Entry]
    private(set) var count = 0
    private var mask: Int
    private let empty: Value

    init(capacity: Int = 16, empty: Value) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = [Entry](repeating: Entry(key: 0, value: empty), count: size)
        mask = size - 1
        self.empty = empty
    }

    @inline(__always) private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    /// The value for `key`, or the empty value.
    @inline(__always) func value(_ key: UInt64) -> Value {
        let k = Self.stored(key)
        return entries.withUnsafeBufferPointer { table in
            var slot = Int(truncatingIfNeeded: k) & mask
            while true {
                let existing = table[slot].key
                if existing == k { return table[slot].value }
                if existing == 0 { return empty }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Updates the value for `key` in place (inserting the empty value first when absent).
    @inline(__always) mutating func update(_ key: UInt64, _ body: (inout Value) -> Void) {
        if (count + 1) * 2 > entries.count { grow() }
        let k = Self.stored(key)
        var slot = Int(truncatingIfNeeded: k) & mask
        while true {
            let existing = entries[slot].key
            if existing == k { body(&entries[slot].value); return }
            if existing == 0 {
                entries[slot].key = k
                count += 1
                body(&entries[slot].value)
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` for every stored (key, value), in slot order (deterministic for the same inserts).
    func forEach(_ body: (UInt64, Value) -> Void) {
        for entry in entries where entry.key != 0 { body(entry.key, entry.value) }
    }

    private mutating func grow() {
        let old = entries
        entries = [Entry](repeating: Entry(key: 0, value: empty), count: old.count * 2)
        mask = entries.count - 1
        for entry in old where entry.key != 0 {
            var s = Int(truncatingIfNeeded: entry.key) & mask
            while entries[s].key != 0 { s = (s + 1) & mask }
            entries[s] = entry
        }
    }
}

extension HashedTable: Sendable where Value: Sendable {}
extension HashedTable.Entry: Sendable where Value: Sendable {}
