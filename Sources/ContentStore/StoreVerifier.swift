import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `trellis verify`: rehash every object. A corrupt one is moved to `corrupt/` (so it is never
/// served again and counts as a miss), and checkouts that used it are removed.
public struct StoreVerifier {
    public struct Report: Sendable {
        public var blobsChecked = 0
        public var treesChecked = 0
        public var bytesChecked: Int64 = 0
        public var corrupt: [(digest: String, path: String, reason: String)] = []
    }

    public let layout: StoreLayout

    public init(layout: StoreLayout) { self.layout = layout }

    public func verify(progress: (Int) -> Void = { _ in }) throws -> Report {
        var report = Report()
        var badBlobs: Set<String> = []
        for (hex, path) in Self.objects(in: layout.blobs) {
            report.blobsChecked += 1
            report.bytesChecked += Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            let actual = try? FileHasher.digest(ofFile: path)
            if actual?.hex != hex {
                report.corrupt.append((hex, path, "content does not match its digest"))
                badBlobs.insert(hex)
                quarantine(path, hex)
            }
            if report.blobsChecked % 1000 == 0 { progress(report.blobsChecked) }
        }
        let trees = TreeStore(layout: layout)
        for (hex, path) in Self.objects(in: layout.trees) {
            report.treesChecked += 1
            guard let digest = Digest(hex: hex) else { continue }
            do {
                let tree = try trees.load(digest)
                if tree.entries.contains(where: { $0.digest.map { badBlobs.contains($0.hex) } ?? false }) {
                    try? FileManager.default.removeItem(atPath: layout.outputPath(digest))
                }
            } catch {
                report.corrupt.append((hex, path, "\(error)"))
                quarantine(path, hex)
                try? FileManager.default.removeItem(atPath: layout.outputPath(digest))
            }
        }
        return report
    }

    private func quarantine(_ path: String, _ hex: String) {
        try? FileManager.default.createDirectory(atPath: layout.quarantine, withIntermediateDirectories: true)
        if rename(path, "\(layout.quarantine)/\(hex)") != 0 { unlink(path) }
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
