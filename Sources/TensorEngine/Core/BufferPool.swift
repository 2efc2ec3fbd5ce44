import Foundation

/// Recycles large buffers by exact size. Training repeats the same shapes every step, so
/// after the first step no large tensor costs an mmap, page faults and kernel zeroing.
/// Holds at most `capacity` idle bytes; beyond that, buffers go back to the system.
public enum BufferPool {
    /// Buffers smaller than this go straight to malloc.
    static let minimumBytes = 1 << 16
    /// Upper bound on idle pooled bytes.
    nonisolated(unsafe) public static var capacity = 1 << 31
    private static let lock = NSLock()
    nonisolated(unsafe) private static var idle: [Int: [UnsafeMutableRawPointer]] = [:]
    nonisolated(unsafe) private static var idleBytes = 0

    static func take(bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= minimumBytes {
            lock.lock()
            if let p = idle[bytes]?.popLast() {
                idleBytes -= bytes
                lock.unlock()
                return p
            }
            lock.unlock()
        }
        var raw: UnsafeMutableRawPointer?
        let rc = posix_memalign(&raw, 64, bytes)
        precondition(rc == 0 && raw != nil, "TensorStorage: cannot allocate \(bytes) bytes")
        return raw!
    }

    static func give(_ p: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= minimumBytes {
            lock.lock()
            if idleBytes + bytes <= capacity {
                idle[bytes, default: []].append(p)
                idleBytes += bytes
                lock.unlock()
                return
            }
            lock.unlock()
        }
        free(p)
    }

    /// Returns every idle buffer to the system.
    public static func drain() {
        lock.lock()
        for (_, list) in idle { for p in list { free(p) } }
        idle = [:]; idleBytes = 0
        lock.unlock()
    }

    /// Bytes currently parked in the pool.
    public static var pooledBytes: Int { lock.lock(); defer { lock.unlock() }; return idleBytes }
}
