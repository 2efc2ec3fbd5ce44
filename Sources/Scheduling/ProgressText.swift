import Execution
import Foundation

/// A running stage's progress as text: `42% 126/300 steps  loss 4.213  lr 0.0003  tokens/s 13180  ETA 1m40s`,
/// with a bar in front on a terminal. The ETA comes from the rate since the first report that
/// had a `done` count (a stage's start-up, such as reading its corpus, is not counted as progress).
public struct ProgressText {
    public struct Baseline: Sendable {
        public var time: Date
        public var done: Double
        public init(time: Date, done: Double) { self.time = time; self.done = done }
    }

    public static func describe(_ p: StageProgress, baseline: Baseline?, now: Date) -> String {
        var parts: [String] = []
        if let phase = p.phase { parts.append(phase) }
        if let fraction = p.fraction { parts.append(String(format: "%3.0f%%", fraction * 100)) }
        if let done = p.done {
            parts.append(number(done) + (p.total.map { "/" + number($0) } ?? "") + (p.unit.map { " " + $0 } ?? ""))
        }
        for figure in p.figures {
            switch figure.value {
            case .number(let x): parts.append("\(figure.name) \(number(x))")
            case .text(let s): parts.append("\(figure.name) \(s)")
            }
        }
        if let eta = eta(p, baseline: baseline, now: now) { parts.append("ETA " + duration(eta)) }
        return parts.joined(separator: "  ")
    }

    /// Seconds left at the rate since `baseline`; nil when unknown (no total, no progress yet).
    public static func eta(_ p: StageProgress, baseline: Baseline?, now: Date) -> Double? {
        guard let baseline, let done = p.done, let total = p.total, total >= done else { return nil }
        let elapsed = now.timeIntervalSince(baseline.time), gained = done - baseline.done
        guard elapsed > 0, gained > 0 else { return nil }
        return (total - done) / (gained / elapsed)
    }

    /// `[████████░░░░░░░░░░░░]` for a known fraction, `[` spaces `]` otherwise.
    public static func bar(_ fraction: Double?, width: Int = 20) -> String {
        guard let fraction else { return "[" + String(repeating: " ", count: width) + "]" }
        let filled = Int((fraction * Double(width)).rounded(.down))
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
    }

    /// Whole numbers as integers; others with 4 significant digits (`4.213`, `0.0003`, `3.2e-05`).
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        if abs(x) >= 1000 { return String(format: "%.0f", x) }
        return String(format: "%.4g", x)
    }

    /// `45s`, `3m05s`, `2h07m`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
