import ContentStore
import Execution
import Foundation
import PipelineGraph
import PipelineSpec

/// `trellis verify --rerun STAGE`: runs a stage whose output is stored again, from the same
/// upstream outputs, and compares the two output trees. The stored output and the action cache are
/// left as they are; the rerun's output is stored as an unreferenced tree (checked out for diffing,
/// collected by `gc`).
public struct StageRerun {
    public struct Comparison: Sendable {
        public var stage: String
        public var key: Digest
        public var stored: Digest
        public var rerun: Digest
        /// The numeric path recorded with the stored output's execution, and the rerun's (nil: not recorded, e.g. shell stages).
        public var storedNumericPath: String?
        public var rerunNumericPath: String?
        /// The files that differ, with the JSON fields that do.
        public var differences: OutputDifferences
        public var storedCheckout: String
        public var rerunCheckout: String

        public var identical: Bool { stored == rerun }
        /// Identical, or different only in JSON fields that measure time.
        public var reproduced: Bool { identical || differences.onlyTimings }
        public var sameNumericPath: Bool { storedNumericPath == rerunNumericPath }

        /// Why the outputs may differ, in words.
        public var verdict: String {
            if identical { return "identical: the rerun reproduced the stored output bit for bit" }
            if differences.onlyTimings { return "reproduced: the outputs differ only in wall-clock fields (\(differences.files.map(\.description).joined(separator: "; ")))" }
            if !sameNumericPath {
                return "different, and the numeric paths differ (stored: \(storedNumericPath ?? "not recorded"), rerun: \(rerunNumericPath ?? "not recorded")): "
                    + "last-bit differences between kernel paths are expected (docs/ARCHITECTURE.md, \"Numeric paths\")"
            }
            return "different on the same numeric path (\(rerunNumericPath ?? "not recorded")): the stage is not deterministic for its inputs"
        }
    }

    public enum Problem: Error, CustomStringConvertible {
        case notStored(stage: String, state: StageState, reasons: [String])
        case failed(stage: String, message: String, logTail: String)
        case notAnInstance(stage: String, members: [String])

        public var description: String {
            switch self {
            case .notStored(let stage, let state, let reasons):
                return "stage '\(stage)' is \(state.rawValue) (\(reasons.joined(separator: "; "))): there is no stored output for its current inputs to compare with; run it first"
            case .notAnInstance(let stage, let members):
                return "'\(stage)' is a matrix stage; name one of its members: \(members.prefix(5).joined(separator: ", "))\(members.count > 5 ? ", …" : "")"
            case .failed(let stage, let message, let tail):
                return "the rerun of '\(stage)' failed: \(message)" + (tail.isEmpty ? "" : "\n" + tail)
            }
        }
    }

    let workspace: Workspace
    let graph: StageGraph
    let executor: any Executor
    let builtins: BuiltinRegistry

    public init(workspace: Workspace, graph: StageGraph, executor: any Executor, builtins: BuiltinRegistry) {
        self.workspace = workspace; self.graph = graph; self.executor = executor; self.builtins = builtins
    }

    public func rerun(_ name: String, cores: Int, cancellation: Cancellation = Cancellation()) async throws -> Comparison {
        let lease = try StoreLease.shared(workspace.layout)
        defer { withExtendedLifetime(lease) {} }
        let entries = try workspace.plan(graph, targets: [name], kindIdentity: builtins.identity(of:))
        guard let entry = entries.first(where: { $0.instance.name == name }) else {
            throw Problem.notAnInstance(stage: name, members: graph.experiment.members(of: name).map(\.name))
        }
        guard entry.state == .fresh, let key = entry.key, let stored = entry.tree else {
            throw Problem.notStored(stage: name, state: entry.state, reasons: entry.reasons)
        }
        let trees = Dictionary(uniqueKeysWithValues: entries.compactMap { e in e.tree.map { (e.instance.name, $0) } })
        var upstream: [String: String] = [:]
        for up in entry.instance.upstream { upstream[up] = try workspace.trees.materialize(trees[up]!) }

        // A staging folder `verify-PID-…` (removed at the end; one left by a dead process is removed
        // by the next run), with its own resume folder: a rerun never resumes the original's checkpoints.
        let staging = "\(workspace.layout.work)/verify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try FileManager.default.createDirectory(atPath: staging + "/out", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: staging + "/log", contents: nil)
        var request = entry.instance.resourceRequest
        request.cores = max(1, min(request.cores, cores))
        let action = StageRunner.action(for: entry.instance, key: key, staging: staging, upstream: upstream,
                                        manifestDirectory: graph.experiment.manifest.directory, resources: request, gpus: [],
                                        resumeDirectory: staging + "/resume")
        let result = await executor.run(action, cancellation: cancellation)
        // A rerun is held to what a run is: upstream outputs are read-only, and damage is repaired.
        let upstreamKeys = Dictionary(uniqueKeysWithValues: entries.compactMap { e in e.key.map { (e.instance.name, $0.hex) } })
        if let message = StageRunner.inputTampering(workspace: workspace, upstreamTrees: trees.filter { entry.instance.upstream.contains($0.key) },
                                                    upstreamKeys: upstreamKeys) {
            throw Problem.failed(stage: name, message: message, logTail: StageRunner.tail(of: staging + "/log"))
        }
        guard result.succeeded else { throw Problem.failed(stage: name, message: result.summary, logTail: StageRunner.tail(of: staging + "/log")) }
        let (rerunTree, rerun) = try workspace.trees.ingest(directory: staging + "/out")
        let storedCheckout = try workspace.trees.materialize(stored), rerunCheckout = try workspace.trees.materialize(rerun)
        return Comparison(stage: name, key: key, stored: stored, rerun: rerun,
                          storedNumericPath: try workspace.database.producer(ofKey: key.hex)?.numericPath, rerunNumericPath: result.numericPath,
                          differences: .between(try workspace.trees.load(stored), at: storedCheckout, rerunTree, at: rerunCheckout),
                          storedCheckout: storedCheckout, rerunCheckout: rerunCheckout)
    }
}
