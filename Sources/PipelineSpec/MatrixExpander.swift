import CanonicalJSON

/// Expands matrices and resolves interpolation: `Manifest` → `Experiment`.
///
/// A stage that needs a matrix stage fans out per member (it inherits the upstream's axes);
/// `needs: [STAGE[*]]` aggregates all members into one instance. Sizes are checked before
/// anything is expanded, so a huge grid is refused at once.
public struct MatrixExpander {
    public var maxInstances = 200_000

    public init() {}

    struct Axis { var name: String; var values: [JSONValue] }

    public func expand(_ manifest: Manifest) throws -> Experiment {
        let stageNames = Set(manifest.stages.map(\.name))
        var upstreamsOf: [String: [StageSpec.Need]] = [:]
        for spec in manifest.stages { upstreamsOf[spec.name] = try Self.upstreamStages(of: spec, known: stageNames) }
        let order = try StageOrder.topological(manifest.stages, referencesOf: { upstreamsOf[$0.name]! })
        let params = manifest.params.json
        var axesOf: [String: [Axis]] = [:]
        var membersOf: [String: [(coordinates: [String: JSONValue], name: String)]] = [:]
        // Every member to resolve, upstream stages first: (index of its spec, name, coordinates).
        var pending: [(spec: Int, name: String, coordinates: [String: JSONValue])] = []
        var total = 0
        var firstNamed: [String: SourceLocation] = [:]

        for index in order {
            let spec = manifest.stages[index]
            let upstream = upstreamsOf[spec.name]!
            // Axes: inherited from fanned-out upstreams first, then the stage's own.
            var axes: [Axis] = []
            for need in upstream where !need.allMembers {
                for axis in axesOf[need.stage] ?? [] {
                    if let existing = axes.first(where: { $0.name == axis.name }) {
                        guard existing.values == axis.values else {
                            throw ManifestError.invalidValue(need.location, field: "needs", reason: "axis '\(axis.name)' has different values in the upstream stages of '\(spec.name)'")
                        }
                    } else {
                        axes.append(axis)
                    }
                }
            }
            for axis in spec.matrix {
                if axes.contains(where: { $0.name == axis.name }) {
                    throw ManifestError.invalidValue(axis.location, field: "matrix.\(axis.name)", reason: "the axis is already inherited from an upstream matrix stage")
                }
                axes.append(Axis(name: axis.name, values: axis.values))
            }
            let count = axes.reduce(1) { $0.multipliedReportingOverflow(by: $1.values.count).partialValue }
            total += count
            guard count <= maxInstances, total <= maxInstances else {
                throw ManifestError.expansionTooLarge(spec.location, stage: spec.name, instances: count, limit: maxInstances)
            }
            axesOf[spec.name] = axes
            var members: [(coordinates: [String: JSONValue], name: String)] = []
            for combination in Self.product(axes) {
                var coordinates: [String: JSONValue] = [:]
                for (axis, value) in zip(axes, combination) { coordinates[axis.name] = value }
                let name = axes.isEmpty ? spec.name : "\(spec.name)[" + zip(axes, combination).map { "\($0.name)=\($1.displayText)" }.joined(separator: ",") + "]"
                if let first = firstNamed[name] {
                    throw ManifestError.duplicateStage(spec.location, name: name, first: first)
                }
                firstNamed[name] = spec.location
                pending.append((index, name, coordinates))
                members.append((coordinates, name))
            }
            membersOf[spec.name] = members
        }
        // Names and coordinates are all known now: resolve every member's references on all
        // cores (each resolution reads only `membersOf`); the first failure in order is reported.
        let known = membersOf
        let stages = manifest.stages
        let resolved = ParallelMap.map(pending.count) { i in
            let (spec, name, coordinates) = pending[i]
            let resolver = ReferenceResolver(params: params, coordinates: coordinates, stageNames: stageNames) { stage, all in
                let candidates = known[stage] ?? []
                if all { return candidates.map(\.name) }
                let matching = candidates.filter { member in member.coordinates.allSatisfy { coordinates[$0.key] == $0.value } }
                return matching.map(\.name)
            }
            return Result { try resolver.instance(of: stages[spec], name: name) }
        }
        let instances = try resolved.map { try $0.get() }
        try Self.checkPublishPaths(instances)
        return Experiment(manifest: manifest, instances: instances)
    }

    /// Upstream stages of a spec: `needs` plus every `${STAGE.out}` it references.
    static func upstreamStages(of spec: StageSpec, known: Set<String>) throws -> [StageSpec.Need] {
        var needs = spec.needs
        for (text, location) in ReferenceResolver.templateStrings(of: spec) {
            for reference in try Template(parsing: text, at: location).references {
                if let (stage, all) = Template.outputReference(reference), !needs.contains(where: { $0.stage == stage }) {
                    needs.append(.init(stage: stage, allMembers: all, location: location))
                }
            }
        }
        for need in needs where !known.contains(need.stage) {
            throw ManifestError.undefinedReference(need.location, reference: need.stage, suggestion: Suggestion.closest(to: need.stage, among: known.sorted()))
        }
        return needs
    }

    static func product(_ axes: [Axis]) -> [[JSONValue]] {
        axes.reduce([[]]) { partial, axis in partial.flatMap { prefix in axis.values.map { prefix + [$0] } } }
    }

    static func checkPublishPaths(_ instances: [StageInstance]) throws {
        var owners: [(path: String, stage: String, location: SourceLocation)] = []
        for instance in instances {
            guard let path = instance.publish else { continue }
            let normalized = path.hasSuffix("/") ? String(path.dropLast()) : path
            if let clash = owners.first(where: { $0.path == normalized || normalized.hasPrefix($0.path + "/") || $0.path.hasPrefix(normalized + "/") }) {
                throw ManifestError.duplicateOutput(instance.location, path: normalized, stages: [clash.stage, instance.name])
            }
            owners.append((normalized, instance.name, instance.location))
        }
    }
}
