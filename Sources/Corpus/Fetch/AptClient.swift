import Foundation

/// The apt/dpkg operations the fetch step needs, none of which installs anything:
/// candidate versions (`apt-cache show`), downloads (`apt-get download`), unpacking (`dpkg-deb -x`)
/// and DDTP translation indexes (`apt-get update` into a private lists folder + `apt-helper cat-file`).
enum AptClient {
    /// What apt knows about a package's candidate version.
    struct Candidate: Equatable { var package: String; var version: String; var size: Int }

    /// Candidate versions for `packages`, in one `apt-cache show` call.
    /// - Throws: `CorpusError.packageUnavailable` naming every package apt does not know.
    static func candidates(_ packages: [String]) throws -> [String: Candidate] {
        guard !packages.isEmpty else { return [:] }
        let result = try Subprocess.run(["apt-cache", "show", "--no-all-versions"] + packages, check: false)
        var found: [String: Candidate] = [:]
        for stanza in String(decoding: result.stdout, as: UTF8.self).components(separatedBy: "\n\n") {
            var fields: [String: String] = [:]
            for line in stanza.split(separator: "\n") where !line.hasPrefix(" ") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            if let name = fields["Package"], let version = fields["Version"], found[name] == nil {
                found[name] = Candidate(package: name, version: version, size: Int(fields["Size"] ?? "") ?? 0)
            }
        }
        let missing = packages.filter { found[$0] == nil }
        if !missing.isEmpty {
            throw CorpusError.packageUnavailable(package: missing.joined(separator: ", "), detail: "no candidate version (\(result.stderr.split(separator: "\n").first ?? "apt-cache show found nothing"))")
        }
        return found
    }

    /// Downloads exact versions into `directory`; returns the .deb path of each package.
    static func download(_ candidates: [Candidate], into directory: String) throws -> [String: String] {
        guard !candidates.isEmpty else { return [:] }
        try CorpusFiles.makeDirectory(directory)
        try Subprocess.run(["apt-get", "download", "-q"] + candidates.map { "\($0.package)=\($0.version)" }, in: directory)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var paths: [String: String] = [:]
        for candidate in candidates {
            // apt names files package_version_arch.deb with ':' in the version escaped as %3a.
            let escaped = candidate.version.replacingOccurrences(of: ":", with: "%3a")
            guard let file = files.first(where: { $0.hasPrefix("\(candidate.package)_\(escaped)_") && $0.hasSuffix(".deb") }) else {
                throw CorpusError.packageUnavailable(package: candidate.package, detail: "apt-get download left no .deb for \(candidate.version)")
            }
            paths[candidate.package] = directory + "/" + file
        }
        return paths
    }

    /// Unpacks a .deb's data into `directory` without running maintainer scripts.
    static func extract(deb: String, into directory: String) throws {
        try CorpusFiles.makeDirectory(directory)
        try Subprocess.run(["dpkg-deb", "-x", deb, directory])
    }

    /// Fetches DDTP `Translation-<l>` indexes for `locales` into `listsDirectory` and decompresses the
    /// bookworm main ones into `outputDirectory/Translation-<l>`. Returns the archive's Release date.
    static func fetchTranslations(locales: [String], listsDirectory: String, outputDirectory: String) throws -> String {
        try CorpusFiles.makeDirectory(listsDirectory + "/partial")
        try CorpusFiles.makeDirectory(outputDirectory)
        try Subprocess.run([
            "apt-get", "update", "-q",
            "-o", "Dir::State::Lists=\(listsDirectory)",
            "-o", "Acquire::Languages=\(locales.joined(separator: ","))",
            "-o", "Acquire::IndexTargets::deb::Packages::DefaultEnabled=false",
        ])
        let files = (try? FileManager.default.contentsOfDirectory(atPath: listsDirectory)) ?? []
        for locale in locales {
            let escaped = locale.replacingOccurrences(of: "_", with: "%5f")
            // Exact locale: "Translation-pt" must not pick "Translation-pt%5fBR".
            let stem = "_dists_bookworm_main_i18n_Translation-\(escaped)"
            guard let file = files.first(where: { $0.hasSuffix(stem) || $0.contains(stem + ".") }) else {
                throw CorpusError.missingSource(name: "ddtp", detail: "apt fetched no Translation-\(locale) for bookworm main")
            }
            let result = try Subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", listsDirectory + "/" + file])
            try CorpusFiles.write(result.stdout, to: outputDirectory + "/Translation-\(locale)")
        }
        var date = "unknown"
        if let release = files.first(where: { $0.hasSuffix("_dists_bookworm_InRelease") }),
           let text = try? String(contentsOfFile: listsDirectory + "/" + release, encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Date:") }) {
            date = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
        }
        return date
    }

    /// Fetches the archive's `Packages` indexes into `listsDirectory` (no translations) and returns
    /// bookworm main's, decompressed: the packages' sections for the topic-classification labels.
    static func fetchPackagesIndex(listsDirectory: String) throws -> [UInt8] {
        try CorpusFiles.makeDirectory(listsDirectory + "/partial")
        try Subprocess.run(["apt-get", "update", "-q", "-o", "Dir::State::Lists=\(listsDirectory)", "-o", "Acquire::Languages=none"])
        let files = (try? FileManager.default.contentsOfDirectory(atPath: listsDirectory)) ?? []
        guard let file = files.first(where: { $0.contains("_dists_bookworm_main_binary-") && $0.contains("_Packages") }) else {
            throw CorpusError.missingSource(name: "ddtp", detail: "apt fetched no Packages index for bookworm main")
        }
        return [UInt8](try Subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", listsDirectory + "/" + file]).stdout)
    }

    /// The licence named by a machine-readable `debian/copyright` (the `Files: *` stanza), if any.
    static func license(fromCopyright path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var inWildcard = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Files:") { inWildcard = line.dropFirst(6).trimmingCharacters(in: .whitespaces) == "*" }
            if line.isEmpty { inWildcard = false }
            if inWildcard, line.hasPrefix("License:") { return line.dropFirst(8).trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }
}
