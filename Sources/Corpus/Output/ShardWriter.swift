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
    static let version = 1

    private struct Open {
        var handle: FileHandle
        var temporary: String
        var path: String
        var index: Int
        var documents = 0
        var bytes = 0
        var pending: [UInt8] = []
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
        if open[group] == nil { try start(group) }
        open[group]!.pending += line
        open[group]!.pending.append(0x0A)
        open[group]!.documents += 1
        if open[group]!.pending.count >= 1 << 20 { try flush(group) }
        if open[group]!.bytes + open[group]!.pending.count >= targetBytes { try close(group) }
    }

    private func start(_ group: String) throws {
        let index = nextIndex[group, default: 0]
        nextIndex[group] = index + 1
        let relative = "shards/\(group)/\(group)-\(String(format: "%05d", index)).jsonl"
        let path = directory + "/" + relative
        try AtomicFile.makeDirectory((path as NSString).deletingLastPathComponent)
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CorpusError.io(path: temporary, detail: "cannot create shard")
        }
        var shard = Open(handle: handle, temporary: temporary, path: relative, index: index)
        let header = FormatHeader(format: FormatHeader.shard, version: Self.version, fields: ["group": .string(group), "index": .int(index)])
        shard.pending = header.line() + [0x0A]
        open[group] = shard
    }

    private func flush(_ group: String) throws {
        guard var shard = open[group], !shard.pending.isEmpty else { return }
        do { try shard.handle.write(contentsOf: shard.pending) } catch {
            throw CorpusError.io(path: shard.temporary, detail: "write failed: \(error.localizedDescription)")
        }
        shard.bytes += shard.pending.count
        shard.pending.removeAll(keepingCapacity: true)
        open[group] = shard
    }

    private func close(_ group: String) throws {
        try flush(group)
        guard let shard = open.removeValue(forKey: group) else { return }
        try? shard.handle.close()
        try AtomicFile.moveReplacing(shard.temporary, to: directory + "/" + shard.path)
        finished.append(ShardInfo(path: shard.path, group: group, index: shard.index, documents: shard.documents,
                                  bytes: shard.bytes, sha256: ""))
    }

    /// Closes every open shard; returns all shards sorted by path, with their SHA-256 computed in
    /// parallel from the written files (keeps hashing off the sequential write path).
    func finish(workers: Int) throws -> [ShardInfo] {
        for group in open.keys.sorted() { try close(group) }
        var shards = finished.sorted { $0.path < $1.path }
        let digests: [String?] = Parallel.map(shards, workers: workers, chunk: 1) { shard in
            // Streamed in 4 MiB reads: memory stays bounded whatever the shard size.
            guard let handle = FileHandle(forReadingAtPath: self.directory + "/" + shard.path) else { return nil }
            defer { try? handle.close() }
            var hasher = SHA256()
            while let chunk = try? handle.read(upToCount: 4 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { hasher.update($0.bindMemory(to: UInt8.self)) }
            }
            return hasher.finalize().hex
        }
        for i in shards.indices {
            guard let digest = digests[i] else { throw CorpusError.io(path: shards[i].path, detail: "shard vanished before hashing") }
            shards[i].sha256 = digest
        }
        return shards
    }
}
