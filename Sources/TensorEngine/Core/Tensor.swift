/// A Float32 n-dimensional array with shape, strides and an optional autograd history.
///
/// Tensors are reference types: views produced by ``reshaped(_:)``, ``transposed(_:_:)``
/// and ``sliced(axis:range:)`` share storage with their source. Kernels that need dense
/// row-major data call ``contiguous()``, which copies only when needed.
///
/// ```swift
/// let x = Tensor([1, 2, 3, 4], shape: [2, 2], requiresGrad: true)
/// let y = (x * x).sum()
/// y.backward()          // x.grad == 2 * x
/// ```
public final class Tensor: @unchecked Sendable {
    /// Backing buffer (shared between views).
    public let storage: TensorStorage
    /// Extent of each dimension.
    public let shape: [Int]
    /// Step in elements between neighbours along each dimension.
    public let strides: [Int]
    /// Index of element `[0, 0, ...]` in `storage`.
    public let offset: Int
    /// Whether gradients flow to this tensor (leaves: parameters; inner nodes: set by ops).
    public var requiresGrad: Bool
    /// Accumulated gradient of a leaf after ``backward(_:)``.
    public var grad: Tensor?
    /// The op that produced this tensor, kept while a backward pass may need it.
    var node: GradNode?
    /// Set on the output of ``roundedToBFloat16()``: rounding it again changes nothing, forward or backward.
    var holdsBFloat16Values = false

    /// Wraps existing storage. `strides` default to row-major.
    public init(storage: TensorStorage, shape: [Int], strides: [Int]? = nil, offset: Int = 0,
                requiresGrad: Bool = false) {
        self.storage = storage
        self.shape = shape
        self.strides = strides ?? Shape.contiguousStrides(shape)
        self.offset = offset
        self.requiresGrad = requiresGrad
    }

    /// A new tensor holding `values` (row-major) with the given shape.
    public convenience init(_ values: [Float], shape: [Int], requiresGrad: Bool = false) {
        precondition(values.count == Shape.count(shape),
                     "Tensor: \(values.count) values do not fill shape \(shape)")
        let storage = TensorStorage(count: values.count, zeroed: false)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: values.count) }
        self.init(storage: storage, shape: shape, requiresGrad: requiresGrad)
    }

    /// An uninitialised (`zeroed: false`) or zero tensor of the given shape.
    public convenience init(shape: [Int], zeroed: Bool = true) {
        self.init(storage: TensorStorage(count: Shape.count(shape), zeroed: zeroed), shape: shape)
    }

    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { Shape.count(shape) }
    /// Pointer to element `[0, 0, ...]`.
    public var pointer: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// True when the elements are dense and row-major from `offset`.
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// The elements in row-major order.
    public func toArray() -> [Float] {
        let c = contiguousData()
        return Array(UnsafeBufferPointer(start: c.pointer, count: c.count))
    }

    /// The single value of a one-element tensor.
    public func item() -> Float {
        precondition(count == 1, "item(): tensor has \(count) elements, shape \(shape)")
        return contiguousData().pointer[0]
    }

    /// Dense row-major data of this tensor, copied only when it is a strided view (no autograd).
    public func contiguousData() -> Tensor {
        if isContiguous { return self }
        let out = Tensor(shape: shape, zeroed: false)
        Kernels.copyStrided(from: self, to: out.pointer)
        return out
    }

    /// A tensor that shares storage but carries no autograd history.
    public func detached() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// A deep copy with its own storage and no history.
    public func copy() -> Tensor {
        let out = Tensor(shape: shape, zeroed: false)
        if isContiguous { out.pointer.update(from: pointer, count: count) } else {
            Kernels.copyStrided(from: self, to: out.pointer)
        }
        return out
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = toArray()
        let shown = values.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(values.count > 8 ? ", …" : "")])"
    }
}
