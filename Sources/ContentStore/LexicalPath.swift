/// Paths resolved by their text alone: `.` and `..` removed, symlinks not followed (Foundation's
/// `standardizingPath` follows them on Linux, which turns a published link into its target).
public enum LexicalPath {
    /// `path` with `.`, `..` and repeated slashes resolved; `..` above the root of an absolute
    /// path stays at the root.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if let last = parts.last, last != ".." { parts.removeLast() } else if !absolute { parts.append(part) }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// Whether `path` lies strictly inside `folder` (both normalized lexically).
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        let p = normalize(path), f = normalize(folder)
        return p.hasPrefix(f == "/" ? "/" : f + "/") && p != f
    }
}
