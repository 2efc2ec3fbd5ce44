import CanonicalJSON
import ContentStore
import Execution
import Foundation
import PipelineGraph
import PipelineSpec
import RunDatabase

/// The mutable state of one run: which instances wait, run, are done or broken; the ready queue
/// (instances whose upstreams have all finished, in graph order); and the resource pool.
/// Each instance is looked at when it becomes ready, so a run costs O(stages + edges). Its key is
/// the planner's: from the initial plan when its upstreams were fresh then, else planned now by
/// `Planner.planOne` with the output trees its upstreams produced in this run.
final class RunLoop {
    enum NodeState {
        case waiting, running, done(tree: Digest, key: String), failed, skipped
        var isBroken: Bool { switch self { case .failed, .skipped: return true; default: return false } }
    }

    private let graph: StageGraph
    private let inputs: PlanInputs
    private let snapshots: DependencySnapshots
    private let outputs: StoredOutputs
    private let runner: StageRunner
    private let database: RunDatabase
    private let runID: Int64
    private let reporter: any RunReporter
    private let options: RunOptions
    private let cancellation: Cancellation
    private let instances: [StageInstance]
    /// The initial plan; an entry with pending upstreams is replaced when it becomes ready.
    private var entries: [String: PlanEntry]
    private let freshAtStart: Set<String>
    /// The output trees of the instances fresh at planning, which the planned keys were computed from.
    private let plannedTrees: [String: Digest]
    private let inClosure: Set<String>
    private var states: [String: NodeState] = [:]
    private var remainingUpstreams: [String: Int] = [:]
    /// Instances whose upstreams have all finished, not yet examined (each is examined once).
    private var ready: [String] = []
    private var readyHead = 0
    /// Examined misses waiting for room in the pool.
    private var waiting = WaitingQueue<Prepared>()
    private var pool: ResourcePool
    private var running: [String: (request: ResourceRequest, gpus: [Int], key: String)] = [:]
    private var stopDispatching = false
    /// Keys this run stored or reused (key → tree): an instance with a key met earlier in the run hits.
    private var storedActions: [String: Digest] = [:]

    init(plan: [PlanEntry], inputs: PlanInputs, snapshots: DependencySnapshots, graph: StageGraph, outputs: StoredOutputs, runner: StageRunner,
         database: RunDatabase, runID: Int64, reporter: any RunReporter, options: RunOptions, cancellation: Cancellation) {
        self.inputs = inputs; self.snapshots = snapshots; self.graph = graph; self.outputs = outputs; self.runner = runner
        self.database = database; self.runID = runID; self.reporter = reporter; self.options = options; self.cancellation = cancellation
        instances = plan.map(\.instance)
        entries = Dictionary(uniqueKeysWithValues: plan.map { ($0.instance.name, $0) })
        freshAtStart = Set(plan.filter { $0.state == .fresh }.map(\.instance.name))
        plannedTrees = Dictionary(uniqueKeysWithValues: plan.compactMap { e in e.state == .fresh ? e.tree.map { (e.instance.name, $0) } : nil })
        inClosure = Set(instances.map(\.name))
        pool = options.remoteExecution
            ? ResourcePool(slots: options.jobs)
            : ResourcePool(cores: options.jobs, memoryBytes: options.memoryBytes, gpus: options.gpus)
        for instance in instances {
            states[instance.name] = .waiting
            remainingUpstreams[instance.name] = instance.upstream.count
            if instance.upstream.isEmpty { ready.append(instance.name) }
        }
    }

    private var experimentName: String { graph.experiment.manifest.name }

    func run(into summary: inout RunSummary) async {
        await withTaskGroup(of: StageRunner.Result.self) { group in
            while true {
                if cancellation.isCancelled { stopDispatching = true }
                if !stopDispatching { dispatchReady(into: &summary, group: &group) }
                guard !running.isEmpty, let result = await group.next() else { break }
                finish(result, into: &summary)
            }
        }
    }

    /// Instances that never started: dependents of a failure (skipped) and, after a fail-fast
    /// stop or an interruption, the rest (not started).
    func settleUnstarted(into summary: inout RunSummary) {
        for instance in instances {
            guard case .waiting = states[instance.name]! else { continue }
            if instance.upstream.contains(where: { states[$0]!.isBroken }) {
                states[instance.name] = .skipped
                summary.skipped.append(instance.name)
                reporter.report(.skipped(stage: instance.name, because: "an upstream failed"))
            } else {
                summary.notStarted.append(instance.name)
            }
        }
    }

    // MARK: - Dispatch

    /// A miss, ready to start once the pool has room.
    private struct Prepared {
        var instance: StageInstance
        var entry: PlanEntry
        var upstreamTrees: [String: Digest]
        var upstreamKeys: [String: String]
    }

    /// Examines every newly ready instance once (skip, cache hit, or a miss that waits for room),
    /// then starts waiting misses while the pool has room. Work per completion is O(newly ready
    /// instances + distinct resource requests), independent of how many stages wait.
    private func dispatchReady(into summary: inout RunSummary, group: inout TaskGroup<StageRunner.Result>) {
        while !stopDispatching {
            if readyHead < ready.count {
                let name = ready[readyHead]
                readyHead += 1
                examine(name, into: &summary)
                continue
            }
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
            guard let (prepared, request) = waiting.popFirst(where: { pool.fits($0) }) else { return }
            start(prepared, request: request, group: &group)
        }
    }

    private func examine(_ name: String, into summary: inout RunSummary) {
        summary.examinations += 1
        let instance = graph.experiment[name]!
        if instance.upstream.contains(where: { states[$0]!.isBroken }) {
            states[name] = .skipped
            summary.skipped.append(name)
            reporter.report(.skipped(stage: name, because: "an upstream failed"))
            release(dependentsOf: name)
            return
        }
        var upstreamTrees: [String: Digest] = [:], upstreamKeys: [String: String] = [:]
        for up in instance.upstream {
            if case .done(let tree, let key) = states[up]! { upstreamTrees[up] = tree; upstreamKeys[up] = key }
        }
        do {
            // The planned key holds if every upstream produced the tree planning assumed (an upstream
            // whose stored output proved unusable at dispatch ran again, perhaps to another tree).
            if entries[name]!.key == nil || instance.upstream.contains(where: { plannedTrees[$0] != upstreamTrees[$0] }) {
                entries[name] = try Planner.planOne(instance, directory: graph.experiment.manifest.directory, inputs: inputs, freshTree: upstreamTrees)
            }
            // Examined once: the entry (key components, reasons) is not needed after this.
            let entry = entries.removeValue(forKey: name)!
            let key = entry.key!
            // The action cache as loaded at planning, plus what this run stored since; a run beside
            // this one that stores the key meanwhile is found by the runner under the key's lock.
            if !inputs.forced.contains(name), let tree = try outputs.usable(instance, key: key, stored: storedActions[key.hex] ?? inputs.actionCache[key.hex], inClosure: inClosure) {
                if freshAtStart.contains(name) { summary.fresh += 1 } else {
                    try database.recordCacheHit(run: runID, experiment: experimentName, stage: name, key: key.hex, components: entry.components!, tree: tree)
                    summary.cached.append(name)
                    reporter.report(.cached(stage: name))
                }
                markDone(name, tree: tree, key: key.hex)
                published(instance, tree: tree, into: &summary)
                return
            }
            waiting.append(Prepared(instance: instance, entry: entry, upstreamTrees: upstreamTrees, upstreamKeys: upstreamKeys), request: instance.resourceRequest)
        } catch {
            fail(name, message: "\(error)", logTail: "", into: &summary)
        }
    }

    private func start(_ p: Prepared, request: ResourceRequest, group: inout TaskGroup<StageRunner.Result>) {
        let name = p.instance.name, key = p.entry.key!
        let gpus = pool.acquire(request)
        running[name] = (request, gpus, key.hex)
        states[name] = .running
        reporter.report(.started(stage: name, reasons: p.entry.reasons))
        let job = StageRunner.Job(instance: p.instance, key: key, components: p.entry.components!,
                                  dependencies: snapshots.of(p.instance, directory: graph.experiment.manifest.directory),
                                  upstreamTrees: p.upstreamTrees, upstreamKeys: p.upstreamKeys, gpus: gpus,
                                  resources: pool.clamped(request), force: inputs.forced.contains(name))
        let runner = self.runner
        group.addTask { await runner.execute(job) }
    }

    // MARK: - Completion

    private func finish(_ result: StageRunner.Result, into summary: inout RunSummary) {
        guard let finished = running.removeValue(forKey: result.name) else { return }
        pool.release(finished.request, gpus: finished.gpus)
        let instance = graph.experiment[result.name]!
        switch result.outcome {
        case .succeeded(let tree, let digest):
            summary.executed.append(result.name)
            reporter.report(.succeeded(stage: result.name, seconds: result.seconds, files: tree.fileCount, bytes: tree.totalSize))
            markDone(result.name, tree: digest, key: finished.key)
            published(instance, tree: digest, into: &summary)
        case .cachedByOther(let digest):
            summary.cached.append(result.name)
            reporter.report(.cached(stage: result.name))
            markDone(result.name, tree: digest, key: finished.key)
            published(instance, tree: digest, into: &summary)
        case .failed(let message, let tail):
            fail(result.name, message: message, logTail: tail, into: &summary)
        case .interrupted:
            states[result.name] = .failed
            summary.interrupted = true
            reporter.report(.interrupted(stage: result.name))
        }
    }

    /// A stage's output is stored; a `publish` path that cannot be linked fails the run (the
    /// stored output and its dependents are unaffected).
    private func published(_ instance: StageInstance, tree: Digest, into summary: inout RunSummary) {
        guard let problem = outputs.publish(instance, tree: tree) else { return }
        summary.failed.append((instance.name, problem))
        reporter.report(.failed(stage: instance.name, message: problem, logTail: ""))
    }

    private func markDone(_ name: String, tree: Digest, key: String) {
        storedActions[key] = tree
        states[name] = .done(tree: tree, key: key)
        release(dependentsOf: name)
    }

    private func fail(_ name: String, message: String, logTail: String, into summary: inout RunSummary) {
        states[name] = .failed
        summary.failed.append((name, message))
        reporter.report(.failed(stage: name, message: message, logTail: logTail))
        if !options.keepGoing { stopDispatching = true }
        release(dependentsOf: name)
    }

    /// One upstream of each dependent has finished; those with none left become ready.
    private func release(dependentsOf name: String) {
        for next in graph.downstreams[name] ?? [] where inClosure.contains(next) {
            remainingUpstreams[next]! -= 1
            if remainingUpstreams[next] == 0 { ready.append(next) }
        }
    }
}
