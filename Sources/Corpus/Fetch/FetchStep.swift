import CanonicalJSON
import Foundation

/// Options of a fetch run.
public struct FetchOptions: Sendable {
    /// Download cache (see `PackageCache`); reused across runs and selections.
    public var cacheDirectory: String
    /// Where `text/`, `eval/` and `sources.json` are written (existing `text/` and `eval/` are replaced).
    public var outputDirectory: String
    /// Serve everything from the cache; also implied by a selection marked `offline`.
    public var offline: Bool
    /// Worker threads for parsing.
    public var cores: Int
    public var log: @Sendable (String) -> Void
    public var isCancelled: @Sendable () -> Bool
    /// Called as the fetch advances: phase ("packages" once they are resolved and downloaded, then
    /// "extract" per source), how many of how many, and the package count.
    public var progress: @Sendable (_ phase: String, _ done: Int, _ total: Int, _ packages: Int) -> Void = { _, _, _, _ in }

    public init(cacheDirectory: String, outputDirectory: String, offline: Bool = false, cores: Int = ProcessInfo.processInfo.activeProcessorCount,
                log: @escaping @Sendable (String) -> Void = { _ in }, isCancelled: @escaping @Sendable () -> Bool = { false }) {
        self.cacheDirectory = cacheDirectory; self.outputDirectory = outputDirectory; self.offline = offline
        self.cores = max(1, cores); self.log = log; self.isCancelled = isCancelled
    }
}

/// What a fetch run did.
public struct FetchReport: Sendable {
    /// One row per document file written.
    public struct FileSummary: Sendable, Equatable {
        public var path: String, source: String, language: String, kind: DocumentKind, documents: Int, bytes: Int
    }
    public var packages: [CachedPackage]
    public var translations: CachedTranslations?
    public var files: [FileSummary]
    public var evalFiles: [(path: String, items: Int)]
    public var skipped: [String: Int]
    public var seconds: Double

    /// Packages downloaded by this run (not served from the cache).
    public var downloaded: [CachedPackage] { packages.filter { !$0.fromCache } }
    /// Bytes downloaded by this run (.deb files plus DDTP indexes).
    public var downloadedBytes: Int { downloaded.reduce(0) { $0 + $1.debBytes } + (translations.map { $0.fromCache ? 0 : $0.downloadBytes } ?? 0) }
    public var textBytes: Int { files.filter { $0.kind == .text }.reduce(0) { $0 + $1.bytes } }
    public var codeBytes: Int { files.filter { $0.kind == .code }.reduce(0) { $0 + $1.bytes } }
}

/// The fetch step: downloads (or finds in the cache) the packages a selection names, without installing
/// them, extracts plain text per (source, language) with package, version and licence on every
/// document, builds the held-out evaluation sets, and writes `sources.json`.
///
/// ```swift
/// let report = try FetchStep.run(selection: try Selection.builtin("demo"),
///                                options: FetchOptions(cacheDirectory: "/data/cache", outputDirectory: "/data/fetch"))
/// print(report.downloadedBytes, report.textBytes)
/// ```
public enum FetchStep {
    public static let sourcesFormat = "trellis.corpus.sources"
    public static let sourcesVersion = 1

    public static func run(selection: Selection, options: FetchOptions) throws -> FetchReport {
        let started = Date()
        let offline = options.offline || selection.offline
        let cache = PackageCache(directory: options.cacheDirectory)
        let log = options.log

        // 1. Packages: resolve and download everything first (one apt call), then extract.
        let refs = selection.sources.flatMap(\.packages)
        let packages = try cache.ensure(refs, offline: offline, log: log)
        options.progress("packages", 0, selection.sources.count, packages.count)
        var translations: CachedTranslations? = nil
        let ddtpLocales = selection.sources.filter { $0.extractor == .ddtp }.flatMap(\.locales)
        if !ddtpLocales.isEmpty {
            translations = try cache.ensureTranslations(locales: Array(Set(ddtpLocales)).sorted(), offline: offline, log: log)
        }

        // 2. Extraction into a fresh output tree.
        for folder in ["text", "eval"] { try? FileManager.default.removeItem(atPath: options.outputDirectory + "/" + folder) }
        try CorpusFiles.makeDirectory(options.outputDirectory)
        let sink = ExtractionSink(outputDirectory: options.outputDirectory)
        var provenance: [JSONValue] = []
        func license(_ source: SourceSpec, _ package: CachedPackage) -> String {
            source.license ?? package.copyrightLicense ?? "see /usr/share/doc/\(package.package)/copyright"
        }
        for (index, source) in selection.sources.enumerated() {
            if options.isCancelled() { throw CorpusError.cancelled }
            defer { options.progress("extract", index + 1, selection.sources.count, packages.count) }
            let used = source.packages.map { packages[$0.package]! }
            for package in used {
                provenance.append(.object(["source": .string(source.name), "package": .string(package.package),
                                           "version": .string(package.version), "license": .string(license(source, package))]))
            }
            switch source.extractor {
            case .libreofficeHelp, .publicanHTML, .mallard:
                try treeExtractor(source, selection, packages, license: license, cores: options.cores)
                    .run(into: sink, isCancelled: options.isCancelled, log: log)
            case .ddtp:
                let license = source.license ?? "Debian package descriptions (DDTP), licensed with each package"
                provenance.append(.object(["source": .string(source.name), "package": .string("apt:Translation-{\(source.locales.joined(separator: ","))}"),
                                           "version": .string(translations!.date), "license": .string(license)]))
                try DDTPExtractor(source: source, selection: selection, translations: translations!, license: license)
                    .run(into: sink, isCancelled: options.isCancelled, log: log)
            case .gettext:
                try GettextExtractor(source: source, packages: used.map { ($0, license(source, $0)) })
                    .run(into: sink, isCancelled: options.isCancelled, log: log)
            case .code:
                try CodeExtractor(source: source, packages: used.map { ($0, license(source, $0)) }, cores: options.cores)
                    .run(into: sink, isCancelled: options.isCancelled, log: log)
            }
        }
        let (files, evalFiles) = try sink.finish()

        // 3. sources.json: what the corpus step reads. Deterministic: no timings, no cache state.
        let summaries = files.map { FetchReport.FileSummary(path: $0.path, source: $0.source, language: $0.language, kind: $0.kind, documents: $0.count, bytes: $0.bytes) }
        let sources = JSONValue.object([
            "format": .string(sourcesFormat), "version": .int(sourcesVersion), "selection": .string(selection.name),
            "heldOutPercent": .int(selection.heldOutPercent),
            "files": .array(summaries.map { .object(["path": .string($0.path), "source": .string($0.source), "lang": .string($0.language),
                                                     "kind": .string($0.kind.rawValue), "documents": .int($0.documents), "bytes": .int($0.bytes)]) }),
            "packages": .array(provenance),
            "eval": .array(evalFiles.map { .object(["path": .string($0.path), "items": .int($0.items)]) }),
            "skipped": .object(sink.skipped.mapValues { .int($0) }),
        ])
        try CorpusFiles.write(sources.prettyBytes, to: options.outputDirectory + "/sources.json")
        let allPackages = Array(Set(refs.map(\.package))).sorted().map { packages[$0]! }
        return FetchReport(packages: allPackages, translations: translations, files: summaries, evalFiles: evalFiles,
                           skipped: sink.skipped, seconds: Date().timeIntervalSince(started))
    }

    private static func treeExtractor(_ source: SourceSpec, _ selection: Selection, _ packages: [String: CachedPackage],
                                      license: (SourceSpec, CachedPackage) -> String, cores: Int) throws -> DocumentTreeExtractor {
        var trees: [DocumentTreeExtractor.Tree] = []
        switch source.extractor {
        case .libreofficeHelp:
            for ref in source.packages {
                let package = packages[ref.package]!
                trees.append(.init(locale: ref.locale!, directory: package.root + "/usr/share/libreoffice/help/\(ref.locale!)/text",
                                   package: package, license: license(source, package)))
            }
        default:
            let package = packages[source.packages[0].package]!
            for locale in source.locales {
                trees.append(.init(locale: locale, directory: package.root + "/" + source.root! + "/" + locale, package: package, license: license(source, package)))
            }
        }
        for tree in trees where !FileManager.default.fileExists(atPath: tree.directory) {
            throw CorpusError.missingSource(name: source.name, detail: "locale \(tree.locale) has no folder \(tree.directory)")
        }
        let reference = source.reference.flatMap { name in trees.first { $0.locale == name } }
        if let name = source.reference, reference == nil {
            throw CorpusError.missingSource(name: source.name, detail: "reference locale \(name) is not among the locales")
        }
        let mallard = source.extractor == .mallard
        return DocumentTreeExtractor(source: source, selection: selection, markup: mallard ? .mallard : .html,
                                     fileExtension: mallard ? ".page" : ".html", maxDepth: mallard ? 2 : (source.extractor == .publicanHTML ? 1 : 64),
                                     reference: reference, trees: trees, cores: cores)
    }
}
