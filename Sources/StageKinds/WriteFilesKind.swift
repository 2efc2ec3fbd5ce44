import CanonicalJSON
import Execution
import Foundation

/// `kind: write` — writes the given files (relative path → text) into the output folder.
/// Useful for small generated inputs, and cheap enough to drive the orchestrator benchmark.
public struct WriteFilesKind: BuiltinKind {
    struct Config: Decodable { var files: [String: String] }

    public let name = "write"
    public let version = 1

    public init() {}

    public func validate(config: JSONValue) throws {
        let c = try config.decodeConfig(Config.self, knownKeys: ["files"])
        for path in c.files.keys where path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            throw BuiltinConfigError(field: "files.\(path)", problem: "paths must stay inside the output folder")
        }
    }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        try validate(config: config)
        let c = try config.decodeConfig(Config.self, knownKeys: ["files"])
        for (path, text) in c.files.sorted(by: { $0.key < $1.key }) {
            let target = context.outputDirectory + "/" + path
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        }
    }
}
