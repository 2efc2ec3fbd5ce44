import CanonicalJSON

/// Text whose output-folder references are bound only when the stage runs: the stage key sees
/// the symbolic form (`${out}`, `${NAME.out}`), never a path that differs run to run.
public struct BoundText: Hashable, Sendable {
    public enum Piece: Hashable, Sendable {
        case text(String)
        case ownOutput
        case output(of: String)
    }

    public var pieces: [Piece]

    /// The form that enters the stage key; literal `${` is written `$${`.
    public var symbolic: String {
        pieces.map { piece in
            switch piece {
            case .text(let t): return t.utf8.contains(UInt8(ascii: "$")) ? t.replacingOccurrences(of: "${", with: "$${") : t
            case .ownOutput: return "${out}"
            case .output(let name): return "${\(name).out}"
            }
        }.joined()
    }

    /// The text with real folders in place of the references.
    public func render(ownOutput: String, outputs: [String: String]) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let t): return t
            case .ownOutput: return ownOutput
            case .output(let name): return outputs[name] ?? "${\(name).out}"
            }
        }.joined()
    }
}

/// One runnable node of the graph: a stage, or one member of a matrix stage, with every
/// `${params…}` and `${matrix…}` reference resolved.
public struct StageInstance: Sendable {
    public enum Action: Sendable {
        case shell(command: BoundText)
        /// `config` strings may hold symbolic output references; see `BuiltinConfig.bind`.
        case builtin(kind: String, config: JSONValue)
    }

    /// Unique name: `stage`, or `stage[axis=value,…]` for a matrix member.
    public var name: String
    /// The stage it was expanded from.
    public var stage: String
    public var location: SourceLocation
    public var coordinates: [String: JSONValue]
    public var action: Action
    /// Upstream instance names, in declaration order.
    public var upstream: [String]
    /// Declared input files and folders, relative to the manifest's folder.
    public var deps: [LocatedString]
    /// The params this stage references (dotted path → resolved value): only these enter its key.
    public var params: [String: JSONValue]
    public var env: [String: String]
    public var passEnv: [String]
    public var resources: Resources
    public var salt: String?
    public var publish: String?
    public var description: String?
}

/// A manifest with its matrices expanded: what the graph and the planner work on.
public struct Experiment: Sendable {
    public var manifest: Manifest
    /// Every instance, upstreams before downstreams.
    public var instances: [StageInstance]
    public var index: [String: Int]

    public init(manifest: Manifest, instances: [StageInstance]) {
        self.manifest = manifest
        self.instances = instances
        var index: [String: Int] = [:]
        for (i, instance) in instances.enumerated() { index[instance.name] = i }
        self.index = index
    }

    public subscript(name: String) -> StageInstance? { index[name].map { instances[$0] } }

    /// Instances of `stage` (the stage itself, or all its matrix members).
    public func members(of stage: String) -> [StageInstance] { instances.filter { $0.stage == stage } }
}

import Foundation

extension JSONValue {
    /// Binds the symbolic output references that `with` strings may hold (see `BoundText.symbolic`).
    public func bindingOutputs(own: String, outputs: [String: String]) -> JSONValue {
        switch self {
        case .string(let s):
            guard s.contains("${") else { return self }
            var text = s.replacingOccurrences(of: "$${", with: "\u{0}")
            text = text.replacingOccurrences(of: "${out}", with: own)
            for (name, path) in outputs { text = text.replacingOccurrences(of: "${\(name).out}", with: path) }
            return .string(text.replacingOccurrences(of: "\u{0}", with: "${"))
        case .array(let items): return .array(items.map { $0.bindingOutputs(own: own, outputs: outputs) })
        case .object(let members): return .object(members.mapValues { $0.bindingOutputs(own: own, outputs: outputs) })
        default: return self
        }
    }
}
