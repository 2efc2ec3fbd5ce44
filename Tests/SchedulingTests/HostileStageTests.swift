import ContentStore
import Execution
import Foundation
import GRDB
@testable import RunDatabase
@testable import Scheduling
import StageKinds
import Testing

/// Stages that write where they must not, and outputs the store must not take as they are (issue #14).
@Suite struct HostileStageTests {
    func project(_ manifest: String) -> Project {
        let p = Project()
        p.write("trellis.yaml", "trellis: 1\nname: hostile\nstages:\n" + manifest)
        return p
    }

    func output(_ p: Project, _ stage: String) throws -> String {
        let ws = try p.workspace()
        let entry = try #require(try ws.plan(try p.graph(), targets: [stage], kindIdentity: BuiltinKinds.registry.identity(of:)).first { $0.instance.name == stage })
        return try ws.trees.materialize(try #require(entry.tree))
    }

    @Test func aBlobEditedInPlaceIsRebuiltBeforeADownstreamStageReadsIt() async throws {
        let p = project("""
              up:   {run: "seq 1 100 > ${out}/n.txt"}
              down: {run: "tail -n 1 ${up.out}/n.txt > ${out}/last.txt; echo ${params.v}", }
            """.replacingOccurrences(of: ", }", with: "}") + "\nparams: {v: 1}\n")
        try await p.run()
        let n = try output(p, "up") + "/n.txt"
        chmod(n, 0o644)
        let handle = try #require(FileHandle(forWritingAtPath: n))
        handle.seek(toFileOffset: UInt64(try String(contentsOfFile: n, encoding: .utf8).utf8.count - 4))
        handle.write(Data("999\n".utf8))   // "100\n" → "999\n": same size, same inode, same blob
        try handle.close()
        p.write("trellis.yaml", try #require(p.read("trellis.yaml")).replacingOccurrences(of: "v: 1", with: "v: 2"))
        let r = try await p.run()
        #expect(r.succeeded)
        #expect(r.executed.contains("up"), "the damaged upstream is rebuilt, not served")
        #expect(try String(contentsOfFile: try output(p, "down") + "/last.txt", encoding: .utf8) == "100\n")
    }

    @Test func aStageThatWritesToItsUpstreamFailsAndTheUpstreamIsRebuilt() async throws {
        let p = project("""
              up:     {run: "echo good > ${out}/data.txt; echo other > ${out}/other.txt"}
              evil:   {run: "chmod u+w ${up.out}/data.txt; echo EVIL >> ${up.out}/data.txt; rm -f ${up.out}/other.txt; echo done > ${out}/o"}
              victim: {run: "cat ${up.out}/data.txt > ${out}/seen.txt", needs: [evil]}
            """)
        let r = try await p.run { $0.keepGoing = true }
        let failure = try #require(r.failed.first { $0.stage == "evil" })
        #expect(failure.message.contains("changed upstream output") && failure.message.contains("data.txt"))
        #expect(!r.executed.contains("victim"))
        let ws = try p.workspace()
        #expect(!ws.trees.blobs.contains(Digest.of(string: "good\n")), "the damaged blob is quarantined")
        #expect(try ws.database.actionCache().count == 0, "up's cache entry is dropped with its blob")
        // The next run rebuilds up, and evil fails again without a trace in the store.
        p.write("trellis.yaml", "trellis: 1\nname: hostile\nstages:\n  up: {run: \"echo good > ${out}/data.txt; echo other > ${out}/other.txt\"}\n  victim: {run: \"cat ${up.out}/data.txt > ${out}/seen.txt\"}\n")
        let again = try await p.run()
        #expect(again.executed.sorted() == ["up", "victim"])
        #expect(try String(contentsOfFile: try output(p, "victim") + "/seen.txt", encoding: .utf8) == "good\n")
    }

    @Test func anOutputSymlinkThatLeavesTheOutputFailsTheStage() async throws {
        let p = project("""
              leak:  {run: "ln -s /etc/passwd ${out}/passwd"}
              inner: {run: "mkdir ${out}/d; echo x > ${out}/d/x; ln -s ${out}/d/x ${out}/abs; ln -s d/x ${out}/rel"}
              read:  {run: "cat ${inner.out}/abs ${inner.out}/rel > ${out}/both"}
            """)
        let r = try await p.run { $0.keepGoing = true }
        #expect(r.failed.map(\.stage) == ["leak"])
        #expect(r.failed.first?.message.contains("leaves the stage's output") == true)
        #expect(try String(contentsOfFile: try output(p, "read") + "/both", encoding: .utf8) == "x\nx\n")
        let records = try p.workspace().database.executions(experiment: "hostile", stage: "leak")
        #expect(records.first?.status == .failed)
    }

    @Test func aStageLeavingAFIFOEndsAsFailedNotRunning() async throws {
        let p = project("  fifo: {run: \"mkfifo ${out}/pipe\"}\n")
        let r = try await p.run()
        #expect(r.failed.first?.message.contains("FIFO") == true)
        let records = try p.workspace().database.executions(experiment: "hostile", stage: "fifo")
        #expect(records.map(\.status) == [.failed])
        #expect(records.first?.error?.contains("FIFO") == true, "the execution records why: \(records.first?.error ?? "nil")")
    }

    @Test func aDependencyChangedAndRestoredDuringTheStageIsNotStored() async throws {
        let p = project("  a: {run: \"cat in.txt > ${out}/o; sleep 0.05; echo B > in.txt; echo A > in.txt\", deps: [in.txt]}\n")
        p.write("in.txt", "A\n")
        let r = try await p.run()
        #expect(r.failed.first?.message.contains("changed while the stage ran") == true)
        #expect(try p.workspace().database.actionCache().isEmpty)
    }

    @Test func theWholeProjectAsADependencyLeavesTheStoreOut() async throws {
        let p = project("  all: {run: \"ls > ${out}/listing\", deps: [\".\"]}\n")
        p.write("notes.txt", "n\n")
        #expect(try await p.run().succeeded)
        #expect(try p.states()["all"] == .fresh)
        p.write("notes.txt", "changed\n")
        #expect(try p.states()["all"] == .stale)
    }

    @Test func publishNeverReplacesAUsersFileAndItsFailureFailsTheRun() async throws {
        let p = project("  t: {run: \"echo t > ${out}/t\", publish: results/t}\n")
        p.write("results/t", "my own file\n")
        let r = try await p.run()
        #expect(!r.succeeded)
        #expect(r.failed.first?.message.contains("not a symlink Trellis made") == true)
        #expect(p.read("results/t") == "my own file\n")
        // A user's own symlink is not Trellis's to replace either.
        try FileManager.default.removeItem(atPath: p.path + "/results/t")
        try FileManager.default.createSymbolicLink(atPath: p.path + "/results/t", withDestinationPath: p.path + "/notes")
        #expect(try await p.run().succeeded == false)
        try FileManager.default.removeItem(atPath: p.path + "/results/t")
        #expect(try await p.run().succeeded)
        #expect(p.read("results/t/t") == "t\n")
        // Trellis's own link is replaced when the output changes.
        p.write("trellis.yaml", "trellis: 1\nname: hostile\nstages:\n  t: {run: \"echo u > ${out}/t\", publish: results/t}\n")
        #expect(try await p.run().succeeded)
        #expect(p.read("results/t/t") == "u\n")
    }
}

/// A run database that cannot take more (SQLITE_FULL through `max_page_count`, as on a full disk).
@Suite struct FullDatabaseTests {
    final class FillingExecutor: Executor, @unchecked Sendable {
        let inner: any Executor
        let database: RunDatabase
        init(_ inner: any Executor, database: RunDatabase) { self.inner = inner; self.database = database }
        func run(_ action: StageAction, cancellation: Cancellation) async -> ActionResult {
            try? await database.pool.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            return await inner.run(action, cancellation: cancellation)
        }
    }

    @Test func aFullDatabaseIsNamedWithAdviceAndTheExecutionDoesNotStayRunning() async throws {
        let p = Project()
        // 3,000 metrics need new database pages when the success is recorded.
        p.write("trellis.yaml", """
            trellis: 1
            name: full
            stages:
              s:
                run: |
                  awk 'BEGIN { printf "{"; for (i = 0; i < 3000; i++) printf "%s\\"m%d\\": %d", (i ? ", " : ""), i, i; print "}" }' > ${out}/metrics.json
            """)
        let ws = try p.workspace()
        let registry = BuiltinKinds.registry
        var options = RunOptions()
        options.jobs = 1
        let summary = try await Scheduler(workspace: ws, graph: try p.graph(), executor: FillingExecutor(LocalExecutor(builtins: registry), database: ws.database),
                                          builtins: registry, reporter: CollectingReporter(), options: options, cancellation: Cancellation()).run()
        let message = try #require(summary.failed.first?.message)
        #expect(message.contains("the disk is full") && message.contains("trellis gc"), "\(message)")
        try await ws.database.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = 1073741823") }
        #expect(try ws.database.executions(experiment: "full", stage: "s").map(\.status) != [.running])
        #expect(try ws.database.actionCache().isEmpty)
    }
}
