import Foundation

/// A reference-counted, 64-byte aligned buffer of `Float` values.
///
/// Several ``Tensor`` views (reshape, transpose, slice) may share one storage.
/// The backend owns the memory layout; for the CPU backend `pointer` is host memory.
public final class TensorStorage: @unchecked Sendable {
    /// Number of `Float` elements.
    public let count: Int
    /// Start of the buffer.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` floats; the contents are zero when `zeroed` is true, undefined otherwise.
    public init(count: Int, zeroed: Bool = true) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let raw = BufferPool.take(bytes: bytes)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        if zeroed { pointer.initialize(repeating: 0, count: count) }
        MemoryStatistics.allocated(bytes: bytes)
    }

    deinit {
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        MemoryStatistics.freed(bytes: bytes)
        BufferPool.give(UnsafeMutableRawPointer(pointer), bytes: bytes)
    }
}
