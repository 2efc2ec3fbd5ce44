import CanonicalJSON
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What identifies a file's version without reading it: if all five agree, the content is trusted
/// to be unchanged (the DVC state DB / Bazel file-digest-cache idea). Never mtime ordering.
public struct FileSignature: Hashable, Sendable, Codable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var mtimeNs: Int64
    public var ctimeNs: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, mtimeNs: Int64, ctimeNs: Int64) {
        self.device = device; self.inode = inode; self.size = size; self.mtimeNs = mtimeNs; self.ctimeNs = ctimeNs
    }

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtimeNs = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        ctimeNs = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }

    public static func of(path: String) -> FileSignature? {
        var st = stat()
        return stat(path, &st) == 0 ? FileSignature(st) : nil
    }
}

/// The stat cache: path + signature → digest. `RunDatabase` persists one; tests use this one.
public final class DigestCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (FileSignature, Digest)]
    private(set) public var newEntries: [(String, FileSignature, Digest)] = []

    public init(entries: [String: (FileSignature, Digest)] = [:]) { self.entries = entries }

    public func lookup(_ path: String, _ signature: FileSignature) -> Digest? {
        lock.lock(); defer { lock.unlock() }
        guard let (known, digest) = entries[path], known == signature else { return nil }
        return digest
    }

    public func record(_ path: String, _ signature: FileSignature, _ digest: Digest) {
        lock.lock(); defer { lock.unlock() }
        entries[path] = (signature, digest)
        newEntries.append((path, signature, digest))
    }

    public func takeNewEntries() -> [(String, FileSignature, Digest)] {
        lock.lock(); defer { lock.unlock() }
        defer { newEntries = [] }
        return newEntries
    }
}

/// A dependency's digest plus the signatures of every file it covers, to confirm after a run
/// that nothing changed while the stage was reading it.
public struct DependencySnapshot: Sendable {
    public var digest: Digest
    public var signatures: [String: FileSignature]
}

/// Digests of declared dependencies: a file's content digest, or a folder's Merkle digest over
/// (relative path, executable bit, content digest). Uses the stat cache unless `rehashAll`.
public struct DependencyHasher: Sendable {
    public let cache: DigestCache
    public var rehashAll = false
    /// Folders left out of folder dependencies (the store: `deps: ["."]` must not hash the
    /// artifacts that the run itself is writing). Absolute paths, normalized lexically.
    public var excluded: Set<String> = []

    public init(cache: DigestCache, rehashAll: Bool = false, excluded: Set<String> = []) {
        self.cache = cache
        self.rehashAll = rehashAll
        self.excluded = Set(excluded.map(LexicalPath.normalize))
    }

    public func snapshot(_ path: String) throws -> DependencySnapshot {
        var st = stat()
        guard stat(path, &st) == 0 else { throw StoreError.missingDependency(path: path) }
        if st.st_mode & S_IFMT != S_IFDIR {
            let signature = FileSignature(st)
            return DependencySnapshot(digest: try fileDigest(path, signature), signatures: [path: signature])
        }
        var listing: [JSONValue] = []
        // Folders' own signatures change when entries are added or removed.
        var signatures: [String: FileSignature] = [path: FileSignature(st)]
        try DirectoryWalker.walk(LexicalPath.normalize(path), excluding: excluded) { relative, absolute, entry in
            switch entry.st_mode & S_IFMT {
            case S_IFDIR:
                signatures[absolute] = FileSignature(entry)
            case S_IFREG:
                let signature = FileSignature(entry)
                signatures[absolute] = signature
                listing.append(.array([.string(relative), .bool(entry.st_mode & 0o111 != 0), .string(try fileDigest(absolute, signature).hex)]))
            case S_IFLNK:
                listing.append(.array([.string(relative), .string("->"), .string((try? FileManager.default.destinationOfSymbolicLink(atPath: absolute)) ?? "")]))
            default: break
            }
        }
        let digest = Digest.of(bytes: JSONValue.object(["format": .string("trellis-dir"), "version": .int(1), "entries": .array(listing)]).canonicalBytes)
        return DependencySnapshot(digest: digest, signatures: signatures)
    }

    /// True when every file still has the signature it had in `snapshot` (stat only). Any move of
    /// inode, size, mtime or ctime counts as a change, even when the content was changed back
    /// (A→B→A during a run: the stage may have read B), and so does a new or removed entry.
    /// Folders are covered by their own signatures, which move when an entry is added or removed.
    public func isUnchanged(_ path: String, since snapshot: DependencySnapshot) -> Bool {
        snapshot.signatures.allSatisfy { FileSignature.of(path: $0.key) == $0.value }
    }

    private func fileDigest(_ path: String, _ signature: FileSignature) throws -> Digest {
        if !rehashAll, let known = cache.lookup(path, signature) { return known }
        let digest = try FileHasher.digest(ofFile: path)
        // Record only if the file did not change while it was read.
        if FileSignature.of(path: path) == signature { cache.record(path, signature, digest) }
        return digest
    }
}
