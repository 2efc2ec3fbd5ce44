/// The pipeline graph as the report draws it: stage instances and their dependencies.
public struct ReportDAG: Codable, Sendable, Equatable {
    public var nodes: [ReportDAGNode]
    /// Dependencies, upstream (`from`) to downstream (`to`). Edges naming unknown nodes are ignored.
    public var edges: [ReportDAGEdge]

    public init(nodes: [ReportDAGNode] = [], edges: [ReportDAGEdge] = []) {
        self.nodes = nodes
        self.edges = edges
    }
}

/// Where a stage instance stands, as the planner or the run database reports it.
public enum ReportNodeState: String, Codable, Sendable, CaseIterable {
    /// Its key is in the action cache: nothing to do.
    case fresh
    /// It succeeded before, but an ingredient changed.
    case stale
    /// It has never succeeded.
    case missing
    /// Its last execution with this key failed.
    case failed
    /// It is executing now.
    case running
}

/// One stage instance (a matrix member such as `pretrain[pos=alibi,eln=true]` is its own node).
public struct ReportDAGNode: Codable, Sendable, Equatable {
    /// The instance name; edges refer to it.
    public var id: String
    /// The text shown in the box (usually the same as `id`).
    public var label: String
    public var state: ReportNodeState
    /// "shell" or the builtin kind's name.
    public var kind: String
    /// How long its last execution took, if known.
    public var seconds: Double?
    /// When its last execution finished, as preformatted text.
    public var finishedAt: String?
    /// A running stage's last reported progress, as text (`42%  126/300 steps  loss 4.213`).
    public var progress: String?
    /// A running stage's progress as a fraction in [0, 1], when known (drawn as a bar in its box).
    public var fraction: Double?

    public init(id: String, label: String? = nil, state: ReportNodeState, kind: String = "shell",
                seconds: Double? = nil, finishedAt: String? = nil, progress: String? = nil, fraction: Double? = nil) {
        self.id = id
        self.label = label ?? id
        self.state = state
        self.kind = kind
        self.seconds = seconds
        self.finishedAt = finishedAt
        self.progress = progress
        self.fraction = fraction
    }
}

/// A dependency: `to` consumes what `from` produced.
public struct ReportDAGEdge: Codable, Sendable, Equatable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}
