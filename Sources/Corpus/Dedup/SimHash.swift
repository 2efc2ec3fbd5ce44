import CorpusKernels

/// 64-bit SimHash (Charikar) over character shingles, as in the OSCAR near-dedup of ROOTS:
/// lowercase, punctuation and symbols removed, whitespace runs collapsed to one space, then every
/// window of `shingle` characters hashed; each fingerprint bit is the majority vote of that bit over
/// all shingle hashes. Near-identical texts get fingerprints a few bits apart.
public struct SimHasher {
    public let shingle: Int
    private var normalized: [UInt32] = []
    /// 256 entries: bit j of the index becomes byte j (0 or 1) of the value.
    private static let byteSpread: [UInt64] = (0..<256).map { (b: Int) -> UInt64 in
        var value: UInt64 = 0
        for bit in 0..<8 where (b >> bit) & 1 == 1 { value |= 1 << UInt64(bit * 8) }
        return value
    }

    /// True forces the Swift vote loop instead of the AVX-512 kernel (tests compare the two).
    var portable = false
    static let usesAVX512 = trellis_corpus_avx512_available() != 0

    public init(shingle: Int = 6) { self.shingle = max(1, shingle) }

    /// Fingerprint of a string (convenience).
    public mutating func fingerprint(_ text: String) -> UInt64 { fingerprint(text.unicodeScalars.map(\.value)) }

    /// Fingerprint of scalar values.
    public mutating func fingerprint(_ text: [UInt32]) -> UInt64 {
        let tables = ScalarTables.shared
        var normalized = self.normalized
        self.normalized = []
        // Written through a raw buffer (no per-character append): lowercase, punctuation dropped, one space per whitespace run.
        normalized.removeAll(keepingCapacity: true)
        normalized.append(contentsOf: repeatElement(0, count: text.count))
        let kept: Int = normalized.withUnsafeMutableBufferPointer { out in
            var m = 0
            for s in text {
                let c = tables.cls(s)
                if c.contains(.punctuation) { continue }
                if c.contains(.whitespace) {
                    if m > 0, out[m - 1] != 0x20 { out[m] = 0x20; m += 1 }
                    continue
                }
                out[m] = tables.low(s); m += 1
            }
            if m > 0, out[m - 1] == 0x20 { m -= 1 }
            return m
        }
        normalized.removeLast(normalized.count - kept)
        defer { self.normalized = normalized }
        guard !normalized.isEmpty else { return 0 }
        if Self.usesAVX512 && !portable {
            return normalized.withUnsafeBufferPointer { trellis_simhash_fingerprint($0.baseAddress!, $0.count, Int32(shingle)) }
        }
        // Per-bit vote counts, SWAR: each byte of a shingle hash indexes a table of eight 0/1 bytes; eight
        // 64-bit accumulators hold 64 byte-wide counters, flushed to 32-bit totals before they can overflow.
        var total: Int32 = 0
        let n = min(shingle, normalized.count)
        let base: UInt64 = 0x100_0000_01b3
        var power: UInt64 = 1
        for _ in 0..<n { power = power &* base }
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 64) { v in
            v.initialize(repeating: 0)
            Self.byteSpread.withUnsafeBufferPointer { spread in
                normalized.withUnsafeBufferPointer { t in
                    var a0: UInt64 = 0, a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0
                    var a4: UInt64 = 0, a5: UInt64 = 0, a6: UInt64 = 0, a7: UInt64 = 0
                    var pending = 0
                    var h: UInt64 = 0
                    for i in 0..<t.count {
                        h = h &* base &+ UInt64(t[i]) &+ 1
                        if i >= n { h = h &- (UInt64(t[i - n]) &+ 1) &* power }
                        guard i >= n - 1 else { continue }
                        let f = fmix64(h)
                        a0 &+= spread[Int(f & 0xFF)]
                        a1 &+= spread[Int((f >> 8) & 0xFF)]
                        a2 &+= spread[Int((f >> 16) & 0xFF)]
                        a3 &+= spread[Int((f >> 24) & 0xFF)]
                        a4 &+= spread[Int((f >> 32) & 0xFF)]
                        a5 &+= spread[Int((f >> 40) & 0xFF)]
                        a6 &+= spread[Int((f >> 48) & 0xFF)]
                        a7 &+= spread[Int((f >> 56) & 0xFF)]
                        total += 1
                        pending += 1
                        if pending == 255 {
                            Self.spill(a0, 0, v); Self.spill(a1, 1, v); Self.spill(a2, 2, v); Self.spill(a3, 3, v)
                            Self.spill(a4, 4, v); Self.spill(a5, 5, v); Self.spill(a6, 6, v); Self.spill(a7, 7, v)
                            a0 = 0; a1 = 0; a2 = 0; a3 = 0; a4 = 0; a5 = 0; a6 = 0; a7 = 0
                            pending = 0
                        }
                    }
                    Self.spill(a0, 0, v); Self.spill(a1, 1, v); Self.spill(a2, 2, v); Self.spill(a3, 3, v)
                    Self.spill(a4, 4, v); Self.spill(a5, 5, v); Self.spill(a6, 6, v); Self.spill(a7, 7, v)
                }
            }
            var fingerprint: UInt64 = 0
            for bit in 0..<64 where 2 * v[bit] > total { fingerprint |= 1 << UInt64(bit) }
            return fingerprint
        }
    }

    /// Adds the eight byte-wide counters of accumulator `k` (bits 8k…8k+7) to `votes`.
    @inline(__always) private static func spill(_ a: UInt64, _ k: Int, _ votes: UnsafeMutableBufferPointer<Int32>) {
        for lane in 0..<8 { votes[k * 8 + lane] += Int32((a >> UInt64(lane * 8)) & 0xFF) }
    }
}
