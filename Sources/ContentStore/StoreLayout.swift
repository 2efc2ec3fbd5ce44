import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where things live under the store root (`artifacts/`).
public struct StoreLayout: Sendable {
    public let root: String

    public init(root: String) { self.root = (root as NSString).standardizingPath }

    /// Immutable file contents, by digest.
    public var blobs: String { root + "/cas" }
    /// Output trees (canonical listings), by digest.
    public var trees: String { root + "/trees" }
    /// Read-only checkouts of trees (hard links into `cas/`), what `${STAGE.out}` points at.
    public var outputs: String { root + "/outputs" }
    /// Staging folders of running stages; nothing here is ever served.
    public var work: String { root + "/work" }
    /// Objects that failed verification, kept for inspection.
    public var quarantine: String { root + "/corrupt" }
    /// Per-stage-key lock files, so two runs never build the same key at once.
    public var locks: String { root + "/locks" }
    public var database: String { root + "/trellis.db" }
    /// The Slurm executor's state: the registry of jobs out, their batch scripts.
    public var slurmState: String { root + "/slurm" }
    /// Per-stage-key folders that outlive failed or killed attempts (training checkpoints), by key.
    public var resume: String { root + "/resume" }

    public func resumePath(key: String) -> String { "\(resume)/\(key)" }

    public func blobPath(_ d: Digest) -> String { "\(blobs)/\(d.hex.prefix(2))/\(d.hex.dropFirst(2))" }
    public func treePath(_ d: Digest) -> String { "\(trees)/\(d.hex.prefix(2))/\(d.hex.dropFirst(2))" }
    public func outputPath(_ d: Digest) -> String { "\(outputs)/\(d.hex)" }

    /// Moves a damaged object into `corrupt/` (kept for inspection, never served again).
    public func quarantine(_ path: String, name: String) {
        try? FileManager.default.createDirectory(atPath: quarantine, withIntermediateDirectories: true)
        if rename(path, "\(quarantine)/\(name)") != 0 { unlink(path) }
    }

    public func create() throws {
        for dir in [blobs, trees, outputs, work, locks] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
    }
}
