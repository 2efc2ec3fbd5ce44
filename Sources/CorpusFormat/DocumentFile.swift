import Foundation

/// Writes one (source, language) document file: a `trellis.corpus.documents` header line, then one
/// JSON record per line. The file appears under its final name only after `finish()` (atomic rename).
public final class DocumentFileWriter {
    public static let version = 1
    public let path: String
    private let temporary: String
    private let handle: FileHandle
    private var pending: [UInt8] = []
    public private(set) var documents = 0
    public private(set) var textBytes = 0

    /// Opens `path` for writing with a header naming `source`, `language` and `kind`.
    public init(path: String, source: String, language: String, kind: DocumentKind) throws {
        self.path = path
        temporary = path + ".partial"
        try CorpusFiles.makeDirectory((path as NSString).deletingLastPathComponent)
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CorpusError.io(path: temporary, detail: "cannot create")
        }
        self.handle = handle
        let header = FormatHeader(format: FormatHeader.documents, version: Self.version, fields: [
            "source": .string(source), "lang": .string(language), "kind": .string(kind.rawValue),
        ])
        pending = header.line() + [0x0A]
    }

    /// Appends a document.
    public func append(_ document: Document) throws {
        pending += document.jsonLine()
        pending.append(0x0A)
        documents += 1
        textBytes += document.text.utf8.count
        if pending.count > 1 << 20 { try flush() }
    }

    private func flush() throws {
        do { try handle.write(contentsOf: pending) } catch {
            throw CorpusError.io(path: temporary, detail: "write failed: \(error.localizedDescription)")
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the file into place.
    public func finish() throws {
        try flush()
        try? handle.close()
        try CorpusFiles.moveReplacing(temporary, to: path)
    }
}

/// Reads a document file written by `DocumentFileWriter`, record by record.
public enum DocumentFileReader {
    /// Reads all documents of a (small) file. Bad records throw; use the pipeline for counted skips.
    public static func readAll(_ path: String) throws -> (header: FormatHeader, documents: [Document]) {
        try readAll(path, format: FormatHeader.documents, maxVersion: DocumentFileWriter.version)
    }

    /// Reads all documents of a corpus shard (`trellis.corpus.shard`, same records).
    public static func readShard(_ path: String) throws -> (header: FormatHeader, documents: [Document]) {
        try readAll(path, format: FormatHeader.shard, maxVersion: FormatHeader.shardVersion)
    }

    package static func readAll(_ path: String, format: String, maxVersion: Int) throws -> (header: FormatHeader, documents: [Document]) {
        let reader = try LineReader(path: path)
        let header = try FormatHeader.check(try reader.next(), format: format, maxVersion: maxVersion, path: path)
        var documents: [Document] = []
        while let line = try reader.next() {
            if line.isEmpty { continue }
            guard let record = RawRecord.parse(line) else {
                throw CorpusError.io(path: path, detail: "line \(reader.lineNumber): malformed record")
            }
            documents.append(record.document)
        }
        return (header, documents)
    }
}

/// A parsed document record whose text stays as UTF-8 bytes (validated later, per document).
package struct RawRecord {
    package var id = ""
    package var text: [UInt8] = []
    package var language = ""
    package var source = ""
    package var kind = DocumentKind.text
    package var package = ""
    package var version = ""
    package var license = ""

    /// Parses one record line; nil when it is not a flat JSON object with an `id` and a `text`.
    package static func parse(_ line: [UInt8]) -> RawRecord? {
        var record = RawRecord()
        var hasText = false, hasID = false
        let ok: Bool = line.withUnsafeBufferPointer { buffer in
            do {
                try FlatJSON.parseMembers(buffer) { key, value in
                    guard case .string(let bytes) = value else { return }
                    func string() -> String { String(decoding: bytes, as: UTF8.self) }
                    // Keys compared as bytes (no String per key); the order is the writer's (sorted keys).
                    if Self.keyIs(key, "id") { record.id = string(); hasID = true }
                    else if Self.keyIs(key, "kind") { record.kind = DocumentKind(rawValue: string()) ?? .text }
                    else if Self.keyIs(key, "lang") { record.language = string() }
                    else if Self.keyIs(key, "license") { record.license = string() }
                    else if Self.keyIs(key, "package") { record.package = string() }
                    else if Self.keyIs(key, "source") { record.source = string() }
                    else if Self.keyIs(key, "text") { record.text = bytes; hasText = true }
                    else if Self.keyIs(key, "version") { record.version = string() }
                }
                return true
            } catch { return false }
        }
        return ok && hasText && hasID ? record : nil
    }

    @inline(__always) private static func keyIs(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
    }

    package var document: Document {
        Document(id: id, text: String(decoding: text, as: UTF8.self), language: language, source: source,
                 kind: kind, package: package, version: version, license: license)
    }
}
