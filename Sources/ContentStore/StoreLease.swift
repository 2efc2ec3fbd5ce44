import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who may delete from the store: every `trellis run` holds a shared lease (`flock(LOCK_SH)` on
/// `locks/store`) for its whole life; `gc --apply` needs the exclusive one, so it never removes
/// objects, trees, checkouts or staging folders that a live run holds or is about to write. The
/// kernel drops a lease when its process dies, however it dies.
public final class StoreLease {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// A run's lease; waits while a gc holds the store.
    public static func shared(_ layout: StoreLayout) throws -> StoreLease {
        try acquire(layout, operation: LOCK_SH)!
    }

    /// gc's lease; nil at once when a run holds the store (unless `wait`).
    public static func exclusive(_ layout: StoreLayout, wait: Bool = false) throws -> StoreLease? {
        try acquire(layout, operation: LOCK_EX | (wait ? 0 : LOCK_NB))
    }

    private static func acquire(_ layout: StoreLayout, operation: Int32) throws -> StoreLease? {
        try FileManager.default.createDirectory(atPath: layout.locks, withIntermediateDirectories: true)
        let path = layout.locks + "/store"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw StoreError.io(path: path, operation: "flock", errno: code)
        }
        return StoreLease(fd: fd)
    }

    deinit { flock(fd, LOCK_UN); close(fd) }
}
