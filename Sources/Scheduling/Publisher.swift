import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `publish: PATH` — a symlink in the workspace to a stage's read-only checkout, replaced atomically.
/// A real file or folder in the way is never overwritten.
enum Publisher {
    struct InTheWay: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) exists and is not a symlink Trellis made; move it away" }
    }

    static func link(_ path: String, to target: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 && st.st_mode & S_IFMT != S_IFLNK { throw InTheWay(path: path) }
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == target { return }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temp = path + ".trellis-tmp-\(getpid())"
        unlink(temp)
        try FileManager.default.createSymbolicLink(atPath: temp, withDestinationPath: target)
        guard rename(temp, path) == 0 else { unlink(temp); throw InTheWay(path: path) }
    }
}
