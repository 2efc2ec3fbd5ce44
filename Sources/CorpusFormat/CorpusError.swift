import Foundation

/// Everything that can go wrong in the corpus library, with the context a user needs to fix it.
/// Rendered to text in one place (`description`); library code never exits the process.
public enum CorpusError: Error, CustomStringConvertible, Equatable {
    /// A language code that is not in `known` (the corpus' `LanguageTable.known`).
    case unknownLanguage(code: String, context: String, known: [String])
    /// A selection names a source or package that cannot be found.
    case missingSource(name: String, detail: String)
    /// A package has no installable candidate in the configured apt sources.
    case packageUnavailable(package: String, detail: String)
    /// An offline/fixture run needs a package that is not in the cache.
    case notCached(package: String, cacheDirectory: String)
    /// A subprocess (`apt-get`, `dpkg-deb`, `gzip`) failed.
    case commandFailed(command: String, status: Int32, stderr: String)
    /// A persisted file has the wrong magic/format or an unsupported version.
    case badHeader(path: String, expected: String, found: String)
    /// A configuration value is out of range or inconsistent.
    case invalidConfiguration(field: String, problem: String)
    /// A file could not be read or written.
    case io(path: String, detail: String)
    /// A selection file does not parse.
    case badSelection(name: String, detail: String)
    /// The run was cancelled through the cancellation hook.
    case cancelled

    public var description: String {
        switch self {
        case .unknownLanguage(let code, let context, let known):
            return "unknown language code '\(code)' (\(context)); known: \(known.joined(separator: ", "))"
        case .missingSource(let name, let detail):
            return "missing source '\(name)': \(detail)"
        case .packageUnavailable(let package, let detail):
            return "Debian package '\(package)' is not available: \(detail). Hint: run `apt-get update` as root"
        case .notCached(let package, let cacheDirectory):
            return "package '\(package)' is not in the cache at \(cacheDirectory) and this run is offline"
        case .commandFailed(let command, let status, let stderr):
            return "`\(command)` exited with status \(status): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines).suffix(600))"
        case .badHeader(let path, let expected, let found):
            return "\(path): expected a '\(expected)' header, found \(found). Hint: re-run the fetch step that wrote it"
        case .invalidConfiguration(let field, let problem):
            return "configuration \(field): \(problem)"
        case .io(let path, let detail):
            return "\(path): \(detail)"
        case .badSelection(let name, let detail):
            return "selection '\(name)': \(detail)"
        case .cancelled:
            return "cancelled"
        }
    }
}
