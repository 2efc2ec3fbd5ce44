import Foundation
import Testing

/// Issue #23: `trellis status` in a second terminal shows the stages another `trellis run` is
/// running, with what each last reported of its progress; `--json` includes it.
@Suite struct StatusProgressTests {
    @Test func statusInAnotherTerminalShowsARunningStagesProgress() throws {
        let cli = CLI()
        cli.write("trellis.yaml", """
            trellis: 1
            name: watch
            stages:
              long:
                run: |
                  echo '{"done": 7, "total": 20, "unit": "files", "figures": {"loss": 2.5}}' >> "$TRELLIS_PROGRESS"
                  touch started.marker
                  while [ ! -e release.marker ]; do sleep 0.1; done
                  echo ok > ${out}/o.txt
              after: {run: "cat ${long.out}/o.txt > ${out}/p.txt"}
            """)
        let (process, _, _) = try cli.start(["run"])
        defer { cli.write("release.marker", ""); process.waitUntilExit() }
        let deadline = Date().addingTimeInterval(60)
        while !cli.exists("started.marker") && Date() < deadline { usleep(50_000) }
        #expect(cli.exists("started.marker"))

        let text = try cli.run("status")
        #expect(text.status == 0)
        let running = text.stdout.split(separator: "\n").drop { $0 != "running now:" }
        #expect(running.dropFirst().first?.hasPrefix("  long   35%  7/20 files  loss 2.5  ETA ") == true, "\(text.stdout)")
        #expect(text.stdout.hasSuffix("2 missing; 1 running\n"), "\(text.stdout)")

        let rows = try JSONSerialization.jsonObject(with: Data(try cli.run("status", "--json").stdout.utf8)) as? [[String: Any]] ?? []
        let long = rows.first { $0["stage"] as? String == "long" }?["running"] as? [String: Any]
        let progress = long?["progress"] as? [String: Any]
        #expect(progress?["done"] as? Int == 7 && progress?["unit"] as? String == "files", "\(rows)")
        #expect(rows.first { $0["stage"] as? String == "after" }?["running"] == nil)

        cli.write("release.marker", "")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(!(try cli.run("status").stdout.contains("running")), "nothing runs once the run ended")
    }
}
