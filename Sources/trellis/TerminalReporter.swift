import Foundation
import Scheduling

/// Shows a run: on a terminal, finished stages scroll above a live line of what is running with
/// elapsed times; elsewhere (CI logs), one plain line per event.
final class TerminalReporter: RunReporter, @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private var running: [String: Date] = [:]
    private var done = 0
    private var total = 0
    private var timer: DispatchSourceTimer?
    private let start = Date()

    init(live: Bool = isatty(STDERR_FILENO) == 1) {
        self.live = live
        if live {
            let t = DispatchSource.makeTimerSource(queue: .global())
            t.schedule(deadline: .now() + 0.5, repeating: 0.5)
            t.setEventHandler { [weak self] in self?.redraw() }
            t.resume()
            timer = t
        }
    }

    func stop() {
        timer?.cancel()
        lock.lock(); defer { lock.unlock() }
        if live { write("\r\u{1B}[K") }
    }

    func report(_ event: RunEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .planned(let total, let fresh, let toRun):
            self.total = toRun
            line(toRun == 0 ? "all \(total) stages are up to date" : "\(toRun) of \(total) stages to run (\(fresh) up to date)")
        case .started(let stage, let reasons):
            running[stage] = Date()
            line("▶ \(stage)" + (reasons.first.map { "  (\($0.split(separator: "\n").first ?? ""))" } ?? ""))
        case .cached(let stage):
            done += 1
            line("= \(stage)  (output unchanged, reused from the store)")
        case .succeeded(let stage, let seconds, let files, let bytes):
            done += 1
            running[stage] = nil
            line("✓ \(stage)  \(String(format: "%.1f", seconds))s, \(files) file\(files == 1 ? "" : "s"), \(Self.size(bytes))  [\(done)/\(total)]")
        case .failed(let stage, let message, let logTail):
            // A stage that fails after it ended (its `publish` link) was counted when it ended.
            if running.removeValue(forKey: stage) != nil { done += 1 }
            var text = "✗ \(stage): \(message)"
            if !logTail.isEmpty { text += "\n" + logTail.split(separator: "\n", omittingEmptySubsequences: false).map { "    │ " + $0 }.joined(separator: "\n") }
            line(text)
        case .skipped(let stage, let because):
            line("- \(stage) skipped: \(because)")
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

    private func redraw() {
        lock.lock(); defer { lock.unlock() }
        write("\r\u{1B}[K")
        drawStatus()
    }

    private func drawStatus() {
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
