import Foundation

/// Streams a file as lines of bytes with a bounded buffer (reads 4 MiB at a time).
/// A final line without a trailing newline is still returned.
package final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    package let path: String
    /// 1-based number of the last line returned.
    private(set) var lineNumber = 0

    package init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CorpusError.io(path: path, detail: "cannot open for reading")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// The next line without its newline (and without a trailing CR), or nil at end of file.
    package func next() throws -> [UInt8]? {
        while true {
            let found: Int? = buffer.withUnsafeBufferPointer { b in
                guard start < b.count, let p = memchr(b.baseAddress! + start, 0x0A, b.count - start) else { return nil }
                return b.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
            }
            if let newline = found {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            if start > 0 { buffer.removeSubrange(0..<start); start = 0 }
            let chunk: Data
            do { chunk = try handle.read(upToCount: 4 << 20) ?? Data() } catch {
                throw CorpusError.io(path: path, detail: "read failed: \(error.localizedDescription)")
            }
            if chunk.isEmpty { eof = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
