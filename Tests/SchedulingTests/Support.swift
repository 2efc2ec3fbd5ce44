import Execution
import Foundation
import PipelineGraph
import PipelineSpec
import Scheduling
import StageKinds

/// A project folder with a manifest, a store, and a way to run it in-process.
final class Project {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "trellis-sched-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path + "/artifacts", withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    func read(_ name: String) -> String? { try? String(contentsOfFile: path + "/" + name, encoding: .utf8) }

    func graph() throws -> StageGraph {
        StageGraph(try MatrixExpander().expand(try ManifestLoader(knownKinds: BuiltinKinds.registry.names).load(path: path + "/trellis.yaml")))
    }

    func workspace() throws -> Workspace { try Workspace(storeRoot: path + "/artifacts") }

    @discardableResult
    func run(_ configure: (inout RunOptions) -> Void = { _ in }, executor: (any Executor)? = nil, cancellation: Cancellation = Cancellation(),
             reporter: CollectingReporter = CollectingReporter()) async throws -> RunSummary {
        var options = RunOptions()
        options.jobs = 2
        configure(&options)
        let registry = BuiltinKinds.registry
        return try await Scheduler(workspace: try workspace(), graph: try graph(), executor: executor ?? LocalExecutor(builtins: registry),
                                   builtins: registry, reporter: reporter, options: options, cancellation: cancellation).run()
    }

    func states() throws -> [String: StageState] {
        let registry = BuiltinKinds.registry
        let entries = try workspace().plan(try graph(), targets: [], kindIdentity: registry.identity(of:))
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.instance.name, $0.state) })
    }
}

/// An executor that delegates and records how many actions overlapped.
final class RecordingExecutor: Executor, @unchecked Sendable {
    let inner: any Executor
    private let lock = NSLock()
    private var current = 0
    private(set) var maxConcurrent = 0
    private(set) var started: [String] = []

    init(_ inner: any Executor) { self.inner = inner }

    func run(_ action: StageAction, cancellation: Cancellation) async -> ActionResult {
        lock.withLock { current += 1; maxConcurrent = max(maxConcurrent, current); started.append(action.stage) }
        let result = await inner.run(action, cancellation: cancellation)
        lock.withLock { current -= 1 }
        return result
    }
}
