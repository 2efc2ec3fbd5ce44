import CanonicalJSON
import FileIO
import Foundation

/// Runs shell stages as processes, and builtin stages as child processes of their own
/// (`trellisBinary internal run-builtin JOB`: own process group, own CPU time and peak memory, a
/// crash fails that stage alone, cancellation kills it) or, without a binary, in this process.
public struct LocalExecutor: Executor {
    public let builtins: BuiltinRegistry
    /// The `trellis` executable that runs builtin stages as children; nil runs them in this process.
    public let trellisBinary: String?

    public init(builtins: BuiltinRegistry, trellisBinary: String? = nil) {
        self.builtins = builtins
        self.trellisBinary = trellisBinary
    }

    public func run(_ action: StageAction, cancellation: Cancellation) async -> ActionResult {
        switch action.work {
        case .shell(let command):
            return await ProcessRunner.run(command: command, workingDirectory: action.workingDirectory, environment: action.environment,
                                           logPath: action.logPath, timeLimitSeconds: action.resources.timeLimitSeconds, cancellation: cancellation)
        case .builtin where trellisBinary != nil:
            return await runChild(action, binary: trellisBinary!, cancellation: cancellation)
        case .builtin(let kindName, let config):
            guard let kind = builtins[kindName] else { return ActionResult(ending: .error("unknown stage kind '\(kindName)'")) }
            let log = LogFile(path: action.logPath)
            let context = BuiltinContext(stage: action.stage, outputDirectory: action.outputDirectory, workingDirectory: action.workingDirectory,
                                         upstreamOutputs: action.upstreamOutputs, cores: action.resources.cores,
                                         resumeDirectory: action.resumeDirectory, cancellation: cancellation,
                                         log: { log.append($0) },
                                         progress: { [path = action.progressPath] in if let path { ProgressFile.append($0, to: path) } })
            let start = CPUClock.processSeconds()
            do {
                try await kind.run(config: config, context: context)
                if cancellation.isCancelled { return ActionResult(ending: .cancelled) }
                return ActionResult(ending: .succeeded, cpuSeconds: CPUClock.processSeconds() - start, peakMemoryBytes: CPUClock.peakMemoryBytes())
            } catch {
                log.append("error: \(error)")
                if cancellation.isCancelled { return ActionResult(ending: .cancelled) }
                return ActionResult(ending: .error("\(error)"), cpuSeconds: CPUClock.processSeconds() - start)
            }
        }
    }
}

extension LocalExecutor {
    /// A builtin stage as a child process: the job is written beside the log, and the child runs it
    /// with the stage's environment (`TRELLIS_CORES` sizes the engine's threads there).
    private func runChild(_ action: StageAction, binary: String, cancellation: Cancellation) async -> ActionResult {
        let jobPath = (action.logPath as NSString).deletingLastPathComponent + "/builtin-job.json"
        do { try BuiltinJob(action)!.write(to: jobPath) } catch {
            return ActionResult(ending: .error("cannot write the builtin job \(jobPath): \(error)"))
        }
        var environment = action.environment
        environment["TRELLIS_CORES"] = String(action.resources.cores)
        let command = "exec \(ShellQuote.quote(binary)) internal run-builtin \(ShellQuote.quote(jobPath))"
        var result = await ProcessRunner.run(command: command, workingDirectory: action.workingDirectory, environment: environment,
                                             logPath: action.logPath, timeLimitSeconds: action.resources.timeLimitSeconds, cancellation: cancellation)
        result.numericPath = (try? String(contentsOfFile: BuiltinJob.numericPathFile(forJob: jobPath), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // The child reports its own failure in the log; the exit status only says that it failed.
        // A crash (a trap, a failed precondition) takes that child alone, named with the runtime's line.
        switch result.ending {
        case .failed:
            if let reason = Self.lastLine(in: action.logPath, where: { $0.hasPrefix("error: ") }) { result.ending = .error(String(reason.dropFirst(7))) }
        case .signalled(let signal):
            let fatal = Self.lastLine(in: action.logPath) { $0.contains("Fatal error") || $0.contains("Precondition failed") || $0.contains("Assertion failed") }
            result.ending = .error("the stage's process crashed (signal \(signal)\(fatal.map { ": " + $0 } ?? ""))")
        default: break
        }
        return result
    }

    /// The last line of the log that `matches` (within its last 256 KB).
    static func lastLine(in logPath: String, where matches: (Substring) -> Bool) -> String? {
        guard let data = FileContents.tail(logPath, maxBytes: 256 << 10) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").last(where: matches).map(String.init)
    }
}

/// Appends lines to a log file (thread-safe).
final class LogFile: @unchecked Sendable {
    private let handle: FileHandle?
    private let lock = NSLock()

    init(path: String) {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
    }

    deinit { try? handle?.close() }

    func append(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        try? handle?.write(contentsOf: Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }
}

/// CPU time and peak memory of this process (for builtin stages, which share it).
public enum CPUClock {
    public static func processSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    public static func peakMemoryBytes() -> Int64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int64(usage.ru_maxrss) * 1024
    }
}
