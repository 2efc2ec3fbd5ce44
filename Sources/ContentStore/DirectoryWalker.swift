import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Depth-first walk in sorted order, without following symlinks.
enum DirectoryWalker {
    static func walk(_ root: String, prefix: String = "", _ visit: (_ relative: String, _ absolute: String, _ st: stat) throws -> Void) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let absolute = root + "/" + name
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var st = stat()
            guard lstat(absolute, &st) == 0 else { throw StoreError.io(path: absolute, operation: "lstat", errno: errno) }
            try visit(relative, absolute, st)
            if st.st_mode & S_IFMT == S_IFDIR { try walk(absolute, prefix: relative, visit) }
        }
    }
}
