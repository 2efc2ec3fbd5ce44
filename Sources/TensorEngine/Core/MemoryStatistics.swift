import Foundation

/// Process-wide counters of live and peak tensor memory (bytes), for benchmarks.
public enum MemoryStatistics {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var live = 0
    nonisolated(unsafe) private static var peak = 0

    static func allocated(bytes: Int) {
        lock.lock(); live += bytes; peak = max(peak, live); lock.unlock()
    }

    static func freed(bytes: Int) {
        lock.lock(); live -= bytes; lock.unlock()
    }

    /// Bytes currently held by tensor storages.
    public static var liveBytes: Int { lock.lock(); defer { lock.unlock() }; return live }
    /// Highest `liveBytes` since start or the last ``resetPeak()``.
    public static var peakBytes: Int { lock.lock(); defer { lock.unlock() }; return peak }
    /// Sets the peak to the current live byte count.
    public static func resetPeak() { lock.lock(); peak = live; lock.unlock() }
}
