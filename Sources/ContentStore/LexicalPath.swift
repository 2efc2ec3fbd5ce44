/// Paths resolved by their text alone: `.` and `..` removed, symlinks not followed (Foundation's
/// `standardizingPath` follows them on Linux).
public enum LexicalPath {
    /// Path components with `.` and empty ones dropped and `..` applied; nil when `..` climbs
    /// above the first component.
    public static func resolve<S: StringProtocol>(_ parts: [S]) -> [String]? {
        var out: [String] = []
        for part in parts {
            switch part {
            case ".", "": continue
            case "..": if out.isEmpty { return nil }; out.removeLast()
            default: out.append(String(part))
            }
        }
        return out
    }

    /// `path` with `.`, `..` and repeated slashes resolved; `..` above the start is dropped.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(part) }
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : joined
    }
}
