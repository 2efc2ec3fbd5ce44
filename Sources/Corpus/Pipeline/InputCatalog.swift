import ParallelLoops
import ContentDigest
import CanonicalJSON
import FileIO
import Foundation

/// The fetch step's output as the corpus step sees it: `sources.json` and the files it lists.
struct InputCatalog {
    struct File { var path: String; var source: String; var language: String; var kind: DocumentKind; var bytes: Int }
    var files: [File]
    /// Listed files that are empty (0 bytes): skipped and reported, not fatal.
    var emptyFiles: [String]
    var evalFiles: [String]
    var sourcesDigest: String
    var selection: String

    /// Reads and checks `directory/sources.json`.
    /// - Throws: `.missingSource` (no sources.json, or a listed file is missing), `.badHeader`,
    ///   `.unknownLanguage` (a text file declares a language the pipeline does not know).
    static func load(_ directory: String) throws -> InputCatalog {
        let path = directory + "/sources.json"
        guard let data = FileContents.read(path) else {
            throw CorpusError.missingSource(name: path, detail: "no sources.json: run the fetch step first")
        }
        guard let node = try? JSONValue.parse(data), node["format"]?.stringValue == FetchStep.sourcesFormat else {
            throw CorpusError.badHeader(path: path, expected: FetchStep.sourcesFormat, found: "something else")
        }
        guard let version = node["version"]?.intValue, version <= FetchStep.sourcesVersion else {
            throw CorpusError.badHeader(path: path, expected: "\(FetchStep.sourcesFormat) version ≤ \(FetchStep.sourcesVersion)", found: node["version"]?.canonicalString ?? "none")
        }
        var files: [File] = []
        var emptyFiles: [String] = []
        for item in node["files"]?.arrayValue ?? [] {
            guard let relative = item["path"]?.stringValue, let source = item["source"]?.stringValue, let language = item["lang"]?.stringValue else {
                throw CorpusError.badHeader(path: path, expected: "files[] with path, source, lang", found: item.canonicalString)
            }
            let kind = DocumentKind(rawValue: item["kind"]?.stringValue ?? "text") ?? .text
            let full = directory + "/" + relative
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: full) else {
                throw CorpusError.missingSource(name: source, detail: "\(relative) is listed in sources.json but missing")
            }
            if kind == .text, LanguageTable.known[language] == nil {
                throw CorpusError.unknownLanguage(code: language, context: "\(relative) in \(path)")
            }
            let bytes = (attributes[.size] as? Int) ?? 0
            if bytes == 0 { emptyFiles.append(relative); continue }
            files.append(File(path: full, source: source, language: language, kind: kind, bytes: bytes))
        }
        let evalFiles = (node["eval"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
        return InputCatalog(files: files, emptyFiles: emptyFiles, evalFiles: evalFiles, sourcesDigest: Digest.of(bytes: data).hex,
                            selection: node["selection"]?.stringValue ?? "")
    }
}

/// Held-out evaluation sets: copied to the output and indexed for decontamination.
enum EvalSets {
    static let textFields = ["src", "tgt", "text", "summary", "question"]

    /// Copies the eval files (header-checked) to `output/eval/…` and returns the keys of their lines
    /// of at least 20 characters, plus (path, items) per file.
    static func copyAndIndex(_ relativePaths: [String], from input: String, to output: String, cores: Int) throws -> (lines: Set<UInt64>, files: [(String, Int)]) {
        var keys = Set<UInt64>()
        var files: [(String, Int)] = []
        let fields = Set(textFields + ["choices"])
        for relative in relativePaths.sorted() {
            let source = input + "/" + relative
            let reader = try LineReader(path: source)
            _ = try FormatHeader.check(try reader.next(), format: FormatHeader.eval, maxVersion: 1, path: source)
            var lines: [[UInt8]] = []
            while let line = try reader.next() { if !line.isEmpty { lines.append(line) } }
            let perLine: [[UInt64]] = ParallelLoop.map(lines, workers: cores, block: 64) { line in
                var out: [UInt64] = []
                var scalars: [UInt32] = []
                func index(_ bytes: [UInt8]) {
                    guard bytes.withUnsafeBufferPointer({ UTF8Codec.decode($0, into: &scalars) }) else { return }
                    scalars.withUnsafeBufferPointer { t in
                        var start = 0
                        while start < t.count {
                            var end = start
                            while end < t.count, t[end] != 0x0A { end += 1 }
                            let stripped = LineKey.stripped(t, start..<end)
                            if stripped.count >= 20 { out.append(LineKey.normalized(t[stripped])) }
                            start = end + 1
                        }
                    }
                }
                _ = try? line.withUnsafeBufferPointer { buffer in
                    try FlatJSON.parse(buffer) { key, value in
                        guard fields.contains(key) else { return }
                        switch value {
                        case .string(let bytes): index(bytes)
                        case .strings(let list): list.forEach(index)
                        default: break
                        }
                    }
                }
                return out
            }
            for list in perLine { keys.formUnion(list) }
            try CorpusFiles.write(try CorpusFiles.read(source), to: output + "/" + relative)
            files.append((relative, lines.count))
        }
        return (keys, files)
    }
}
