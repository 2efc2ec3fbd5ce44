import CanonicalJSON

/// What a stage asks of the machine (cores, memory, GPUs, time), as the executors see it.
public struct ResourceRequest: Hashable, Sendable {
    public var cores: Int
    public var memoryBytes: Int64
    public var gpus: Int
    public var timeLimitSeconds: Int?
    /// Slurm partition (ignored locally).
    public var partition: String?

    public init(cores: Int = 1, memoryBytes: Int64 = 0, gpus: Int = 0, timeLimitSeconds: Int? = nil, partition: String? = nil) {
        self.cores = cores; self.memoryBytes = memoryBytes; self.gpus = gpus; self.timeLimitSeconds = timeLimitSeconds; self.partition = partition
    }
}

/// One stage execution, fully bound: real folders in place of `${out}` / `${STAGE.out}`.
public struct StageAction: Sendable {
    public enum Work: Sendable {
        case shell(command: String)
        case builtin(kind: String, config: JSONValue)

        /// The builtin kind's name; nil for a shell command.
        public var kindName: String? { if case .builtin(let kind, _) = self { return kind }; return nil }
    }

    public var stage: String
    /// The matrix stage this instance is a member of (members of one group may go as one Slurm array).
    public var group: String?
    public var key: String
    public var work: Work
    /// Commands run here (the manifest's folder).
    public var workingDirectory: String
    /// A fresh, empty staging folder: the stage's `${out}`.
    public var outputDirectory: String
    /// Upstream instance name → its read-only output folder.
    public var upstreamOutputs: [String: String]
    /// The complete environment of a shell stage.
    public var environment: [String: String]
    /// stdout and stderr (or a builtin's log lines) go here.
    public var logPath: String
    /// Where the stage reports how far it is (`StageProgress` lines; `$TRELLIS_PROGRESS` for shell
    /// stages). Nil: progress is not collected.
    public var progressPath: String?
    public var resources: ResourceRequest
    /// A folder that outlives a failed or killed attempt of this stage key (checkpoints to resume
    /// from); removed once the key succeeds. Nil: the stage gets none.
    public var resumeDirectory: String?

    public init(stage: String, key: String, work: Work, workingDirectory: String, outputDirectory: String,
                upstreamOutputs: [String: String], environment: [String: String], logPath: String, resources: ResourceRequest) {
        self.stage = stage; self.key = key; self.work = work; self.workingDirectory = workingDirectory
        self.outputDirectory = outputDirectory; self.upstreamOutputs = upstreamOutputs; self.environment = environment
        self.logPath = logPath; self.resources = resources
    }
}

/// How an execution ended.
public struct ActionResult: Sendable {
    public enum Ending: Sendable, Equatable {
        case succeeded
        case failed(exitCode: Int32)
        case signalled(Int32)
        case cancelled
        case timedOut(seconds: Int)
        case error(String)
    }

    public var ending: Ending
    public var cpuSeconds: Double
    public var peakMemoryBytes: Int64
    /// Which kernels a builtin stage ran (CPU tier, BLAS core), as its child process reported; nil otherwise.
    public var numericPath: String?

    public init(ending: Ending, cpuSeconds: Double = 0, peakMemoryBytes: Int64 = 0) {
        self.ending = ending; self.cpuSeconds = cpuSeconds; self.peakMemoryBytes = peakMemoryBytes
    }

    public var succeeded: Bool { ending == .succeeded }

    public var exitCode: Int32? {
        switch ending {
        case .succeeded: return 0
        case .failed(let code): return code
        case .signalled(let s): return 128 + s
        default: return nil
        }
    }

    public var summary: String {
        switch ending {
        case .succeeded: return "succeeded"
        case .failed(let code): return "exited with status \(code)"
        case .signalled(let s): return "killed by signal \(s)"
        case .cancelled: return "cancelled"
        case .timedOut(let s): return "exceeded its time limit of \(s) s"
        case .error(let message): return message
        }
    }
}

/// Runs one stage action. The scheduler owns ordering, caching and recording; an executor only runs.
public protocol Executor: Sendable {
    func run(_ action: StageAction, cancellation: Cancellation) async -> ActionResult
}
