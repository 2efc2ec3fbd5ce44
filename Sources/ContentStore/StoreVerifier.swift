import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `trellis verify`: rehash every object. A corrupt one is moved to `corrupt/` (so it is never
/// served again), checkouts that used it are removed, and the report names every tree that can no
/// longer be checked out (its listing damaged, or a blob it lists damaged or missing), so the
/// caller turns the action-cache entries that point at them into misses.
public struct StoreVerifier {
    public struct Report: Sendable {
        public var blobsChecked = 0
        public var treesChecked = 0
        public var bytesChecked: Int64 = 0
        public var corrupt: [(digest: String, path: String, reason: String)] = []
        /// Blobs that a listing names but the store does not have.
        public var missingBlobs: [String] = []
        /// Trees that are intact and whose blobs are all present and intact.
        public var usableTrees: Set<Digest> = []
    }

    public let layout: StoreLayout

    public init(layout: StoreLayout) { self.layout = layout }

    public func verify(progress: (Int) -> Void = { _ in }) throws -> Report {
        var report = Report()
        var goodBlobs: Set<String> = []
        let trees = TreeStore(layout: layout)
        for (hex, path) in Self.objects(in: layout.blobs) {
            report.blobsChecked += 1
            report.bytesChecked += Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            let actual = try? FileHasher.digest(ofFile: path)
            if actual?.hex == hex {
                goodBlobs.insert(hex)
            } else {
                report.corrupt.append((hex, path, "content does not match its digest"))
                if let digest = Digest(hex: hex) { trees.quarantine(blob: digest) }
            }
            if report.blobsChecked % 1000 == 0 { progress(report.blobsChecked) }
        }
        var missing: Set<String> = []
        for (hex, path) in Self.objects(in: layout.trees) {
            report.treesChecked += 1
            guard let digest = Digest(hex: hex) else { continue }
            do {
                let tree = try trees.load(digest)
                let lost = tree.entries.compactMap(\.digest).filter { !goodBlobs.contains($0.hex) }
                if lost.isEmpty {
                    report.usableTrees.insert(digest)
                } else {
                    for d in lost where access(layout.blobPath(d), F_OK) != 0 && !report.corrupt.contains(where: { $0.digest == d.hex }) { missing.insert(d.hex) }
                    trees.removeCheckout(digest)
                }
            } catch {
                report.corrupt.append((hex, path, "\(error)"))
                layout.quarantine(path, name: hex)
                trees.removeCheckout(digest)
            }
        }
        report.missingBlobs = missing.sorted()
        return report
    }

    /// Every `(hex digest, path)` under a two-level object folder.
    static func objects(in folder: String) -> [(String, String)] {
        var result: [(String, String)] = []
        for prefix in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() where prefix.count == 2 {
            for rest in ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + prefix)) ?? []).sorted() where !rest.hasPrefix(".") {
                result.append((prefix + rest, "\(folder)/\(prefix)/\(rest)"))
            }
        }
        return result
    }
}
