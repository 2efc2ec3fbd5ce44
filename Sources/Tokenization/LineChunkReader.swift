import Foundation

/// Reads a file in fixed-size chunks and hands out buffers that end on a line boundary
/// (after a `\n`), carrying a partial last line over to the next chunk. The file's final
/// line is handed out even without a `\n`. Memory: one chunk plus the longest line.
enum LineChunkReader {
    static func read(path: String, chunkSize: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TokenizerError.io(path: path, message: "cannot open file")
        }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        while true {
            let data: Data?
            do {
                data = try handle.read(upToCount: chunkSize)
            } catch {
                throw TokenizerError.io(path: path, message: error.localizedDescription)
            }
            guard let data, !data.isEmpty else { break }
            var buffer = carry
            buffer.append(contentsOf: data)
            guard let lastNewline = buffer.lastIndex(of: 0x0A) else {
                carry = buffer
                continue
            }
            try buffer.withUnsafeBufferPointer { all in
                try body(UnsafeBufferPointer(rebasing: all[0...lastNewline]))
            }
            carry = Array(buffer[(lastNewline + 1)...])
        }
        if !carry.isEmpty { try carry.withUnsafeBufferPointer { try body($0) } }
    }
}
