import CanonicalJSON
import Foundation

/// What an in-process stage gets: its folders, its upstreams, a log, cancellation, its cores.
public struct BuiltinContext: Sendable {
    public var stage: String
    public var outputDirectory: String
    public var workingDirectory: String
    /// Upstream instance name → read-only output folder.
    public var upstreamOutputs: [String: String]
    public var cores: Int
    /// Outlives failed or killed attempts of this stage key (checkpoints to resume from); the
    /// scheduler deletes it when the key succeeds. Nil when the executor offers none.
    public var resumeDirectory: String?
    public var cancellation: Cancellation
    /// Appends a line to the stage's log.
    public var log: @Sendable (String) -> Void
    /// Reports how far the stage is (a line of its progress file; see `StageProgress`). Cheap, but
    /// meant for a few calls a second at most: once per log interval, every few percent of the input.
    public var progress: @Sendable (StageProgress) -> Void = { _ in }
}

/// A builtin stage kind (`kind: NAME` + `with:`). Later capabilities (corpus, tokenizer, train,
/// eval, plan) implement this. `version` enters every stage key of the kind: bump it whenever
/// the kind's outputs for the same inputs change.
public protocol BuiltinKind: Sendable {
    var name: String { get }
    var version: Int { get }
    /// Digests of the code the kind runs (file or target → SHA-256 of its sources); they enter
    /// every key of the kind, so editing that code and rebuilding reruns its stages.
    var codeDigests: [String: String] { get }
    /// Checks `config` before anything runs; throw `BuiltinConfigError` naming the field.
    func validate(config: JSONValue) throws
    /// `config` with every default written out (throws as `validate` does). The stage's key carries
    /// this, not the block as written: leaving a default out or writing it explicitly is the same
    /// stage, and a default changed in code changes the key (through the code digests as well).
    /// Decoding the resolved block gives the same settings as decoding `config`.
    func resolved(config: JSONValue) throws -> JSONValue
    func run(config: JSONValue, context: BuiltinContext) async throws
}

extension BuiltinKind {
    public func validate(config: JSONValue) throws {}
    /// For kinds without defaults: the block as written, once it validates.
    public func resolved(config: JSONValue) throws -> JSONValue {
        try validate(config: config)
        return config
    }
}

extension JSONValue {
    /// A typed configuration as a JSON value (its `Encodable` form, every field written).
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(value))
    }
}

/// A bad `with:` block, named by field.
public struct BuiltinConfigError: Error, CustomStringConvertible {
    public var field: String
    public var problem: String
    public init(field: String, problem: String) { self.field = field; self.problem = problem }
    public var description: String { "with.\(field): \(problem)" }
}

/// The set of builtin kinds this binary knows.
public struct BuiltinRegistry: Sendable {
    public private(set) var kinds: [String: any BuiltinKind] = [:]

    public init(_ kinds: [any BuiltinKind] = []) { kinds.forEach { register($0) } }

    public mutating func register(_ kind: any BuiltinKind) { kinds[kind.name] = kind }
    public subscript(name: String) -> (any BuiltinKind)? { kinds[name] }
    public var names: Set<String> { Set(kinds.keys) }
}

extension JSONValue {
    /// Decodes a typed `with` block strictly (see `decode(_:knownKeys:nested:)`), naming the field
    /// of a refusal as a `BuiltinConfigError`.
    public func decodeConfig<T: Decodable>(_ type: T.Type, knownKeys: Set<String>, nested: [String: Set<String>] = [:]) throws -> T {
        do { return try decode(type, knownKeys: knownKeys, nested: nested) } catch let p as DecodeProblem {
            throw BuiltinConfigError(field: p.field, problem: p.problem)
        }
    }
}

/// Runs long, blocking work (training, corpus building) on a thread of its own, so it never holds
/// one of the few cooperative-pool threads the scheduler and the other stages need.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result(catching: work)) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
