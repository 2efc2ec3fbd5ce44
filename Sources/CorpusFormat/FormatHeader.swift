import CanonicalJSON
/// The first line of every JSONL file this library persists: `{"format": …, "version": …, …}`.
/// Readers check both before trusting the rest of the file.
public struct FormatHeader: Equatable, Sendable {
    /// Document files written by the fetch step: one per (source, language).
    public static let documents = "trellis.corpus.documents"
    /// Output shards of the corpus step.
    public static let shard = "trellis.corpus.shard"
    /// Held-out evaluation files.
    public static let eval = "trellis.corpus.eval"
    /// The newest shard version this code writes and reads.
    public static let shardVersion = 1

    public var format: String
    public var version: Int
    /// Format-specific fields (source, language, shard index, …).
    public var fields: [String: JSONValue]

    public init(format: String, version: Int, fields: [String: JSONValue] = [:]) {
        self.format = format; self.version = version; self.fields = fields
    }

    /// The header as one canonical JSON line, without a newline.
    public func line() -> [UInt8] {
        var members = fields
        members["format"] = .string(format)
        members["version"] = .int(version)
        return JSONValue.object(members).canonicalBytes
    }

    /// Parses and checks a header line.
    /// - Throws: `CorpusError.badHeader` when the line is not JSON, names another format, or has a
    ///   version newer than `maxVersion`.
    public static func check(_ line: [UInt8]?, format: String, maxVersion: Int, path: String) throws -> FormatHeader {
        guard let line, !line.isEmpty else { throw CorpusError.badHeader(path: path, expected: format, found: "an empty file") }
        guard let node = try? JSONValue.parse(line), let found = node["format"]?.stringValue else {
            throw CorpusError.badHeader(path: path, expected: format, found: "no JSON header line")
        }
        guard found == format else { throw CorpusError.badHeader(path: path, expected: format, found: "'\(found)'") }
        guard let version = node["version"]?.intValue, version >= 1, version <= maxVersion else {
            throw CorpusError.badHeader(path: path, expected: "\(format) version ≤ \(maxVersion)", found: "version \(node["version"]?.canonicalString ?? "none")")
        }
        var fields = node.objectValue ?? [:]
        fields["format"] = nil
        fields["version"] = nil
        return FormatHeader(format: found, version: version, fields: fields)
    }
}
