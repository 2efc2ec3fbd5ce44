import ParallelLoops
import CanonicalJSON

/// Expands matrices and resolves interpolation: `Manifest` → `Experiment`.
///
/// A stage that needs a matrix stage fans out per member (it inherits the upstream's axes);
/// `needs: [STAGE[*]]` aggregates all members into one instance. Sizes are checked before
/// anything is expanded, so a huge grid is refused at once; the text that expansion creates
/// (member names, substituted strings) is bounded by an `InterpolationBudget`.
public struct MatrixExpander {
    public var maxInstances = 200_000
    /// All member names and substituted strings together, in bytes.
    public var maxInterpolatedBytes = 48 << 20
    /// One substituted string (a command, an env value, a `with` string…), in bytes.
    public var maxInterpolatedStringBytes = 1 << 20

    public init() {}

    struct Axis { var name: String; var values: [JSONValue] }

    public func expand(_ manifest: Manifest) throws -> Experiment {
        let stageNames = Set(manifest.stages.map(\.name))
        var upstreamsOf: [String: [StageSpec.Need]] = [:]
        for spec in manifest.stages { upstreamsOf[spec.name] = try Self.upstreamStages(of: spec, known: stageNames) }
        let order = try StageOrder.topological(manifest.stages, referencesOf: { upstreamsOf[$0.name]! })
        let params = manifest.params.json
        let budget = InterpolationBudget(maxTotal: maxInterpolatedBytes, maxPerString: maxInterpolatedStringBytes)
        var axesOf: [String: [Axis]] = [:]
        var membersOf: [String: [String]] = [:]
        // Per stage: its members' names by their values along the stage's axes (fan-out lookups).
        var membersAt: [String: [[JSONValue]: [String]]] = [:]
        // Every member to resolve, upstream stages first: (index of its spec, name, coordinates).
        var pending: [(spec: Int, name: String, coordinates: [String: JSONValue])] = []
        var total = 0
        var firstNamed: [String: SourceLocation] = [:]

        // Sizes first, for every stage, so that a huge grid is refused before anything is built.
        for index in order {
            let spec = manifest.stages[index]
            let axes = try Self.axes(of: spec, upstream: upstreamsOf[spec.name]!, axesOf: axesOf)
            let count = try instanceCount(axes, of: spec)
            guard count <= maxInstances - total else {
                throw ManifestError.expansionTooLarge(spec.location, stage: spec.name, instances: count, limit: maxInstances)
            }
            total += count
            axesOf[spec.name] = axes
        }
        for index in order {
            let spec = manifest.stages[index]
            let axes = axesOf[spec.name]!
            var members: [String] = []
            var at: [[JSONValue]: [String]] = [:]
            for combination in Self.product(axes) {
                var coordinates: [String: JSONValue] = [:]
                for (axis, value) in zip(axes, combination) { coordinates[axis.name] = value }
                let name = axes.isEmpty ? spec.name : "\(spec.name)[" + zip(axes, combination).map { "\($0.name)=\($1.displayText)" }.joined(separator: ",") + "]"
                if !axes.isEmpty { try budget.charge(name.utf8.count, at: spec.location, instance: spec.name) }
                if let first = firstNamed[name] {
                    throw ManifestError.duplicateStage(spec.location, name: name, first: first)
                }
                firstNamed[name] = spec.location
                pending.append((index, name, coordinates))
                members.append(name)
                if !axes.isEmpty { at[combination, default: []].append(name) }
            }
            membersOf[spec.name] = members
            membersAt[spec.name] = at
        }
        // Names and coordinates are all known now: resolve every member's references on all
        // cores (each resolution reads only `membersOf`); the first failure in order is reported.
        let (known, knownAt, knownAxes) = (membersOf, membersAt, axesOf)
        let stages = manifest.stages
        let instances = try ParallelLoop.mapThrowing(count: pending.count, inlineBelow: 32) { i in
            let (spec, name, coordinates) = pending[i]
            let resolver = ReferenceResolver(params: params, coordinates: coordinates, stageNames: stageNames,
                                             instanceName: name, budget: budget) { stage, all in
                // A stage without axes has one member, which every dependent reads.
                if all || (knownAxes[stage] ?? []).isEmpty { return known[stage] ?? [] }
                // The members whose coordinates agree with this one on all of the stage's axes.
                var key: [JSONValue] = []
                for axis in knownAxes[stage] ?? [] {
                    guard let value = coordinates[axis.name] else { return [] }
                    key.append(value)
                }
                return knownAt[stage]?[key] ?? []
            }
            return try resolver.instance(of: stages[spec], name: name)
        }
        try PublishPath.checkDistinct(instances)
        return Experiment(manifest: manifest, instances: instances)
    }

    /// Axes of a stage: inherited from fanned-out upstreams first, then the stage's own.
    static func axes(of spec: StageSpec, upstream: [StageSpec.Need], axesOf: [String: [Axis]]) throws -> [Axis] {
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
        return axes
    }

    /// The product of the axis sizes, or `Int.max` when it does not fit; refused above `maxInstances`.
    private func instanceCount(_ axes: [Axis], of spec: StageSpec) throws -> Int {
        var count = 1
        for axis in axes {
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow else {
                throw ManifestError.expansionTooLarge(spec.location, stage: spec.name, instances: Int.max, limit: maxInstances)
            }
            count = product
        }
        guard count <= maxInstances else {
            throw ManifestError.expansionTooLarge(spec.location, stage: spec.name, instances: count, limit: maxInstances)
        }
        return count
    }

    /// Upstream stages of a spec: `needs` plus every `${STAGE.out}` it references.
    static func upstreamStages(of spec: StageSpec, known: Set<String>) throws -> [StageSpec.Need] {
        var needs = spec.needs
        var named = Set(needs.map(\.stage))
        for (text, location) in ReferenceResolver.templateStrings(of: spec) {
            for reference in try Template(parsing: text, at: location).references {
                if let (stage, all) = Template.outputReference(reference), named.insert(stage).inserted {
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
}
