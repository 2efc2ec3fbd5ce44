import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Depth-first walk in sorted order, without following symlinks; `excluding` names absolute
/// paths that are neither visited nor entered (the store, inside a dependency folder).
enum DirectoryWalker {
    static func walk(_ root: String, prefix: String = "", excluding: Set<String> = [],
                     _ visit: (_ relative: String, _ absolute: String, _ st: stat) throws -> Void) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let absolute = root + "/" + name
            if !excluding.isEmpty, excluding.contains(absolute) { continue }
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var st = stat()
            guard lstat(absolute, &st) == 0 else { throw StoreError.io(path: absolute, operation: "lstat", errno: errno) }
            try visit(relative, absolute, st)
            if st.st_mode & S_IFMT == S_IFDIR { try walk(absolute, prefix: relative, excluding: excluding, visit) }
        }
    }
}
