import ContentDigest
import Foundation

/// One finished shard, as listed in the manifest.
public struct ShardInfo: Sendable, Equatable {
    public var path: String
    public var group: String
    public var index: Int
    public var documents: Int
    /// File size in bytes (header included).
    public var bytes: Int
    public var sha256: String
}

/// Writes documents into size-bounded JSONL shards, one series per group (a language, or
/// `code-<language>`): `shards/<group>/<group>-00000.jsonl`. Each shard starts with a
/// `trellis.corpus.shard` header line; it is written as `.partial` and renamed when complete.
/// Given the same documents in the same order, shard bytes and digests are identical.
final class ShardWriter {
    static let version = FormatHeader.shardVersion

    /// An open shard (a reference, so appending costs one dictionary lookup). Its SHA-256 is updated
    /// as bytes are written, on the writer's (sequential) thread, instead of re-reading the file at the end.
    private final class Open {
        let handle: FileHandle
        let temporary: String
        let path: String
        let index: Int
        var documents = 0
        var bytes = 0
        var pending: [UInt8] = []
        var hasher = DigestHasher()
        init(handle: FileHandle, temporary: String, path: String, index: Int) {
            self.handle = handle; self.temporary = temporary; self.path = path; self.index = index
        }
    }

    private let directory: String
    private let targetBytes: Int
    private var open: [String: Open] = [:]
    private var nextIndex: [String: Int] = [:]
    private(set) var finished: [ShardInfo] = []

    init(directory: String, targetBytes: Int) {
        self.directory = directory
        self.targetBytes = targetBytes
    }

    /// Appends one encoded document line (without newline) to `group`.
    func append(_ line: [UInt8], group: String) throws {
        let shard = try open[group] ?? start(group)
        shard.pending += line
        shard.pending.append(0x0A)
        shard.documents += 1
        if shard.pending.count >= 1 << 20 { try flush(shard) }
        if shard.bytes + shard.pending.count >= targetBytes { try close(group) }
    }

    private func start(_ group: String) throws -> Open {
        let index = nextIndex[group, default: 0]
        nextIndex[group] = index + 1
        let relative = "shards/\(group)/\(group)-\(String(format: "%05d", index)).jsonl"
        let path = directory + "/" + relative
        try CorpusFiles.makeDirectory((path as NSString).deletingLastPathComponent)
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CorpusError.io(path: temporary, detail: "cannot create shard")
        }
        let shard = Open(handle: handle, temporary: temporary, path: relative, index: index)
        let header = FormatHeader(format: FormatHeader.shard, version: Self.version, fields: ["group": .string(group), "index": .int(index)])
        shard.pending = header.line() + [0x0A]
        open[group] = shard
        return shard
    }

    private func flush(_ shard: Open) throws {
        guard !shard.pending.isEmpty else { return }
        do { try shard.handle.write(contentsOf: shard.pending) } catch {
            throw CorpusError.io(path: shard.temporary, detail: "write failed: \(error.localizedDescription)")
        }
        shard.hasher.update(shard.pending)
        shard.bytes += shard.pending.count
        shard.pending.removeAll(keepingCapacity: true)
    }

    private func close(_ group: String) throws {
        guard let shard = open.removeValue(forKey: group) else { return }
        try flush(shard)
        try? shard.handle.close()
        try CorpusFiles.moveReplacing(shard.temporary, to: directory + "/" + shard.path)
        finished.append(ShardInfo(path: shard.path, group: group, index: shard.index, documents: shard.documents,
                                  bytes: shard.bytes, sha256: shard.hasher.finalize().hex))
    }

    /// Closes every open shard; returns all shards sorted by path, with the SHA-256 of each file's bytes.
    func finish(workers: Int) throws -> [ShardInfo] {
        for group in open.keys.sorted() { try close(group) }
        return finished.sorted { $0.path < $1.path }
    }
}
