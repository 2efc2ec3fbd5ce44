import CanonicalJSON
import ContentStore
import Execution
import Foundation
import PipelineGraph
import PipelineSpec
import RunDatabase

/// The store (`artifacts/`) and its run database, opened together: what every command works on.
public final class Workspace: @unchecked Sendable {
    public let layout: StoreLayout
    public let database: RunDatabase
    public let trees: TreeStore
    public let digestCache: DigestCache

    public init(storeRoot: String) throws {
        layout = StoreLayout(root: storeRoot)
        try layout.create()
        database = try RunDatabase(path: layout.database)
        digestCache = try database.loadDigestCache()
        trees = TreeStore(layout: layout, cache: digestCache)
    }

    /// The staging folder of execution `execution` of run `run`: `${out}` is its `out/`, and its
    /// `log` and `progress.jsonl` are read while the stage runs.
    public func stagingPath(run: Int64, execution: Int64) -> String { "\(layout.work)/run\(run)-e\(execution)" }

    /// The stages of `experiment` running now, with what each last reported of its progress (read
    /// from its staging folder, which is where a Slurm job writes too).
    public func runningStages(experiment: String) throws -> [(execution: RunningExecution, progress: StageProgress?)] {
        try database.runningExecutions(experiment: experiment).map { e in
            (e, ProgressFile.last(ProgressFile.path(staging: stagingPath(run: e.runID, execution: e.id))))
        }
    }

    /// Removes the staging folders (`work/runN-eM`) of runs that are no longer going (killed, crashed):
    /// call after `closeAbandonedRuns`. Folders of live runs, on any host, stay, and so do those of
    /// Slurm jobs still registered (a restarted run re-attaches to them).
    public func removeAbandonedStaging() throws {
        // Listed before the live runs are read: a folder in the listing belongs to a run that had
        // begun (its row is written before its first folder) by the time the runs are read.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.work)) ?? []
        let live = Set(try database.activeRunIDs().map { "run\($0)-" })
        let jobs = SlurmJobRegistry.outputDirectories(stateDirectory: layout.slurmState)
        for name in names {
            // `verify-PID-…` (a `verify --rerun` in progress) and `spare-PID-…` (a run's recycled
            // staging folders) are kept while their process lives.
            if name.hasPrefix("verify-") || name.hasPrefix("spare-"), let pid = name.split(separator: "-").dropFirst().first.flatMap({ Int32($0) }), kill(pid, 0) == 0 || errno == EPERM { continue }
            guard let dash = name.firstIndex(of: "-"), !live.contains(String(name[...dash])) else { continue }
            let folder = layout.work + "/" + name
            if jobs.contains(where: { $0.hasPrefix(folder + "/") }) { continue }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// The store for a manifest: the nearest folder at or above the manifest's that holds an
    /// `artifacts/` folder, else `artifacts/` beside the manifest.
    public static func defaultStoreRoot(forManifestDirectory directory: String) -> String {
        var current = directory
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current + "/artifacts", isDirectory: &isDirectory), isDirectory.boolValue {
                return current + "/artifacts"
            }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return directory + "/artifacts" }
            current = parent
        }
    }

    /// What planning reads from the database and the store.
    public func planInputs(experiment: Experiment, kindIdentity: @escaping (String) -> KindIdentity?, rehash: Bool = false,
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PlanInputs {
        let hasher = DependencyHasher(cache: digestCache, rehashAll: rehash, excluded: [layout.root])
        let trees = self.trees
        return PlanInputs(
            actionCache: try database.actionCache(), history: try history(experiment: experiment.manifest.name),
            kindIdentity: kindIdentity, environment: environment,
            fileDigest: { try hasher.snapshot($0).digest }, treeExists: { trees.contains($0) })
    }

    public func history(experiment: String) throws -> [String: StageHistory] {
        try database.stageHistory(experiment: experiment).mapValues { h in
            StageHistory(latestKey: h.latestKey, latestFailed: h.latestStatus == .failed || h.latestStatus == .tainted,
                         lastSuccessComponentsText: h.successComponents)
        }
    }

    /// Plans the targets (and their ancestors) of an experiment, then persists what the stat cache learned.
    public func plan(_ graph: StageGraph, targets: [String], kindIdentity: @escaping (String) -> KindIdentity?, rehash: Bool = false,
                     forced: Set<String> = []) throws -> [PlanEntry] {
        var inputs = try planInputs(experiment: graph.experiment, kindIdentity: kindIdentity, rehash: rehash)
        inputs.forced = forced
        let entries = try Planner.plan(graph.closure(of: try graph.resolve(targets: targets)), directory: graph.experiment.manifest.directory, inputs: inputs)
        try database.saveDigestCache(digestCache)
        return entries
    }
}

extension BuiltinRegistry {
    /// A kind's version, code digests and defaults, what its stage keys carry; nil for a kind this binary lacks.
    public func identity(of kind: String) -> KindIdentity? {
        self[kind].map { implementation in
            KindIdentity(version: implementation.version, code: implementation.codeDigests, resolve: { try implementation.resolved(config: $0) })
        }
    }
}
