import CanonicalJSON
import FileIO
import Foundation

/// What a child process (`trellis internal run-builtin FILE`, locally or in a Slurm job) needs to
/// run one builtin stage: persisted as JSON, format `trellis-builtin-job` version 1.
public struct BuiltinJob: Codable, Sendable, Equatable {
    public static let formatName = "trellis-builtin-job"
    public static let formatVersion = 1

    public var format = Self.formatName
    public var version = Self.formatVersion
    public var stage: String
    public var key: String
    public var kind: String
    /// The resolved `with` block, canonical JSON.
    public var config: String
    public var workingDirectory: String
    public var outputDirectory: String
    public var upstreamOutputs: [String: String]
    public var logPath: String
    public var cores: Int
    public var resumeDirectory: String?
    /// The stage's progress file (absent in jobs written before progress was reported).
    public var progressPath: String?

    enum CodingKeys: String, CodingKey {
        case format, version, stage, key, kind, config, cores
        case workingDirectory = "working_directory", outputDirectory = "output_directory"
        case upstreamOutputs = "upstream_outputs", logPath = "log", resumeDirectory = "resume_directory", progressPath = "progress"
    }

    /// The job of a builtin action; nil for a shell action.
    public init?(_ action: StageAction) {
        guard case .builtin(let kind, let config) = action.work else { return nil }
        stage = action.stage; key = action.key; self.kind = kind; self.config = config.canonicalString
        workingDirectory = action.workingDirectory; outputDirectory = action.outputDirectory
        upstreamOutputs = action.upstreamOutputs; logPath = action.logPath
        cores = action.resources.cores; resumeDirectory = action.resumeDirectory; progressPath = action.progressPath
    }

    /// The action to run in the child.
    public func action() throws -> StageAction {
        var action = StageAction(stage: stage, key: key, work: .builtin(kind: kind, config: try JSONValue.parse(Data(config.utf8))),
                                 workingDirectory: workingDirectory, outputDirectory: outputDirectory, upstreamOutputs: upstreamOutputs,
                                 environment: [:], logPath: logPath, resources: ResourceRequest(cores: cores))
        action.resumeDirectory = resumeDirectory
        action.progressPath = progressPath
        return action
    }

    /// Where the child running the job at `jobPath` writes the numeric path it ran on (one line).
    public static func numericPathFile(forJob jobPath: String) -> String { jobPath + ".numeric-path" }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(self)), to: path)
    }

    /// A job file that cannot be used, named with the reason.
    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func read(from path: String) throws -> BuiltinJob {
        guard let data = FileContents.read(path).map({ Data($0) }) else { throw ReadError(path: path, reason: "no such file") }
        let job: BuiltinJob
        do { job = try JSONDecoder().decode(BuiltinJob.self, from: data) } catch {
            throw ReadError(path: path, reason: "not a \(formatName) file")
        }
        guard job.format == formatName else { throw ReadError(path: path, reason: "not a \(formatName) file") }
        guard job.version == formatVersion else {
            throw ReadError(path: path, reason: "\(formatName) version \(job.version) is not supported (this trellis reads \(formatVersion))")
        }
        return job
    }
}
