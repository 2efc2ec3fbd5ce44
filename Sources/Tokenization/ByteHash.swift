/// A fast, seedable 64-bit hash of a byte range, reading 8 bytes at a time.
///
/// Used for the word cache, word counts and line de-duplication: keys are short (most
/// pieces are < 16 bytes), so a per-byte hash such as FNV or `Hasher`'s SipHash costs more
/// than the table lookup itself. Not cryptographic; equal bytes always hash equal.
enum ByteHash {
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, count: Int, seed: UInt64 = 0x243F_6A88_85A3_08D3) -> UInt64 {
        let raw = UnsafeRawPointer(bytes)
        var h = seed ^ (UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = mix(h ^ word)
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            h = mix(h ^ tail)
        }
        return finalize(h)
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        let product = x.multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
        return product.high ^ product.low
    }

    @inline(__always)
    private static func finalize(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
