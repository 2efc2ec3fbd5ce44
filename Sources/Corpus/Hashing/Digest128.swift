/// A 128-bit content digest (MurmurHash3 x64/128, own implementation): the key for exact dedup.
///
/// Not cryptographic; collisions between distinct normalized documents are astronomically unlikely
/// at corpus sizes (2^-64 birthday bound for ~10^9 documents), which is all dedup needs.
public struct Digest128: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    /// Hashes `bytes` with `seed`.
    public init(hashing bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0x7472_656c_6c69_7321) {
        (high, low) = murmur3x64(bytes, seed: seed)
    }

    /// Hashes an array of bytes.
    public init(hashing bytes: [UInt8], seed: UInt64 = 0x7472_656c_6c69_7321) {
        self = bytes.withUnsafeBufferPointer { Digest128(hashing: $0, seed: seed) }
    }

    /// 32 lowercase hex characters.
    public var description: String {
        func hex(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        return hex(high) + hex(low)
    }
}

/// The 64-bit finalizer of MurmurHash3: a good avalanche mix for any 64-bit value.
@inline(__always) func fmix64(_ value: UInt64) -> UInt64 {
    var k = value
    k ^= k >> 33
    k &*= 0xff51_afd7_ed55_8ccd
    k ^= k >> 33
    k &*= 0xc4ce_b9fe_1a85_ec53
    k ^= k >> 33
    return k
}

@inline(__always) private func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

@inline(__always) private func load64(_ p: UnsafePointer<UInt8>) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(p[i]) << UInt64(8 * i) }
    return v
}

/// MurmurHash3_x64_128 (Austin Appleby's public-domain algorithm), little-endian block reads.
func murmur3x64(_ data: UnsafeBufferPointer<UInt8>, seed: UInt64) -> (UInt64, UInt64) {
    let c1: UInt64 = 0x87c3_7b91_1142_53d5
    let c2: UInt64 = 0x4cf5_ad43_2745_937f
    var h1 = seed, h2 = seed
    let count = data.count
    let blocks = count / 16
    if let base = data.baseAddress {
        for i in 0..<blocks {
            var k1 = load64(base + 16 * i)
            var k2 = load64(base + 16 * i + 8)
            k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
            h1 = rotl(h1, 27); h1 &+= h2; h1 = h1 &* 5 &+ 0x52dc_e729
            k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
            h2 = rotl(h2, 31); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5ab5
        }
        var k1: UInt64 = 0, k2: UInt64 = 0
        let tail = base + 16 * blocks
        let rest = count & 15
        if rest > 8 {
            for i in stride(from: rest - 1, through: 8, by: -1) { k2 ^= UInt64(tail[i]) << UInt64(8 * (i - 8)) }
            k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
        }
        if rest > 0 {
            for i in stride(from: min(rest, 8) - 1, through: 0, by: -1) { k1 ^= UInt64(tail[i]) << UInt64(8 * i) }
            k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
        }
    }
    h1 ^= UInt64(count); h2 ^= UInt64(count)
    h1 &+= h2; h2 &+= h1
    h1 = fmix64(h1); h2 = fmix64(h2)
    h1 &+= h2; h2 &+= h1
    return (h1, h2)
}

/// FNV-1a 64 of a string's UTF-8, finished with `fmix64` so every bit is usable (e.g. for `% 100`).
public func stableHash(_ string: String) -> UInt64 { fmix64(fnv1a64(string.utf8)) }
