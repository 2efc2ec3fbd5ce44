import Foundation

/// Tracks submitted jobs with one `scontrol -o show job` call per poll for all of them (never one
/// call per job), and wakes each waiter when its job reaches a final state.
public final class SlurmMonitor: @unchecked Sendable {
    public let pollInterval: Double
    private let lock = NSLock()
    private var waiters: [String: [CheckedContinuation<SlurmJob, Error>]] = [:]
    private var missing: [String: Int] = [:]
    private var polling = false
    /// How many batch queries were made (for tests and `--verbose`).
    public private(set) var queries = 0

    public init(pollInterval: Double = 1.0) { self.pollInterval = pollInterval }

    /// The current table of jobs (one query).
    public func snapshot() throws -> [String: SlurmJob] {
        let output = try CommandRunner.run("scontrol", ["-o", "show", "job"])
        lock.withLock { queries += 1 }
        // "No jobs in the system" exits 0 with that text; a real failure exits non-zero.
        guard output.status == 0 else { throw SlurmError.queryFailed(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return SlurmJobTable.parse(output.stdout)
    }

    /// Waits until job `id` has finished.
    public func wait(for id: String) async throws -> SlurmJob {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            waiters[id, default: []].append(continuation)
            let start = !polling
            polling = true
            lock.unlock()
            if start { Thread.detachNewThread { [self] in pollLoop() } }
        }
    }

    private func pollLoop() {
        while true {
            Thread.sleep(forTimeInterval: pollInterval)
            let table: [String: SlurmJob]
            do { table = try snapshot() } catch {
                finishAll(with: error)
                return
            }
            lock.lock()
            var resolved: [(CheckedContinuation<SlurmJob, Error>, Result<SlurmJob, Error>)] = []
            for (id, list) in waiters {
                if let job = table[id] {
                    missing[id] = nil
                    if job.isFinished {
                        resolved += list.map { ($0, .success(job)) }
                        waiters[id] = nil
                    }
                } else {
                    // Not listed: a job can be briefly absent between submission and the first
                    // schedule; several polls in a row mean it is gone.
                    missing[id, default: 0] += 1
                    if missing[id]! >= 5 {
                        resolved += list.map { ($0, .failure(SlurmError.jobVanished(id))) }
                        waiters[id] = nil
                        missing[id] = nil
                    }
                }
            }
            let done = waiters.isEmpty
            if done { polling = false }
            lock.unlock()
            for (continuation, result) in resolved { continuation.resume(with: result) }
            if done { return }
        }
    }

    private func finishAll(with error: Error) {
        lock.lock()
        let all = waiters.values.flatMap { $0 }
        waiters = [:]
        polling = false
        lock.unlock()
        for c in all { c.resume(throwing: error) }
    }
}
