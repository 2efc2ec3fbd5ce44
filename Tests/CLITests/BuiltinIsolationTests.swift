import Foundation
import Testing

/// Builtin stages run as child processes of their own (issue #15, item 2). Uses the test-only
/// kinds that `TRELLIS_TEST_KINDS=1` registers (`test-trap`, `test-sleep`, `test-burn`).
@Suite(.serialized) struct BuiltinIsolationTests {
    func project(_ stages: String) -> CLI {
        var cli = CLI()
        cli.environment = ["TRELLIS_TEST_KINDS": "1"]
        cli.write("trellis.yaml", "trellis: 1\nname: iso\nstages:\n" + stages)
        return cli
    }

    func executions(_ cli: CLI, _ stage: String) throws -> [[String: Any]] {
        let show = try cli.run("show", stage, "--json")
        let object = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        return object?["executions"] as? [[String: Any]] ?? []
    }

    @Test func aJobFileThatIsNotOneIsRefusedByName() throws {
        let cli = CLI()
        cli.write("job.json", "{\"format\": \"something-else\"}")
        let r = try cli.run("internal", "run-builtin", "job.json")
        #expect(r.status == 1 && r.stderr.contains("job.json: not a trellis-builtin-job file"), "\(r.output)")
    }

    @Test func aBuiltinStageThatCrashesFailsAloneWhileAParallelStageCompletes() throws {
        let cli = project("  crash: {kind: test-trap}\n  other: {run: \"sleep 1; echo ok > ${out}/o\"}\n")
        let run = try cli.run("run", "-j", "2")
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("crash") && run.output.contains("signal"), "\(run.output)")
        #expect(run.output.contains("deliberate crash") || run.output.contains("about to crash"), "the log tail is shown: \(run.output)")
        let states = try cli.statusJSON()
        #expect(states["other"] == "fresh" && states["crash"] != "fresh", "\(states)")
    }

    @Test func twoBuiltinStagesAtOnceReportTheirOwnCPUAndMemoryAndCoresAreHonoured() throws {
        let cli = project("""
              burn: {kind: test-burn, with: {seconds: 1.5}, resources: {cores: 1}}
              nap:  {kind: test-sleep, with: {seconds: 1.5}, resources: {cores: 1}}
            """)
        let started = Date()
        #expect(try cli.run("run", "-j", "2").status == 0)
        #expect(Date().timeIntervalSince(started) < 2.9, "the two stages ran at once")
        let burn = try #require(try executions(cli, "burn").first), nap = try #require(try executions(cli, "nap").first)
        let burnCPU = try #require(burn["cpu_seconds"] as? Double), napCPU = try #require(nap["cpu_seconds"] as? Double)
        #expect(burnCPU > 1.0 && burnCPU < 2.5, "burn: \(burnCPU) s of CPU")
        #expect(napCPU < 0.5, "nap: \(napCPU) s of CPU (not the process's total)")
        #expect((nap["peak_memory_bytes"] as? Int ?? 0) > 0)
        let output = try #require(try JSONSerialization.jsonObject(with: Data(try cli.run("show", "burn", "--json").stdout.utf8)) as? [String: Any])
        let threads = try String(contentsOfFile: (output["output"] as? String ?? "") + "/threads.txt", encoding: .utf8)
        #expect(threads == "1\n", "cores: 1 gives the engine one thread")
        // Each builtin execution records the numeric path it ran on; a shell stage's is unknown.
        #expect((burn["numeric_path"] as? String)?.hasPrefix("engine ") == true && (burn["numeric_path"] as? String)?.contains("openblas") == true, "\(burn)")
        #expect(try cli.run("show", "burn").stdout.contains("numeric path: engine "))
    }

    @Test func cancellingARunKillsABuiltinStageThatIgnoresCancellationWithinASecond() throws {
        let cli = project("  nap: {kind: test-sleep, with: {seconds: 30}}\n")
        let (process, _, _) = try cli.start(["run"])
        let work = cli.directory + "/artifacts/work"
        var pid: Int32?
        let deadline = Date().addingTimeInterval(20)
        while pid == nil && Date() < deadline {
            usleep(50_000)
            for folder in (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? [] {
                let log = (try? String(contentsOfFile: "\(work)/\(folder)/log", encoding: .utf8)) ?? ""
                if let range = log.range(of: "in process ") {
                    pid = Int32(log[range.upperBound...].prefix { $0.isNumber })
                }
            }
        }
        let child = try #require(pid, "the builtin stage's child process never started")
        let signalled = Date()
        kill(process.processIdentifier, SIGINT)
        while !KilledRunTests.isGone(child) && Date().timeIntervalSince(signalled) < 5 { usleep(20_000) }
        let took = Date().timeIntervalSince(signalled)
        #expect(KilledRunTests.isGone(child) && took < 1.0, "child gone after \(took) s")
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
    }
}
