import Crypto

/// SHA-256 fed piece by piece (a file read in blocks, a shard as it is written): the one SHA-256 of
/// the package, swift-crypto's (BoringSSL, which uses the CPU's SHA extensions where it has them).
public struct DigestHasher {
    private var inner = SHA256()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { inner.update(bufferPointer: bytes) }
    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { inner.update(bufferPointer: $0) } }

    /// The digest of everything fed so far.
    public func finalize() -> Digest { Digest(inner.finalize()) }
}
