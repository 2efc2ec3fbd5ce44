import Foundation

/// Deterministic file listings for the extractors.
enum FileListing {
    /// Regular files (no symlinks) under `directory` whose names end with one of `extensions`, as
    /// paths relative to `directory`, sorted bytewise. `maxDepth` 1 = only the folder itself.
    static func files(under directory: String, extensions: [String], maxDepth: Int = 64) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let depth = relative.split(separator: "/").count
            if depth > maxDepth { enumerator.skipDescendants(); continue }
            guard extensions.contains(where: { relative.hasSuffix($0) }) else { continue }
            let type = enumerator.fileAttributes?[.type] as? FileAttributeType
            if type == .typeRegular { result.append(relative) }
        }
        return result.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Whether a held-out bucket contains `key`: a stable hash of the key, modulo 100, below `percent`.
    static func isHeldOut(_ key: String, percent: Int) -> Bool {
        percent > 0 && Int(stableHash(key) % 100) < percent
    }

    /// `paths` reordered by a stable hash, so byte caps take a spread of files, not the first folder.
    static func spread(_ paths: [String], salt: String) -> [String] {
        paths.map { (stableHash(salt + $0), $0) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }
}
