import Execution
import Foundation

/// Shows a run. On a terminal, finished stages scroll above a live block, redrawn in place: a
/// header (`[done/total] elapsed`) and one line per running stage with a bar, percent, its figures
/// and an ETA (from its progress file). Elsewhere (CI logs, pipes) one plain line per event, and
/// for each running stage a progress line every `progressInterval` seconds and at each 10% step;
/// never a control character. A wide run (more than `wideThreshold` stages to run) prints no line
/// per stage: on a terminal the live line counts done / running / failed with stages per second and
/// an ETA; elsewhere such a summary line is printed every `summaryInterval` seconds. Failures are
/// always printed; every stage's start and end are in the run database (`trellis runs`, `trellis show`).
public final class TerminalReporter: RunReporter, @unchecked Sendable {
    private struct Running {
        var started: Date
        var progress: StageProgress?
        var baseline: ProgressText.Baseline?
        var lastLine: Date
        var lastDecile = -1
    }

    private let lock = NSLock()
    private let live: Bool
    private let wideThreshold: Int
    private let summaryInterval: Double
    private let progressInterval: Double
    private let columns: () -> Int
    private let output: (String) -> Void
    private let now: () -> Date
    private var wide = false
    private var running: [String: Running] = [:]
    private var done = 0
    private var total = 0
    private var failed = 0
    private var skipped = 0
    private var timer: DispatchSourceTimer?
    private var lastSummary: Date
    private let start: Date
    /// Lines of the live block on screen now (cleared before anything else is written).
    private var drawnLines = 0

    /// `output` and `now` are for tests (a fake terminal and clock); `ticking: false` leaves the
    /// redraws to `tick()` calls.
    public init(live: Bool = isatty(STDERR_FILENO) == 1, wideThreshold: Int = 50, summaryInterval: Double = 10, progressInterval: Double = 30,
                columns: @escaping () -> Int = TerminalReporter.terminalColumns, output: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                now: @escaping () -> Date = Date.init, ticking: Bool = true) {
        self.live = live
        self.wideThreshold = wideThreshold
        self.summaryInterval = summaryInterval
        self.progressInterval = progressInterval
        self.columns = columns
        self.output = output
        self.now = now
        start = now()
        lastSummary = start
        guard ticking else { return }
        let t = DispatchSource.makeTimerSource(queue: .global())
        let period = live ? 0.5 : max(0.05, min(1, min(summaryInterval, progressInterval) / 4))
        t.schedule(deadline: .now() + period, repeating: period)
        t.setEventHandler { [weak self] in self?.tick() }
        t.resume()
        timer = t
    }

    /// Redraws the live block (terminal) or prints the lines that are due (elsewhere).
    public func tick() {
        lock.lock(); defer { lock.unlock() }
        let time = now()
        if live {
            clearBlock()
            drawBlock()
        } else if wide {
            if time.timeIntervalSince(lastSummary) >= summaryInterval {
                lastSummary = time
                output(summary() + "\n")
            }
        } else {
            for name in running.keys.sorted() where time.timeIntervalSince(running[name]!.lastLine) >= progressInterval {
                running[name]!.lastLine = time
                output(plainProgressLine(name) + "\n")
            }
        }
    }

    public func stop() {
        timer?.cancel()
        lock.lock(); defer { lock.unlock() }
        clearBlock()
        if wide { output(summary() + "\n") }
    }

    public func report(_ event: RunEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .planned(let total, let fresh, let toRun):
            self.total = toRun
            wide = toRun > wideThreshold
            line(toRun == 0 ? "all \(total) stages are up to date" : "\(toRun) of \(total) stages to run (\(fresh) up to date)"
                 + (wide ? "; a summary line instead of a line per stage (failures are printed)" : ""))
        case .started(let stage, let reasons):
            running[stage] = Running(started: now(), lastLine: now())
            if !wide { line("▶ \(stage)" + (reasons.first.map { "  (\($0.split(separator: "\n").first ?? ""))" } ?? "")) }
        case .progress(let stage, let progress):
            guard var r = running[stage] else { return }   // a late report of a stage that ended
            if r.baseline == nil, let d = progress.done { r.baseline = .init(time: now(), done: d) }
            r.progress = progress
            running[stage] = r
            // Off a terminal: a line at each 10% step (the periodic lines come from `tick`).
            if !live, !wide, let fraction = progress.fraction, Int(fraction * 10) > r.lastDecile {
                running[stage]!.lastDecile = Int(fraction * 10)
                running[stage]!.lastLine = now()
                line(plainProgressLine(stage))
            }
        case .cached(let stage):
            done += 1
            if !wide { line("= \(stage)  (output unchanged, reused from the store)") }
        case .succeeded(let stage, let seconds, let files, let bytes):
            done += 1
            running[stage] = nil
            if !wide { line("✓ \(stage)  \(String(format: "%.1f", seconds))s, \(files) file\(files == 1 ? "" : "s"), \(Self.size(bytes))  [\(done)/\(total)]") }
        case .failed(let stage, let message, let logTail):
            failed += 1
            // A stage that fails after it ended (its `publish` link) was counted when it ended.
            if running.removeValue(forKey: stage) != nil { done += 1 }
            var text = "✗ \(stage): \(message)"
            if !logTail.isEmpty { text += "\n" + logTail.split(separator: "\n", omittingEmptySubsequences: false).map { "    │ " + $0 }.joined(separator: "\n") }
            line(text)
        case .skipped(let stage, let because):
            skipped += 1
            if !wide { line("- \(stage) skipped: \(because)") }
        case .interrupted(let stage):
            running[stage] = nil
            line("■ \(stage) interrupted")
        case .note(let text):
            line("note: \(text)")
        }
    }

    /// `… pretrain  40%  120/300 steps  loss 4.213  lr 0.0003  tokens/s 13180  ETA 1m12s  (running 1m30s)`
    private func plainProgressLine(_ name: String) -> String {
        let r = running[name]!
        let elapsed = ProgressText.duration(now().timeIntervalSince(r.started))
        guard let p = r.progress else { return "… \(name)  (running \(elapsed))" }
        return "… \(name)  \(ProgressText.describe(p, baseline: r.baseline, now: now()))  (running \(elapsed))"
    }

    /// `[done/total] 12s  running 2, failed 0, 310.5 stages/s, ETA 25s`
    private func summary() -> String {
        let elapsed = now().timeIntervalSince(start)
        let rate = Double(done) / max(elapsed, 1e-3)
        let eta = rate > 0 ? String(format: ", ETA %.0fs", Double(total - done) / rate) : ""
        return "[\(done)/\(total)] \(String(format: "%.0f", elapsed))s  running \(running.count), failed \(failed)"
            + (skipped > 0 ? ", skipped \(skipped)" : "") + String(format: ", %.1f stages/s", rate) + eta
    }

    private func line(_ text: String) {
        clearBlock()
        output(text + "\n")
        if live { drawBlock() }
    }

    private func clearBlock() {
        guard live, drawnLines > 0 else { return }
        output("\r" + (drawnLines > 1 ? "\u{1B}[\(drawnLines - 1)A" : "") + "\u{1B}[J")
        drawnLines = 0
    }

    /// The header and one line per running stage (the 8 longest-running; then a count of the rest),
    /// each cut to the terminal's width so that none wraps (a wrapped line would break the redraw).
    private func drawBlock() {
        let width = max(20, columns())
        func fit(_ s: String) -> String { s.count <= width - 1 ? s : String(s.prefix(width - 2)) + "…" }
        let time = now()
        if wide { output(fit(summary())); drawnLines = 1; return }
        guard !running.isEmpty else { return }
        var lines = ["[\(done)/\(total)] \(ProgressText.duration(time.timeIntervalSince(start)))  running \(running.count)"]
        let shown = running.sorted { ($0.value.started, $0.key) < ($1.value.started, $1.key) }.prefix(8)
        for (name, r) in shown {
            let elapsed = ProgressText.duration(time.timeIntervalSince(r.started))
            if let p = r.progress {
                lines.append("  \(name) \(ProgressText.bar(p.fraction)) \(ProgressText.describe(p, baseline: r.baseline, now: time))  \(elapsed)")
            } else {
                lines.append("  \(name)  \(elapsed)")
            }
        }
        if running.count > shown.count { lines.append("  +\(running.count - shown.count) more") }
        output(lines.map(fit).joined(separator: "\n"))
        drawnLines = lines.count
    }

    /// The terminal's width (stderr's), 100 when it cannot be told.
    public static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return Int(size.ws_col)
    }

    public static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
