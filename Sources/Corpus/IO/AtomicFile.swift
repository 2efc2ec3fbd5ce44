import Foundation

/// Whole-file writes that never leave a half-written file behind: write a temporary sibling,
/// then rename over the target (atomic on one file system).
public enum AtomicFile {
    /// Writes `bytes` to `path`, creating parent folders.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(Data(bytes), to: path)
    }

    /// Writes `data` to `path`, creating parent folders.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
            try data.write(to: URL(fileURLWithPath: temporary))
            try moveReplacing(temporary, to: path)
        } catch let error as CorpusError {
            throw error
        } catch {
            throw CorpusError.io(path: path, detail: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Renames `source` to `destination`, replacing an existing file.
    public static func moveReplacing(_ source: String, to destination: String) throws {
        if rename(source, destination) != 0 {
            throw CorpusError.io(path: destination, detail: "rename from \(source) failed (errno \(errno))")
        }
    }

    /// Creates a folder and its parents.
    public static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CorpusError.io(path: path, detail: "cannot create folder: \(error.localizedDescription)")
        }
    }

    /// Reads a whole file.
    public static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorpusError.io(path: path, detail: "cannot read (missing or unreadable)")
        }
        return data
    }
}
