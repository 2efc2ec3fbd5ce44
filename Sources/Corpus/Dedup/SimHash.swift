/// 64-bit SimHash (Charikar) over character shingles, as in the OSCAR near-dedup of ROOTS:
/// lowercase, punctuation and symbols removed, whitespace runs collapsed to one space, then every
/// window of `shingle` characters hashed; each fingerprint bit is the majority vote of that bit over
/// all shingle hashes. Near-identical texts get fingerprints a few bits apart.
public struct SimHasher {
    public let shingle: Int
    private var normalized: [UInt32] = []
    /// 256 entries × 8 lanes: the bits of one byte spread as 0/1 lanes.
    private static let byteLanes: [SIMD8<Int32>] = (0..<256).map { b in
        SIMD8<Int32>((0..<8).map { Int32((b >> $0) & 1) })
    }

    public init(shingle: Int = 6) { self.shingle = max(1, shingle) }

    /// Fingerprint of a string (convenience).
    public mutating func fingerprint(_ text: String) -> UInt64 { fingerprint(text.unicodeScalars.map(\.value)) }

    /// Fingerprint of scalar values.
    public mutating func fingerprint(_ text: [UInt32]) -> UInt64 {
        let tables = ScalarTables.shared
        var normalized = self.normalized
        self.normalized = []
        normalized.removeAll(keepingCapacity: true)
        for s in text {
            let c = tables.cls(s)
            if c.contains(.punctuation) { continue }
            if c.contains(.whitespace) {
                if let last = normalized.last, last != 0x20 { normalized.append(0x20) }
                continue
            }
            normalized.append(tables.low(s))
        }
        if normalized.last == 0x20 { normalized.removeLast() }
        defer { self.normalized = normalized }
        guard !normalized.isEmpty else { return 0 }
        var o0 = SIMD8<Int32>.zero, o1 = SIMD8<Int32>.zero, o2 = SIMD8<Int32>.zero, o3 = SIMD8<Int32>.zero
        var o4 = SIMD8<Int32>.zero, o5 = SIMD8<Int32>.zero, o6 = SIMD8<Int32>.zero, o7 = SIMD8<Int32>.zero
        var total: Int32 = 0
        let n = min(shingle, normalized.count)
        let base: UInt64 = 0x100_0000_01b3
        var power: UInt64 = 1
        for _ in 0..<n { power = power &* base }
        // Per-bit vote counts: each byte of a shingle hash indexes a table of eight 0/1 lanes.
        Self.byteLanes.withUnsafeBufferPointer { lanes in
            normalized.withUnsafeBufferPointer { t in
                var h: UInt64 = 0
                for i in 0..<t.count {
                    h = h &* base &+ UInt64(t[i]) &+ 1
                    if i >= n { h = h &- (UInt64(t[i - n]) &+ 1) &* power }
                    guard i >= n - 1 else { continue }
                    let f = fmix64(h)
                    o0 &+= lanes[Int(f & 0xFF)]
                    o1 &+= lanes[Int((f >> 8) & 0xFF)]
                    o2 &+= lanes[Int((f >> 16) & 0xFF)]
                    o3 &+= lanes[Int((f >> 24) & 0xFF)]
                    o4 &+= lanes[Int((f >> 32) & 0xFF)]
                    o5 &+= lanes[Int((f >> 40) & 0xFF)]
                    o6 &+= lanes[Int((f >> 48) & 0xFF)]
                    o7 &+= lanes[Int((f >> 56) & 0xFF)]
                    total += 1
                }
            }
        }
        let ones = [o0, o1, o2, o3, o4, o5, o6, o7]
        var fingerprint: UInt64 = 0
        for byte in 0..<8 {
            for lane in 0..<8 where 2 * ones[byte][lane] > total {
                fingerprint |= 1 << UInt64(byte * 8 + lane)
            }
        }
        return fingerprint
    }
}
