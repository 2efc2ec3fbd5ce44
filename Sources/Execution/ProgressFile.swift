import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A stage's progress file (`$TRELLIS_PROGRESS`, `progress.jsonl` in its staging folder): the stage
/// appends `StageProgress` lines, the orchestrator (or `trellis status` in another terminal) reads
/// the last complete one. Lines are appended with `O_APPEND` in one `write` each, so a reader sees
/// whole lines or a partial last line, which it skips until it is complete.
public enum ProgressFile {
    /// The progress file of a staging folder.
    public static func path(staging: String) -> String { staging + "/progress.jsonl" }

    /// Appends one line; failures are ignored (progress is never worth failing a stage for).
    public static func append(_ progress: StageProgress, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let line = Array((progress.jsonLine + "\n").utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
    }

    /// The last complete line of the file, parsed; nil when there is none (yet).
    public static func last(_ path: String) -> StageProgress? {
        var reader = Reader(path: path)
        return reader.poll()
    }

    /// Follows one file: each `poll` reads only what was appended since the last (at most the
    /// last 64 KB of it) and returns the newest complete progress line, or nil if none arrived.
    public struct Reader: Sendable {
        public let path: String
        private var offset: Int64 = 0

        public init(path: String) { self.path = path }

        public mutating func poll() -> StageProgress? {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0 else { return nil }
            let size = Int64(st.st_size)
            if size < offset { offset = 0 }          // truncated or replaced: start again
            guard size > offset else { return nil }
            let start = max(offset, size - 65_536)
            var bytes = [UInt8](repeating: 0, count: Int(size - start))
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(start)) }
            guard n > 0 else { return nil }
            bytes.removeLast(bytes.count - n)
            // Only complete lines count; a partial last line is read again next time.
            guard let lastNewline = bytes.lastIndex(of: 0x0A) else { return nil }
            offset = start + Int64(lastNewline) + 1
            for line in bytes[..<lastNewline].split(separator: 0x0A).reversed() {
                if let progress = StageProgress.parse(line: line) { return progress }
            }
            return nil
        }
    }
}
