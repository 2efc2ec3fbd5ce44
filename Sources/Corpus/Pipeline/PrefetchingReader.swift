import Foundation

/// `BatchReader` with read-ahead: a thread of its own reads and splits the next batch while the caller
/// processes the current one, so the cores are not idle during reads. Batches arrive in the same order
/// and with the same contents; at most one batch waits (memory stays bounded).
enum PrefetchingReader {
    static func forEachBatch(_ catalog: InputCatalog, batchBytes: Int, isCancelled: @escaping @Sendable () -> Bool,
                             _ body: ([BatchReader.Item], Int) throws -> Void) throws {
        let channel = BatchChannel()
        let producer = Thread {
            do {
                try BatchReader.forEachBatch(catalog, batchBytes: batchBytes, isCancelled: isCancelled) { batch, bytes in
                    try channel.put(batch, bytes)
                }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        producer.stackSize = 1 << 20
        producer.start()
        defer { channel.closeAndWait() }
        while let (batch, bytes) = try channel.take() { try body(batch, bytes) }
    }
}

/// A one-slot hand-over between the reading thread and the processing thread.
private final class BatchChannel: @unchecked Sendable {
    private struct Stopped: Error {}
    private let condition = NSCondition()
    private var slot: ([BatchReader.Item], Int)?
    private var finished = false
    private var failure: Error?
    private var closed = false

    /// Producer: waits until the slot is free; throws once the consumer has gone.
    func put(_ batch: [BatchReader.Item], _ bytes: Int) throws {
        condition.lock(); defer { condition.unlock() }
        while slot != nil && !closed { condition.wait() }
        if closed { throw Stopped() }
        slot = (batch, bytes)
        condition.broadcast()
    }

    /// Producer: no more batches (`error` when reading failed).
    func finish(_ error: Error?) {
        condition.lock(); defer { condition.unlock() }
        if let error, !(error is Stopped) { failure = error }
        finished = true
        condition.broadcast()
    }

    /// Consumer: the next batch, nil at the end, or the reader's error.
    func take() throws -> ([BatchReader.Item], Int)? {
        condition.lock(); defer { condition.unlock() }
        while slot == nil && !finished { condition.wait() }
        if let next = slot {
            slot = nil
            condition.broadcast()
            return next
        }
        if let failure { throw failure }
        return nil
    }

    /// Consumer: stop the producer (if still reading) and wait for it to finish.
    func closeAndWait() {
        condition.lock(); defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
    }
}
