import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes that either happen whole or not at all: temp file in the same folder, fsync, rename.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temp = "\(directory)/.tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileIOError(path: temp, operation: "create", errno: errno) }
        var ok = false
        defer { if !ok { unlink(temp) } }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 { if errno == EINTR { continue }; close(fd); throw FileIOError(path: temp, operation: "write", errno: errno) }
            offset += n
        }
        guard fsync(fd) == 0 else { close(fd); throw FileIOError(path: temp, operation: "fsync", errno: errno) }
        close(fd)
        guard rename(temp, path) == 0 else { throw FileIOError(path: path, operation: "rename", errno: errno) }
        ok = true
    }

    public static func write(_ string: String, to path: String) throws { try write(Array(string.utf8), to: path) }
}

/// A failed system call on a file: which, on what path, and the errno.
public struct FileIOError: Error, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) { self.path = path; self.operation = operation; self.errno = errno }
    public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
}
