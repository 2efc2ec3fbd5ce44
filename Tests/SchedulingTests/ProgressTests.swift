import Execution
import Foundation
import Scheduling
import StageKinds
import Testing

/// Issue #23: progress from running stages to the person watching.
@Suite struct StageProgressTests {
    @Test func aProgressLineRoundTripsAndStrayLinesAreIgnored() throws {
        let p = StageProgress(done: 120, total: 300, unit: "steps", phase: "train",
                              figures: [("loss", .number(4.2131)), ("lr", .number(0.0003)), ("note", .text("warm \"up\""))])
        #expect(p.jsonLine == #"{"done": 120, "total": 300, "unit": "steps", "phase": "train", "figures": {"loss": 4.2131, "lr": 0.0003, "note": "warm \"up\""}}"#)
        let back = try #require(StageProgress.parse(line: Array(p.jsonLine.utf8)))
        #expect(back == p)
        #expect(back.fraction == 0.4)
        #expect(StageProgress.parse(line: Array("epoch 3 done".utf8)) == nil)
        #expect(StageProgress.parse(line: Array("[1, 2]".utf8)) == nil)
        #expect(StageProgress(done: 5).fraction == nil && StageProgress(done: 5, total: 0).fraction == nil)
    }

    /// A reader sees whole lines only: a partial last line waits until its newline arrives.
    @Test func theReaderFollowsAFileLineByLine() throws {
        let path = NSTemporaryDirectory() + "trellis-progress-\(UUID().uuidString).jsonl"
        var reader = ProgressFile.Reader(path: path)
        #expect(reader.poll() == nil, "no file yet")
        ProgressFile.append(StageProgress(done: 1, total: 10), to: path)
        #expect(reader.poll()?.done == 1)
        #expect(reader.poll() == nil, "nothing new")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("not json\n{\"done\": 2, \"tot".utf8))
        #expect(reader.poll() == nil, "a stray line and a partial one")
        try handle.write(contentsOf: Data("al\": 10}\n".utf8))
        try handle.close()
        #expect(reader.poll()?.done == 2)
        #expect(ProgressFile.last(path)?.done == 2)
    }

    @Test func progressTextShowsPercentCountFiguresAndAnETAFromTheRateSinceTheBaseline() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let p = StageProgress(done: 150, total: 300, unit: "steps", figures: [("loss", .number(4.21349)), ("tokens/s", .number(13180))])
        // 50 steps in 20 s since the baseline: 150 left take 60 s.
        let text = ProgressText.describe(p, baseline: .init(time: t0, done: 100), now: t0.addingTimeInterval(20))
        #expect(text == " 50%  150/300 steps  loss 4.213  tokens/s 13180  ETA 1m00s", "\(text)")
        #expect(ProgressText.bar(0.5, width: 10) == "[█████░░░░░]")
        #expect(ProgressText.duration(7_500) == "2h05m")
        #expect(ProgressText.number(0.000032) == "3.2e-05")
    }

    /// What a stage writes is untrusted: huge numbers do not trap, escapes and newlines never reach the terminal.
    @Test func hostileProgressIsShownSafely() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let huge = StageProgress(done: 2, total: 1e300, unit: "x\u{1B}[2J\ny", phase: String(repeating: "p", count: 500),
                                 figures: [("\u{9B}31m", .text("a\rb")), ("big", .number(-1e308))] + (0..<50).map { ("f\($0)", .number(1)) })
        let text = ProgressText.describe(huge, baseline: .init(time: t0, done: 1), now: t0.addingTimeInterval(1))
        #expect(text.contains("ETA >1000h"), "\(text)")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(text.debugDescription)")
        #expect(text.contains("f9 1") && !text.contains("f10 "), "at most 12 figures")
        #expect(text.contains("2/1e+300 x [2J y") && text.count < 1000, "\(text)")
        #expect(ProgressText.duration(.infinity) == "?" && ProgressText.duration(-5) == "0s")
    }
}

@Suite struct TerminalReporterTests {
    final class Screen: @unchecked Sendable {
        var written = ""
        var now = Date(timeIntervalSince1970: 2_000_000)
    }

    func reporter(live: Bool, _ screen: Screen, columns: Int = 110) -> TerminalReporter {
        TerminalReporter(live: live, progressInterval: 30, columns: { columns }, output: { screen.written += $0 }, now: { screen.now }, ticking: false)
    }

    func train(_ done: Double, loss: Double) -> StageProgress {
        StageProgress(done: done, total: 300, unit: "steps", phase: "train", figures: [("loss", .number(loss)), ("tokens/s", .number(12000))])
    }

    /// A terminal: a live block of one line per running stage, redrawn in place (cursor up, clear
    /// to the end of the screen) under the lines that scroll.
    @Test func onATerminalEachRunningStageHasABarRedrawnInPlace() {
        let screen = Screen()
        let r = reporter(live: true, screen)
        r.report(.planned(total: 3, fresh: 1, toRun: 2))
        r.report(.started(stage: "pretrain", reasons: []))
        r.report(.started(stage: "tokenizer", reasons: []))
        screen.written = ""
        screen.now += 10
        r.report(.progress(stage: "pretrain", progress: train(30, loss: 6.5)))
        screen.now += 30
        r.report(.progress(stage: "pretrain", progress: train(90, loss: 5.25)))
        r.tick()
        // 60 steps in 30 s since the first report: 210 left take 105 s.
        #expect(screen.written == "\r\u{1B}[2A\u{1B}[J"
                + "[0/2] 40s  running 2\n"
                + "  pretrain [██████░░░░░░░░░░░░░░] train   30%  90/300 steps  loss 5.25  tokens/s 12000  ETA 1m45s  40s\n"
                + "  tokenizer  40s", "\(screen.written.debugDescription)")
        screen.written = ""
        r.report(.succeeded(stage: "tokenizer", seconds: 40, files: 2, bytes: 2048))
        #expect(screen.written.hasPrefix("\r\u{1B}[2A\u{1B}[J✓ tokenizer  40.0s, 2 files, 2.0 KB  [1/2]\n[1/2] 40s  running 1\n  pretrain ["))
        #expect(!screen.written.hasSuffix("\n"), "the block stays under the cursor")
    }

    /// A line wider than the terminal would wrap and break the redraw: each is cut to fit.
    @Test func liveLinesAreCutToTheTerminalWidth() {
        let screen = Screen()
        let r = reporter(live: true, screen, columns: 40)
        r.report(.planned(total: 1, fresh: 0, toRun: 1))
        r.report(.started(stage: "pretrain[pos=alibi,eln=true]", reasons: []))
        r.report(.progress(stage: "pretrain[pos=alibi,eln=true]", progress: train(30, loss: 6.5)))
        screen.written = ""
        r.tick()
        let lines = screen.written.replacingOccurrences(of: "\r\u{1B}[1A\u{1B}[J", with: "").split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.count <= 39 } && lines[1].hasSuffix("…"), "\(lines)")
    }

    /// Not a terminal: plain lines, one at each 10% step and one per interval, never a control character.
    @Test func offATerminalProgressLinesComeAtEachTenPercentAndEveryInterval() {
        let screen = Screen()
        let r = reporter(live: false, screen)
        r.report(.planned(total: 1, fresh: 0, toRun: 1))
        r.report(.started(stage: "pretrain", reasons: ["never built"]))
        screen.written = ""
        for step in stride(from: 3.0, through: 66, by: 3) {
            screen.now += 1
            r.report(.progress(stage: "pretrain", progress: train(step, loss: 7 - step / 100)))
        }
        let decileLines = screen.written.split(separator: "\n")
        // 1%, 10%, 20% (steps 3, 30, 60): one line each, no more.
        #expect(decileLines.count == 3, "\(decileLines)")
        #expect(decileLines.first == "… pretrain  train    1%  3/300 steps  loss 6.97  tokens/s 12000  (running 1s)", "\(decileLines)")
        #expect(decileLines.last?.hasPrefix("… pretrain  train   20%  60/300 steps") == true)
        // The last line came at step 60 (20 s in); now 22 s in.
        screen.written = ""
        screen.now += 7
        r.tick()
        #expect(screen.written.isEmpty, "not yet 30 s since the last line")
        screen.now += 22
        r.tick()
        #expect(screen.written.hasPrefix("… pretrain  train   22%  66/300 steps"), "\(screen.written)")
        #expect(screen.written.contains("ETA"))
        #expect(!screen.written.contains("\u{1B}") && !screen.written.contains("\r"))
        // A stage with no progress file still shows that it is alive.
        r.report(.started(stage: "shell", reasons: []))
        screen.written = ""
        screen.now += 31
        r.tick()
        #expect(screen.written.contains("… shell  (running 31s)"), "\(screen.written)")
    }
}

@Suite struct ShellStageProgressTests {
    /// Acknowledges each progress report by creating `ack-N` in the project, so the stage (which
    /// waits for it before its next line) proves each report arrived while it was still running.
    final class AcknowledgingReporter: RunReporter, @unchecked Sendable {
        let inner = CollectingReporter()
        let folder: String
        init(folder: String) { self.folder = folder }
        func report(_ event: RunEvent) {
            inner.report(event)
            if case .progress("count", let p) = event, let done = p.done {
                _ = FileManager.default.createFile(atPath: "\(folder)/ack-\(Int(done))", contents: nil)
            }
        }
    }

    /// A shell stage appends lines to `$TRELLIS_PROGRESS`; the run's reporter receives each while
    /// the stage runs.
    @Test func aShellStagesProgressLinesReachTheReporter() async throws {
        let project = Project()
        project.write("count.sh", """
            for i in 1 2 3 4 5; do
              printf '{"done": %d, "total": 5, "unit": "files", "figures": {"last": "f%d"}}\\n' $i $i >> "$TRELLIS_PROGRESS"
              for t in $(seq 600); do [ -e "ack-$i" ] && break; sleep 0.05; done
              [ -e "ack-$i" ] || { echo "progress $i was not seen within 30 s"; exit 1; }
            done
            echo ok > "$1/o.txt"
            """)
        project.write("trellis.yaml", """
            trellis: 1
            stages:
              count: {run: "bash count.sh ${out}", deps: [count.sh]}
            """)
        let reporter = AcknowledgingReporter(folder: project.path)
        let summary = try await Scheduler(workspace: try project.workspace(), graph: try project.graph(), executor: LocalExecutor(builtins: BuiltinKinds.registry),
                                          builtins: BuiltinKinds.registry, reporter: reporter, options: { var o = RunOptions(); o.progressInterval = 0.05; return o }(),
                                          cancellation: Cancellation()).run()
        #expect(summary.succeeded, "\(summary.failed)")
        let seen = reporter.inner.events.compactMap { event -> StageProgress? in
            if case .progress("count", let p) = event { return p }
            return nil
        }
        #expect(seen.compactMap(\.done) == [1, 2, 3, 4, 5], "each line once, in order")
        #expect(seen.last == StageProgress(done: 5, total: 5, unit: "files", figures: [("last", .text("f5"))]))
    }
}
