/// FNV-1a 64 over bytes: a cheap, stable hash for short keys (paths, ids) where quality matters less.
/// Part of the formats: the validation split of a corpus (by id) and checkpoint fingerprints use it.
public func fnv1a64<C: Sequence>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h ^= UInt64(b); h &*= 0x0000_0100_0000_01b3 }
    return h
}
