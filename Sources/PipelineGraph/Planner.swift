import ParallelLoops
import CanonicalJSON
import ContentDigest
import PipelineSpec

/// Where a stage stands.
public enum StageState: String, Sendable, Codable {
    /// Its key is in the action cache: nothing to do.
    case fresh
    /// It succeeded before, but an ingredient changed (or an upstream must rerun first).
    case stale
    /// It has never succeeded.
    case missing
    /// Its last execution with this key failed.
    case failed
}

/// What the run database remembers of a stage, as far as planning needs it.
public struct StageHistory: Sendable {
    public var latestKey: String
    public var latestFailed: Bool
    /// Canonical JSON of the key components of the last success; parsed only when a reason is needed.
    public var lastSuccessComponentsText: String?

    public var lastSuccessComponents: JSONValue? { lastSuccessComponentsText.flatMap { try? JSONValue.parse($0) } }

    public init(latestKey: String, latestFailed: Bool, lastSuccessComponents: JSONValue?) {
        self.init(latestKey: latestKey, latestFailed: latestFailed, lastSuccessComponentsText: lastSuccessComponents?.canonicalString)
    }

    public init(latestKey: String, latestFailed: Bool, lastSuccessComponentsText: String?) {
        self.latestKey = latestKey; self.latestFailed = latestFailed; self.lastSuccessComponentsText = lastSuccessComponentsText
    }
}

/// Everything the planner reads, passed in so that planning is a pure function.
public struct PlanInputs {
    public var actionCache: [String: Digest]
    public var history: [String: StageHistory]
    public var kindIdentity: (String) -> KindIdentity?
    public var environment: [String: String]
    /// Digest of a declared dependency (absolute path); throws when it is missing.
    public var fileDigest: (String) throws -> Digest
    /// Whether an output tree is still in the store (a lost tree is a miss, never served).
    public var treeExists: (Digest) -> Bool
    /// Instances to treat as stale whatever the cache says (`--force`).
    public var forced: Set<String> = []

    public init(actionCache: [String: Digest], history: [String: StageHistory], kindIdentity: @escaping (String) -> KindIdentity?,
                environment: [String: String], fileDigest: @escaping (String) throws -> Digest, treeExists: @escaping (Digest) -> Bool) {
        self.actionCache = actionCache; self.history = history; self.kindIdentity = kindIdentity
        self.environment = environment; self.fileDigest = fileDigest; self.treeExists = treeExists
    }
}

/// The plan for one instance.
public struct PlanEntry: Sendable {
    public var instance: StageInstance
    public var state: StageState
    /// Nil while an upstream still has to run (its output, hence this key, is not known yet).
    public var key: Digest?
    public var components: JSONValue?
    public var tree: Digest?
    public var reasons: [String]
    public var pendingUpstreams: [String]
}

public enum PlanError: Error, CustomStringConvertible {
    case missingDependency(stage: String, path: String, location: SourceLocation)
    /// A builtin stage's `with` block its kind refuses.
    case invalidConfig(stage: String, location: SourceLocation, problem: String)

    public var description: String {
        switch self {
        case .missingDependency(let stage, let path, let location):
            return "\(location): stage '\(stage)' depends on '\(path)', which does not exist"
        case .invalidConfig(let stage, let location, let problem):
            return "\(location): stage '\(stage)': \(problem)"
        }
    }

    public var hint: String {
        switch self {
        case .missingDependency: return "create the file, or fix the path in 'deps' (paths are relative to the manifest)"
        case .invalidConfig: return "each kind's `with` fields and their defaults are listed where it is defined, in Sources/StageKinds/"
        }
    }
}

public enum Planner {
    /// A declared dependency's path: absolute as written, else relative to the manifest's folder.
    public static func absolutePath(of dep: LocatedString, in directory: String) -> String {
        dep.value.hasPrefix("/") ? dep.value : directory + "/" + dep.value
    }

    /// Plans `instances` (upstream-first): keys where they can be known, states, and reasons.
    ///
    /// Instances are planned level by level (level = longest path from an instance with no
    /// upstream in the plan); the instances of one level depend only on earlier levels, so each
    /// level is planned on all cores. The result does not depend on the core count. When several
    /// dependencies are missing, the error names the first in plan order of the lowest level.
    public static func plan(_ instances: [StageInstance], directory: String, inputs: PlanInputs) throws -> [PlanEntry] {
        var position: [String: Int] = [:]
        position.reserveCapacity(instances.count)
        for (i, instance) in instances.enumerated() { position[instance.name] = i }
        var level = [Int](repeating: 0, count: instances.count)
        var levels: [[Int]] = []
        for (i, instance) in instances.enumerated() {
            for name in instance.upstream { if let u = position[name] { level[i] = max(level[i], level[u] + 1) } }
            if level[i] == levels.count { levels.append([]) }
            levels[level[i]].append(i)
        }
        var entries = [PlanEntry?](repeating: nil, count: instances.count)
        // What a downstream needs of a planned upstream: its output tree, when it is fresh.
        var freshTree: [String: Digest] = [:]
        for members in levels {
            let trees = freshTree
            let results = ParallelLoop.map(count: members.count, inlineBelow: 32) { j in
                Result { try planOne(instances[members[j]], directory: directory, inputs: inputs, freshTree: trees) }
            }
            for (j, result) in results.enumerated() {
                let entry = try result.get()
                if entry.state == .fresh, let tree = entry.tree { freshTree[entry.instance.name] = tree }
                entries[members[j]] = entry
            }
        }
        return entries.map { $0! }
    }

    /// One instance, given the output trees of its upstreams known so far: those fresh at planning,
    /// or, in a run, those that have finished. The run loop calls this as upstreams finish, so every
    /// key — planned or run — comes from here and from `StageKey.components(of:…)` alone.
    public static func planOne(_ instance: StageInstance, directory: String, inputs: PlanInputs, freshTree: [String: Digest]) throws -> PlanEntry {
        var upstream: [String: Digest] = [:]
        var pending: [String] = []
        for name in instance.upstream {
            if let tree = freshTree[name] { upstream[name] = tree } else { pending.append(name) }
        }
        let components = try StageKey.components(of: instance, directory: directory, upstream: upstream, kindIdentity: inputs.kindIdentity,
                                                 environment: inputs.environment, fileDigest: inputs.fileDigest)
        let history = inputs.history[instance.name]
        var entry = PlanEntry(instance: instance, state: .missing, key: nil, components: components, tree: nil, reasons: [], pendingUpstreams: pending)
        if pending.isEmpty {
            let key = StageKey.key(components: components)
            entry.key = key
            if let tree = inputs.actionCache[key.hex], inputs.treeExists(tree), !inputs.forced.contains(instance.name) {
                entry.state = .fresh
                entry.tree = tree
            } else if inputs.forced.contains(instance.name) {
                entry.state = .stale
                entry.reasons = ["forced"]
            } else if let history, history.latestKey == key.hex, history.latestFailed {
                entry.state = .failed
                entry.reasons = ["its last execution with these inputs failed"]
            } else if inputs.actionCache[key.hex] != nil {
                entry.state = .stale
                entry.reasons = ["its stored output is missing from the store"]
            }
        }
        if entry.state != .fresh && entry.state != .failed && entry.reasons.isEmpty {
            if let old = history?.lastSuccessComponents {
                entry.state = .stale
                entry.reasons = KeyDiff.reasons(old: old, new: components, pendingUpstreams: pending)
                if entry.reasons.isEmpty { entry.reasons = ["inputs are unchanged but the output is not in the store (collected or verified corrupt)"] }
            } else {
                entry.state = .missing
                entry.reasons = ["never ran successfully"]
            }
        }
        return entry
    }
}
