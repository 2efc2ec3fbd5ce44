/// An open-addressing map from well-mixed 64-bit keys to values, on plain arrays (no SipHash, no
/// per-entry allocation). Used by the n-gram language model for training counts and scoring tables.
/// Key 0 is reserved as "empty"; callers' keys are remapped to 1 when they are 0.
struct HashedTable<Value> {
    private(set) var keys: [UInt64]
    private(set) var values: [Value]
    private(set) var count = 0
    private var mask: Int
    private let empty: Value

    init(capacity: Int = 16, empty: Value) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Value](repeating: empty, count: size)
        mask = size - 1
        self.empty = empty
    }

    @inline(__always) private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    /// The value for `key`, or the empty value.
    @inline(__always) func value(_ key: UInt64) -> Value {
        let k = Self.stored(key)
        return keys.withUnsafeBufferPointer { kb in
            var slot = Int(truncatingIfNeeded: k) & mask
            while true {
                let existing = kb[slot]
                if existing == k { return values[slot] }
                if existing == 0 { return empty }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Updates the value for `key` in place (inserting the empty value first when absent).
    @inline(__always) mutating func update(_ key: UInt64, _ body: (inout Value) -> Void) {
        if (count + 1) * 2 > keys.count { grow() }
        let k = Self.stored(key)
        var slot = Int(truncatingIfNeeded: k) & mask
        while true {
            let existing = keys[slot]
            if existing == k { body(&values[slot]); return }
            if existing == 0 {
                keys[slot] = k
                count += 1
                body(&values[slot])
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` for every stored (key, value), in slot order (deterministic for the same inserts).
    func forEach(_ body: (UInt64, Value) -> Void) {
        for slot in keys.indices where keys[slot] != 0 { body(keys[slot], values[slot]) }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [Value](repeating: empty, count: size)
        mask = size - 1
        for slot in oldKeys.indices where oldKeys[slot] != 0 {
            var s = Int(truncatingIfNeeded: oldKeys[slot]) & mask
            while keys[s] != 0 { s = (s + 1) & mask }
            keys[s] = oldKeys[slot]
            values[s] = oldValues[slot]
        }
    }
}

extension HashedTable: Sendable where Value: Sendable {}
