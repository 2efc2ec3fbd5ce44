import Foundation

/// Symlinks in a stage's output. A link is kept only when it stays inside the output: stored as a
/// relative target, it resolves the same in every checkout. A link that leaves the output (to
/// `/etc/passwd`, `../../x`, or an absolute path anywhere else) is refused, since downstream stages
/// would read content that no key covers; an absolute link into the output itself (which would
/// dangle once the staging folder is gone) is rewritten relative.
public enum OutputLink {
    public static func storedTarget(of absolute: String, relative: String, root: String) throws -> String {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: absolute) else {
            throw StoreError.badFormat(path: relative, reason: "unreadable symlink")
        }
        let linkFolder = Array(relative.split(separator: "/").dropLast().map(String.init))
        let resolved: [String]?
        if target.hasPrefix("/") {
            let rootParts = LexicalPath.resolve(root.split(separator: "/")) ?? []
            if let parts = LexicalPath.resolve(target.split(separator: "/")), parts.starts(with: rootParts) {
                resolved = Array(parts.dropFirst(rootParts.count))
            } else {
                resolved = nil
            }
        } else {
            resolved = LexicalPath.resolve(linkFolder + target.split(separator: "/").map(String.init))
        }
        guard let inside = resolved, !inside.isEmpty else {
            throw StoreError.badFormat(path: relative, reason: "symlink to '\(target)' leaves the stage's output; "
                + "outputs may link only to files inside them (copy the file into ${out} instead)")
        }
        if !target.hasPrefix("/") { return target }
        // Relative from the link's folder to the resolved target.
        var common = 0
        while common < linkFolder.count, common < inside.count - 1, linkFolder[common] == inside[common] { common += 1 }
        let up = Array(repeating: "..", count: linkFolder.count - common)
        return (up + inside[common...]).joined(separator: "/")
    }
}
