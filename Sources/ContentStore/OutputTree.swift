import CanonicalJSON
import Foundation

/// A stage's output folder as a canonical listing: (relative path, kind, digest, size, mode).
/// Its digest, the digest of its canonical encoding, is what downstream keys depend on.
public struct OutputTree: Hashable, Sendable {
    public static let format = "trellis-tree"
    public static let version = 1

    public enum Kind: String, Sendable { case file, symlink, directory }

    public struct Entry: Hashable, Sendable {
        public var path: String
        public var kind: Kind
        public var digest: Digest?
        public var size: Int64
        public var executable: Bool
        public var linkTarget: String?
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    public var totalSize: Int64 { entries.reduce(0) { $0 + $1.size } }
    public var fileCount: Int { entries.filter { $0.kind == .file }.count }

    public var encoded: [UInt8] {
        let list: [JSONValue] = entries.map { e in
            var o: [String: JSONValue] = ["path": .string(e.path), "kind": .string(e.kind.rawValue), "size": .int(Int(e.size))]
            if let d = e.digest { o["digest"] = .string(d.hex) }
            if e.executable { o["executable"] = .bool(true) }
            if let t = e.linkTarget { o["target"] = .string(t) }
            return .object(o)
        }
        return JSONValue.object(["format": .string(Self.format), "version": .int(Self.version), "entries": .array(list)]).canonicalBytes
    }

    public var digest: Digest { Digest.of(bytes: encoded) }

    public static func decode(_ data: Data, path: String) throws -> OutputTree {
        guard let value = try? JSONValue.parse(data), case .object(let top) = value else {
            throw StoreError.badFormat(path: path, reason: "not a tree listing")
        }
        guard top["format"] == .string(format) else { throw StoreError.badFormat(path: path, reason: "not a \(format) file") }
        guard top["version"] == .int(version) else {
            throw StoreError.badFormat(path: path, reason: "tree format version \(top["version"]?.displayText ?? "?") is not supported (this Trellis reads \(version))")
        }
        var entries: [Entry] = []
        for item in top["entries"]?.arrayValue ?? [] {
            guard let o = item.objectValue, let p = o["path"]?.stringValue, let k = o["kind"]?.stringValue.flatMap(Kind.init(rawValue:)) else {
                throw StoreError.badFormat(path: path, reason: "malformed entry")
            }
            let digest = o["digest"]?.stringValue.flatMap(Digest.init(hex:))
            if k == .file && digest == nil { throw StoreError.badFormat(path: path, reason: "file entry \(p) has no digest") }
            entries.append(Entry(path: p, kind: k, digest: digest, size: Int64(o["size"]?.intValue ?? 0),
                                 executable: o["executable"] == .bool(true), linkTarget: o["target"]?.stringValue))
        }
        return OutputTree(entries: entries)
    }
}
