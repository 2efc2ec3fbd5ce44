import Foundation
import Scheduling

/// Shows a run: on a terminal, finished stages scroll above a live line of what is running with
/// elapsed times; elsewhere (CI logs), one plain line per event. A wide run (more than
/// `wideThreshold` stages to run) prints no line per stage: on a terminal the live line counts
/// done / running / failed with stages per second and an ETA; elsewhere such a summary line is
/// printed every `summaryInterval` seconds. Failures are always printed; every stage's start and
/// end are in the run database (`trellis runs`, `trellis show`).
final class TerminalReporter: RunReporter, @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private let wideThreshold: Int
    private let summaryInterval: Double
    private var wide = false
    private var running: [String: Date] = [:]
    private var done = 0
    private var total = 0
    private var failed = 0
    private var skipped = 0
    private var timer: DispatchSourceTimer?
    private var lastSummary = Date()
    private let start = Date()

    init(live: Bool = isatty(STDERR_FILENO) == 1, wideThreshold: Int = 50, summaryInterval: Double = 10) {
        self.live = live
        self.wideThreshold = wideThreshold
        self.summaryInterval = summaryInterval
        let t = DispatchSource.makeTimerSource(queue: .global())
        let period = live ? 0.5 : max(0.05, min(1, summaryInterval / 4))
        t.schedule(deadline: .now() + period, repeating: period)
        t.setEventHandler { [weak self] in self?.tick() }
        t.resume()
        timer = t
    }

    private func tick() {
        lock.lock(); defer { lock.unlock() }
        if live {
            write("\r\u{1B}[K")
            drawStatus()
        } else if wide, Date().timeIntervalSince(lastSummary) >= summaryInterval {
            lastSummary = Date()
            write(summary() + "\n")
        }
    }

    /// `[done/total] 12s  running 2, failed 0, 310.5 stages/s, ETA 25s`
    private func summary() -> String {
        let elapsed = Date().timeIntervalSince(start)
        let rate = Double(done) / max(elapsed, 1e-3)
        let eta = rate > 0 ? String(format: ", ETA %.0fs", Double(total - done) / rate) : ""
        return "[\(done)/\(total)] \(String(format: "%.0f", elapsed))s  running \(running.count), failed \(failed)"
            + (skipped > 0 ? ", skipped \(skipped)" : "") + String(format: ", %.1f stages/s", rate) + eta
    }

    func stop() {
        timer?.cancel()
        lock.lock(); defer { lock.unlock() }
        if live { write("\r\u{1B}[K") }
        if wide { write(summary() + "\n") }
    }

    func report(_ event: RunEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .planned(let total, let fresh, let toRun):
            self.total = toRun
            wide = toRun > wideThreshold
            line(toRun == 0 ? "all \(total) stages are up to date" : "\(toRun) of \(total) stages to run (\(fresh) up to date)"
                 + (wide ? "; a summary line instead of a line per stage (failures are printed)" : ""))
        case .started(let stage, let reasons):
            running[stage] = Date()
            if !wide { line("▶ \(stage)" + (reasons.first.map { "  (\($0.split(separator: "\n").first ?? ""))" } ?? "")) }
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

    private func line(_ text: String) {
        if live { write("\r\u{1B}[K") }
        write(text + "\n")
        if live { drawStatus() }
    }

    private func drawStatus() {
        if wide { write(summary()); return }
        guard !running.isEmpty else { return }
        let now = Date()
        let parts = running.sorted { $0.value < $1.value }.prefix(4).map { "\($0.key) \(String(format: "%.0f", now.timeIntervalSince($0.value)))s" }
        let more = running.count > 4 ? " +\(running.count - 4)" : ""
        write("[\(done)/\(total)] \(String(format: "%.0f", now.timeIntervalSince(start)))s  running: \(parts.joined(separator: ", "))\(more)")
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
