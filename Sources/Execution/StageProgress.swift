import CanonicalJSON
import Foundation

/// How far a running stage is: `done` of `total` `unit`s, an optional phase, and a few named
/// figures (training: loss, lr, tokens/s). A stage reports it by appending one JSON object per line
/// to the file named by `$TRELLIS_PROGRESS` (format `trellis-progress`, version 1):
///
///     {"done": 120, "total": 300, "unit": "steps", "phase": "train", "figures": {"loss": 4.21, "tokens/s": 13180}}
///
/// Every field is optional; the last complete line is what counts. Builtin kinds write it through
/// `BuiltinContext.progress`; a shell stage writes the same lines itself (`echo '{…}' >> "$TRELLIS_PROGRESS"`).
public struct StageProgress: Sendable, Equatable {
    public static let formatName = "trellis-progress"
    public static let formatVersion = 1

    public var done: Double?
    public var total: Double?
    public var unit: String?
    public var phase: String?
    /// Named figures in the order the stage gave them.
    public var figures: [(name: String, value: Figure)]

    public enum Figure: Sendable, Equatable {
        case number(Double)
        case text(String)
    }

    public init(done: Double? = nil, total: Double? = nil, unit: String? = nil, phase: String? = nil, figures: [(name: String, value: Figure)] = []) {
        self.done = done; self.total = total; self.unit = unit; self.phase = phase; self.figures = figures
    }

    public static func == (a: StageProgress, b: StageProgress) -> Bool {
        a.done == b.done && a.total == b.total && a.unit == b.unit && a.phase == b.phase
            && a.figures.map(\.name) == b.figures.map(\.name) && a.figures.map(\.value) == b.figures.map(\.value)
    }

    /// done ÷ total in [0, 1], when both are known and total is positive.
    public var fraction: Double? {
        guard let done, let total, total > 0, done.isFinite, total.isFinite else { return nil }
        return min(1, max(0, done / total))
    }

    /// One line of the file (no newline).
    public var jsonLine: String {
        var parts: [String] = []
        func number(_ x: Double) -> String {
            guard x.isFinite else { return "null" }
            return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        }
        if let done { parts.append("\"done\": \(number(done))") }
        if let total { parts.append("\"total\": \(number(total))") }
        if let unit { parts.append("\"unit\": \(JSONValue.string(unit).canonicalString)") }
        if let phase { parts.append("\"phase\": \(JSONValue.string(phase).canonicalString)") }
        if !figures.isEmpty {
            let items = figures.map { f -> String in
                let value: String
                switch f.value {
                case .number(let x): value = number(x)
                case .text(let s): value = JSONValue.string(s).canonicalString
                }
                return "\(JSONValue.string(f.name).canonicalString): \(value)"
            }
            parts.append("\"figures\": {\(items.joined(separator: ", "))}")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Parses one line; nil for anything that is not a JSON object (a stage's stray output is ignored).
    public static func parse(line: some Collection<UInt8>) -> StageProgress? {
        guard let value = try? JSONValue.parse(Array(line)), case .object(let members) = value else { return nil }
        var progress = StageProgress()
        progress.done = members["done"]?.doubleValue
        progress.total = members["total"]?.doubleValue
        progress.unit = members["unit"]?.stringValue
        progress.phase = members["phase"]?.stringValue
        if case .object(let figures)? = members["figures"] {
            // JSON objects are unordered once parsed: figures are shown in a fixed order of the usual
            // names first (what Megatron and HF print), then the rest by name.
            let names = figures.keys.sorted { a, b in
                let ra = preferredOrder.firstIndex(of: a) ?? preferredOrder.count, rb = preferredOrder.firstIndex(of: b) ?? preferredOrder.count
                return ra != rb ? ra < rb : a < b
            }
            for name in names {
                switch figures[name]! {
                case .string(let s): progress.figures.append((name, .text(s)))
                case let v where v.doubleValue != nil: progress.figures.append((name, .number(v.doubleValue!)))
                default: continue
                }
            }
        }
        return progress
    }

    static let preferredOrder = ["step", "loss", "val_loss", "lr", "grad_norm", "tokens/s", "documents", "MB/s", "merges", "requests", "packages", "MB"]
}
