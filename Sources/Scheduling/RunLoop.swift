import CanonicalJSON
import ContentStore
import Execution
import Foundation
import PipelineGraph
import PipelineSpec

/// The mutable state of one run: which instances wait, run, are done or broken; the ready queue
/// (instances whose upstreams have all finished, in graph order); and the resource pool.
/// Each instance is looked at when it becomes ready, so a run costs O(stages + edges).
final class RunLoop {
    enum NodeState {
        case waiting, running, done(tree: Digest, key: String), failed, skipped
        var isBroken: Bool { switch self { case .failed, .skipped: return true; default: return false } }
    }

    private let scheduler: Scheduler
    private let instances: [StageInstance]
    private let runID: Int64
    private let runner: StageRunner
    private let hasher: DependencyHasher
    private let forced: Set<String>
    private let freshAtStart: Set<String>
    private let reasons: [String: [String]]
    private let inClosure: Set<String>
    private var states: [String: NodeState] = [:]
    private var remainingUpstreams: [String: Int] = [:]
    private var ready: [String] = []
    private var readyHead = 0
    /// Ready, but waiting for room in the pool; tried first, in order.
    private var deferred: [String] = []
    private var computedKeys: [String: (Digest, JSONValue, [String: DependencySnapshot])] = [:]
    private var pool: ResourcePool
    private var running: [String: (request: ResourceRequest, gpus: [Int], key: String)] = [:]
    private var stopDispatching = false

    init(scheduler: Scheduler, instances: [StageInstance], runID: Int64, runner: StageRunner, hasher: DependencyHasher,
         forced: Set<String>, freshAtStart: Set<String>, reasons: [String: [String]]) {
        self.scheduler = scheduler; self.instances = instances; self.runID = runID; self.runner = runner; self.hasher = hasher
        self.forced = forced; self.freshAtStart = freshAtStart; self.reasons = reasons
        inClosure = Set(instances.map(\.name))
        pool = scheduler.options.remoteExecution
            ? ResourcePool(slots: scheduler.options.jobs)
            : ResourcePool(cores: scheduler.options.jobs, memoryBytes: scheduler.options.memoryBytes, gpus: scheduler.options.gpus)
        for instance in instances {
            states[instance.name] = .waiting
            remainingUpstreams[instance.name] = instance.upstream.count
            if instance.upstream.isEmpty { ready.append(instance.name) }
        }
    }

    private var experimentName: String { scheduler.graph.experiment.manifest.name }

    func run(into summary: inout RunSummary) async {
        await withTaskGroup(of: StageRunner.Result.self) { group in
            while true {
                if scheduler.cancellation.isCancelled { stopDispatching = true }
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
                scheduler.reporter.report(.skipped(stage: instance.name, because: "an upstream failed"))
            } else {
                summary.notStarted.append(instance.name)
            }
        }
    }

    // MARK: - Dispatch

    private func dispatchReady(into summary: inout RunSummary, group: inout TaskGroup<StageRunner.Result>) {
        var progressed = true
        while progressed && !stopDispatching {
            progressed = false
            let candidates = deferred + ready[readyHead...]
            deferred = []
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
            for (i, name) in candidates.enumerated() {
                if stopDispatching { deferred += candidates[i...]; break }
                switch consider(name, into: &summary, group: &group) {
                case .waitsForRoom: deferred.append(name)
                case .handled: progressed = true
                }
            }
            if readyHead < ready.count { progressed = true }
        }
    }

    private enum Consideration { case handled, waitsForRoom }

    private func consider(_ name: String, into summary: inout RunSummary, group: inout TaskGroup<StageRunner.Result>) -> Consideration {
        let instance = scheduler.graph.experiment[name]!
        if instance.upstream.contains(where: { states[$0]!.isBroken }) {
            states[name] = .skipped
            summary.skipped.append(name)
            scheduler.reporter.report(.skipped(stage: name, because: "an upstream failed"))
            release(dependentsOf: name)
            return .handled
        }
        var upstreamTrees: [String: Digest] = [:], upstreamKeys: [String: String] = [:]
        for up in instance.upstream {
            if case .done(let tree, let key) = states[up]! { upstreamTrees[up] = tree; upstreamKeys[up] = key }
        }
        do {
            if computedKeys[name] == nil { computedKeys[name] = try scheduler.keyOf(instance, upstream: upstreamTrees, hasher: hasher) }
            let (key, components, snapshots) = computedKeys[name]!
            if !forced.contains(name), let tree = try scheduler.hit(instance, key: key, inClosure: inClosure) {
                if freshAtStart.contains(name) { summary.fresh += 1 } else {
                    try scheduler.workspace.database.recordCacheHit(run: runID, experiment: experimentName, stage: name,
                                                                    key: key.hex, components: components, tree: tree)
                    summary.cached.append(name)
                    scheduler.reporter.report(.cached(stage: name))
                }
                markDone(name, tree: tree, key: key.hex)
                published(instance, tree: tree, into: &summary)
                return .handled
            }
            let request = scheduler.requestOf(instance)
            guard pool.fits(request) else { return .waitsForRoom }
            let gpus = pool.acquire(request)
            running[name] = (request, gpus, key.hex)
            states[name] = .running
            scheduler.reporter.report(.started(stage: name, reasons: reasons[name] ?? []))
            let job = StageRunner.Job(instance: instance, key: key, components: components, dependencies: snapshots,
                                      upstreamTrees: upstreamTrees, upstreamKeys: upstreamKeys, gpus: gpus,
                                      resources: pool.clamped(request), force: forced.contains(name))
            let runner = self.runner
            group.addTask { await runner.execute(job) }
        } catch {
            fail(name, message: "\(error)", logTail: "", into: &summary)
        }
        return .handled
    }

    // MARK: - Completion

    private func finish(_ result: StageRunner.Result, into summary: inout RunSummary) {
        guard let finished = running.removeValue(forKey: result.name) else { return }
        pool.release(finished.request, gpus: finished.gpus)
        let instance = scheduler.graph.experiment[result.name]!
        switch result.outcome {
        case .succeeded(let tree, let digest):
            summary.executed.append(result.name)
            scheduler.reporter.report(.succeeded(stage: result.name, seconds: result.seconds, files: tree.fileCount, bytes: tree.totalSize))
            markDone(result.name, tree: digest, key: finished.key)
            published(instance, tree: digest, into: &summary)
        case .cachedByOther(let digest):
            summary.cached.append(result.name)
            scheduler.reporter.report(.cached(stage: result.name))
            markDone(result.name, tree: digest, key: finished.key)
            published(instance, tree: digest, into: &summary)
        case .failed(let message, let tail):
            fail(result.name, message: message, logTail: tail, into: &summary)
        case .interrupted:
            states[result.name] = .failed
            summary.interrupted = true
            scheduler.reporter.report(.interrupted(stage: result.name))
        }
    }

    /// A stage's output is stored; a `publish` path that cannot be linked fails the run (the
    /// stored output and its dependents are unaffected).
    private func published(_ instance: StageInstance, tree: Digest, into summary: inout RunSummary) {
        guard let problem = scheduler.publish(instance, tree: tree) else { return }
        summary.failed.append((instance.name, problem))
        scheduler.reporter.report(.failed(stage: instance.name, message: problem, logTail: ""))
    }

    private func markDone(_ name: String, tree: Digest, key: String) {
        states[name] = .done(tree: tree, key: key)
        release(dependentsOf: name)
    }

    private func fail(_ name: String, message: String, logTail: String, into summary: inout RunSummary) {
        states[name] = .failed
        summary.failed.append((name, message))
        scheduler.reporter.report(.failed(stage: name, message: message, logTail: logTail))
        if !scheduler.options.keepGoing { stopDispatching = true }
        release(dependentsOf: name)
    }

    /// One upstream of each dependent has finished; those with none left become ready.
    private func release(dependentsOf name: String) {
        for next in scheduler.graph.downstreams[name] ?? [] where inClosure.contains(next) {
            remainingUpstreams[next]! -= 1
            if remainingUpstreams[next] == 0 { ready.append(next) }
        }
    }
}
