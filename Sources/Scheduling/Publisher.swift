import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `publish: PATH` — a symlink in the project to a stage's read-only checkout, replaced atomically.
/// Only a symlink Trellis made (one into the store's `outputs/`) is ever replaced: a user's file,
/// folder or own symlink in the way stops the run. (Paths that leave the project are refused when
/// the manifest is read: `PublishPath`.)
enum Publisher {
    struct InTheWay: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) exists and is not a symlink Trellis made; move it away" }
    }

    static func link(_ path: String, to target: String, outputs: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            let existing = st.st_mode & S_IFMT == S_IFLNK ? try? FileManager.default.destinationOfSymbolicLink(atPath: path) : nil
            guard let existing, existing.hasPrefix(outputs + "/") else { throw InTheWay(path: path) }
        }
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == target { return }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temp = path + ".trellis-tmp-\(getpid())"
        unlink(temp)
        try FileManager.default.createSymbolicLink(atPath: temp, withDestinationPath: target)
        guard rename(temp, path) == 0 else { unlink(temp); throw InTheWay(path: path) }
    }
}
