import CanonicalJSON
import ContentStore
import Execution
import Foundation
import PipelineGraph
import PipelineSpec
import RunDatabase

/// The run loop: plan, then dispatch every instance whose upstreams are done — a cache hit at
/// once, a miss to the executor when the resource pool has room — and record each ending.
/// A failure stops its dependents; without `keepGoing` nothing new starts after one.
public final class Scheduler: @unchecked Sendable {
    let workspace: Workspace
    let graph: StageGraph
    let executor: any Executor
    let builtins: BuiltinRegistry
    let reporter: any RunReporter
    let options: RunOptions
    let cancellation: Cancellation

    public init(workspace: Workspace, graph: StageGraph, executor: any Executor, builtins: BuiltinRegistry,
                reporter: any RunReporter, options: RunOptions, cancellation: Cancellation) {
        self.workspace = workspace; self.graph = graph; self.executor = executor; self.builtins = builtins
        self.reporter = reporter; self.options = options; self.cancellation = cancellation
    }

    public func run() async throws -> RunSummary {
        // Held until the run returns: `gc --apply` waits for it (or refuses) meanwhile.
        let lease = try StoreLease.shared(workspace.layout)
        defer { withExtendedLifetime(lease) {} }
        try workspace.database.closeAbandonedRuns()
        try workspace.removeAbandonedStaging()
        let targets = try graph.resolve(targets: options.targets)
        let instances = graph.closure(of: targets)
        try validate(instances)
        let forced: Set<String> = options.force ? Set(targets.isEmpty ? instances.map(\.name) : targets) : []
        let initial = try workspace.plan(graph, targets: options.targets, kindIdentity: builtins.identity(of:), forced: forced)
        var summary = RunSummary()
        summary.total = initial.count
        let freshAtStart = Set(initial.filter { $0.state == .fresh }.map(\.instance.name))
        reporter.report(.planned(total: initial.count, fresh: freshAtStart.count, toRun: initial.count - freshAtStart.count))
        if freshAtStart.count == initial.count {
            summary.fresh = initial.count
            for entry in initial where entry.instance.publish != nil {
                if let problem = publish(entry.instance, tree: entry.tree!) {
                    summary.failed.append((entry.instance.name, problem))
                    reporter.report(.failed(stage: entry.instance.name, message: problem, logTail: ""))
                }
            }
            return summary
        }

        let runID = try workspace.database.beginRun(experiment: graph.experiment.manifest.name, manifest: graph.experiment.manifest.file, arguments: options.arguments)
        summary.runID = runID
        let hasher = DependencyHasher(cache: workspace.digestCache, excluded: [workspace.layout.root])
        let runner = StageRunner(workspace: workspace, executor: executor, hasher: hasher, runID: runID, experiment: graph.experiment.manifest.name,
                                 manifestDirectory: graph.experiment.manifest.directory, cancellation: cancellation)
        let loop = RunLoop(scheduler: self, instances: instances, runID: runID, runner: runner, hasher: hasher,
                           forced: forced, freshAtStart: freshAtStart, reasons: Dictionary(uniqueKeysWithValues: initial.map { ($0.instance.name, $0.reasons) }))
        await loop.run(into: &summary)
        if cancellation.isCancelled { summary.interrupted = true }
        loop.settleUnstarted(into: &summary)
        if !summary.notStarted.isEmpty && !summary.interrupted {
            reporter.report(.note("\(summary.notStarted.count) stage(s) not started after the failure (--keep-going runs them)"))
        }
        try workspace.database.saveDigestCache(workspace.digestCache)
        try workspace.database.endRun(runID, status: summary.interrupted ? "interrupted" : summary.failed.isEmpty ? "succeeded" : "failed")
        return summary
    }

    // MARK: - Pieces

    /// The key of a ready instance (all upstreams finished), with the snapshots of its dependencies
    /// that the stage's run is checked against afterwards.
    func keyOf(_ instance: StageInstance, upstream: [String: Digest], hasher: DependencyHasher) throws -> (Digest, JSONValue, [String: DependencySnapshot]) {
        var snapshots: [String: DependencySnapshot] = [:]
        let components = try StageKey.components(of: instance, directory: graph.experiment.manifest.directory, upstream: upstream,
                                                 kindIdentity: builtins.identity(of:), environment: ProcessInfo.processInfo.environment) { path in
            let snapshot = try hasher.snapshot(path)
            snapshots[path] = snapshot
            return snapshot.digest
        }
        return (StageKey.key(components: components), components, snapshots)
    }

    /// A usable cached output for `key`, or nil. An output that downstream stages in this run (or
    /// a `publish` path) will read is checked out now, so a corrupt one becomes a miss, not an input.
    func hit(_ instance: StageInstance, key: Digest, inClosure: Set<String>) throws -> Digest? {
        guard let tree = try workspace.database.action(key: key.hex), workspace.trees.contains(tree) else { return nil }
        let needed = instance.publish != nil || (graph.downstreams[instance.name] ?? []).contains { inClosure.contains($0) }
        if needed {
            do { _ = try workspace.trees.materialize(tree) } catch {
                reporter.report(.note("\(instance.name): stored output unusable (\(error)); rebuilding"))
                try workspace.database.forgetAction(key: key.hex)
                return nil
            }
        }
        return tree
    }

    func requestOf(_ instance: StageInstance) -> ResourceRequest {
        ResourceRequest(cores: instance.resources.cores, memoryBytes: instance.resources.memoryBytes,
                        gpus: instance.resources.gpus, timeLimitSeconds: instance.resources.timeLimitSeconds,
                        partition: instance.resources.partition)
    }

    private func validate(_ instances: [StageInstance]) throws {
        for instance in instances {
            if !options.remoteExecution, instance.resources.gpus > options.gpus {
                throw SchedulerError.needsGPUs(stage: instance.name, requested: instance.resources.gpus, available: options.gpus)
            }
            guard case .builtin(let kind, let config) = instance.action else { continue }
            guard let implementation = builtins[kind] else {
                throw SchedulerError.invalidConfig(stage: instance.name, location: instance.location.description, problem: "unknown kind '\(kind)'")
            }
            do { try implementation.validate(config: config) } catch {
                throw SchedulerError.invalidConfig(stage: instance.name, location: instance.location.description, problem: "\(error)")
            }
        }
    }

    /// Links `publish: PATH` to the stage's checkout; the reason when it cannot (the run then fails).
    func publish(_ instance: StageInstance, tree: Digest) -> String? {
        guard let path = instance.publish else { return nil }
        do {
            let checkout = try workspace.trees.materialize(tree)
            try Publisher.link(graph.experiment.manifest.directory + "/" + path, to: checkout, outputs: workspace.layout.outputs)
            return nil
        } catch {
            return "cannot publish \(path): \(error)"
        }
    }
}
