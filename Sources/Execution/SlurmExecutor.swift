import FileIO
import Foundation

/// Runs each stage as a Slurm batch job. The store must be on a filesystem the compute nodes
/// see: jobs write straight into the stage's staging folder, and the scheduler commits outputs
/// exactly as it does for local runs.
public final class SlurmExecutor: Executor, @unchecked Sendable {
    public struct Options: Sendable {
        /// Where job scripts and the job registry live (a folder in the store).
        public var stateDirectory: String
        /// The `trellis` binary the jobs call to run builtin kinds.
        public var trellisBinary: String
        public var pollInterval: Double = 1.0
        /// Matrix members submitted within this many seconds go as one job array.
        public var arrayWindow: Double = 0.3
        public var defaultPartition: String?
        /// Members per job array; nil: the cluster's `MaxArraySize`.
        public var maxArraySize: Int?

        public init(stateDirectory: String, trellisBinary: String) {
            self.stateDirectory = stateDirectory
            self.trellisBinary = trellisBinary
        }
    }

    public let options: Options
    public let monitor: SlurmMonitor
    let submitter: SlurmSubmitter
    let registry: SlurmJobRegistry

    public init(options: Options) {
        self.options = options
        monitor = SlurmMonitor(pollInterval: options.pollInterval)
        submitter = SlurmSubmitter(window: options.arrayWindow, scratch: options.stateDirectory + "/scripts", maxArraySize: options.maxArraySize)
        registry = SlurmJobRegistry(path: options.stateDirectory + "/jobs.json")
    }

    /// The cluster's `MaxArraySize` (`scontrol show config`), nil when it cannot be read.
    public static func clusterMaxArraySize() -> Int? { SlurmSubmitter.clusterMaxArraySize() }

    /// Every submission so far: job id and the stages it carried.
    public var submissions: [(jobID: String, stages: [String])] { submitter.submissions }

    public func run(_ action: StageAction, cancellation: Cancellation) async -> ActionResult {
        do {
            if let attached = try await reattach(action, cancellation: cancellation) { return attached }
            let script = try writeScript(for: action)
            let jobID = try await submitter.submit(stage: action.stage, group: action.group, script: script, logPath: action.logPath,
                                                   resources: action.resources, partition: action.resources.partition ?? options.defaultPartition)
            registry.record(.init(jobID: jobID, outputDirectory: action.outputDirectory, logPath: action.logPath), forKey: action.key)
            return try await wait(jobID, key: action.key, cancellation: cancellation)
        } catch {
            return ActionResult(ending: .error("\(error)"))
        }
    }

    private func wait(_ jobID: String, key: String, cancellation: Cancellation) async throws -> ActionResult {
        let token = cancellation.onCancel { _ = try? CommandRunner.run("scancel", [jobID]) }
        defer { cancellation.remove(token) }
        let job = try await monitor.wait(for: jobID)
        registry.remove(key: key)
        if cancellation.isCancelled { return ActionResult(ending: .cancelled) }
        switch job.state {
        case "COMPLETED": return ActionResult(ending: .succeeded)
        case "TIMEOUT": return ActionResult(ending: .error("Slurm job \(jobID) hit its time limit"))
        case "CANCELLED": return ActionResult(ending: .error("Slurm job \(jobID) was cancelled"))
        default:
            if job.signal != 0 { return ActionResult(ending: .signalled(job.signal)) }
            if job.exitCode != 0 { return ActionResult(ending: .failed(exitCode: job.exitCode)) }
            return ActionResult(ending: .error("Slurm job \(jobID) ended \(job.state)"))
        }
    }

    /// A job for this key submitted by an earlier `trellis` that is still queued, running, or
    /// finished successfully: wait for it and adopt its output instead of submitting again.
    private func reattach(_ action: StageAction, cancellation: Cancellation) async throws -> ActionResult? {
        guard let entry = registry.entry(forKey: action.key), entry.outputDirectory != action.outputDirectory,
              FileManager.default.fileExists(atPath: entry.outputDirectory) else { return nil }
        guard let job = try monitor.snapshot()[entry.jobID], !job.isFinished || job.state == "COMPLETED" else {
            registry.remove(key: action.key)
            return nil
        }
        let result = try await wait(entry.jobID, key: action.key, cancellation: cancellation)
        if let old = FileContents.read(entry.logPath).map({ Data($0) }), let handle = FileHandle(forWritingAtPath: action.logPath) {
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data("[trellis: re-attached to Slurm job \(entry.jobID)]\n".utf8) + old)
            try? handle.close()
        }
        guard result.succeeded else { return result }
        try FileManager.default.removeItem(atPath: action.outputDirectory)
        try FileManager.default.moveItem(atPath: entry.outputDirectory, toPath: action.outputDirectory)
        return result
    }

    /// The batch script: the stage's environment additions, its folder, then its command (or the
    /// `trellis internal run-builtin` call for an in-process kind).
    private func writeScript(for action: StageAction) throws -> String {
        let staging = (action.outputDirectory as NSString).deletingLastPathComponent
        var text = "#!/bin/bash\n# trellis stage \(action.stage) (key \(action.key.prefix(12)))\n"
        let inherited = ProcessInfo.processInfo.environment
        for (name, value) in action.environment.sorted(by: { $0.key < $1.key }) where inherited[name] != value && Self.isPortableName(name) {
            text += "export \(name)=\(ShellQuote.quote(value))\n"
        }
        text += "cd \(ShellQuote.quote(action.workingDirectory)) || exit 125\n"
        switch action.work {
        case .shell(let command):
            text += command + "\n"
        case .builtin:
            let path = staging + "/builtin.json"
            try BuiltinJob(action)!.write(to: path)
            text += "exec \(ShellQuote.quote(options.trellisBinary)) internal run-builtin \(ShellQuote.quote(path))\n"
        }
        let path = staging + "/job.sh"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func isPortableName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } && !name.first!.isNumber
    }
}
