import Foundation

/// Passes progress on at most once per `interval` seconds, and at once when the phase changes or
/// the caller forces it (a last report): kinds may call `report` from hot loops.
public final class ProgressThrottle: @unchecked Sendable {
    private let interval: Double
    private let emit: @Sendable (StageProgress) -> Void
    private let lock = NSLock()
    private var last = Date.distantPast
    private var phase: String?

    public init(interval: Double = 1, emit: @escaping @Sendable (StageProgress) -> Void) {
        self.interval = interval
        self.emit = emit
    }

    public func report(_ progress: StageProgress, force: Bool = false) {
        let now = Date()
        let due = lock.withLock { () -> Bool in
            guard force || progress.phase != phase || now.timeIntervalSince(last) >= interval else { return false }
            last = now
            phase = progress.phase
            return true
        }
        if due { emit(progress) }
    }
}
