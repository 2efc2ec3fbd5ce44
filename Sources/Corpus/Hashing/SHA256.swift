import CorpusKernels

/// A small, dependency-free SHA-256 (FIPS 180-4), used for shard and file digests in manifests.
/// Blocks go through the CPU's SHA extensions where it has them (`CorpusKernels`), else a Swift loop.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(Array("abc".utf8))
/// hasher.finalize().hex  // "ba7816bf…"
/// ```
public struct SHA256: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0
    /// True: always the Swift loop (tests compare it with the hardware path).
    var portable = false

    public init() { buffer.reserveCapacity(64) }

    /// Hashes `bytes` in one call and returns the lowercase hex digest.
    public static func hex<C: Collection>(of bytes: C) -> String where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(Array(bytes))
        return hasher.finalize().hex
    }

    /// Feeds more bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    /// Feeds more bytes from a buffer.
    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(bytes.count)
        var index = 0
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, bytes.count)
            buffer.append(contentsOf: bytes[0..<take])
            index = take
            if buffer.count == 64 {
                buffer.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: 1) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        guard let base = bytes.baseAddress else { return }
        let blocks = (bytes.count - index) / 64
        if blocks > 0 {
            compress(base + index, blocks: blocks)
            index += 64 * blocks
        }
        if index < bytes.count { buffer.append(contentsOf: bytes[index...]) }
    }

    /// Pads, finishes and returns the 32-byte digest.
    public mutating func finalize() -> SHA256Digest {
        let bitLength = length &* 8
        var tail = buffer
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBufferPointer { pointer in
            compress(pointer.baseAddress!, blocks: pointer.count / 64)
        }
        buffer.removeAll()
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for word in words { for shift in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) } }
        return SHA256Digest(bytes: bytes)
    }

    private static let k: [UInt32] = withUnsafeBytes(of: trellis_sha256_round_constants) {
        Array($0.bindMemory(to: UInt32.self))
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// Whether blocks go through the SHA extensions (false: the Swift loop; tests compare the two).
    static let usesHardware = trellis_sha256_hardware_available() != 0

    private mutating func compress(_ data: UnsafePointer<UInt8>, blocks: Int) {
        if Self.usesHardware && !portable {
            withUnsafeMutableBytes(of: &state) { raw in
                trellis_sha256_hardware_blocks(raw.baseAddress!.assumingMemoryBound(to: UInt32.self), data, blocks)
            }
        } else {
            for b in 0..<blocks { compressInSwift(data + 64 * b) }
        }
    }

    /// The portable compression function (FIPS 180-4, section 6.2.2).
    mutating func compressInSwift(_ block: UnsafePointer<UInt8>) {
        let raw = UnsafeRawPointer(block)
        var (a, b, c, d, e, f, g, h) = state
        Self.k.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for i in 0..<16 { w[i] = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
                for i in 16..<64 {
                    let x = w[i - 15], y = w[i - 2]
                    let s0 = Self.rotr(x, 7) ^ Self.rotr(x, 18) ^ (x >> 3)
                    let s1 = Self.rotr(y, 17) ^ Self.rotr(y, 19) ^ (y >> 10)
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                for i in 0..<64 {
                    let s1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    h = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ s0 &+ maj
                }
            }
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }
}

/// A finished SHA-256 digest.
public struct SHA256Digest: Hashable, Sendable {
    public let bytes: [UInt8]
    /// Lowercase hexadecimal, 64 characters.
    public var hex: String { hexString(bytes) }
}

/// Lowercase hex of a byte sequence.
func hexString<C: Sequence>(_ bytes: C) -> String where C.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}
