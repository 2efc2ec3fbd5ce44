import PipelineSpec

/// The DAG of stage instances. Instances arrive upstream-first from `MatrixExpander`.
public struct StageGraph: Sendable {
    public let experiment: Experiment
    /// Instance name → names of its direct downstreams.
    public let downstreams: [String: [String]]

    public init(_ experiment: Experiment) {
        self.experiment = experiment
        var down: [String: [String]] = [:]
        for instance in experiment.instances {
            for up in instance.upstream { down[up, default: []].append(instance.name) }
        }
        downstreams = down
    }

    public var instances: [StageInstance] { experiment.instances }

    /// Resolves target names (a stage name means all its members) to instance names.
    public func resolve(targets: [String]) throws -> [String] {
        var result: [String] = []
        for target in targets {
            if experiment[target] != nil {
                result.append(target)
            } else if case let members = experiment.members(of: target), !members.isEmpty {
                result += members.map(\.name)
            } else {
                let names = Array(Set(experiment.instances.map(\.stage))).sorted()
                throw GraphError.unknownTarget(target, suggestion: Suggestion.closest(to: target, among: names))
            }
        }
        return result
    }

    /// The targets and all their ancestors, upstream-first. No targets means every instance.
    public func closure(of targets: [String]) -> [StageInstance] {
        guard !targets.isEmpty else { return instances }
        var needed = Set<String>()
        var stack = targets
        while let name = stack.popLast() {
            guard needed.insert(name).inserted, let instance = experiment[name] else { continue }
            stack += instance.upstream
        }
        return instances.filter { needed.contains($0.name) }
    }

    /// Every instance downstream of `name` (transitively).
    public func descendants(of name: String) -> Set<String> {
        var seen = Set<String>()
        var stack = downstreams[name] ?? []
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack += downstreams[next] ?? [] }
        }
        return seen
    }
}

public enum GraphError: Error, CustomStringConvertible {
    case unknownTarget(String, suggestion: String?)

    public var description: String {
        switch self {
        case .unknownTarget(let t, let s): return "no stage named '\(t)'" + (s.map { " (did you mean '\($0)'?)" } ?? "")
        }
    }
}
