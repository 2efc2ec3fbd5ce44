import Foundation

/// A flag set once (Ctrl-C, SIGTERM, fail-fast) that running work polls or is notified of.
public final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var handlers: [Int: () -> Void] = [:]
    private var nextID = 0

    public init() {}

    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }

    public func cancel() {
        lock.lock()
        guard !cancelled else { lock.unlock(); return }
        cancelled = true
        let toCall = handlers.values
        handlers = [:]
        lock.unlock()
        toCall.forEach { $0() }
    }

    /// Calls `handler` on cancellation (at once if already cancelled). Returns a token for `remove`.
    @discardableResult
    public func onCancel(_ handler: @escaping () -> Void) -> Int {
        lock.lock()
        if cancelled { lock.unlock(); handler(); return -1 }
        nextID += 1
        let id = nextID
        handlers[id] = handler
        lock.unlock()
        return id
    }

    public func remove(_ id: Int) { lock.lock(); handlers[id] = nil; lock.unlock() }
}
