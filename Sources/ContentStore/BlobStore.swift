import FileIO
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Content-addressed blobs: `cas/ab/cdef…`, immutable and read-only once written.
public struct BlobStore: Sendable {
    public let layout: StoreLayout

    public init(layout: StoreLayout) { self.layout = layout }

    /// Moves `file` (a staged output) into the store and returns its digest.
    /// The file is hashed where it lies, then renamed into place, or dropped if the store already has it.
    /// A file with other hard links (a stage that linked a file from elsewhere into `${out}`) is
    /// copied instead: renaming it would make that outside file the blob, and chmod it read-only.
    public func ingest(file: String) throws -> (digest: Digest, size: Int64) {
        var st = stat()
        guard lstat(file, &st) == 0 else { throw StoreError.io(path: file, operation: "stat", errno: errno) }
        if st.st_nlink > 1 {
            let copy = "\((file as NSString).deletingLastPathComponent)/.trellis-copy-\(UInt64.random(in: 0...UInt64.max))"
            try FileManager.default.copyItem(atPath: file, toPath: copy)
            unlink(file)
            return try ingest(file: copy)
        }
        let digest = try FileHasher.digest(ofFile: file)
        let target = layout.blobPath(digest)
        // Renamed into place even when the store has this digest already: the new file was just
        // hashed, so it replaces an existing copy that may have been damaged since.
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        chmod(file, 0o444)
        // Data must be durable before the name that promises it.
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
        if rename(file, target) != 0 {
            guard errno == EXDEV else { throw StoreError.io(path: target, operation: "rename", errno: errno) }
            try StoreError.writing { try AtomicFile.write(try FileContents.bytes(file), to: target, mode: 0o444) }
            unlink(file)
        }
        return (digest, Int64(st.st_size))
    }

    /// Stores bytes (logs, small records) and returns their digest.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws -> Digest {
        let digest = Digest.of(bytes: bytes)
        let target = layout.blobPath(digest)
        if !isIntact(digest) { try StoreError.writing { try AtomicFile.write(bytes, to: target, mode: 0o444) } }
        return digest
    }

    public func contains(_ digest: Digest) -> Bool { access(layout.blobPath(digest), F_OK) == 0 }

    public func read(_ digest: Digest) throws -> Data {
        let path = layout.blobPath(digest)
        guard let data = FileContents.read(path) else { throw StoreError.missingObject(digest: digest.hex) }
        return Data(data)
    }

    /// Rehashes the blob: true when its content still matches its name.
    public func isIntact(_ digest: Digest) -> Bool {
        (try? FileHasher.digest(ofFile: layout.blobPath(digest))) == digest
    }
}
