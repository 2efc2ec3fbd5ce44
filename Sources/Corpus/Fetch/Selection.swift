import CanonicalJSON
import Foundation

/// A named list of sources to fetch, kept as data (`Resources/selections/<name>.json`), not code.
///
/// ```json
/// {"format": "trellis.corpus.selection", "version": 1, "name": "demo", "heldOutPercent": 5,
///  "sources": [{"name": "libreoffice-help", "extractor": "libreoffice-help", "license": "MPL-2.0",
///               "packages": [{"package": "libreoffice-help-fr", "locale": "fr"}]}]}
/// ```
public struct Selection: Sendable, Equatable {
    public static let format = "trellis.corpus.selection"
    public static let version = 1

    public var name: String
    public var description: String
    /// Percent of files (LibreOffice help, handbook, GNOME pages) and DDTP descriptions held out of
    /// training and used for evaluation sets, chosen by a stable hash of their path or md5.
    public var heldOutPercent: Int
    /// Cap on evaluation items per language pair (or language) and source.
    public var evalItemsPerLanguage: Int
    /// True when the selection must be served from the cache alone (fixtures).
    public var offline: Bool
    public var sources: [SourceSpec]

    /// The selections shipped with the library: `demo`, `full`, `fixtures`.
    public static let builtinNames = ["demo", "full", "fixtures"]

    /// Loads a shipped selection by name.
    public static func builtin(_ name: String) throws -> Selection {
        guard builtinNames.contains(name),
              let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "selections") else {
            throw CorpusError.badSelection(name: name, detail: "no such built-in selection (known: \(builtinNames.joined(separator: ", ")))")
        }
        return try load(path: url.path)
    }

    /// Loads a selection file.
    public static func load(path: String) throws -> Selection {
        let data = try CorpusFiles.read(path)
        let node: JSONValue
        do { node = try JSONValue.parse(data) } catch {
            throw CorpusError.badSelection(name: path, detail: "not JSON: \(error)")
        }
        return try Selection(node: node, origin: path)
    }

    /// Builds and validates a selection from parsed JSON.
    public init(node: JSONValue, origin: String) throws {
        guard node["format"]?.stringValue == Self.format else {
            throw CorpusError.badHeader(path: origin, expected: Self.format, found: node["format"]?.canonicalString ?? "no format field")
        }
        guard let version = node["version"]?.intValue, version <= Self.version else {
            throw CorpusError.badHeader(path: origin, expected: "\(Self.format) version ≤ \(Self.version)", found: node["version"]?.canonicalString ?? "none")
        }
        guard let name = node["name"]?.stringValue else { throw CorpusError.badSelection(name: origin, detail: "missing 'name'") }
        self.name = name
        description = node["description"]?.stringValue ?? ""
        heldOutPercent = node["heldOutPercent"]?.intValue ?? 5
        evalItemsPerLanguage = node["evalItemsPerLanguage"]?.intValue ?? 1000
        offline = node["offline"]?.boolValue ?? false
        guard (0...50).contains(heldOutPercent) else {
            throw CorpusError.badSelection(name: name, detail: "heldOutPercent must be within 0…50")
        }
        guard let list = node["sources"]?.arrayValue, !list.isEmpty else {
            throw CorpusError.badSelection(name: name, detail: "'sources' must be a non-empty list")
        }
        sources = try list.map { try SourceSpec(node: $0, selection: name) }
        var seen = Set<String>()
        for source in sources where !seen.insert(source.name).inserted {
            throw CorpusError.badSelection(name: name, detail: "source '\(source.name)' appears twice")
        }
    }
}

/// How a source's text is pulled out of its package files.
public enum ExtractorKind: String, Sendable, Codable, CaseIterable {
    /// LibreOffice help HTML, one package per locale, aligned file-by-file with `en-US`.
    case libreofficeHelp = "libreoffice-help"
    /// Publican/DocBook HTML (Debian Administrator's Handbook): `root/<locale>/*.html`.
    case publicanHTML = "publican-html"
    /// GNOME Mallard pages: `root/<locale>/<document>/*.page`.
    case mallard
    /// Debian package descriptions and their DDTP translations (apt `Translation-<l>` indexes).
    case ddtp
    /// Source files selected by extension.
    case code
    /// Translated strings of gettext catalogs (`.mo`/`.po` under `<locale>/LC_MESSAGES/`), one document per catalog.
    case gettext
}

/// One package a source reads, optionally pinned to a version and tied to a locale.
public struct PackageRef: Sendable, Equatable, Hashable {
    public var package: String
    /// Locale directory this package provides (`fr`, `pt-BR`, `zh-CN`), for one-package-per-language sources.
    public var locale: String?
    /// Exact version; when absent the apt candidate version is used (online) or the cached one (offline).
    public var version: String?
}

/// One source of a selection.
public struct SourceSpec: Sendable, Equatable {
    public var name: String
    public var extractor: ExtractorKind
    /// Declared licence recorded on every document; when nil it is read from the package's
    /// `debian/copyright` (`License:` of the `Files: *` stanza).
    public var license: String?
    public var packages: [PackageRef]
    /// Folder inside the package holding the per-locale trees (publican, mallard).
    public var root: String?
    /// Locale folders to read (publican, mallard, ddtp); for libreoffice-help they come from `packages`.
    public var locales: [String]
    /// The untranslated original: items identical to it are dropped, and eval pairs align against it.
    public var reference: String?
    /// Cap on extracted UTF-8 text per language (training part; held-out files are always read).
    public var maxBytesPerLanguage: Int?
    /// Code only: the programming language, file extensions, path substrings to skip, byte cap.
    public var language: String?
    public var extensions: [String]
    public var exclude: [String]
    public var maxBytes: Int?
    /// Code only: files larger than this are skipped (generated or minified files).
    public var maxFileBytes: Int

    init(node: JSONValue, selection: String) throws {
        guard let name = node["name"]?.stringValue, !name.isEmpty else {
            throw CorpusError.badSelection(name: selection, detail: "a source lacks 'name'")
        }
        guard let raw = node["extractor"]?.stringValue, let extractor = ExtractorKind(rawValue: raw) else {
            throw CorpusError.badSelection(name: selection, detail: "source '\(name)': unknown extractor '\(node["extractor"]?.canonicalString ?? "")' (known: \(ExtractorKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.name = name
        self.extractor = extractor
        license = node["license"]?.stringValue
        packages = (node["packages"]?.arrayValue ?? []).compactMap { item in
            guard let package = item["package"]?.stringValue else { return nil }
            return PackageRef(package: package, locale: item["locale"]?.stringValue, version: item["version"]?.stringValue)
        }
        root = node["root"]?.stringValue
        locales = (node["locales"]?.arrayValue ?? []).compactMap(\.stringValue)
        reference = node["reference"]?.stringValue
        maxBytesPerLanguage = node["maxBytesPerLanguage"]?.intValue
        language = node["language"]?.stringValue
        extensions = (node["extensions"]?.arrayValue ?? []).compactMap(\.stringValue)
        exclude = (node["exclude"]?.arrayValue ?? []).compactMap(\.stringValue)
        maxBytes = node["maxBytes"]?.intValue
        maxFileBytes = node["maxFileBytes"]?.intValue ?? 400_000
        try validate(selection: selection)
    }

    private func validate(selection: String) throws {
        func fail(_ detail: String) -> CorpusError { .badSelection(name: selection, detail: "source '\(name)': \(detail)") }
        switch extractor {
        case .libreofficeHelp:
            guard !packages.isEmpty, packages.allSatisfy({ $0.locale != nil }) else { throw fail("every package needs a 'locale'") }
        case .publicanHTML, .mallard:
            guard packages.count == 1, root != nil, !locales.isEmpty else { throw fail("needs one package, a 'root' and 'locales'") }
        case .ddtp:
            guard !locales.isEmpty else { throw fail("needs 'locales'") }
        case .gettext:
            guard !packages.isEmpty, !locales.isEmpty else { throw fail("needs 'packages' and 'locales'") }
        case .code:
            guard let language, !language.isEmpty, !extensions.isEmpty, !packages.isEmpty else {
                throw fail("needs 'language', 'extensions' and 'packages'")
            }
        }
        let localeList = extractor == .libreofficeHelp ? packages.compactMap(\.locale) : locales
        if extractor != .code {
            for locale in localeList where LanguageTable.normalize(locale) == nil {
                throw CorpusError.unknownLanguage(code: locale, context: "selection '\(selection)', source '\(name)'")
            }
        }
    }
}
