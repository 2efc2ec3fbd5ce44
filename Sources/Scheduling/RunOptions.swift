import Foundation

public struct RunOptions: Sendable {
    /// Stage or instance names; empty means every stage.
    public var targets: [String] = []
    /// Cores shared by the stages running at once.
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    public var memoryBytes: Int64 = Int64(ProcessInfo.processInfo.physicalMemory)
    public var gpus: Int = 0
    /// Rerun the targets even when their output is cached.
    public var force = false
    /// After a failure, finish every stage that does not depend on it.
    public var keepGoing = false
    /// Stages go to a cluster scheduler (Slurm): `jobs` bounds the jobs out at once, and the
    /// cluster, not this machine, must have the cores, memory and GPUs.
    public var remoteExecution = false
    /// Recorded with the run.
    public var arguments: [String] = CommandLine.arguments
    /// How often running stages' progress files are checked, in seconds.
    public var progressInterval = 0.5

    public init() {}
}

/// How a run ended.
public struct RunSummary: Sendable {
    public var runID: Int64?
    public var total = 0
    public var fresh = 0
    public var executed: [String] = []
    public var cached: [String] = []
    public var failed: [(stage: String, message: String)] = []
    public var skipped: [String] = []
    /// Stages that could have run but were not started because an earlier failure stopped the run.
    public var notStarted: [String] = []
    public var interrupted = false
    /// Cache decisions made (each instance that became ready is examined once; a test counts them).
    public var examinations = 0

    public var succeeded: Bool { failed.isEmpty && !interrupted }
}

public enum SchedulerError: Error, CustomStringConvertible {
    case invalidConfig(stage: String, location: String, problem: String)
    case needsGPUs(stage: String, requested: Int, available: Int)

    public var description: String {
        switch self {
        case .invalidConfig(let stage, let location, let problem): return "\(location): stage '\(stage)': \(problem)"
        case .needsGPUs(let stage, let requested, let available):
            return "stage '\(stage)' needs \(requested) GPU(s); this run has \(available) (set --gpus, or run it with --executor slurm)"
        }
    }
}
