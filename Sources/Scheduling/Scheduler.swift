import CanonicalJSON
import ContentStore
import Execution
import Foundation
import PipelineGraph
import PipelineSpec
import RunDatabase

/// A run: validate, plan (keys of the instances whose upstreams are fresh), then hand the plan to
/// the run loop, which plans the rest as their upstreams finish and dispatches them.
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
        // One hasher and one set of plan inputs for the whole run: the keys planned now and those the
        // run loop plans as upstreams finish come from the same function and the same snapshots.
        let hasher = DependencyHasher(cache: workspace.digestCache, excluded: [workspace.layout.root])
        let snapshots = DependencySnapshots(hasher: hasher)
        var inputs = try workspace.planInputs(experiment: graph.experiment, kindIdentity: builtins.identity(of:))
        inputs.fileDigest = snapshots.digest
        inputs.forced = forced
        var initial = try Planner.plan(instances, directory: graph.experiment.manifest.directory, inputs: inputs)
        try workspace.database.saveDigestCache(workspace.digestCache)
        let outputs = StoredOutputs(workspace: workspace, graph: graph, reporter: reporter)
        var summary = RunSummary()
        summary.total = initial.count
        let freshCount = initial.filter { $0.state == .fresh }.count
        reporter.report(.planned(total: initial.count, fresh: freshCount, toRun: initial.count - freshCount))
        if freshCount == initial.count {
            summary.fresh = initial.count
            for entry in initial where entry.instance.publish != nil {
                if let problem = outputs.publish(entry.instance, tree: entry.tree!) {
                    summary.failed.append((entry.instance.name, problem))
                    reporter.report(.failed(stage: entry.instance.name, message: problem, logTail: ""))
                }
            }
            return summary
        }

        let runID = try workspace.database.beginRun(experiment: graph.experiment.manifest.name, manifest: graph.experiment.manifest.file, arguments: options.arguments)
        summary.runID = runID
        let stagingPool = StagingPool(work: workspace.layout.work)
        defer { stagingPool.drain() }
        let progress = ProgressMonitor(reporter: reporter, interval: options.progressInterval)
        defer { progress.stop() }
        let runner = StageRunner(workspace: workspace, executor: executor, hasher: hasher, runID: runID, experiment: graph.experiment.manifest.name,
                                 manifestDirectory: graph.experiment.manifest.directory, cancellation: cancellation, stagingPool: stagingPool,
                                 progress: progress)
        let loop = RunLoop(plan: initial, inputs: inputs, snapshots: snapshots, graph: graph, outputs: outputs, runner: runner,
                           database: workspace.database, runID: runID, reporter: reporter, options: options, cancellation: cancellation)
        initial = []   // the loop holds the plan now, and frees each entry once its instance is examined
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
}
