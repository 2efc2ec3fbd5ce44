import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output trees: ingest a finished stage's folder, load a listing, and check it out read-only.
public struct TreeStore: Sendable {
    public let layout: StoreLayout
    public let blobs: BlobStore

    public init(layout: StoreLayout) {
        self.layout = layout
        self.blobs = BlobStore(layout: layout)
    }

    /// Moves every file of `directory` into the CAS and stores the listing. The folder is consumed.
    public func ingest(directory: String) throws -> (tree: OutputTree, digest: Digest) {
        var entries: [OutputTree.Entry] = []
        try DirectoryWalker.walk(directory) { relative, absolute, st in
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                let (digest, size) = try blobs.ingest(file: absolute)
                entries.append(.init(path: relative, kind: .file, digest: digest, size: size, executable: st.st_mode & 0o111 != 0, linkTarget: nil))
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: absolute)) ?? ""
                entries.append(.init(path: relative, kind: .symlink, digest: nil, size: 0, executable: false, linkTarget: target))
            case S_IFDIR:
                if (try? FileManager.default.contentsOfDirectory(atPath: absolute))?.isEmpty == true {
                    entries.append(.init(path: relative, kind: .directory, digest: nil, size: 0, executable: false, linkTarget: nil))
                }
            default:
                throw StoreError.badFormat(path: absolute, reason: "outputs may hold files, folders and symlinks only")
            }
        }
        let tree = OutputTree(entries: entries)
        let bytes = tree.encoded
        let digest = Digest.of(bytes: bytes)
        let path = layout.treePath(digest)
        if access(path, F_OK) != 0 { try AtomicFile.write(bytes, to: path, mode: 0o444) }
        return (tree, digest)
    }

    public func contains(_ digest: Digest) -> Bool { access(layout.treePath(digest), F_OK) == 0 }

    /// Loads a listing, checking that its bytes still hash to its name.
    public func load(_ digest: Digest) throws -> OutputTree {
        let path = layout.treePath(digest)
        guard let data = FileManager.default.contents(atPath: path) else { throw StoreError.missingObject(digest: digest.hex) }
        guard Digest.of(bytes: data) == digest else {
            throw StoreError.corruptObject(digest: digest.hex, path: path, reason: "listing does not match its digest")
        }
        return try OutputTree.decode(data, path: path)
    }

    /// A read-only folder holding the tree (hard links into the CAS), created once and reused.
    /// Each blob is rehashed on first checkout, so a corrupt object is never handed to a stage.
    public func materialize(_ digest: Digest) throws -> String {
        let final = layout.outputPath(digest)
        if access(final, F_OK) == 0 { return final }
        let tree = try load(digest)
        try FileManager.default.createDirectory(atPath: layout.outputs, withIntermediateDirectories: true)
        let temp = "\(layout.outputs)/.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { if access(temp, F_OK) == 0 { try? FileManager.default.removeItem(atPath: temp) } }
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
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
                guard blobs.isIntact(digest) else {
                    throw StoreError.corruptObject(digest: digest.hex, path: source, reason: "content does not match its digest")
                }
                if link(source, destination) != 0 {
                    try FileManager.default.copyItem(atPath: source, toPath: destination)
                }
            }
        }
        if rename(temp, final) != 0 && access(final, F_OK) != 0 {
            throw StoreError.io(path: final, operation: "rename", errno: errno)
        }
        return final
    }
}
