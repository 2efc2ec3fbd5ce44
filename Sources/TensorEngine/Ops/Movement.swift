/// Shape and layout ops. Views share storage (reshape of contiguous data, permute, slice,
/// expand); gradients are the inverse movement (reshape back, inverse permutation,
/// zero-padded embedding of the slice, sum over expanded dims, split for concat).
extension Tensor {
    /// Same data, new shape (a view when contiguous, else a copy). One dim may be -1.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let inferred = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            target[inferred] = known == 0 ? 0 : count / known
        }
        precondition(Shape.count(target) == count, "reshape: \(shape) -> \(newShape) changes element count")
        let out = contiguousData().reshapedView(target)
        let inputShape = shape
        return Tensor.record("reshape", output: out, inputs: [self]) { g in [g.reshaped(inputShape)] }
    }

    /// A history-free view of contiguous data with a new shape.
    func reshapedView(_ newShape: [Int]) -> Tensor {
        precondition(isContiguous, "reshapedView needs contiguous data")
        return Tensor(storage: storage, shape: newShape, offset: offset)
    }

    /// Reorders dimensions: output dim i is input dim `order[i]` (a strided view).
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permute: \(order) is not a permutation of rank \(rank)")
        let out = Tensor(storage: storage, shape: order.map { shape[$0] },
                         strides: order.map { strides[$0] }, offset: offset)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Tensor.record("permute", output: out, inputs: [self]) { g in [g.permuted(inverse)] }
    }

    /// Swaps two dimensions (a strided view).
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(Shape.normalize(axis: a, rank: rank), Shape.normalize(axis: b, rank: rank))
        return permuted(order)
    }

    /// A dense row-major copy when this is a strided view; `self` otherwise.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let out = contiguousData()
        return Tensor.record("contiguous", output: out, inputs: [self]) { g in [g] }
    }

    /// Elements `range` along `axis` (a view).
    public func sliced(axis: Int, range: Range<Int>) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice: \(range) out of bounds for axis \(a) of size \(shape[a])")
        var newShape = shape; newShape[a] = range.count
        let out = Tensor(storage: storage, shape: newShape, strides: strides,
                         offset: offset + range.lowerBound * strides[a])
        let inputShape = shape
        return Tensor.record("slice", output: out, inputs: [self]) { g in
            let full = Tensor(shape: inputShape, zeroed: true)
            let window = Tensor(storage: full.storage, shape: newShape, strides: full.strides,
                                offset: range.lowerBound * full.strides[a])
            Kernels.copyInto(window, from: g)
            return [full]
        }
    }

    /// Broadcasts to `target` (stride-0 view over broadcast dims).
    public func expanded(to target: [Int]) -> Tensor {
        guard Shape.broadcast(shape, target) == target else {
            preconditionFailure("expand: \(shape) cannot broadcast to \(target)")
        }
        let out = Tensor(storage: storage, shape: target,
                         strides: Kernels.broadcastStrides(self, to: target), offset: offset)
        let inputShape = shape
        return Tensor.record("expand", output: out, inputs: [self]) { g in [g.sumToShape(inputShape)] }
    }

    /// Joins tensors along `axis`; all other dims must match.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat: no tensors")
        let a = Shape.normalize(axis: axis, rank: parts[0].rank)
        var outShape = parts[0].shape
        outShape[a] = parts.map { $0.shape[a] }.reduce(0, +)
        for p in parts {
            var s = p.shape; s[a] = outShape[a]
            precondition(s == outShape, "concat: shape \(p.shape) does not match \(parts[0].shape) off axis \(a)")
        }
        let out = Tensor(shape: outShape, zeroed: false)
        var start = 0
        var ranges: [Range<Int>] = []
        for p in parts {
            let r = start..<(start + p.shape[a])
            var s = outShape; s[a] = r.count
            let window = Tensor(storage: out.storage, shape: s, strides: out.strides, offset: r.lowerBound * out.strides[a])
            Kernels.copyInto(window, from: p)
            ranges.append(r)
            start = r.upperBound
        }
        return record("concat", output: out, inputs: parts) { g in
            ranges.map { g.sliced(axis: a, range: $0).contiguousData() }
        }
    }
}

extension Kernels {
    /// Copies `src` (any layout) into the strided view `dst` of the same shape.
    static func copyInto(_ dst: Tensor, from src: Tensor) {
        precondition(dst.shape == src.shape, "copyInto: \(dst.shape) vs \(src.shape)")
        guard dst.count > 0 else { return }
        let inner = dst.shape.last ?? 1
        let sd = dst.strides.last ?? 1, ss = src.strides.last ?? 1
        let pd = dst.pointer, ps = src.pointer
        forEachRow(shape: dst.shape, stridesA: dst.strides, stridesB: src.strides) { od, os, _ in
            if sd == 1 && ss == 1 { (pd + od).update(from: ps + os, count: inner) } else {
                for i in 0..<inner { pd[od + i * sd] = ps[os + i * ss] }
            }
        }
    }
}
