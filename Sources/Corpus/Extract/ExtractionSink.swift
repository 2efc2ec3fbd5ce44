import CanonicalJSON
import Foundation

/// Collects what the extractors produce: training documents (one file per source and language,
/// with per-language byte caps) and held-out evaluation items (one file per task and language pair).
final class ExtractionSink {
    let outputDirectory: String
    private var writers: [String: DocumentFileWriter] = [:]
    private var evalItems: [String: [JSONValue]] = [:]
    private var evalHeaders: [String: [String: JSONValue]] = [:]
    /// UTF-8 bytes of text written per "source/language".
    private(set) var bytes: [String: Int] = [:]
    /// Documents skipped per reason (invalid UTF-8, empty, …).
    private(set) var skipped: [String: Int] = [:]

    init(outputDirectory: String) { self.outputDirectory = outputDirectory }

    static func key(_ source: String, _ language: String) -> String { source + "/" + language }

    /// Relative path of the document file of (source, language).
    static func documentPath(_ source: String, _ language: String) -> String { "text/\(source)/\(language).jsonl" }

    /// Text bytes already written for (source, language).
    func writtenBytes(_ source: String, _ language: String) -> Int { bytes[Self.key(source, language)] ?? 0 }

    /// Appends a training document.
    func add(_ document: Document) throws {
        let key = Self.key(document.source, document.language)
        if writers[key] == nil {
            writers[key] = try DocumentFileWriter(path: outputDirectory + "/" + Self.documentPath(document.source, document.language),
                                                  source: document.source, language: document.language, kind: document.kind)
        }
        try writers[key]!.append(document)
        bytes[key, default: 0] += document.text.utf8.count
    }

    func skip(_ reason: String) { skipped[reason, default: 0] += 1 }

    /// Appends an evaluation item to `eval/<file>.jsonl`, whose header carries `header`.
    func addEval(file: String, header: [String: JSONValue], item: JSONValue) {
        if evalHeaders[file] == nil { evalHeaders[file] = header }
        evalItems[file, default: []].append(item)
    }

    /// Items already collected for an eval file.
    func evalCount(_ file: String) -> Int { evalItems[file]?.count ?? 0 }

    /// Finishes every document file and writes every eval file. Returns (relative path, documents, bytes)
    /// for document files and (relative path, items) for eval files.
    func finish() throws -> (documents: [(path: String, source: String, language: String, kind: DocumentKind, count: Int, bytes: Int)], eval: [(path: String, items: Int)]) {
        var documents: [(String, String, String, DocumentKind, Int, Int)] = []
        for key in writers.keys.sorted() {
            let writer = writers[key]!
            try writer.finish()
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            let header = try DocumentFileReader.headerKind(writer.path)
            documents.append((Self.documentPath(parts[0], parts[1]), parts[0], parts[1], header, writer.documents, writer.textBytes))
        }
        var eval: [(String, Int)] = []
        for file in evalItems.keys.sorted() {
            let header = FormatHeader(format: FormatHeader.eval, version: 1, fields: evalHeaders[file] ?? [:])
            var out = header.line() + [0x0A]
            for item in evalItems[file]! { out += item.canonicalBytes; out.append(0x0A) }
            let path = "eval/\(file).jsonl"
            try CorpusFiles.write(out, to: outputDirectory + "/" + path)
            eval.append((path, evalItems[file]!.count))
        }
        return (documents, eval)
    }
}

extension DocumentFileReader {
    /// The `kind` recorded in a document file's header.
    static func headerKind(_ path: String) throws -> DocumentKind {
        let reader = try LineReader(path: path)
        let header = try FormatHeader.check(try reader.next(), format: FormatHeader.documents, maxVersion: DocumentFileWriter.version, path: path)
        return DocumentKind(rawValue: header.fields["kind"]?.stringValue ?? "text") ?? .text
    }
}
