import CanonicalJSON
import ContentStore
import FileIO
import Foundation

/// How two output trees of one stage differ, file by file; for JSON and JSON-lines files, which
/// fields — so a rerun that differs only in wall-clock fields (`seconds`, `tokens_per_second`) is
/// told apart from one whose results moved.
public struct OutputDifferences: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var path: String
        /// "only stored", "only rerun", or nil when both have it.
        public var presence: String?
        /// Dotted paths of the JSON fields that differ (`line 3: loss` for JSON lines); nil when
        /// the file is not JSON (or too large to compare field by field).
        public var fields: [String]?

        public var description: String {
            if let presence { return "\(path) (\(presence))" }
            guard let fields else { return path }
            return "\(path): " + fields.prefix(6).joined(separator: ", ") + (fields.count > 6 ? ", … \(fields.count - 6) more" : "")
        }
    }

    public var files: [File]

    /// Every difference is a JSON field measuring time, which no rerun reproduces.
    public var onlyTimings: Bool {
        !files.isEmpty && files.allSatisfy { file in
            file.presence == nil && (file.fields.map { !$0.isEmpty && $0.allSatisfy(Self.isTiming) } ?? false)
        }
    }

    /// A field named like `seconds`, `training_seconds`, `tokens_per_second`, `elapsed_ms`.
    static func isTiming(_ field: String) -> Bool {
        let name = field.split(separator: ".").last.map(String.init) ?? field
        let last = name.split(separator: " ").last.map(String.init) ?? name
        return last == "seconds" || last.hasSuffix("_seconds") || last.hasSuffix("per_second") || last.hasSuffix("_per_s") || last.hasSuffix("_ms")
    }

    /// Compares the checkouts `a` (stored) and `b` (rerun) of trees `left` and `right`.
    public static func between(_ left: OutputTree, at a: String, _ right: OutputTree, at b: String) -> OutputDifferences {
        let l = Dictionary(uniqueKeysWithValues: left.entries.map { ($0.path, $0) })
        let r = Dictionary(uniqueKeysWithValues: right.entries.map { ($0.path, $0) })
        var files: [File] = []
        for path in Set(l.keys).union(r.keys).sorted() {
            switch (l[path], r[path]) {
            case (let x?, let y?) where x == y: continue
            case (_?, _?): files.append(File(path: path, presence: nil, fields: fields(a + "/" + path, b + "/" + path)))
            case (_?, nil): files.append(File(path: path, presence: "only stored", fields: nil))
            default: files.append(File(path: path, presence: "only rerun", fields: nil))
            }
        }
        return OutputDifferences(files: files)
    }

    private static let fieldCompareLimit = 16 << 20

    private static func fields(_ a: String, _ b: String) -> [String]? {
        guard a.hasSuffix(".json") || a.hasSuffix(".jsonl"),
              let x = FileContents.read(a), let y = FileContents.read(b),
              x.count <= fieldCompareLimit, y.count <= fieldCompareLimit else { return nil }
        if a.hasSuffix(".json") {
            guard let u = try? JSONValue.parse(x), let v = try? JSONValue.parse(y) else { return nil }
            return diff(u, v, prefix: "")
        }
        let xs = x.split(separator: 0x0A, omittingEmptySubsequences: false), ys = y.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard xs.count == ys.count else { return ["line count \(xs.count) → \(ys.count)"] }
        var result: [String] = []
        for (i, (p, q)) in zip(xs, ys).enumerated() where p != q {
            guard let u = try? JSONValue.parse(Data(p)), let v = try? JSONValue.parse(Data(q)) else { return nil }
            result += diff(u, v, prefix: "").map { "line \(i + 1): \($0)" }
        }
        return result
    }

    private static func diff(_ u: JSONValue, _ v: JSONValue, prefix: String) -> [String] {
        if u == v { return [] }
        if case .object(let m) = u, case .object(let n) = v {
            return Set(m.keys).union(n.keys).sorted().flatMap { key -> [String] in
                let path = prefix.isEmpty ? key : prefix + "." + key
                guard let p = m[key], let q = n[key] else { return [path] }
                return diff(p, q, prefix: path)
            }
        }
        return [prefix.isEmpty ? "(whole value)" : prefix]
    }
}
