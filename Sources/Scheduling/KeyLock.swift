import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory lock per stage key (`flock` on `locks/<key>`), so two `trellis run` on one store
/// never build the same key at once; the second waits and then finds the result cached.
final class KeyLock {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Tries once; nil if another process holds it.
    static func tryAcquire(directory: String, key: String) -> KeyLock? {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fd = open("\(directory)/\(key)", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 { close(fd); return nil }
        return KeyLock(fd: fd)
    }

    func release() { flock(fd, LOCK_UN); close(fd) }
}
