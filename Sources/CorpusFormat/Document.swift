/// What a document is: natural-language text or source code. Code skips the language-ID and
/// natural-language quality filters (BLOOM's code data was only deduplicated exactly).
public enum DocumentKind: String, Sendable, Codable {
    case text
    case code
}

/// One document with its provenance. Every document records the Debian package (or PyPI archive)
/// it came from, that package's version, and its licence.
public struct Document: Sendable, Equatable {
    /// Stable id, unique within the corpus: `source/lang/path-inside-package[#n]`.
    public var id: String
    public var text: String
    /// ISO 639-1 code for text; the programming language (`python`, `go`, …) for code.
    public var language: String
    /// Source name from the selection (`libreoffice-help`, `ddtp`, `code-python`, …).
    public var source: String
    public var kind: DocumentKind
    public var package: String
    public var version: String
    public var license: String

    public init(id: String, text: String, language: String, source: String, kind: DocumentKind = .text,
                package: String, version: String, license: String) {
        self.id = id; self.text = text; self.language = language; self.source = source
        self.kind = kind; self.package = package; self.version = version; self.license = license
    }

    /// One JSON line (no newline): the record format of document files and shards.
    package func jsonLine() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 256)
        out.append(0x7B)
        FlatJSON.appendKey("id", first: true, to: &out); FlatJSON.appendString(id, to: &out)
        FlatJSON.appendKey("kind", first: false, to: &out); FlatJSON.appendString(kind.rawValue, to: &out)
        FlatJSON.appendKey("lang", first: false, to: &out); FlatJSON.appendString(language, to: &out)
        FlatJSON.appendKey("license", first: false, to: &out); FlatJSON.appendString(license, to: &out)
        FlatJSON.appendKey("package", first: false, to: &out); FlatJSON.appendString(package, to: &out)
        FlatJSON.appendKey("source", first: false, to: &out); FlatJSON.appendString(source, to: &out)
        FlatJSON.appendKey("text", first: false, to: &out); FlatJSON.appendString(text, to: &out)
        FlatJSON.appendKey("version", first: false, to: &out); FlatJSON.appendString(version, to: &out)
        out.append(0x7D)
        return out
    }
}
