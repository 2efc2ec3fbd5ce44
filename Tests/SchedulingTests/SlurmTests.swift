import ContentStore
import Execution
import Foundation
import RunDatabase
import Testing
@testable import Scheduling
import StageKinds

/// A reachable Slurm controller (`make test` and `.ci/run` start one with scripts/slurm-local.sh).
enum SlurmCluster {
    static let isAvailable: Bool = {
        guard ProcessInfo.processInfo.environment["SLURM_CONF"] != nil,
              let out = try? CommandRunner.run("sinfo", ["-h", "-o", "%T"]), out.status == 0 else { return false }
        return ["idle", "mixed", "allocated"].contains { out.stdout.contains($0) }
    }()

    static func executor(for project: Project) -> SlurmExecutor {
        var options = SlurmExecutor.Options(stateDirectory: project.path + "/artifacts/slurm", trellisBinary: trellisBinary)
        options.pollInterval = 0.3
        return SlurmExecutor(options: options)
    }

    /// The built CLI, which batch jobs call to run builtin kinds.
    static var trellisBinary: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent()] {
            let path = dir.appendingPathComponent("trellis").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "trellis"
    }
}

@Suite(.enabled(if: SlurmCluster.isAvailable, "needs a Slurm cluster: scripts/slurm-local.sh start DIR; export SLURM_CONF=DIR/slurm.conf"))
struct SlurmTests {
    let manifest = """
        trellis: 1
        name: slurm
        params: {greeting: hello}
        stages:
          make:  {run: "echo ${params.greeting} > ${out}/a.txt; echo $SLURM_JOB_ID > slurm-ran.marker"}
          sweep: {run: "echo ${matrix.size} > ${out}/s.txt; echo '{\\"loss\\": ${matrix.size}}' > ${out}/metrics.json", matrix: {size: [1, 2, 3]}}
          table: {kind: collect, needs: ["sweep[*]"], with: {sort_by: loss}}
          double: {run: "cat ${make.out}/a.txt ${make.out}/a.txt > ${out}/b.txt"}
        """

    func trees(_ p: Project) throws -> [String: Digest] {
        let entries = try p.workspace().plan(try p.graph(), targets: [], kindIdentity: BuiltinKinds.registry.identity(of:))
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.instance.name, $0.tree ?? Digest.of(string: "none")) })
    }

    @Test func slurmRunGivesTheSameOutputsAndCacheBehaviourAsLocal() async throws {
        let local = Project(), remote = Project()
        for p in [local, remote] { p.write("trellis.yaml", manifest) }
        #expect(try await local.run().succeeded)
        let executor = SlurmCluster.executor(for: remote)
        let first = try await remote.run({ $0.remoteExecution = true; $0.jobs = 20 }, executor: executor)
        #expect(first.succeeded && first.executed.count == 6, "\(first.failed)")
        #expect(remote.read("slurm-ran.marker")?.isEmpty == false, "the stage ran inside a Slurm job")
        #expect(try trees(local) == trees(remote))
        // The three matrix members went as one job array.
        #expect(executor.submissions.contains { $0.stages.count == 3 && $0.stages.allSatisfy { $0.hasPrefix("sweep[") } })
        // Cache behaviour: a rerun does nothing, a param change reruns exactly its stages.
        #expect(try await remote.run({ $0.remoteExecution = true }, executor: executor).executed.isEmpty)
        remote.write("trellis.yaml", manifest.replacingOccurrences(of: "greeting: hello", with: "greeting: hi"))
        let third = try await remote.run({ $0.remoteExecution = true }, executor: SlurmCluster.executor(for: remote))
        #expect(Set(third.executed) == ["make", "double"])
    }

    /// Issue #25: a sweep wider than the cluster's `MaxArraySize` goes out as several arrays, each
    /// within the limit (the limit set to 4 here; read from `scontrol show config` otherwise).
    @Test func aSweepWiderThanMaxArraySizeIsSplitIntoArrays() async throws {
        #expect(SlurmExecutor.clusterMaxArraySize() != nil, "scontrol show config names MaxArraySize")
        let p = Project()
        p.write("trellis.yaml", "trellis: 1\nstages:\n  m: {run: \"echo ${matrix.i} > ${out}/o.txt\", matrix: {i: [\((0..<10).map(String.init).joined(separator: ", "))]}}\n")
        var options = SlurmExecutor.Options(stateDirectory: p.path + "/artifacts/slurm", trellisBinary: SlurmCluster.trellisBinary)
        options.pollInterval = 0.3
        options.maxArraySize = 4
        let executor = SlurmExecutor(options: options)
        let r = try await p.run({ $0.remoteExecution = true; $0.jobs = 100 }, executor: executor)
        #expect(r.succeeded && r.executed.count == 10, "\(r)")
        let arrays = executor.submissions.filter { $0.stages.count > 1 }
        #expect(!arrays.isEmpty && arrays.allSatisfy { $0.stages.count <= 4 }, "\(executor.submissions)")
        #expect(executor.submissions.reduce(0) { $0 + $1.stages.count } == 10)
    }

    @Test func failingJobIsReportedWithItsLog() async throws {
        let p = Project()
        p.write("trellis.yaml", "trellis: 1\nstages:\n  bad: {run: \"echo the reason >&2; exit 4\"}\n  after: {run: \"true\", needs: [bad]}\n")
        let reporter = CollectingReporter()
        let r = try await p.run({ $0.remoteExecution = true }, executor: SlurmCluster.executor(for: p), reporter: reporter)
        #expect(r.failed.map(\.stage) == ["bad"] && r.failed[0].message == "exited with status 4")
        #expect(r.skipped == ["after"])
        let tails = reporter.events.compactMap { event -> String? in
            if case .failed(_, _, let tail) = event { return tail }
            return nil
        }
        #expect(tails.first?.contains("the reason") == true)
        #expect(try p.workspace().database.actionCache().isEmpty)
    }

    /// Issue #23: a Slurm job's progress (written to its staging folder on the shared file system)
    /// reaches the run's reporter, and another process sees it, as `trellis status` does.
    @Test func aSlurmStagesProgressIsSeenWhileItRuns() async throws {
        let p = Project()
        let tag = UUID().uuidString.prefix(8)
        p.write("trellis.yaml", """
            trellis: 1
            name: progress
            stages:
              long\(tag): {run: "echo '{\\"done\\": 3, \\"total\\": 8, \\"unit\\": \\"shards\\"}' >> $TRELLIS_PROGRESS; touch started.marker; while [ ! -e release.marker ]; do sleep 0.1; done; echo ok > ${out}/o.txt"}
            """)
        let seen = ProgressSeen()
        Thread.detachNewThread {
            defer { _ = FileManager.default.createFile(atPath: p.path + "/release.marker", contents: nil) }
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: p.path + "/started.marker") && Date() < deadline { usleep(50_000) }
            // What `trellis status` reads: the run database and the staging folder, from a workspace of its own.
            seen.running = (try? p.workspace().runningStages(experiment: "progress")) ?? []
        }
        let reporter = CollectingReporter()
        let r = try await p.run({ $0.remoteExecution = true; $0.progressInterval = 0.1 }, executor: SlurmCluster.executor(for: p), reporter: reporter)
        #expect(r.succeeded, "\(r.failed)")
        #expect(seen.running.count == 1 && seen.running.first?.execution.stage == "long\(tag)", "\(seen.running.map(\.execution))")
        #expect(seen.running.first?.progress == StageProgress(done: 3, total: 8, unit: "shards"))
        #expect(reporter.events.contains { if case .progress(_, let p) = $0 { return p.done == 3 && p.unit == "shards" }; return false })
    }

    final class ProgressSeen: @unchecked Sendable {
        var running: [(execution: RunningExecution, progress: StageProgress?)] = []
    }

    @Test func cancellationCancelsTheJob() async throws {
        let p = Project()
        let tag = UUID().uuidString.prefix(8)
        p.write("trellis.yaml", "trellis: 1\nstages:\n  long\(tag): {run: \"touch started.marker; sleep 60\"}\n")
        let cancellation = Cancellation()
        Thread.detachNewThread {
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: p.path + "/started.marker") && Date() < deadline { usleep(50_000) }
            cancellation.cancel()
        }
        let r = try await p.run({ $0.remoteExecution = true }, executor: SlurmCluster.executor(for: p), cancellation: cancellation)
        #expect(r.interrupted)
        let out = try CommandRunner.run("scontrol", ["-o", "show", "job"]).stdout
        let line = out.split(separator: "\n").first { $0.contains("JobName=trellis:long\(tag)") } ?? ""
        #expect(line.contains("JobState=CANCELLED"), "\(line)")
        #expect(try p.workspace().database.actionCache().isEmpty)
    }
}
