import Foundation
import GRDB

/// Group commit: writes that arrive while a transaction is being committed are committed together
/// in the next one. The first writer to find no commit under way leads: it takes every write
/// queued so far and commits them in one transaction, each in a savepoint of its own (a write that
/// throws is rolled back alone and its error goes to its caller); the others wait and return when
/// the transaction holding their write has committed. So a caller returns only once its write is
/// durable (as durable as WAL with synchronous=NORMAL makes any commit), and a crash at any moment
/// leaves each write either committed whole or absent.
///
/// Nothing waits to fill a group: a lone writer commits at once, and under load (many stages ending
/// together, a Slurm poll that finds a hundred jobs done) a group holds what ended during the
/// previous commit.
final class GroupCommit: @unchecked Sendable {
    private final class Pending {
        let work: (Database) throws -> Void
        var error: Error?
        var done = false
        init(_ work: @escaping (Database) throws -> Void) { self.work = work }
    }

    private let pool: DatabasePool
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var leading = false
    /// Transactions committed and writes they held (for tests and benchmarks).
    private(set) var commits = 0
    private(set) var writes = 0

    init(pool: DatabasePool) { self.pool = pool }

    /// Writes waiting for the next group.
    var queued: Int { condition.lock(); defer { condition.unlock() }; return queue.count }

    /// Runs `work` in the next group's transaction and returns once that transaction committed.
    func write<T>(_ work: @escaping (Database) throws -> T) throws -> T {
        var result: T?
        let pending = Pending { db in result = try work(db) }
        condition.lock()
        queue.append(pending)
        while !pending.done {
            if leading { condition.wait(); continue }
            leading = true
            let group = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            commit(group)
            condition.lock()
            for item in group { item.done = true }
            commits += 1
            writes += group.count
            leading = false
            condition.broadcast()
        }
        condition.unlock()
        if let error = pending.error { throw error }
        return result!
    }

    private func commit(_ group: [Pending]) {
        if group.count == 1 {
            // Alone: its own transaction, rolled back whole if it throws (no savepoint to pay for).
            do { try pool.write { db in try group[0].work(db) } } catch { group[0].error = error }
            return
        }
        do {
            try pool.write { db in
                for item in group {
                    do {
                        try db.inSavepoint {
                            try item.work(db)
                            return .commit
                        }
                    } catch {
                        item.error = error
                    }
                }
            }
        } catch {
            // The transaction itself failed (disk full, I/O error): nothing of the group is stored.
            for item in group where item.error == nil { item.error = error }
        }
    }
}
