import Foundation

/// Documents from translated UI catalogs (`.mo`/`.po` under `…/<locale>/LC_MESSAGES/`): one document
/// per catalog file and locale, its translated strings one per line (each distinct string once, strings
/// identical to their English source left out). This is where Swahili, Urdu and Bengali have real
/// human-translated text in Debian and PyPI (Django, LibreOffice UI).
struct GettextExtractor {
    var source: SourceSpec
    var packages: [(CachedPackage, String)]

    /// Catalog files of `locale` under `root`: paths containing `/<locale>/LC_MESSAGES/`, sorted; a `.mo`
    /// compiled from a `.po` beside it is left out (same strings).
    static func catalogs(under root: String, locale: String) -> [String] {
        let all = FileListing.files(under: root, extensions: [".mo", ".po"])
            .filter { $0.contains("/\(locale)/LC_MESSAGES/") || $0.hasPrefix("\(locale)/LC_MESSAGES/") }
        let sources = Set(all.filter { $0.hasSuffix(".po") }.map { $0.dropLast(3) })
        return all.filter { !($0.hasSuffix(".mo") && sources.contains($0.dropLast(3))) }
    }

    func run(into sink: ExtractionSink, isCancelled: () -> Bool, log: (String) -> Void) throws {
        var found = 0
        for (package, license) in packages {
            for locale in source.locales {
                if isCancelled() { throw CorpusError.cancelled }
                guard let language = LanguageTable.normalize(locale) else { continue }
                let cap = source.maxBytesPerLanguage ?? Int.max
                for path in Self.catalogs(under: package.root, locale: locale) {
                    guard sink.writtenBytes(source.name, language) < cap else { break }
                    var seen = Set<String>()
                    var lines: [String] = []
                    for entry in try GettextCatalog.read(path: package.root + "/" + path) {
                        let text = entry.translation.trimmingCharacters(in: .whitespacesAndNewlines)
                        guard !text.isEmpty, text != entry.source.trimmingCharacters(in: .whitespacesAndNewlines), seen.insert(text).inserted else { continue }
                        lines.append(text.replacingOccurrences(of: "\n", with: " "))
                    }
                    guard !lines.isEmpty else { sink.skip("gettext-catalog-without-translations"); continue }
                    found += 1
                    try sink.add(Document(id: "\(source.name)/\(package.package)/\(path)", text: lines.joined(separator: "\n"), language: language,
                                          source: source.name, kind: .text, package: package.package, version: package.version, license: license))
                }
            }
        }
        if found == 0 {
            throw CorpusError.missingSource(name: source.name, detail: "no translated catalogs for \(source.locales.joined(separator: ", ")) in \(packages.map(\.0.package).joined(separator: ", "))")
        }
        let summary = Set(source.locales.compactMap { LanguageTable.normalize($0) }).sorted().map { "\($0) \(sink.writtenBytes(source.name, $0) / 1000) kB" }
        log("\(source.name): \(found) catalogs; " + summary.joined(separator: ", "))
    }
}
