import Foundation
import Testing

/// Issue #25: a wide run prints a summary line, not two lines per stage.
@Suite struct WideRunTests {
    @Test func aWideRunOffATerminalPrintsPeriodicSummaryLinesAndEveryFailure() throws {
        var cli = CLI()
        cli.environment = ["TRELLIS_SUMMARY_SECONDS": "0.2"]
        let members = (0..<80).map(String.init).joined(separator: ", ")
        cli.write("trellis.yaml", """
            trellis: 1
            stages:
              m: {run: "sleep 0.02; test ${matrix.i} != 7 && echo ${matrix.i} > ${out}/o.txt", matrix: {i: [\(members)]}}
            """)
        let r = try cli.run("run", "--keep-going", "--jobs", "2")
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("✓ ") || $0.hasPrefix("▶ ") }, "no line per stage:\n\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("✗ m[i=7]") }, "failures are printed:\n\(r.stderr)")
        let summaries = lines.filter { $0.hasPrefix("[") && $0.contains("stages/s") }
        #expect(summaries.count >= 2, "periodic summaries:\n\(r.stderr)")
        #expect(summaries.last?.hasPrefix("[80/80]") == true && summaries.last?.contains("failed 1") == true, "\(summaries)")
    }

    @Test func aNarrowRunStillPrintsALinePerStage() throws {
        let cli = CLI()
        cli.write("trellis.yaml", "trellis: 1\nstages:\n  m: {run: \"echo ${matrix.i} > ${out}/o.txt\", matrix: {i: [1, 2, 3]}}\n")
        let r = try cli.run("run")
        #expect(r.status == 0 && r.stderr.components(separatedBy: "✓ m[i=").count == 4, "\(r.stderr)")
    }
}

@Suite struct ManifestLimitTests {
    @Test func theManifestSizeLimitIsAFlagAndARefusalNamesIt() throws {
        let cli = CLI()
        var text = "trellis: 1\nstages:\n"
        for i in 0..<100 { text += "  s\(i): {run: \"echo \(i) > ${out}/o\"}\n" }
        cli.write("trellis.yaml", text)
        let refused = try cli.run("status", "--max-manifest-bytes", "2048")
        #expect(refused.status == 2 && refused.stderr.contains("the limit is 2048"), "\(refused)")
        #expect(try cli.run("status", "--max-manifest-bytes", "65536").status == 0)
        #expect(try cli.run("status").status == 0, "the default limit, 64 MiB")
        #expect(try cli.run("status", "--max-manifest-bytes", "12").status == 2)
    }
}

/// Issue #25: SIGKILL at random points of a 2,000-member sweep; every member is then either
/// recorded with its output or reruns, and the store verifies clean.
@Suite struct WideRunKillTests {
    @Test func sigkillAtRandomPointsOfAWideSweepLosesNothing() throws {
        let cli = CLI()
        let members = (0..<20).map(String.init).joined(separator: ", ")
        let hundred = (0..<100).map(String.init).joined(separator: ", ")
        cli.write("trellis.yaml", """
            trellis: 1
            stages:
              m: {run: "echo ${matrix.i} ${matrix.j} > ${out}/o.txt", matrix: {i: [\(members)], j: [\(hundred)]}}
            """)
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        for _ in 0..<3 {
            let (process, _, _) = try cli.start(["run", "--jobs", "2"])
            usleep(UInt32.random(in: 300_000...1_500_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let states = try cli.statusJSON()
            let fresh = states.values.filter { $0 == "fresh" }.count
            if fresh > 0 && fresh < 2000 { killedMidway += 1 }
            #expect(states.count == 2000 && states.values.allSatisfy { $0 == "fresh" || $0 == "missing" }, "\(Set(states.values))")
        }
        #expect(killedMidway > 0, "at least one kill landed in the middle of the sweep")
        let last = try cli.run("run", "--jobs", "2")
        #expect(last.status == 0, "\(last.output.suffix(2000))")
        #expect(try cli.statusJSON().values.allSatisfy { $0 == "fresh" })
        let verify = try cli.run("verify")
        #expect(verify.status == 0 && !verify.stdout.contains("CORRUPT") && !verify.stdout.contains("MISSING"), "\(verify.output)")
        // Every recorded output holds what its member wrote.
        let show = try cli.run("show", "m[i=13,j=57]")
        let output = try #require(show.stdout.split(separator: "\n").first { $0.contains("output:") }?.split(separator: " ").last)
        #expect(try String(contentsOfFile: "\(output)/o.txt", encoding: .utf8) == "13 57\n")
    }
}
