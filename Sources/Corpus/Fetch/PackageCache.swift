import CanonicalJSON
import FileIO
import Foundation

/// A package unpacked in the cache.
public struct CachedPackage: Sendable, Equatable {
    public var package: String
    public var version: String
    /// Licence from the package's `debian/copyright`, when machine-readable.
    public var copyrightLicense: String?
    /// The unpacked file tree (what `dpkg-deb -x` produced).
    public var root: String
    /// Size of the downloaded .deb (0 for fixtures).
    public var debBytes: Int
    /// True when this run found it in the cache, false when it was downloaded now.
    public var fromCache: Bool
}

/// DDTP translation indexes in the cache, one folder per locale.
public struct CachedTranslations: Sendable, Equatable {
    public var locales: [String]
    /// `Release` date of the archive snapshot per locale: the "version" recorded on DDTP documents.
    public var dates: [String: String]
    /// The cache's `ddtp` folder; locale `l` is in `<directory>/<l>/Translation-<l>`.
    public var directory: String
    /// Bytes of indexes downloaded by this run (0 when every locale was cached).
    public var downloadBytes: Int
    /// Locales this run downloaded.
    public var downloadedLocales: [String]
    public var fromCache: Bool { downloadedLocales.isEmpty }

    /// The distinct snapshot dates (normally one).
    public var date: String { Set(dates.values).sorted().joined(separator: "; ") }

    /// `sections/sections.tsv` (description md5 → Debian section) when the cache has it: the labels
    /// of the topic-classification evaluation. Absent offline with an older cache (no such eval then).
    public var sections: String?

    /// The decompressed `Translation-<locale>` file.
    public func path(_ locale: String) -> String { directory + "/\(locale)/Translation-\(locale)" }
}

/// The download cache, keyed by package name and version, so a second run downloads nothing:
///
///     <cache>/packages/<package>/<version>/root/…          unpacked tree
///     <cache>/packages/<package>/<version>/package.json    completion marker, written last
///     <cache>/ddtp/<locale>/Translation-<locale> + ddtp.json   DDTP index + marker, per locale
///
/// An entry without its marker is an interrupted download and is redone.
public final class PackageCache: @unchecked Sendable {
    static let markerFormat = "trellis.corpus.package"
    public let directory: String

    /// - Parameter directory: the cache root; relative paths are resolved against the current folder
    ///   (apt resolves relative `Dir::` options against its own state folder, so paths must be absolute).
    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
    }

    func entryDirectory(_ package: String, _ version: String) -> String {
        directory + "/packages/" + package + "/" + version.replacingOccurrences(of: ":", with: "%3a")
    }

    /// The cached entry for `package` at `version` (or, with no version, the only/newest cached one).
    public func lookup(_ package: String, version: String?) -> CachedPackage? {
        let versions: [String]
        if let version {
            versions = [version.replacingOccurrences(of: ":", with: "%3a")]
        } else {
            versions = ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/packages/" + package)) ?? []).sorted().reversed()
        }
        for escaped in versions {
            let entry = directory + "/packages/" + package + "/" + escaped
            guard let data = FileContents.read(entry + "/package.json"),
                  let node = try? JSONValue.parse(data), node["format"]?.stringValue == Self.markerFormat,
                  let recorded = node["packageVersion"]?.stringValue else { continue }
            return CachedPackage(package: package, version: recorded, copyrightLicense: node["license"]?.stringValue,
                                 root: entry + "/root", debBytes: node["debBytes"]?.intValue ?? 0, fromCache: true)
        }
        return nil
    }

    /// Makes every package in `refs` available, downloading what is missing unless `offline`.
    /// - Throws: `CorpusError.notCached` (offline), `.packageUnavailable`, `.commandFailed`.
    public func ensure(_ refs: [PackageRef], offline: Bool, log: (String) -> Void) throws -> [String: CachedPackage] {
        var result: [String: CachedPackage] = [:]
        var unique: [PackageRef] = []
        for ref in refs where !unique.contains(where: { $0.package == ref.package }) { unique.append(ref) }
        if offline {
            for ref in unique {
                guard let hit = lookup(ref.package, version: ref.version) else { throw CorpusError.notCached(package: ref.package, cacheDirectory: directory) }
                result[ref.package] = hit
            }
            return result
        }
        for ref in unique where PyPIClient.isPyPI(ref.package) {
            result[ref.package] = try ensurePyPI(ref, log: log)
        }
        unique.removeAll { PyPIClient.isPyPI($0.package) }
        guard !unique.isEmpty else { return result }
        let unpinned = unique.filter { $0.version == nil }.map(\.package)
        let candidates = try AptClient.candidates(unpinned)
        var wanted: [AptClient.Candidate] = []
        for ref in unique {
            let version = ref.version ?? candidates[ref.package]!.version
            if let hit = lookup(ref.package, version: version) {
                result[ref.package] = hit
            } else {
                wanted.append(candidates[ref.package] ?? AptClient.Candidate(package: ref.package, version: version, size: 0))
            }
        }
        guard !wanted.isEmpty else { return result }
        let total = wanted.reduce(0) { $0 + $1.size }
        log("downloading \(wanted.count) package(s), \(total / 1_000_000) MB: \(wanted.map(\.package).joined(separator: " "))")
        let debs = try AptClient.download(wanted, into: directory + "/debs")
        for candidate in wanted {
            let entry = entryDirectory(candidate.package, candidate.version)
            let partial = entry + "/root.partial"
            try? FileManager.default.removeItem(atPath: partial)
            try? FileManager.default.removeItem(atPath: entry + "/root")
            try AptClient.extract(deb: debs[candidate.package]!, into: partial)
            try CorpusFiles.moveReplacing(partial, to: entry + "/root")
            let debBytes = (try? FileManager.default.attributesOfItem(atPath: debs[candidate.package]!)[.size] as? Int) ?? candidate.size
            let license = AptClient.license(fromCopyright: entry + "/root/usr/share/doc/\(candidate.package)/copyright")
            var marker: [String: JSONValue] = [
                "format": .string(Self.markerFormat), "version": .int(1),
                "package": .string(candidate.package), "packageVersion": .string(candidate.version), "debBytes": .int(debBytes),
            ]
            if let license { marker["license"] = .string(license) }
            try CorpusFiles.write(JSONValue.object(marker).prettyBytes, to: entry + "/package.json")
            try? FileManager.default.removeItem(atPath: debs[candidate.package]!)
            result[candidate.package] = CachedPackage(package: candidate.package, version: candidate.version, copyrightLicense: license,
                                                      root: entry + "/root", debBytes: debBytes, fromCache: false)
        }
        return result
    }

    /// Makes the DDTP indexes for `locales` available, downloading only the locales not cached yet.
    /// A `pypi:<project>` archive (version required): from the cache, or downloaded with pip and unpacked.
    func ensurePyPI(_ ref: PackageRef, log: (String) -> Void) throws -> CachedPackage {
        guard let version = ref.version else {
            throw CorpusError.packageUnavailable(package: ref.package, detail: "PyPI packages need a pinned 'version' in the selection")
        }
        if let hit = lookup(ref.package, version: version) { return hit }
        let project = PyPIClient.project(ref.package)
        log("downloading \(project)==\(version) from PyPI")
        let wheel = try PyPIClient.download(project: project, version: version, into: directory + "/wheels")
        let entry = entryDirectory(ref.package, version)
        let partial = entry + "/root.partial"
        try? FileManager.default.removeItem(atPath: partial)
        try? FileManager.default.removeItem(atPath: entry + "/root")
        try PyPIClient.extract(wheel: wheel, into: partial)
        try CorpusFiles.moveReplacing(partial, to: entry + "/root")
        let bytes = (try? FileManager.default.attributesOfItem(atPath: wheel)[.size] as? Int) ?? 0
        let marker: [String: JSONValue] = [
            "format": .string(Self.markerFormat), "version": .int(1), "package": .string(ref.package),
            "packageVersion": .string(version), "debBytes": .int(bytes),
        ]
        try CorpusFiles.write(JSONValue.object(marker).prettyBytes, to: entry + "/package.json")
        try? FileManager.default.removeItem(atPath: wheel)
        return CachedPackage(package: ref.package, version: version, copyrightLicense: nil, root: entry + "/root", debBytes: bytes, fromCache: false)
    }

    public func ensureTranslations(locales: [String], offline: Bool, log: (String) -> Void) throws -> CachedTranslations {
        let root = directory + "/ddtp"
        var dates: [String: String] = [:]
        var missing: [String] = []
        for locale in locales.sorted() {
            if let data = FileContents.read(root + "/\(locale)/ddtp.json"), let node = try? JSONValue.parse(data),
               let date = node["date"]?.stringValue {
                dates[locale] = date
            } else {
                missing.append(locale)
            }
        }
        var downloaded = 0
        if !missing.isEmpty {
            if offline { throw CorpusError.notCached(package: "ddtp (\(missing.joined(separator: ", ")))", cacheDirectory: directory) }
            log("fetching DDTP Translation indexes for \(missing.joined(separator: ", "))")
            let staging = root + "/.staging-\(ProcessInfo.processInfo.processIdentifier)"
            try? FileManager.default.removeItem(atPath: staging)
            defer { try? FileManager.default.removeItem(atPath: staging) }
            let date = try AptClient.fetchTranslations(locales: missing, listsDirectory: staging + "/lists", outputDirectory: staging)
            let listFiles = (try? FileManager.default.contentsOfDirectory(atPath: staging + "/lists")) ?? []
            downloaded = listFiles.reduce(0) { sum, file in
                sum + ((try? FileManager.default.attributesOfItem(atPath: staging + "/lists/" + file)[.size] as? Int) ?? 0)
            }
            for locale in missing {
                let entry = root + "/" + locale
                try CorpusFiles.write(try CorpusFiles.read(staging + "/Translation-\(locale)"), to: entry + "/Translation-\(locale)")
                let marker = JSONValue.object(["format": .string("trellis.corpus.ddtp"), "version": .int(1), "date": .string(date),
                                              "locale": .string(locale)])
                try CorpusFiles.write(marker.prettyBytes, to: entry + "/ddtp.json")
            }
            for locale in missing { dates[locale] = date }
        }
        var translations = CachedTranslations(locales: locales, dates: dates, directory: root,
                                              downloadBytes: downloaded, downloadedLocales: missing)
        translations.sections = try ensureSections(root: root, offline: offline, log: log)
        return translations
    }

    /// The sections file (`ddtp/sections/sections.tsv` + `sections.json` marker), fetched once;
    /// nil when offline and not cached.
    func ensureSections(root: String, offline: Bool, log: (String) -> Void) throws -> String? {
        let folder = root + "/sections", path = folder + "/sections.tsv"
        if FileManager.default.fileExists(atPath: folder + "/sections.json") { return path }
        guard !offline else {
            log("no cached Debian sections (\(folder)): the topic-classification evaluation set is left out")
            return nil
        }
        log("fetching the bookworm Packages index for the packages' sections")
        let staging = root + "/.sections-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let sections = PackageSections.parse(packages: try AptClient.fetchPackagesIndex(listsDirectory: staging + "/lists"))
        try CorpusFiles.write(sections.tsv, to: path)
        let marker = JSONValue.object(["format": .string("trellis.corpus.sections"), "version": .int(1),
                                       "descriptions": .int(sections.sectionByDescription.count)])
        try CorpusFiles.write(marker.prettyBytes, to: folder + "/sections.json")
        return path
    }
}
