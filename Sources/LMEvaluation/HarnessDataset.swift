import CanonicalJSON
import ContentDigest
import FileIO
import Foundation
import PromptTemplates
import PromptedData

/// A split of a task's local data, read as Hugging Face `datasets` reads `json` / `csv` files:
/// one document per JSON line (or CSV row), every document holding every column (missing → None).
public struct HarnessDataset: Sendable {
    public typealias Document = [String: TemplateValue]

    public var documents: [Document]
    /// Column names: a `doc_to_*` field equal to one of them takes the column instead of rendering.
    public var features: Set<String>
    /// SHA-256 over the split's files, in order (a result names the data it came from).
    public var digest: String

    public static func load(_ files: [String], format: String, task: String) throws -> HarnessDataset {
        var documents: [Document] = []
        var features = Set<String>()
        var hasher = DigestHasher()
        for file in files {
            guard let bytes = FileContents.read(file) else {
                throw EvalError.missingInput(what: "data file of task '\(task)'", searched: [file])
            }
            hasher.update(bytes)
            let rows = format == "csv" ? try CSVRows.documents(bytes, file: file) : try jsonLines(bytes, file: file)
            for row in rows { features.formUnion(row.keys) }
            documents += rows
        }
        for i in documents.indices { for f in features where documents[i][f] == nil { documents[i][f] = TemplateValue.none } }
        return HarnessDataset(documents: documents, features: features, digest: hasher.finalize().hex)
    }

    /// JSON lines (`RecordFiles`; the corpus' format header line skipped).
    static func jsonLines(_ bytes: [UInt8], file: String) throws -> [Document] {
        do { return try RecordFiles.jsonLines(bytes, path: file) } catch let e as RecordFiles.ReadError {
            throw EvalError.badTaskFile(path: e.path, line: e.line, problem: e.problem)
        }
    }
}
