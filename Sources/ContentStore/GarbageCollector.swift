import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `trellis gc`: everything not reachable from the trees (and extra blobs, such as logs) that the
/// caller says are live. Planning is separate from deleting, so a dry run shows the exact list.
public struct GarbageCollector {
    public struct Plan: Sendable {
        public var blobs: [String] = []
        public var trees: [String] = []
        public var checkouts: [String] = []
        public var staging: [String] = []
        /// Resume folders (checkpoints of failed or killed attempts) untouched since the cutoff.
        public var resume: [String] = []
        public var bytes: Int64 = 0
        public var paths: [String] { trees + checkouts + blobs + staging + resume }
    }

    public let layout: StoreLayout

    public init(layout: StoreLayout) { self.layout = layout }

    /// `activeStaging`: staging folders of runs that are still going (never removed).
    /// `resumeCutoff`: resume folders last changed before it go (a succeeded key's folder is removed
    /// by the scheduler already; what remains belongs to failed or abandoned attempts).
    public func plan(liveTrees: Set<Digest>, liveBlobs: Set<Digest>, activeStaging: Set<String> = [], resumeCutoff: Date = .distantPast) -> Plan {
        var plan = Plan()
        var reachable = Set(liveBlobs.map(\.hex))
        let trees = TreeStore(layout: layout)
        for digest in liveTrees {
            if let tree = try? trees.load(digest) { for e in tree.entries { if let d = e.digest { reachable.insert(d.hex) } } }
        }
        let liveTreeHex = Set(liveTrees.map(\.hex))
        for (hex, path) in StoreVerifier.objects(in: layout.trees) where !liveTreeHex.contains(hex) {
            plan.trees.append(path)
            plan.bytes += Self.size(path)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: layout.outputs)) ?? [] where !liveTreeHex.contains(name) {
            plan.checkouts.append(layout.outputs + "/" + name)
        }
        for (hex, path) in StoreVerifier.objects(in: layout.blobs) where !reachable.contains(hex) {
            plan.blobs.append(path)
            plan.bytes += Self.size(path)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: layout.work)) ?? [] where !activeStaging.contains(name) {
            plan.staging.append(layout.work + "/" + name)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: layout.resume)) ?? [] {
            let path = layout.resume + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantFuture
            if modified < resumeCutoff { plan.resume.append(path) }
        }
        return plan
    }

    public func apply(_ plan: Plan) {
        for path in plan.paths { try? FileManager.default.removeItem(atPath: path) }
    }

    static func size(_ path: String) -> Int64 {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : 0
    }
}
