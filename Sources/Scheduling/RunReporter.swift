import Execution

/// What a run tells the person watching it. The CLI renders these (a live display on a
/// terminal, plain lines in logs); tests collect them.
public enum RunEvent: Sendable {
    case planned(total: Int, fresh: Int, toRun: Int)
    case started(stage: String, reasons: [String])
    /// What a running stage last reported of how far it is (from its progress file).
    case progress(stage: String, progress: StageProgress)
    case cached(stage: String)
    case succeeded(stage: String, seconds: Double, files: Int, bytes: Int64)
    case failed(stage: String, message: String, logTail: String)
    case skipped(stage: String, because: String)
    case interrupted(stage: String)
    case note(String)
}

public protocol RunReporter: Sendable {
    func report(_ event: RunEvent)
}

/// Collects events (tests, `--json`).
public final class CollectingReporter: RunReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [RunEvent] = []
    public init() {}
    public func report(_ event: RunEvent) { lock.lock(); collected.append(event); lock.unlock() }
    public var events: [RunEvent] { lock.lock(); defer { lock.unlock() }; return collected }
}

import Foundation
