import Foundation

/// PyPI archives for the fetch step, through pip's own client (`pip download --no-deps`, never an
/// install): selections name them as `pypi:<project>` with a pinned `version`. Wheels are zip files and
/// are unpacked with `unzip`; nothing is built or run.
enum PyPIClient {
    static let prefix = "pypi:"

    static func isPyPI(_ package: String) -> Bool { package.hasPrefix(prefix) }

    /// The project name of a `pypi:` package reference.
    static func project(_ package: String) -> String { String(package.dropFirst(prefix.count)) }

    /// Downloads the wheel of `project==version` into `directory`; returns its path.
    static func download(project: String, version: String, into directory: String) throws -> String {
        try CorpusFiles.makeDirectory(directory)
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        try Subprocess.run(["python3", "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", directory,
                            "\(project)==\(version)"])
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        // pip normalizes the project name in file names (case, '-' → '_').
        let stem = project.lowercased().replacingOccurrences(of: "-", with: "_") + "-" + version + "-"
        guard let wheel = files.first(where: { $0.lowercased().hasPrefix(stem) && $0.hasSuffix(".whl") })
                ?? files.first(where: { !before.contains($0) && $0.hasSuffix(".whl") }) else {
            throw CorpusError.packageUnavailable(package: prefix + project, detail: "pip download left no wheel for \(version) in \(directory)")
        }
        return directory + "/" + wheel
    }

    /// Unpacks a wheel into `directory`.
    static func extract(wheel: String, into directory: String) throws {
        try CorpusFiles.makeDirectory(directory)
        try Subprocess.run(["unzip", "-q", "-o", wheel, "-d", directory])
    }
}
