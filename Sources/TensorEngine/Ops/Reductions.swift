/// Sums and means over axes. The gradient of a sum broadcasts `g` back over the reduced axis;
/// the mean divides it by the axis length.
extension Tensor {
    /// Sum over `axis`; keeps it as size 1 when `keepDims`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        let kept = Kernels.sum(self, axis: a)
        var outShape = shape; outShape[a] = 1
        if !keepDims { outShape.remove(at: a) }
        let out = kept.reshapedView(outShape)
        let inputShape = shape
        return Tensor.record("sum", output: out, inputs: [self]) { g in
            var keptShape = inputShape; keptShape[a] = 1
            return [g.reshaped(keptShape).expanded(to: inputShape).contiguousData()]
        }
    }

    /// Sum of all elements (a scalar of shape `[]`).
    public func sum() -> Tensor {
        let flat = reshaped([count])
        return flat.sum(axis: 0, keepDims: false)
    }

    /// Mean over `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        return sum(axis: a, keepDims: keepDims).scaled(by: 1 / Float(shape[a]))
    }

    /// Mean of all elements.
    public func mean() -> Tensor { sum().scaled(by: 1 / Float(max(count, 1))) }
}
