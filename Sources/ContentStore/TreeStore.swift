import FileIO
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output trees: ingest a finished stage's folder, load a listing, and check it out read-only.
public struct TreeStore: Sendable {
    public let layout: StoreLayout
    public let blobs: BlobStore
    /// Stat cache for blobs and checkout files: a file whose signature (inode, size, mtime, ctime)
    /// is unchanged since it was hashed is trusted; any write moves its ctime and forces a rehash.
    public let cache: DigestCache

    public init(layout: StoreLayout, cache: DigestCache = DigestCache()) {
        self.layout = layout
        self.blobs = BlobStore(layout: layout)
        self.cache = cache
    }

    /// Moves every file of `directory` into the CAS and stores the listing. The folder is consumed.
    /// Symlinks stay links only when they point inside the folder (stored relative); a link that
    /// leaves it is refused, since its target's content would be in no key.
    public func ingest(directory: String) throws -> (tree: OutputTree, digest: Digest) {
        var entries: [OutputTree.Entry] = []
        try DirectoryWalker.walk(directory) { relative, absolute, st in
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                let (digest, size) = try blobs.ingest(file: absolute)
                entries.append(.init(path: relative, kind: .file, digest: digest, size: size, executable: st.st_mode & 0o111 != 0, linkTarget: nil))
            case S_IFLNK:
                let target = try OutputLink.storedTarget(of: absolute, relative: relative, root: directory)
                entries.append(.init(path: relative, kind: .symlink, digest: nil, size: 0, executable: false, linkTarget: target))
            case S_IFDIR:
                if (try? FileManager.default.contentsOfDirectory(atPath: absolute))?.isEmpty == true {
                    entries.append(.init(path: relative, kind: .directory, digest: nil, size: 0, executable: false, linkTarget: nil))
                }
            default:
                throw StoreError.badFormat(path: relative, reason: "outputs may hold files, folders and symlinks only (this is a \(Self.kindName(st.st_mode)))")
            }
        }
        let tree = OutputTree(entries: entries)
        let bytes = tree.encoded
        let digest = Digest.of(bytes: bytes)
        // Written unless an intact copy is there: a damaged listing is replaced, never kept.
        if !isIntact(listing: digest) { try StoreError.writing { try AtomicFile.write(bytes, to: layout.treePath(digest), mode: 0o444) } }
        return (tree, digest)
    }

    public func contains(_ digest: Digest) -> Bool { access(layout.treePath(digest), F_OK) == 0 }

    /// Loads a listing, checking that its bytes still hash to its name.
    public func load(_ digest: Digest) throws -> OutputTree {
        let path = layout.treePath(digest)
        guard let data = FileContents.read(path) else { throw StoreError.missingObject(digest: digest.hex) }
        guard Digest.of(bytes: data) == digest else {
            throw StoreError.corruptObject(digest: digest.hex, path: path, reason: "listing does not match its digest")
        }
        return try OutputTree.decode(Data(data), path: path)
    }

    private func isIntact(listing digest: Digest) -> Bool {
        guard let data = FileContents.read(layout.treePath(digest)) else { return false }
        return Digest.of(bytes: data) == digest
    }

    /// A read-only folder holding the tree (hard links into the CAS), what `${STAGE.out}` points at.
    /// An existing checkout is inspected before it is handed out (same entries, every file's content
    /// still its digest: stat cache first, rehash when a signature moved); a damaged one is removed
    /// and rebuilt, and a blob that no longer matches is quarantined and reported as corrupt.
    public func materialize(_ digest: Digest) throws -> String {
        let final = layout.outputPath(digest)
        let tree = try load(digest)
        if access(final, F_OK) == 0 {
            let damage = inspectCheckout(digest, tree: tree)
            if damage.isEmpty { return final }
            try repair(digest, damage: damage)
        }
        try FileManager.default.createDirectory(atPath: layout.outputs, withIntermediateDirectories: true)
        let temp = "\(layout.outputs)/.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { if access(temp, F_OK) == 0 { try? FileManager.default.removeItem(atPath: temp) } }
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        var linked: [(path: String, digest: Digest)] = []
        for entry in tree.entries {
            let destination = temp + "/" + entry.path
            try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            switch entry.kind {
            case .directory:
                try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
            case .symlink:
                try FileManager.default.createSymbolicLink(atPath: destination, withDestinationPath: entry.linkTarget ?? "")
            case .file:
                let digest = entry.digest!
                let source = layout.blobPath(digest)
                guard access(source, F_OK) == 0 else { throw StoreError.missingObject(digest: digest.hex) }
                guard contentDigest(of: source) == digest else {
                    quarantine(blob: digest)
                    throw StoreError.corruptObject(digest: digest.hex, path: source, reason: "content does not match its digest; moved to \(layout.quarantine)")
                }
                if link(source, destination) != 0 {
                    try FileManager.default.copyItem(atPath: source, toPath: destination)
                }
                linked.append((entry.path, digest))
            }
        }
        if rename(temp, final) != 0 && access(final, F_OK) != 0 {
            throw StoreError.io(path: final, operation: "rename", errno: errno)
        }
        // Linking moved the blobs' ctime: remember the new signatures of what was just verified.
        for (path, digest) in linked {
            for file in [final + "/" + path, layout.blobPath(digest)] {
                if let signature = FileSignature.of(path: file) { cache.record(file, signature, digest) }
            }
        }
        return final
    }

    /// The digest of a file's content, from the stat cache when its signature has not moved.
    func contentDigest(of path: String) -> Digest? {
        guard let signature = FileSignature.of(path: path) else { return nil }
        if let known = cache.lookup(path, signature) { return known }
        guard let digest = try? FileHasher.digest(ofFile: path) else { return nil }
        if FileSignature.of(path: path) == signature { cache.record(path, signature, digest) }
        return digest
    }

    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "FIFO"
        case S_IFSOCK: return "socket"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        default: return "special file"
        }
    }
}
