import CanonicalJSON
import Foundation

/// Runs shell stages as processes and builtin stages in this process.
public struct LocalExecutor: Executor {
    public let builtins: BuiltinRegistry

    public init(builtins: BuiltinRegistry) { self.builtins = builtins }

    public func run(_ action: StageAction, cancellation: Cancellation) async -> ActionResult {
        switch action.work {
        case .shell(let command):
            return await ProcessRunner.run(command: command, workingDirectory: action.workingDirectory, environment: action.environment,
                                           logPath: action.logPath, timeLimitSeconds: action.resources.timeLimitSeconds, cancellation: cancellation)
        case .builtin(let kindName, let config):
            guard let kind = builtins[kindName] else { return ActionResult(ending: .error("unknown stage kind '\(kindName)'")) }
            let log = LogFile(path: action.logPath)
            let context = BuiltinContext(stage: action.stage, outputDirectory: action.outputDirectory, workingDirectory: action.workingDirectory,
                                         upstreamOutputs: action.upstreamOutputs, cores: action.resources.cores,
                                         resumeDirectory: action.resumeDirectory, cancellation: cancellation,
                                         log: { log.append($0) })
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
