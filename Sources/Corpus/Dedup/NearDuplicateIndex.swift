/// Finds an earlier fingerprint within Hamming distance `maxDistance` without comparing all pairs
/// (Manku, Jain & Das Sarma 2007, "Detecting near-duplicates for web crawling").
///
/// The 64 bits are cut into `blocks` blocks. Two fingerprints within distance k differ in at most k
/// blocks, so with `blocks > k` at least `blocks − k` blocks are identical. One table per choice of
/// `blocks − k` blocks, keyed by those bits, therefore holds every near neighbour under some key:
/// with the ROOTS setting (k = 4, 6 blocks) that is C(6, 2) = 15 tables keyed by 2 blocks (~21 bits).
/// A query looks up its key in each table and checks the candidates' real distance.
public final class NearDuplicateIndex {
    public let maxDistance: Int
    public let blocks: Int
    /// For each table, the mask of the bits forming its key.
    private let masks: [UInt64]
    /// Table key (table index mixed with masked bits) → first entry of a chain in `entries`.
    private var heads = HeadMap()
    private var next: [Int32] = []
    private var owner: [Int32] = []
    private var fingerprints: [UInt64] = []
    /// Candidates examined (for reports: shows the search is not all-pairs).
    public private(set) var comparisons = 0

    /// - Precondition: `0 <= maxDistance < blocks <= 64`.
    public init(maxDistance: Int = 4, blocks: Int = 6) {
        precondition(maxDistance >= 0 && blocks > maxDistance && blocks <= 64, "need 0 ≤ hamming < blocks ≤ 64")
        self.maxDistance = maxDistance
        self.blocks = blocks
        var blockMasks: [UInt64] = []
        var bit = 0
        for b in 0..<blocks {
            let width = 64 / blocks + (b < 64 % blocks ? 1 : 0)
            var mask: UInt64 = 0
            for i in bit..<(bit + width) { mask |= 1 << UInt64(i) }
            blockMasks.append(mask)
            bit += width
        }
        masks = Self.combinations(blocks, choose: blocks - maxDistance).map { $0.reduce(0) { $0 | blockMasks[$1] } }
    }

    /// Number of fingerprints indexed.
    public var count: Int { fingerprints.count }

    /// The index (insertion order) of an indexed fingerprint within `maxDistance` of `fingerprint`, if any.
    public func nearest(to fingerprint: UInt64) -> (index: Int, distance: Int)? {
        var best: (Int, Int)? = nil
        for (t, mask) in masks.enumerated() {
            var entry = heads[key(t, fingerprint & mask)]
            while entry >= 0 {
                let candidate = Int(owner[Int(entry)])
                comparisons += 1
                let distance = (fingerprints[candidate] ^ fingerprint).nonzeroBitCount
                if distance <= maxDistance, best == nil || distance < best!.1 || (distance == best!.1 && candidate < best!.0) {
                    best = (candidate, distance)
                    if distance == 0 { return best }
                }
                entry = next[Int(entry)]
            }
        }
        return best
    }

    /// Adds a fingerprint; returns its index.
    @discardableResult
    public func insert(_ fingerprint: UInt64) -> Int {
        let index = fingerprints.count
        fingerprints.append(fingerprint)
        for (t, mask) in masks.enumerated() {
            let k = key(t, fingerprint & mask)
            next.append(heads[k])
            owner.append(Int32(index))
            heads[k] = Int32(next.count - 1)
        }
        return index
    }

    @inline(__always) private func key(_ table: Int, _ bits: UInt64) -> UInt64 { fmix64(bits ^ (UInt64(table) &* 0x9E37_79B9_7F4A_7C15)) }

    static func combinations(_ n: Int, choose k: Int) -> [[Int]] {
        guard k > 0 else { return [[]] }
        guard k <= n else { return [] }
        var result: [[Int]] = []
        func extend(_ prefix: [Int], _ from: Int) {
            if prefix.count == k { result.append(prefix); return }
            for i in from..<n { extend(prefix + [i], i + 1) }
        }
        extend([], 0)
        return result
    }
}

/// Open-addressing map from well-mixed 64-bit keys to `Int32` (−1 when absent); cheaper than
/// `Dictionary`, which rehashes every key with SipHash.
struct HeadMap {
    private var keys = [UInt64](repeating: 0, count: 1 << 12)
    private var values = [Int32](repeating: -1, count: 1 << 12)
    private var count = 0

    subscript(key: UInt64) -> Int32 {
        get {
            let k = key == 0 ? 1 : key
            let mask = keys.count - 1
            var slot = Int(truncatingIfNeeded: k) & mask
            while true {
                let existing = keys[slot]
                if existing == k { return values[slot] }
                if existing == 0 { return -1 }
                slot = (slot + 1) & mask
            }
        }
        set {
            if (count + 1) * 2 > keys.count { grow() }
            let k = key == 0 ? 1 : key
            let mask = keys.count - 1
            var slot = Int(truncatingIfNeeded: k) & mask
            while keys[slot] != 0 && keys[slot] != k { slot = (slot + 1) & mask }
            if keys[slot] == 0 { keys[slot] = k; count += 1 }
            values[slot] = newValue
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: -1, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for i in 0..<oldKeys.count where oldKeys[i] != 0 {
            var slot = Int(truncatingIfNeeded: oldKeys[i]) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            values[slot] = oldValues[i]
        }
    }
}
