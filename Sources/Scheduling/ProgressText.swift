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

    /// A stage writes its progress file, so what it says is untrusted: control characters (a
    /// terminal escape, a newline that would break the redrawn block) become spaces, each piece is
    /// cut to 60 characters and at most 12 figures are shown.
    public static func describe(_ p: StageProgress, baseline: Baseline?, now: Date) -> String {
        var parts: [String] = []
        if let phase = p.phase { parts.append(clean(phase)) }
        if let fraction = p.fraction { parts.append(String(format: "%3.0f%%", fraction * 100)) }
        if let done = p.done {
            parts.append(number(done) + (p.total.map { "/" + number($0) } ?? "") + (p.unit.map { " " + clean($0) } ?? ""))
        }
        for figure in p.figures.prefix(12) {
            switch figure.value {
            case .number(let x): parts.append("\(clean(figure.name)) \(number(x))")
            case .text(let s): parts.append("\(clean(figure.name)) \(clean(s))")
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
        if abs(x) >= 1000 && abs(x) < 1e15 { return String(format: "%.0f", x) }
        return String(format: "%.4g", x)
    }

    /// Printable text of at most 60 characters: C0 and C1 controls and DEL become spaces.
    static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(60) {
            out.append(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? " " : scalar)
        }
        return String(out) + (text.unicodeScalars.count > 60 ? "…" : "")
    }

    /// `45s`, `3m05s`, `2h07m`; `>1000h` past that (a stage's numbers can be anything).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        guard seconds < 3_600_000 else { return ">1000h" }
        let s = Int(max(0, seconds).rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
