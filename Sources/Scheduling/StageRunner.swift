import CanonicalJSON
import ContentStore
import Execution
import FileIO
import Foundation
import PipelineGraph
import PipelineSpec
import RunDatabase

/// Runs one stage instance end to end: key lock, staging folder, upstream checkouts, the executor,
/// then — only on success with unchanged dependencies — ingest the output and record it, all or nothing.
struct StageRunner: @unchecked Sendable {
    struct Job {
        var instance: StageInstance
        var key: Digest
        var components: JSONValue
        var dependencies: [String: DependencySnapshot]
        var upstreamTrees: [String: Digest]
        var upstreamKeys: [String: String]
        var gpus: [Int]
        var resources: ResourceRequest
        /// Run even if the key is (or becomes) cached.
        var force: Bool
    }

    enum Outcome {
        case succeeded(tree: OutputTree, digest: Digest)
        /// Another `trellis run` built the same key meanwhile.
        case cachedByOther(Digest)
        case failed(message: String, logTail: String)
        case interrupted
    }

    struct Result {
        var name: String
        var outcome: Outcome
        var seconds: Double
    }

    let workspace: Workspace
    let executor: any Executor
    let hasher: DependencyHasher
    let runID: Int64
    let experiment: String
    let manifestDirectory: String
    let cancellation: Cancellation
    let stagingPool: StagingPool
    /// Follows the progress file of each stage while its executor runs.
    var progress: ProgressMonitor?

    func execute(_ job: Job) async -> Result {
        let started = Date()
        let outcome = await executeLocked(job)
        return Result(name: job.instance.name, outcome: outcome, seconds: Date().timeIntervalSince(started))
    }

    private func executeLocked(_ job: Job) async -> Outcome {
        var lock = KeyLock.tryAcquire(directory: workspace.layout.locks, key: job.key.hex)
        while lock == nil {
            if cancellation.isCancelled { return .interrupted }
            if !job.force, let tree = try? workspace.database.action(key: job.key.hex), workspace.trees.contains(tree) { return .cachedByOther(tree) }
            try? await Task.sleep(nanoseconds: 200_000_000)
            lock = KeyLock.tryAcquire(directory: workspace.layout.locks, key: job.key.hex)
        }
        defer { lock?.release() }
        if !job.force, let tree = try? workspace.database.action(key: job.key.hex), workspace.trees.contains(tree) { return .cachedByOther(tree) }
        do {
            return try await executeUnderLock(job)
        } catch {
            return .failed(message: "\(error)", logTail: "")
        }
    }

    private func executeUnderLock(_ job: Job) async throws -> Outcome {
        let db = workspace.database
        let executionID = try db.startExecution(run: runID, experiment: experiment, stage: job.instance.name, key: job.key.hex, components: job.components)
        let staging = workspace.stagingPath(run: runID, execution: executionID)
        defer { stagingPool.give(staging) }
        do {
            return try await executeStarted(job, executionID: executionID, staging: staging)
        } catch {
            // Every started execution ends: one whose output could not be stored (a FIFO in it,
            // a full disk) is recorded as failed with the reason, never left 'running'.
            let message = (error as? RecordingFailure).map(\.description) ?? "\(error)"
            try? db.finishExecution(executionID, key: job.key.hex, outcome: ExecutionOutcome(status: .failed, error: message))
            return .failed(message: message, logTail: Self.tail(of: staging + "/log"))
        }
    }

    private func executeStarted(_ job: Job, executionID: Int64, staging: String) async throws -> Outcome {
        let db = workspace.database
        let out = staging + "/out", logPath = staging + "/log"
        try stagingPool.take(staging)

        func finish(_ outcome: ExecutionOutcome) throws {
            do { try db.finishExecution(executionID, key: job.key.hex, outcome: outcome) } catch {
                throw RecordingFailure(stageMessage: outcome.error, underlying: error)
            }
        }

        var upstreamPaths: [String: String] = [:]
        for (name, tree) in job.upstreamTrees {
            do { upstreamPaths[name] = try workspace.trees.materialize(tree) } catch {
                if let key = job.upstreamKeys[name] { try? db.forgetAction(key: key) }
                try? db.forgetActions(tree: tree)
                let message = "the stored output of upstream \(name) is unusable (\(error)); it was dropped from the cache, run again to rebuild it"
                try finish(ExecutionOutcome(status: .failed, error: message))
                return .failed(message: message, logTail: "")
            }
        }
        let action = Self.action(for: job.instance, key: job.key, staging: staging, upstream: upstreamPaths, manifestDirectory: manifestDirectory,
                                 resources: job.resources, gpus: job.gpus, resumeDirectory: workspace.layout.resumePath(key: job.key.hex))
        progress?.watch(stage: job.instance.name, path: ProgressFile.path(staging: staging))
        let result = await executor.run(action, cancellation: cancellation)
        progress?.unwatch(stage: job.instance.name)
        let logTail = Self.tail(of: logPath)
        let log = try? Self.storeLog(logPath, blobs: workspace.trees.blobs)

        // Upstream outputs are immutable to stages: a stage that wrote to one fails, and the store
        // is repaired (damaged checkout removed, damaged blob quarantined, its cache entries dropped).
        if let message = Self.inputTampering(workspace: workspace, upstreamTrees: job.upstreamTrees, upstreamKeys: job.upstreamKeys) {
            try finish(ExecutionOutcome(status: .failed, exitCode: result.exitCode, cpuSeconds: result.cpuSeconds, peakMemoryBytes: result.peakMemoryBytes, log: log, error: message))
            return .failed(message: message, logTail: logTail)
        }
        if case .cancelled = result.ending {
            try finish(ExecutionOutcome(status: .interrupted, cpuSeconds: result.cpuSeconds, peakMemoryBytes: result.peakMemoryBytes, log: log, error: "interrupted"))
            return .interrupted
        }
        guard result.succeeded else {
            try finish(ExecutionOutcome(status: .failed, exitCode: result.exitCode, cpuSeconds: result.cpuSeconds,
                                        peakMemoryBytes: result.peakMemoryBytes, log: log, error: result.summary))
            return .failed(message: result.summary, logTail: logTail)
        }
        // Confirm the inputs did not change while the stage read them (any change of a file's
        // inode, size, mtime or ctime, even one changed back); otherwise the output belongs to no
        // key and is not stored.
        for (path, snapshot) in job.dependencies.sorted(by: { $0.key < $1.key }) where !hasher.isUnchanged(path, since: snapshot) {
            let message = "dependency \(path) changed while the stage ran; its output was not stored (run again)"
            try finish(ExecutionOutcome(status: .tainted, exitCode: 0, cpuSeconds: result.cpuSeconds, peakMemoryBytes: result.peakMemoryBytes, log: log, error: message))
            return .failed(message: message, logTail: logTail)
        }
        let metrics = MetricsReader.read(directory: out)
        let (tree, digest) = try workspace.trees.ingest(directory: out)
        var lineage: [String: (key: String, tree: Digest)] = [:]
        for (name, tree) in job.upstreamTrees { lineage[name] = (job.upstreamKeys[name] ?? "", tree) }
        try finish(ExecutionOutcome(status: .succeeded, exitCode: 0, cpuSeconds: result.cpuSeconds, peakMemoryBytes: result.peakMemoryBytes,
                                    tree: digest, log: log, metrics: metrics, lineage: lineage, numericPath: result.numericPath))
        try? FileManager.default.removeItem(atPath: workspace.layout.resumePath(key: job.key.hex))   // its output is stored now
        return .succeeded(tree: tree, digest: digest)
    }

    /// Checks every upstream checkout the stage was given against its tree; nil when all are intact.
    /// Cost: one `lstat` per upstream file; only files whose signature moved are rehashed.
    static func inputTampering(workspace: Workspace, upstreamTrees: [String: Digest], upstreamKeys: [String: String]) -> String? {
        var problems: [String] = []
        for (name, digest) in upstreamTrees.sorted(by: { $0.key < $1.key }) {
            guard let tree = try? workspace.trees.load(digest) else { continue }
            let damage = workspace.trees.inspectCheckout(digest, tree: tree)
            guard !damage.isEmpty else { continue }
            var line = "\(name) (\(damage))"
            do { try workspace.trees.repair(digest, damage: damage) } catch {
                if let key = upstreamKeys[name] { try? workspace.database.forgetAction(key: key) }
                try? workspace.database.forgetActions(tree: digest)
                line += "; its stored copy was damaged and is dropped: \(name) reruns on the next run"
            }
            problems.append(line)
        }
        guard !problems.isEmpty else { return nil }
        return "the stage changed upstream output it must only read: " + problems.joined(separator: "; ") + " (write to ${out} instead)"
    }

    /// What the executor runs for `instance`: its command or kind with output folders bound, in
    /// `staging/out` with its log at `staging/log`, and the environment every stage gets.
    static func action(for instance: StageInstance, key: Digest, staging: String, upstream: [String: String], manifestDirectory: String,
                       resources: ResourceRequest, gpus: [Int], resumeDirectory: String) -> StageAction {
        let out = staging + "/out"
        let work: StageAction.Work
        switch instance.action {
        case .shell(let command): work = .shell(command: command.render(ownOutput: out, outputs: upstream))
        case .builtin(let kind, let config): work = .builtin(kind: kind, config: config.bindingOutputs(own: out, outputs: upstream))
        }
        // The caller's environment, plus what Trellis tells every stage, plus the stage's `env`.
        var env = ProcessInfo.processInfo.environment
        env["TRELLIS_STAGE"] = instance.name
        env["TRELLIS_OUT"] = out
        env["TRELLIS_KEY"] = key.hex
        env["TRELLIS_CORES"] = String(resources.cores)
        env["TRELLIS_PROGRESS"] = ProgressFile.path(staging: staging)
        if env["OMP_NUM_THREADS"] == nil { env["OMP_NUM_THREADS"] = String(resources.cores) }
        if !gpus.isEmpty { env["CUDA_VISIBLE_DEVICES"] = gpus.map(String.init).joined(separator: ",") }
        for (name, value) in instance.env { env[name] = value }
        var action = StageAction(stage: instance.name, key: key.hex, work: work, workingDirectory: manifestDirectory, outputDirectory: out,
                                 upstreamOutputs: upstream, environment: env, logPath: staging + "/log", resources: resources)
        action.group = instance.coordinates.isEmpty ? nil : instance.stage
        action.progressPath = ProgressFile.path(staging: staging)
        if case .builtin = work { action.resumeDirectory = resumeDirectory }
        return action
    }

    /// Stores the log as a blob. A small one is copied (the file stays, for the staging folder to be
    /// recycled; an empty log is the same blob every time and writes nothing); a large one is moved.
    static func storeLog(_ path: String, blobs: BlobStore) throws -> Digest {
        var st = stat()
        if lstat(path, &st) == 0, st.st_size <= 1 << 20, (st.st_mode & S_IFMT) == S_IFREG, let bytes = FileContents.read(path) {
            return try blobs.put(bytes)
        }
        return try blobs.ingest(file: path).digest
    }

    static func tail(of path: String, lines: Int = 15) -> String {
        guard let data = FileContents.tail(path, maxBytes: 8192) else { return "" }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// The run database refused to record an ending (disk full, damaged file): the stage's own
/// message is kept beside the database's.
struct RecordingFailure: Error, CustomStringConvertible {
    var stageMessage: String?
    var underlying: Error

    var description: String {
        let database = RunDatabaseError.classify(underlying).map { "\($0) (\($0.hint))" } ?? "\(underlying)"
        return "\(stageMessage ?? "the stage ended, but its output was not recorded"); the run database refused the record: \(database)"
    }
}

/// A stage's `metrics.json` (numbers, nested objects flattened with dots) for the run database.
enum MetricsReader {
    static func read(directory: String) -> [String: Double] {
        guard let data = FileContents.read(directory + "/metrics.json"), let value = try? JSONValue.parse(data) else { return [:] }
        var result: [String: Double] = [:]
        func walk(_ v: JSONValue, _ prefix: String) {
            switch v {
            case .int, .double: result[prefix] = v.doubleValue
            case .bool(let b): result[prefix] = b ? 1 : 0
            case .object(let members): for (k, m) in members { walk(m, prefix.isEmpty ? k : prefix + "." + k) }
            default: break
            }
        }
        walk(value, "")
        return result
    }
}
