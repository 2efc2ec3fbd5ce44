import FileIO
import Foundation

/// The corpus' file operations, failing with `CorpusError.io`. Whole-file writes go through
/// `FileIO.AtomicFile` (temp file, fsync, rename): a crash leaves the old file or the new one.
package enum CorpusFiles {
    /// Writes `bytes` to `path`, creating parent folders.
    package static func write(_ bytes: [UInt8], to path: String) throws {
        do { try AtomicFile.write(bytes, to: path) } catch {
            throw CorpusError.io(path: path, detail: "cannot write: \(error)")
        }
    }

    /// Writes `data` to `path`, creating parent folders.
    package static func write(_ data: Data, to path: String) throws { try write(Array(data), to: path) }

    /// Renames `source` to `destination`, replacing an existing file.
    package static func moveReplacing(_ source: String, to destination: String) throws {
        if rename(source, destination) != 0 {
            throw CorpusError.io(path: destination, detail: "rename from \(source) failed (errno \(errno))")
        }
    }

    /// Creates a folder and its parents.
    package static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CorpusError.io(path: path, detail: "cannot create folder: \(error.localizedDescription)")
        }
    }

    /// Reads a whole file.
    package static func read(_ path: String) throws -> Data {
        guard let data = FileContents.read(path).map({ Data($0) }) else {
            throw CorpusError.io(path: path, detail: "cannot read (missing or unreadable)")
        }
        return data
    }
}
