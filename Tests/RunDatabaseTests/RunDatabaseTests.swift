import CanonicalJSON
import ContentStore
import Foundation
import Testing
@testable import RunDatabase

@Suite struct RunDatabaseTests {
    let path = NSTemporaryDirectory() + "trellis-db-\(UUID().uuidString)/trellis.db"

    @Test func successWritesActionMetricsAndLineageTogether() throws {
        let db = try RunDatabase(path: path)
        let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: ["run"])
        let components = JSONValue.object(["schema": .int(1)])
        let failed = try db.startExecution(run: run, experiment: "demo", stage: "a", key: "k1", components: components)
        try db.finishExecution(failed, key: "k1", outcome: ExecutionOutcome(status: .failed, exitCode: 2, error: "exited with status 2"))
        #expect(try db.actionCache().isEmpty)
        let ok = try db.startExecution(run: run, experiment: "demo", stage: "a", key: "k2", components: components)
        let tree = Digest.of(string: "tree")
        try db.finishExecution(ok, key: "k2", outcome: ExecutionOutcome(status: .succeeded, exitCode: 0, cpuSeconds: 0.5, peakMemoryBytes: 1024,
                                                                       tree: tree, metrics: ["loss": 1.5], lineage: ["up": ("k0", tree)]))
        try db.endRun(run, status: "succeeded")
        #expect(try db.actionCache() == ["k2": tree])
        #expect(try db.metrics(execution: ok) == ["loss": 1.5])
        #expect(try db.lineage(execution: ok).first?.stage == "up")
        let history = try db.stageHistory(experiment: "demo")
        #expect(history["a"]?.latestKey == "k2" && history["a"]?.latestStatus == .succeeded)
        #expect(history["a"]?.successComponents == components.canonicalString)
        #expect(try db.producer(ofKey: "k2")?.cpuSeconds == 0.5)
        #expect(try db.runs().first?.status == "succeeded")
    }

    /// Processes (here: connections) opening a new store at once: every one must get the tables,
    /// none may fail creating them a second time or switching the file to WAL mode. Each race showed
    /// about once in 100 rounds before the fix, hence 300 rounds (about 4 s).
    @Test func concurrentOpensOfANewDatabaseAllSucceed() throws {
        for round in 0..<300 {
            let file = NSTemporaryDirectory() + "trellis-db-\(UUID().uuidString)/trellis.db"
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do { _ = try RunDatabase(path: file).runs() } catch { failures.add("\(error)") }
            }
            #expect(failures.all.isEmpty, "round \(round): \(failures.all)")
        }
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
    }

    @Test func aDatabaseOfAnotherSchemaIsRefusedByName() throws {
        let db = try RunDatabase(path: path)
        try db.pool.write { try $0.execute(sql: "UPDATE meta SET value = '99' WHERE name = 'schema'") }
        #expect(throws: RunDatabaseError.unsupportedSchema(path: path, found: "99")) { try RunDatabase(path: path) }
        #expect(RunDatabaseError.unsupportedSchema(path: path, found: "99").description.contains("trellis reads schema 2"))
    }

    @Test func endingARunEndsItsExecutionsThatRecordedNothing() throws {
        let db = try RunDatabase(path: path)
        let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: ["run"])
        _ = try db.startExecution(run: run, experiment: "demo", stage: "s", key: "k", components: .object([:]))
        try db.endRun(run, status: "failed")
        let record = try #require(try db.executions(experiment: "demo", stage: "s").first)
        #expect(record.status == .failed && record.error == "ended without a recorded result" && record.ended != nil)
    }

    @Test func integrityCheckFindsADamagedPageThatOrdinaryReadsMiss() throws {
        var page = 0, pageSize = 0
        do {
            let db = try RunDatabase(path: path)
            let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: ["run"])
            for i in 0..<200 { _ = try db.startExecution(run: run, experiment: "demo", stage: "s\(i)", key: "k\(i)", components: .object([:])) }
            #expect(try db.integrityProblems().isEmpty)
            try db.pool.writeWithoutTransaction { db in
                page = try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'executions_by_key'") ?? 0
                pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        #expect(page > 1 && pageSize > 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64((page - 1) * pageSize + 100))
        handle.write(Data(repeating: 0xA5, count: 200))
        try handle.close()
        let db = try RunDatabase(path: path)
        #expect(try db.runs().count == 1, "ordinary reads do not touch the index page")
        #expect(!(try db.integrityProblems()).isEmpty)
    }

    @Test func aSchema1DatabaseIsMigratedWithItsHistoryKept() throws {
        do {
            let db = try RunDatabase(path: path)
            let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: ["run"])
            let id = try db.startExecution(run: run, experiment: "demo", stage: "s", key: "k1", components: .object([:]))
            try db.finishExecution(id, key: "k1", outcome: ExecutionOutcome(status: .succeeded, tree: Digest.of(string: "t")))
            // What a store written by schema-1 trellis looks like.
            try db.pool.write { try $0.execute(sql: "ALTER TABLE executions DROP COLUMN numeric_path; UPDATE meta SET value = '1' WHERE name = 'schema'") }
        }
        let db = try RunDatabase(path: path)
        let old = try #require(try db.executions(experiment: "demo", stage: "s").first)
        #expect(old.status == .succeeded && old.numericPath == nil)
        #expect(try db.action(key: "k1") == Digest.of(string: "t"))
        let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: ["run"])
        let id = try db.startExecution(run: run, experiment: "demo", stage: "s", key: "k2", components: .object([:]))
        try db.finishExecution(id, key: "k2", outcome: ExecutionOutcome(status: .succeeded, tree: Digest.of(string: "u"), numericPath: "engine portable"))
        #expect(try db.executions(experiment: "demo", stage: "s").first?.numericPath == "engine portable")
    }

    @Test func abandonedRunsAreClosed() throws {
        let db = try RunDatabase(path: path)
        let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: [])
        _ = try db.startExecution(run: run, experiment: "demo", stage: "a", key: "k", components: .null)
        // Pretend the run belonged to a process that is gone.
        try db.pool.write { try $0.execute(sql: "UPDATE runs SET pid = 999999999") }
        try db.closeAbandonedRuns()
        #expect(try db.runs().first?.status == "interrupted")
        #expect(try db.executions(run: run).first?.status == .interrupted)
    }

    @Test func statCachePersists() throws {
        let db = try RunDatabase(path: path)
        let cache = DigestCache()
        let signature = FileSignature(device: 1, inode: UInt64.max - 3, size: 10, mtimeNs: 5, ctimeNs: 6)
        cache.record("/x", signature, Digest.of(string: "x"))
        try db.saveDigestCache(cache)
        let reloaded = try RunDatabase(path: path).loadDigestCache()
        #expect(reloaded.lookup("/x", signature) == Digest.of(string: "x"))
        var other = signature
        other.mtimeNs = 7
        #expect(reloaded.lookup("/x", other) == nil)
    }

    @Test func gcLivenessKeepsHeadsAndRecentRuns() throws {
        let db = try RunDatabase(path: path)
        let run = try db.beginRun(experiment: "demo", manifest: "m.yaml", arguments: [])
        for key in ["head", "old"] {
            let e = try db.startExecution(run: run, experiment: "demo", stage: key, key: key, components: .null)
            try db.finishExecution(e, key: key, outcome: ExecutionOutcome(status: .succeeded, tree: Digest.of(string: key)))
        }
        let future = Date().addingTimeInterval(3600)
        let live = try db.liveObjects(headKeys: ["head"], since: future)
        #expect(live.trees == [Digest.of(string: "head")])
        #expect(live.deadKeys == ["old"])
        #expect(try db.liveObjects(headKeys: [], since: Date().addingTimeInterval(-3600)).deadKeys.isEmpty)
    }
}
