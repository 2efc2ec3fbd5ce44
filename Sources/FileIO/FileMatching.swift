import Foundation

/// Regular files under a folder whose path relative to it matches a shell pattern (`fnmatch`
/// without flags: `*` and `?` also match `/`), sorted; nil when the folder cannot be read.
public enum FileMatching {
    public static func files(under folder: String, matching pattern: String) -> [String]? {
        let root = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return nil }
        var files: [String] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            if fnmatch(pattern, String(path.dropFirst(prefix.count)), 0) == 0 { files.append(path) }
        }
        return files.sorted()
    }
}
