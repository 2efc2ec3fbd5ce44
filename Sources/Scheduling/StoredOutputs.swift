import ContentStore
import Foundation
import PipelineGraph
import PipelineSpec

/// What a run does with outputs already in the store: serves one for a key, and links `publish`
/// paths to them.
struct StoredOutputs {
    let workspace: Workspace
    let graph: StageGraph
    let reporter: any RunReporter

    /// The cached output `stored` for `key` if it is usable, or nil. An output that downstream stages
    /// in this run (or a `publish` path) will read is checked out now, so a corrupt one becomes a
    /// miss, not an input.
    func usable(_ instance: StageInstance, key: Digest, stored: Digest?, inClosure: Set<String>) throws -> Digest? {
        guard let tree = stored, workspace.trees.contains(tree) else { return nil }
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

/// The snapshots of declared dependencies taken while keys were computed: a stage's run is checked
/// against exactly the contents its key was computed from. Safe to use from the planner's threads.
final class DependencySnapshots: @unchecked Sendable {
    private let hasher: DependencyHasher
    private let lock = NSLock()
    private var taken: [String: DependencySnapshot] = [:]

    init(hasher: DependencyHasher) { self.hasher = hasher }

    /// The digest a key uses for `path` (absolute), its snapshot kept.
    func digest(_ path: String) throws -> Digest {
        if let known = lock.withLock({ taken[path] }) { return known.digest }
        let snapshot = try hasher.snapshot(path)
        lock.withLock { taken[path] = snapshot }
        return snapshot.digest
    }

    /// The snapshots of `instance`'s declared dependencies (absolute path → snapshot).
    func of(_ instance: StageInstance, directory: String) -> [String: DependencySnapshot] {
        lock.withLock {
            var result: [String: DependencySnapshot] = [:]
            for dep in instance.deps {
                let path = Planner.absolutePath(of: dep, in: directory)
                result[path] = taken[path]
            }
            return result
        }
    }
}
