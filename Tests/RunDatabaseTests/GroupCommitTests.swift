import CanonicalJSON
import ContentStore
import Foundation
import Testing
@testable import RunDatabase

/// Issue #25: endings that arrive while a commit is under way share the next transaction, and one
/// write that fails inside a group is rolled back alone.
@Suite struct GroupCommitTests {
    @Test func writesArrivingDuringACommitShareTheNextTransactionAndAFailureStaysItsOwn() throws {
        let db = try RunDatabase(path: NSTemporaryDirectory() + "trellis-db-\(UUID().uuidString)/trellis.db")
        let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: ["run"])
        let components = JSONValue.object(["schema": .int(1)])
        let ids = try (0..<11).map { try db.startExecution(run: run, experiment: "demo", stage: "s\($0)", key: "k\($0)", components: components) }
        let writes = db.executionWrites
        let (commitsBefore, writesBefore) = (writes.commits, writes.writes)
        let tree = Digest.of(string: "tree")

        // The first ending leads and is held inside its transaction until the other ten are queued.
        let holdLeader = DispatchSemaphore(value: 0), leaderInside = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        let failures = RunDatabaseTests.Failures()
        // Threads of their own: GCD's pool grows slowly when its threads block (seconds for ten).
        func onThread(_ body: @escaping @Sendable () -> Void) {
            finished.enter()
            Thread.detachNewThread { body(); finished.leave() }
        }
        onThread {
            do {
                try writes.write { sql in
                    leaderInside.signal()
                    holdLeader.wait()
                    try sql.execute(sql: "INSERT OR REPLACE INTO actions (stage_key, tree, execution_id, created) VALUES ('k0', ?, ?, 0)", arguments: [tree.hex, ids[0]])
                }
            } catch { failures.add("leader: \(error)") }
        }
        leaderInside.wait()
        for i in 1..<11 {
            onThread {
                do {
                    if i == 5 {
                        // Writes a row, then fails: its savepoint is rolled back, the rest of the group commits.
                        try writes.write { sql in
                            try sql.execute(sql: "INSERT INTO actions (stage_key, tree, execution_id, created) VALUES ('k5', ?, ?, 0)", arguments: [tree.hex, ids[5]])
                            throw CocoaError(.fileWriteUnknown)
                        }
                        failures.add("write 5 did not fail")
                    } else {
                        try db.finishExecution(ids[i], key: "k\(i)", outcome: ExecutionOutcome(status: .succeeded, exitCode: 0, tree: tree))
                    }
                } catch where i == 5 {
                } catch { failures.add("\(i): \(error)") }
            }
        }
        let deadline = Date().addingTimeInterval(20)
        while writes.queued < 10 && Date() < deadline { usleep(1000) }
        #expect(writes.queued == 10)
        holdLeader.signal()
        finished.wait()
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(writes.commits - commitsBefore == 2 && writes.writes - writesBefore == 11, "\(writes.commits - commitsBefore) commits of \(writes.writes - writesBefore) writes")
        let cache = try db.actionCache()
        #expect(Set(cache.keys) == Set((0..<11).filter { $0 != 5 }.map { "k\($0)" }))
    }
}

/// Issue #23: what `trellis status` lists as running — executions of runs still going; a run whose
/// process died (SIGKILL leaves it marked running until the next run) lists nothing.
@Suite struct RunningExecutionTests {
    @Test func onlyExecutionsOfLiveRunsAreRunning() throws {
        let db = try RunDatabase(path: NSTemporaryDirectory() + "trellis-db-\(UUID().uuidString)/trellis.db")
        #expect(try db.runningExecutions(experiment: "demo").isEmpty)
        let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: ["run"])
        let components = JSONValue.object(["schema": .int(1)])
        let a = try db.startExecution(run: run, experiment: "demo", stage: "a", key: "ka", components: components)
        let b = try db.startExecution(run: run, experiment: "demo", stage: "b", key: "kb", components: components)
        try db.finishExecution(b, key: "kb", outcome: ExecutionOutcome(status: .succeeded, exitCode: 0, tree: Digest.of(string: "t")))
        #expect(try db.runningExecutions(experiment: "demo").map(\.stage) == ["a"])
        #expect(try db.runningExecutions(experiment: "other").isEmpty)
        #expect(try db.runningExecutions(experiment: "demo").first?.id == a)
        // The run's process is gone (a child that has exited and been reaped).
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        try db.pool.write { try $0.execute(sql: "UPDATE runs SET pid = ? WHERE id = ?", arguments: [Int(child.processIdentifier), run]) }
        #expect(try db.runningExecutions(experiment: "demo").isEmpty)
    }
}
