import CanonicalJSON

/// A string from the manifest with where it was written.
public struct LocatedString: Hashable, Sendable {
    public var value: String
    public var location: SourceLocation
    public init(_ value: String, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// A validated manifest (format version 1), after `extends` was merged; matrices not yet expanded.
public struct Manifest: Sendable {
    /// The manifest path as the user named it (used in messages).
    public var file: String
    /// Absolute directory of the manifest: commands run here and `deps` are relative to it.
    public var directory: String
    public var name: String
    public var params: SourceNode
    public var stages: [StageSpec]
}

/// One entry of `stages:` as written.
public struct StageSpec: Sendable {
    public enum Body: Sendable {
        /// `run:` — a bash command.
        case shell(command: LocatedString)
        /// `kind:` + `with:` — an in-process builtin stage.
        case builtin(kind: LocatedString, config: SourceNode?)
    }

    /// An upstream in `needs:`; `allMembers` is the `STAGE[*]` form that aggregates a matrix.
    public struct Need: Sendable {
        public var stage: String
        public var allMembers: Bool
        public var location: SourceLocation
    }

    public struct MatrixAxis: Sendable {
        public var name: String
        public var values: [JSONValue]
        public var location: SourceLocation
    }

    public var name: String
    public var location: SourceLocation
    public var body: Body
    public var deps: [LocatedString] = []
    public var needs: [Need] = []
    public var matrix: [MatrixAxis] = []
    public var env: [String: LocatedString] = [:]
    public var passEnv: [String] = []
    public var resources = Resources()
    public var salt: String?
    public var publish: LocatedString?
    public var description: String?
}

/// What a stage asks of the machine. Not part of the stage key.
public struct Resources: Hashable, Sendable, Codable {
    public var cores: Int = 1
    public var memoryBytes: Int64 = 0
    public var gpus: Int = 0
    public var timeLimitSeconds: Int?
    public var partition: String?
    public init() {}
}
