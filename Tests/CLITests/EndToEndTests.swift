import Foundation
import Testing

@Suite(.serialized) struct EndToEndTests {
    static let manifest = """
        trellis: 1
        name: demo
        params: {n: 3, greeting: hello}
        stages:
          make:   {run: "echo ${params.greeting} > ${out}/a.txt", deps: [inputs/seed.txt]}
          double: {run: "cat ${make.out}/a.txt ${make.out}/a.txt > ${out}/b.txt", needs: [make]}
          sweep:
            run: "echo ${matrix.size} > ${out}/s.txt"
            matrix: {size: [1, 2, 3]}
        """

    func project() -> CLI {
        let cli = CLI()
        cli.write("trellis.yaml", Self.manifest)
        cli.write("inputs/seed.txt", "seed\n")
        return cli
    }

    @Test func rerunIsANoOpAndAParamChangeRerunsTheRightSubset() throws {
        let cli = project()
        let first = try cli.run("run")
        #expect(first.status == 0, "\(first.output)")
        #expect(first.stderr.contains("5 ran"))
        let second = try cli.run("run")
        #expect(second.status == 0 && second.stderr.contains("all 5 stages are up to date"))
        cli.write("trellis.yaml", Self.manifest.replacingOccurrences(of: "greeting: hello", with: "greeting: hi"))
        let states = try cli.statusJSON()
        #expect(states == ["make": "stale", "double": "stale", "sweep[size=1]": "fresh", "sweep[size=2]": "fresh", "sweep[size=3]": "fresh"])
        let why = try cli.run("why", "make")
        #expect(why.stdout.contains("param greeting: hello → hi"))
        let third = try cli.run("run")
        #expect(third.stderr.contains("2 ran") && third.stderr.contains("3 up to date"), "\(third.output)")
        let show = try cli.run("show", "double")
        #expect(show.stdout.contains("[fresh]") && show.stdout.contains("output:"))
        let output = show.stdout.split(separator: "\n").first { $0.contains("output:") }!.split(separator: " ").last!
        #expect(try String(contentsOfFile: "\(output)/b.txt", encoding: .utf8) == "hi\nhi\n")
        let runs = try cli.run("runs")
        #expect(runs.stdout.split(separator: "\n").count == 2)
    }

    @Test func sigkillDuringAStageLeavesAConsistentStoreAndTheRerunCompletes() throws {
        let cli = CLI()
        cli.write("trellis.yaml", """
            trellis: 1
            stages:
              first: {run: "echo one > ${out}/o"}
              slow: {run: "touch started.marker; sleep 2; echo two > ${out}/o", needs: [first]}
            """)
        let (process, _, _) = try cli.start(["run"])
        #expect(cli.waitFor("started.marker"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try cli.statusJSON() == ["first": "fresh", "slow": "missing"])
        let rerun = try cli.run("run")
        #expect(rerun.status == 0 && rerun.stderr.contains("1 ran"), "\(rerun.output)")
        let verify = try cli.run("verify")
        #expect(verify.status == 0 && !verify.stdout.contains("CORRUPT"), "\(verify.output)")
        let runs = try cli.run("runs")
        #expect(runs.stdout.contains("interrupted") && runs.stdout.contains("succeeded"))
    }

    @Test func ctrlCStopsTheStageAndStoresNothing() throws {
        let cli = CLI()
        cli.write("trellis.yaml", "trellis: 1\nstages:\n  slow: {run: \"touch started.marker; sleep 5; touch finished.marker; echo x > ${out}/o\"}\n")
        let (process, _, err) = try cli.start(["run"])
        #expect(cli.waitFor("started.marker"))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("interrupted"))
        usleep(300_000)
        #expect(!cli.exists("finished.marker"), "the stage's process group should have been terminated")
        #expect(try cli.statusJSON() == ["slow": "missing"])
    }

    @Test func benchTrainPrintsTheFigures() throws {
        let cli = CLI()
        let r = try cli.run("bench", "train", "--vocab", "64", "--hidden", "32", "--layers", "1", "--heads", "2",
                            "--batch", "2", "--length", "16", "--steps", "2", "--warmup", "1", "--no-peak", "--json")
        #expect(r.status == 0, "\(r.output)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((json?["tokens_per_s"] as? Double ?? 0) > 0)
        #expect(json?["gflop_per_step"] as? Double == 0.00294912)
        let bad = try cli.run("bench", "train", "--hidden", "100", "--heads", "3")
        #expect(bad.status != 0 && bad.stderr.contains("hidden 100 is not a multiple of heads 3"))
    }

    @Test func manifestErrorsNameFileLineAndColumnWithAHint() throws {
        let cli = CLI()
        cli.write("trellis.yaml", "trellis: 1\nstages:\n  a:\n    run: echo\n    need: [b]\n")
        let r = try cli.run("status")
        #expect(r.status == 2)
        #expect(r.stderr.contains("trellis.yaml:5:5: unknown key 'need' in stage 'a'"), "\(r.stderr)")
        #expect(r.stderr.contains("hint: did you mean 'needs'?"))
        cli.write("trellis.yaml", "trellis: 1\nstages:\n  a: {run: x, deps: [missing.txt]}\n")
        let missing = try cli.run("run")
        #expect(missing.status == 2 && missing.stderr.contains("trellis.yaml:3:") && missing.stderr.contains("missing.txt"), "\(missing.stderr)")
        let noManifest = try cli.run("status", "-f", "nope.yaml")
        #expect(noManifest.status == 2 && noManifest.stderr.contains("nope.yaml: cannot read manifest: no such file"))
    }

    @Test func twoConcurrentRunsShareOneStoreSafely() throws {
        let cli = CLI()
        cli.write("trellis.yaml", """
            trellis: 1
            stages:
              s: {run: "sleep 0.3; echo ${matrix.i} > ${out}/o", matrix: {i: [1, 2, 3, 4, 5, 6]}}
              all: {run: "for d in ${s[*].out}; do cat $d/o; done > ${out}/all"}
            """)
        let a = try cli.start(["run", "-j", "2"])
        let b = try cli.start(["run", "-j", "2"])
        a.0.waitUntilExit()
        b.0.waitUntilExit()
        #expect(a.0.terminationStatus == 0 && b.0.terminationStatus == 0)
        #expect(Set(try cli.statusJSON().values) == ["fresh"])
        #expect(try cli.run("verify").status == 0)
        // Each key was built once: 7 successful executions in all, the rest reused.
        let runs = try cli.run("runs", "--json")
        let list = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as! [[String: Any]]
        let succeeded = list.flatMap { ($0["stages"] as! [[String: Any]]).filter { $0["status"] as! String == "succeeded" } }
        #expect(succeeded.count == 7)
    }

    @Test func dagGcAndVerify() throws {
        let cli = project()
        #expect(try cli.run("dag", "--format", "mermaid").stdout.hasPrefix("flowchart LR"))
        #expect(try cli.run("dag", "--format", "dot").stdout.contains("\"make\" -> \"double\""))
        #expect(try cli.run("dag", "--format", "svg").status == 2)
        try cli.run("run")
        cli.write("trellis.yaml", Self.manifest.replacingOccurrences(of: "greeting: hello", with: "greeting: hi"))
        try cli.run("run")
        // Old outputs of make/double are no manifest's head; with --keep-days 0 they go.
        let dry = try cli.run("gc", "-f", "trellis.yaml", "--keep-days", "0")
        #expect(dry.stdout.contains("would remove") && dry.stdout.contains("2 cache entries"), "\(dry.output)")
        let listed = try JSONSerialization.jsonObject(with: Data(try cli.run("gc", "-f", "trellis.yaml", "--keep-days", "0", "--json").stdout.utf8)) as? [String: Any]
        #expect((listed?["cache_entries"] as? [String])?.count == 2 && listed?["applied"] as? Bool == false)
        let applied = try cli.run("gc", "-f", "trellis.yaml", "--keep-days", "0", "--apply")
        #expect(applied.status == 0)
        let kinds = try cli.run("kinds", "--json").stdout
        #expect(kinds.contains("\"kind\" : \"tokenizer\"") && kinds.contains("\"kind\" : \"corpus\""), "\(kinds)")
        #expect(Set(try cli.statusJSON().values) == ["fresh"])
        #expect(try cli.run("verify").status == 0)
        cli.write("trellis.yaml", Self.manifest)
        #expect(try cli.statusJSON()["make"] == "stale")
    }
}

@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SLURM_CONF"] != nil, "needs a Slurm cluster (SLURM_CONF)"))
struct SlurmEndToEndTests {
    @Test func restartedTrellisReattachesToTheRunningJobInsteadOfResubmitting() throws {
        let cli = CLI()
        let tag = UUID().uuidString.prefix(8)
        cli.write("trellis.yaml", "trellis: 1\nstages:\n  slow\(tag): {run: \"touch started.marker; sleep 3; echo done > ${out}/o\"}\n")
        let (process, _, _) = try cli.start(["run", "--executor", "slurm", "--poll-interval", "0.3"])
        #expect(cli.waitFor("started.marker", seconds: 60))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let rerun = try cli.run("run", "--executor", "slurm", "--poll-interval", "0.3")
        #expect(rerun.status == 0, "\(rerun.output)")
        let show = try cli.run("show", "slow\(tag)")
        #expect(show.stdout.contains("re-attached to Slurm job"), "\(show.stdout)")
        // One job was ever submitted for the stage.
        let jobs = try CLI.shell("scontrol -o show job | grep -c 'JobName=trellis:slow\(tag)' || true")
        #expect(jobs.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }
}

@Suite struct ToolCommandTests {
    @Test func tokenizerTrainThenEncodeRoundTrips() throws {
        let cli = CLI()
        cli.write("a.txt", (0..<100).map { "hello world \($0) — héllo wörld, 你好世界" }.joined(separator: "\n"))
        let train = try cli.run("tokenizer", "train", "--input", "a.txt", "--vocab-size", "290", "--out", "tok.json")
        #expect(train.status == 0, "\(train.output)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["tokenizer", "encode", "--tokenizer", "tok.json"]
        p.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data("hello world\nhéllo\n".utf8))
        try input.fileHandleForWriting.close()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && lines.count == 2)
        #expect(lines.allSatisfy { $0.split(separator: " ").allSatisfy { Int($0) != nil } })
        let bad = try cli.run("tokenizer", "encode", "--tokenizer", "a.txt")
        #expect(bad.status != 0 && !bad.stderr.isEmpty)
    }

    @Test func planCommandPrintsTheExactCountAndWritesTheBundle() throws {
        let cli = CLI()
        let r = try cli.run("plan", "--preset", "bloom-176b", "--out", "bundle")
        #expect(r.status == 0 && r.stdout.contains("176,247,271,424"), "\(r.output)")
        #expect(cli.exists("bundle/launch/ds_config.json") && cli.exists("bundle/plan.md"))
        cli.write("bad.yaml", "preset: bloom-176b\nlayout: {tensor_paralel: 4}\n")
        let bad = try cli.run("plan", "--config", "bad.yaml")
        #expect(bad.status == 2 && bad.stderr.contains("tensor_paralel"), "\(bad.stderr)")
    }
}
