import Execution
import Foundation
import Testing
@testable import Scheduling
import StageKinds

@Suite struct SchedulerTests {
    let manifest = """
        trellis: 1
        name: demo
        params: {greeting: hello, lr: 0.1}
        stages:
          make:   {run: "cat inputs/seed.txt > ${out}/a.txt; echo ${params.greeting} >> ${out}/a.txt", deps: [inputs/seed.txt]}
          double: {run: "cat ${make.out}/a.txt ${make.out}/a.txt > ${out}/b.txt"}
          train:  {run: "echo '{\\"loss\\": ${params.lr}}' > ${out}/metrics.json", needs: [make]}
          sweep:
            run: "echo ${matrix.size} > ${out}/s.txt; echo '{\\"loss\\": ${matrix.size}}' > ${out}/metrics.json"
            matrix: {size: [1, 2, 3]}
          table: {kind: collect, needs: ["sweep[*]"], with: {sort_by: loss}, publish: results/table}
        """

    func project() -> Project {
        let p = Project()
        p.write("trellis.yaml", manifest)
        p.write("inputs/seed.txt", "seed\n")
        return p
    }

    @Test func secondRunIsANoOpAndAParamChangeRerunsExactlyItsStages() async throws {
        let p = project()
        let first = try await p.run()
        #expect(first.succeeded && first.executed.count == 7)
        #expect(p.read("results/table/table.csv")?.hasPrefix("stage,loss\nsweep[size=1],1\n") == true)
        #expect(Set(try p.states().values) == [.fresh])

        let second = try await p.run()
        #expect(second.executed.isEmpty && second.fresh == 7 && second.runID == nil)

        p.write("trellis.yaml", manifest.replacingOccurrences(of: "lr: 0.1", with: "lr: 0.2"))
        let states = try p.states()
        #expect(states["train"] == .stale && states.filter { $0.value == .stale }.count == 1)
        let third = try await p.run()
        #expect(third.executed == ["train"])
    }

    @Test func changedInputReachesDownstreamOnlyIfTheOutputChanged() async throws {
        let p = project()
        try await p.run()
        // Same bytes written again: the file's signature changes, its digest does not → nothing reruns.
        p.write("inputs/seed.txt", "seed\n")
        #expect(try await p.run().executed.isEmpty)
        p.write("inputs/seed.txt", "new seed\n")
        let r = try await p.run()
        #expect(Set(r.executed) == ["make", "double", "train"])
    }

    @Test func earlyCutoffWhenAnUpstreamRebuildsIdenticalOutput() async throws {
        let p = Project()
        p.write("trellis.yaml", "trellis: 1\nparams: {v: 1}\nstages:\n  a: {run: \"true ${params.v}; echo same > ${out}/o\"}\n  b: {run: \"cat ${a.out}/o > ${out}/p\"}\n")
        try await p.run()
        p.write("trellis.yaml", "trellis: 1\nparams: {v: 2}\nstages:\n  a: {run: \"true ${params.v}; echo same > ${out}/o\"}\n  b: {run: \"cat ${a.out}/o > ${out}/p\"}\n")
        let r = try await p.run()
        #expect(r.executed == ["a"] && r.cached == ["b"])
    }

    @Test func failureStopsDependentsAndKeepGoingFinishesTheRest() async throws {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            stages:
              bad:  {run: "echo oops >&2; exit 3"}
              after: {run: "touch ${out}/x", needs: [bad]}
              other: {run: "sleep 0.2; touch ${out}/y"}
            """)
        let r = try await p.run { $0.jobs = 1 }
        #expect(r.failed.map(\.stage) == ["bad"] && r.failed[0].message == "exited with status 3")
        #expect(r.skipped == ["after"])
        // Without --keep-going nothing new starts after the failure (jobs=1 runs `bad` first).
        #expect(!r.executed.contains("other"))
        let k = try await p.run { $0.jobs = 1; $0.keepGoing = true }
        #expect(k.executed == ["other"] && k.skipped == ["after"])
        #expect(try p.states()["bad"] == .failed)
        let ws = try p.workspace()
        let last = try ws.database.executions(experiment: "trellis", stage: "bad").first!
        #expect(last.exitCode == 3 && last.status == .failed)
        #expect(String(decoding: try ws.trees.blobs.read(last.log!), as: UTF8.self) == "oops\n")
    }

    @Test func independentStagesRunInParallelWithinJobs() async throws {
        let p = Project()
        p.write("trellis.yaml", "trellis: 1\nstages:\n  s: {run: \"sleep 0.3; echo ${matrix.i} > ${out}/f\", matrix: {i: [1, 2, 3, 4]}}\n  big: {run: \"sleep 0.1; touch ${out}/b\", resources: {cores: 8}}\n")
        let recorder = RecordingExecutor(LocalExecutor(builtins: BuiltinKinds.registry))
        try await p.run({ $0.jobs = 2 }, executor: recorder)
        #expect(recorder.maxConcurrent == 2)
        let recorder4 = RecordingExecutor(LocalExecutor(builtins: BuiltinKinds.registry))
        try await p.run({ $0.jobs = 4; $0.force = true }, executor: recorder4)
        #expect(recorder4.maxConcurrent == 4)
        #expect(recorder4.started.count == 5)
    }

    @Test func cancellationStoresNothingAndTheNextRunCompletes() async throws {
        let p = Project()
        p.write("trellis.yaml", "trellis: 1\nstages:\n  slow: {run: \"echo partial > ${out}/o; sleep 30; touch finished.marker\"}\n")
        let cancellation = Cancellation()
        // A private queue: the global one can be saturated by the CPU-bound suites running in parallel.
        DispatchQueue(label: "cancel-timer").asyncAfter(deadline: .now() + 0.5) { cancellation.cancel() }
        let r = try await p.run(cancellation: cancellation)
        // The process group was terminated, not waited for: the command never got past its sleep.
        // (No wall-clock bound: parallel CPU-bound suites can delay this task's resumption.)
        #expect(r.interrupted)
        #expect(!FileManager.default.fileExists(atPath: p.path + "/finished.marker"))
        #expect(try p.workspace().database.actionCache().isEmpty)
        #expect(try p.states()["slow"] == .missing)
        #expect(try FileManager.default.contentsOfDirectory(atPath: p.path + "/artifacts/work").isEmpty)
        p.write("trellis.yaml", "trellis: 1\nstages:\n  slow: {run: \"echo done > ${out}/o\"}\n")
        #expect(try await p.run().executed == ["slow"])
    }

    @Test func dependencyChangedDuringTheRunIsNotStored() async throws {
        let p = project()
        p.write("trellis.yaml", "trellis: 1\nstages:\n  a: {run: \"cat inputs/seed.txt > ${out}/o; echo changed > inputs/seed.txt\", deps: [inputs/seed.txt]}\n")
        let r = try await p.run()
        #expect(r.failed.first?.message.contains("changed while the stage ran") == true)
        #expect(try p.workspace().database.actionCache().isEmpty)
    }

    /// A run reads each declared dependency once: its keys and its stages' checks use the same snapshot.
    @Test func aDependencyChangedByAnEarlierStageFailsTheStageThatReadsIt() async throws {
        let p = project()
        p.write("trellis.yaml", """
            trellis: 1
            stages:
              a: {run: "echo changed > inputs/seed.txt; echo a > ${out}/o"}
              b: {run: "cat inputs/seed.txt > ${out}/o", needs: [a], deps: [inputs/seed.txt]}
            """)
        let r = try await p.run()
        #expect(r.executed == ["a"] && r.failed.map(\.stage) == ["b"], "\(r)")
        #expect(r.failed.first?.message.contains("dependency \(p.path)/inputs/seed.txt changed while the stage ran") == true, "\(r.failed)")
        p.write("trellis.yaml", p.read("trellis.yaml")!.replacingOccurrences(of: "echo changed > inputs/seed.txt; ", with: ""))
        let again = try await p.run()
        #expect(again.succeeded && again.executed.contains("b"), "\(again)")
    }

    @Test func corruptCachedOutputIsRebuiltNotServed() async throws {
        let p = project()
        try await p.run()
        let ws = try p.workspace()
        // Corrupt the blob behind make's output and drop its checkout.
        let makeTree = try ws.plan(try p.graph(), targets: ["make"], kindIdentity: BuiltinKinds.registry.identity(of:)).first!.tree!
        let blob = try ws.trees.load(makeTree).entries[0].digest!
        let path = ws.layout.blobPath(blob)
        chmod(path, 0o644)
        try "garbage".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: ws.layout.outputPath(makeTree))
        let r = try await p.run { $0.targets = ["double"]; $0.force = true }
        #expect(r.executed.contains("make") && r.executed.contains("double"))
        #expect(r.succeeded)
    }

    /// A stage fresh at planning whose stored output proves unusable at dispatch runs again; its
    /// downstreams are keyed by the tree it produced now, not by the one planning assumed.
    @Test func anUpstreamRebuiltAtDispatchRekeysItsDownstreams() async throws {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            stages:
              a: {run: "date +%s%N > ${out}/t"}
              b: {run: "cat ${a.out}/t > ${out}/t", needs: [a]}
            """)
        #expect(try await p.run().succeeded)
        let ws = try p.workspace()
        let tree = try #require(try ws.plan(try p.graph(), targets: ["a"], kindIdentity: BuiltinKinds.registry.identity(of:)).first?.tree)
        let path = ws.layout.blobPath(try #require(try ws.trees.load(tree).entries[0].digest))
        chmod(path, 0o644)
        try "garbage".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: ws.layout.outputPath(tree))
        // b changes, so the run starts; a is fresh at planning, and its damage is found when b is about to read it.
        p.write("trellis.yaml", p.read("trellis.yaml")!.replacingOccurrences(of: "> ${out}/t\", needs", with: "> ${out}/t; true\", needs"))
        #expect(try p.states()["a"] == .fresh && p.states()["b"] == .stale)
        let r = try await p.run()
        #expect(r.succeeded && r.executed == ["a", "b"], "\(r)")
        let after = try p.workspace().plan(try p.graph(), targets: [], kindIdentity: BuiltinKinds.registry.identity(of:))
        let a = try #require(after.first { $0.instance.name == "a" }?.tree), b = try #require(after.first { $0.instance.name == "b" }?.tree)
        #expect(try String(contentsOfFile: ws.trees.materialize(a) + "/t", encoding: .utf8) == String(contentsOfFile: ws.trees.materialize(b) + "/t", encoding: .utf8))
    }

    /// Issue #25: each stage of a wide sweep is examined once, when it becomes ready — not once per
    /// completion elsewhere (that was O(pending) cache queries per completion, quadratic overall).
    @Test func aWideSweepExaminesEachStageOnce() async throws {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            stages:
              m: {run: "echo ${matrix.i} > ${out}/o.txt", matrix: {i: [\((0..<300).map(String.init).joined(separator: ", "))]}}
              all: {run: "ls ${m[*].out} > /dev/null; echo ok > ${out}/o.txt", needs: ["m[*]"]}
            """)
        let r = try await p.run { $0.jobs = 1 }
        #expect(r.succeeded && r.executed.count == 301)
        #expect(r.examinations == 301, "\(r.examinations) examinations for 301 stages")
        p.write("trellis.yaml", p.read("trellis.yaml")!.replacingOccurrences(of: "echo ok", with: "echo changed"))
        let again = try await p.run { $0.jobs = 1 }
        #expect(again.executed == ["all"] && again.examinations == 301)
    }

    @Test func builtinConfigErrorsNameTheStage() async throws {
        let p = Project()
        p.write("trellis.yaml", "trellis: 1\nstages:\n  t: {kind: collect, with: {sort_bye: loss}}\n")
        await #expect(throws: SchedulerError.self) { try await p.run() }
        p.write("trellis.yaml", "trellis: 1\nstages:\n  t: {run: x, resources: {gpus: 1}}\n")
        do { try await p.run(); Issue.record("GPU stage ran without GPUs") } catch let e as SchedulerError {
            #expect(e.description.contains("'t' needs 1 GPU"))
        }
    }
}
