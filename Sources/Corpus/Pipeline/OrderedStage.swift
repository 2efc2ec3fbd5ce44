import Foundation

/// Runs the sequential step of each batch (dedup decisions, shard writing, statistics) on a serial
/// queue, in submission order, so it overlaps with the parallel processing of the next batch.
/// At most `depth` batches wait, which bounds memory. Order, and therefore output, is unchanged.
final class OrderedStage<State>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "corpus.ordered-stage")
    private let slots: DispatchSemaphore
    private var state: State
    private var failure: Error?
    /// Seconds the queue spent running submitted work.
    private(set) var busySeconds = 0.0

    init(_ state: State, depth: Int = 2) {
        self.state = state
        slots = DispatchSemaphore(value: max(1, depth))
    }

    /// Queues `body`; rethrows an earlier failure instead of queueing more work.
    func submit(_ body: @escaping (inout State) throws -> Void) throws {
        if let failure = queue.sync(execute: { self.failure }) { throw failure }
        slots.wait()
        queue.async {
            defer { self.slots.signal() }
            guard self.failure == nil else { return }
            let start = Date()
            do { try body(&self.state) } catch { self.failure = error }
            self.busySeconds += Date().timeIntervalSince(start)
        }
    }

    /// Waits for all queued work; returns the final state or the first failure.
    func finish() throws -> State {
        try queue.sync {
            if let failure { throw failure }
            return state
        }
    }
}
