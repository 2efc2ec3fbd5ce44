/// Remembers which lines were already seen, for exact line-level de-duplication of the
/// training text (BLOOM de-duplicated its tokenizer data by line and by article).
///
/// Lines are compared without their trailing `\n`, so a file's last line counts as a copy
/// of an earlier identical line. Only a 128-bit hash of each distinct line is kept
/// (16 bytes, about 32 with table slack): two different lines would have to collide in
/// 128 bits to be confused.
struct LineDeduplicator {
    private var first: [UInt64]
    private var second: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(capacity requested: Int = 1 << 16) {
        var capacity = 1024
        while capacity < requested { capacity <<= 1 }
        first = [UInt64](repeating: 0, count: capacity)
        second = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// The two hashes of a line (`length` bytes, without its `\n`).
    static func fingerprint(_ bytes: UnsafePointer<UInt8>, length: Int) -> (UInt64, UInt64) {
        (ByteHash.hash(bytes, count: length) | 1,
         ByteHash.hash(bytes, count: length, seed: 0x1319_8A2E_0370_7344))
    }

    /// Records the line and returns true when it had not been seen before.
    mutating func insert(_ fingerprint: (UInt64, UInt64)) -> Bool {
        var i = Int(truncatingIfNeeded: fingerprint.0 >> 13) & mask
        while first[i] != 0 {
            if first[i] == fingerprint.0 && second[i] == fingerprint.1 { return false }
            i = (i + 1) & mask
        }
        first[i] = fingerprint.0
        second[i] = fingerprint.1
        count += 1
        if count * 2 > first.count { grow() }
        return true
    }

    private mutating func grow() {
        let oldFirst = first, oldSecond = second
        first = [UInt64](repeating: 0, count: oldFirst.count * 2)
        second = [UInt64](repeating: 0, count: oldFirst.count * 2)
        mask = first.count - 1
        for j in 0..<oldFirst.count where oldFirst[j] != 0 {
            var i = Int(truncatingIfNeeded: oldFirst[j] >> 13) & mask
            while first[i] != 0 { i = (i + 1) & mask }
            first[i] = oldFirst[j]
            second[i] = oldSecond[j]
        }
    }
}
