import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Streams a file through SHA-256 with one reused buffer (BoringSSL uses SHA-NI where present).
public enum FileHasher {
    public static let bufferSize = 1 << 20

    public static func digest(ofFile path: String) throws -> Digest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        var st = stat()
        if fstat(fd, &st) == 0, st.st_size >= 4 << 20, let digest = mappedDigest(fd: fd, size: Int(st.st_size)) { return digest }
        var hasher = DigestHasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, bufferSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hasher.finalize()
    }

    /// Hashes a large file through a read-only mapping: no copy into a buffer.
    private static func mappedDigest(fd: Int32, size: Int) -> Digest? {
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        _ = madvise(base, size, MADV_SEQUENTIAL)
        var hasher = DigestHasher()
        var offset = 0
        while offset < size {
            let n = min(8 << 20, size - offset)
            hasher.update(UnsafeRawBufferPointer(start: base + offset, count: n))
            offset += n
        }
        return hasher.finalize()
    }
}
