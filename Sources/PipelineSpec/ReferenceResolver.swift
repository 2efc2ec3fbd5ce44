import CanonicalJSON

/// Resolves the `${…}` references of one stage instance: params and matrix values become text
/// (or typed values, when a `with` string is a single reference), output folders stay symbolic.
struct ReferenceResolver {
    let params: JSONValue
    let coordinates: [String: JSONValue]
    let stageNames: Set<String>
    /// Instance names that `${STAGE.out}` (false) or `${STAGE[*].out}` (true) stands for.
    let outputsOf: (String, Bool) -> [String]
    /// The instance being resolved (named in errors) and the text budget all members share.
    let instanceName: String
    let budget: InterpolationBudget

    private final class Usage {
        var params: [String: JSONValue] = [:]
        var upstream: [String] = []
        var upstreamSet: Set<String> = []
        func addUpstream(_ name: String) { if upstreamSet.insert(name).inserted { upstream.append(name) } }
    }
    private let usage = Usage()

    init(params: JSONValue, coordinates: [String: JSONValue], stageNames: Set<String>, instanceName: String,
         budget: InterpolationBudget, outputsOf: @escaping (String, Bool) -> [String]) {
        self.params = params
        self.coordinates = coordinates
        self.stageNames = stageNames
        self.instanceName = instanceName
        self.budget = budget
        self.outputsOf = outputsOf
    }

    func instance(of spec: StageSpec, name: String) throws -> StageInstance {
        for need in spec.needs { outputsOf(need.stage, need.allMembers).forEach(usage.addUpstream) }
        let action: StageInstance.Action
        switch spec.body {
        case .shell(let command):
            action = .shell(command: try bind(command.value, at: command.location))
        case .builtin(let kind, let config):
            // Fields a matrix axis sets are left out before resolving: a param they reference
            // could not change any member, so it must not enter the members' keys.
            let axisPaths = spec.matrix.map { $0.name.split(separator: ".").map(String.init) }.filter { coordinates[$0.joined(separator: ".")] != nil }
            var resolved = try config.map { try resolve(node: Self.pruning($0, axisPaths)) } ?? .object([:])
            if case .null = resolved { resolved = .object([:]) }
            guard resolved.objectValue != nil else {
                throw ManifestError.wrongType(config!.location, field: "with", expected: "a mapping", found: resolved.typeName)
            }
            // Every matrix axis of a builtin stage sets the `with` field it names (dots for nesting).
            for (axis, value) in coordinates.sorted(by: { $0.key < $1.key }) where spec.matrix.contains(where: { $0.name == axis }) {
                resolved = resolved.setting(value, at: axis.split(separator: ".").map(String.init)[...])
            }
            action = .builtin(kind: kind.value, config: resolved)
        }
        let deps = try spec.deps.map { LocatedString(try text($0.value, at: $0.location), at: $0.location) }
        let env = try spec.env.mapValues { try text($0.value, at: $0.location) }
        let publish = try spec.publish.map { path -> String in
            let resolved = try text(path.value, at: path.location)
            _ = try PublishPath.normalized(resolved, at: path.location)
            return resolved
        }
        return StageInstance(
            name: name, stage: spec.name, location: spec.location, coordinates: coordinates, action: action,
            upstream: usage.upstream, deps: deps, params: usage.params, env: env, passEnv: spec.passEnv,
            resources: spec.resources, salt: spec.salt, publish: publish, description: spec.description)
    }

    /// `node` without the mapping members at `paths`.
    static func pruning(_ node: SourceNode, _ paths: [[String]]) -> SourceNode {
        guard !paths.isEmpty, case .mapping(let members) = node.content else { return node }
        var kept: [SourceNode.Member] = []
        for var member in members {
            let below = paths.filter { $0.first == member.key }.map { Array($0.dropFirst()) }
            if below.contains(where: \.isEmpty) { continue }
            member.value = pruning(member.value, below)
            kept.append(member)
        }
        return SourceNode(.mapping(kept), at: node.location)
    }

    /// Every string of a spec that may hold references, with its location.
    static func templateStrings(of spec: StageSpec) -> [(String, SourceLocation)] {
        var strings: [(String, SourceLocation)] = spec.deps.map { ($0.value, $0.location) }
        switch spec.body {
        case .shell(let command): strings.append((command.value, command.location))
        case .builtin(_, let config?):
            func walk(_ node: SourceNode) {
                switch node.content {
                case .scalar(.string(let s)): strings.append((s, node.location))
                case .scalar: break
                case .sequence(let items): items.forEach(walk)
                case .mapping(let members): members.forEach { walk($0.value) }
                }
            }
            walk(config)
        case .builtin: break
        }
        return strings
    }

    // MARK: - Resolution

    private func resolve(node: SourceNode) throws -> JSONValue {
        switch node.content {
        case .scalar(.string(let s)):
            let template = try Template(parsing: s, at: node.location)
            if template.pieces.count == 1, case .reference(let r) = template.pieces[0], let value = try typedValue(r, at: node.location) {
                return value
            }
            return .string(try bind(template, at: node.location).symbolic)
        case .scalar(let v): return v
        case .sequence(let items): return .array(try items.map(resolve(node:)))
        case .mapping(let members):
            var object: [String: JSONValue] = [:]
            for m in members { object[m.key] = try resolve(node: m.value) }
            return .object(object)
        }
    }

    /// A single `${params…}` / `${matrix…}` reference keeps its type (a number stays a number).
    /// The value is shared, not copied, but it is charged to the budget at its text size: every
    /// member's configuration is encoded on its own later.
    private func typedValue(_ reference: String, at location: SourceLocation) throws -> JSONValue? {
        if reference.hasPrefix("params.") || reference.hasPrefix("matrix.") {
            let v = try value(of: reference, at: location)
            try budget.charge(rendered(reference, v).utf8.count, at: location, instance: instanceName)
            return v
        }
        if let (stage, all) = Template.outputReference(reference), all {
            let names = try outputs(stage, all: true, at: location)
            try budget.charge(names.reduce(0) { $0 + $1.utf8.count + 7 }, at: location, instance: instanceName)
            return .array(names.map { .string("${\($0).out}") })
        }
        return nil
    }

    /// Text with params and matrix values substituted; no output references allowed.
    private func text(_ s: String, at location: SourceLocation) throws -> String {
        let bound = try bind(try Template(parsing: s, at: location), at: location)
        if bound.pieces.contains(where: { if case .text = $0 { return false }; return true }) {
            throw ManifestError.invalidValue(location, field: "reference", reason: "output folders (${out}, ${STAGE.out}) can only be used in 'run' and 'with'")
        }
        let symbolic = bound.symbolic
        return symbolic.utf8.contains(UInt8(ascii: "$")) ? symbolic.replacingOccurrences(of: "$${", with: "${") : symbolic
    }

    func bind(_ s: String, at location: SourceLocation) throws -> BoundText {
        try bind(try Template(parsing: s, at: location), at: location)
    }

    /// Substitutes a parsed template. Text runs are built in place (never re-copied per piece);
    /// a string with references is checked and charged to the budget as it grows.
    private func bind(_ template: Template, at location: SourceLocation) throws -> BoundText {
        var pieces: [BoundText.Piece] = []
        var run = ""
        var length = 0
        let substitutes = template.pieces.contains { if case .reference = $0 { return true }; return false }
        func grow(_ bytes: Int) throws {
            length += bytes
            if substitutes { try budget.checkString(length, at: location, instance: instanceName) }
        }
        func flush() { if !run.isEmpty { pieces.append(.text(run)); run = "" } }
        for piece in template.pieces {
            switch piece {
            case .literal(let l):
                try grow(l.utf8.count)
                run += l
            case .reference("out"):
                try grow(6)
                flush(); pieces.append(.ownOutput)
            case .reference(let r):
                if let (stage, all) = Template.outputReference(r) {
                    for (i, name) in try outputs(stage, all: all, at: location).enumerated() {
                        if i > 0 { try grow(1); run += " " }
                        try grow(name.utf8.count + 7)
                        flush(); pieces.append(.output(of: name))
                    }
                } else {
                    let text = rendered(r, try value(of: r, at: location))
                    try grow(text.utf8.count)
                    run += text
                }
            }
        }
        flush()
        if pieces.isEmpty { pieces.append(.text("")) }
        if substitutes { try budget.charge(length, at: location, instance: instanceName) }
        return BoundText(pieces: pieces)
    }

    /// A reference's value as text; params are rendered once for all members.
    private func rendered(_ reference: String, _ value: JSONValue) -> String {
        reference.hasPrefix("params.") ? budget.renderedParam(reference, value) : value.displayText
    }

    private func outputs(_ stage: String, all: Bool, at location: SourceLocation) throws -> [String] {
        guard stageNames.contains(stage) else {
            throw ManifestError.undefinedReference(location, reference: "\(stage).out", suggestion: Suggestion.closest(to: stage, among: stageNames.sorted()).map { "\($0).out" })
        }
        let names = outputsOf(stage, all)
        names.forEach(usage.addUpstream)
        return names
    }

    private func value(of reference: String, at location: SourceLocation) throws -> JSONValue {
        if reference.hasPrefix("params.") {
            let path = String(reference.dropFirst("params.".count))
            guard let v = params[path: path.split(separator: ".").map(String.init)] else {
                let known = Self.paths(of: params).map { "params." + $0 }
                throw ManifestError.undefinedReference(location, reference: reference, suggestion: Suggestion.closest(to: reference, among: known))
            }
            usage.params[path] = v
            return v
        }
        if reference.hasPrefix("matrix.") {
            let axis = String(reference.dropFirst("matrix.".count))
            guard let v = coordinates[axis] else {
                throw ManifestError.undefinedReference(location, reference: reference, suggestion: Suggestion.closest(to: reference, among: coordinates.keys.map { "matrix." + $0 }))
            }
            return v
        }
        let candidates = Self.paths(of: params).map { "params." + $0 } + coordinates.keys.map { "matrix." + $0 } + ["out"] + stageNames.sorted().map { "\($0).out" }
        throw ManifestError.undefinedReference(location, reference: reference, suggestion: Suggestion.closest(to: reference, among: candidates))
    }

    static func paths(of value: JSONValue, prefix: String = "") -> [String] {
        guard case .object(let members) = value else { return prefix.isEmpty ? [] : [prefix] }
        var result: [String] = prefix.isEmpty ? [] : [prefix]
        for (k, v) in members { result += paths(of: v, prefix: prefix.isEmpty ? k : prefix + "." + k) }
        return result
    }
}

import Foundation
