import CanonicalJSON
import ContentStore
import Foundation

/// One `trellis run` invocation.
public struct RunRecord: Sendable, Codable {
    public var id: Int64
    public var experiment: String
    public var manifest: String
    public var started: Date
    public var ended: Date?
    public var status: String
    public var host: String
    public var pid: Int32
    public var arguments: String
}

/// One stage execution (or cache hit) within a run, with its key and every key ingredient.
public struct ExecutionRecord: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case running, succeeded, failed, cached, interrupted, tainted
    }

    public var id: Int64
    public var runID: Int64
    public var experiment: String
    public var stage: String
    public var key: String
    /// The canonical JSON of the key's ingredients, kept so `why` can diff them (parsed on demand).
    public var componentsText: String
    public var components: JSONValue { (try? JSONValue.parse(componentsText)) ?? .null }
    public var status: Status
    public var started: Date
    public var ended: Date?
    public var exitCode: Int32?
    public var cpuSeconds: Double?
    public var peakMemoryBytes: Int64?
    public var host: String
    public var tree: Digest?
    public var log: Digest?
    public var error: String?
    /// Which kernels computed the output; nil for shell stages and older records.
    public var numericPath: String?
}

/// What an execution ended with, written in one transaction with the action-cache entry.
public struct ExecutionOutcome: Sendable {
    public var status: ExecutionRecord.Status
    public var exitCode: Int32?
    public var cpuSeconds: Double?
    public var peakMemoryBytes: Int64?
    public var tree: Digest?
    public var log: Digest?
    public var error: String?
    public var metrics: [String: Double]
    /// Upstream instance name → (its key, its output tree).
    public var lineage: [String: (key: String, tree: Digest)]
    /// Which kernels computed the output (a builtin stage's CPU tier, BLAS core); nil when unknown.
    public var numericPath: String?

    public init(status: ExecutionRecord.Status, exitCode: Int32? = nil, cpuSeconds: Double? = nil, peakMemoryBytes: Int64? = nil,
                tree: Digest? = nil, log: Digest? = nil, error: String? = nil, metrics: [String: Double] = [:],
                lineage: [String: (key: String, tree: Digest)] = [:], numericPath: String? = nil) {
        self.status = status; self.exitCode = exitCode; self.cpuSeconds = cpuSeconds; self.peakMemoryBytes = peakMemoryBytes
        self.tree = tree; self.log = log; self.error = error; self.metrics = metrics; self.lineage = lineage
        self.numericPath = numericPath
    }
}
