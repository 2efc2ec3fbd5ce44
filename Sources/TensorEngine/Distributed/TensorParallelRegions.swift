/// Megatron-LM's two conjugate operators at the borders of a tensor-parallel region
/// (Shoeybi et al. 2019, section 3): `f` before a column-parallel layer, `g` after a
/// row-parallel one. Between them each rank holds a slice of heads or of the MLP's 4·C units.
///
/// Every rank of the group must call them in the same order (the forward and the backward pass
/// follow the same graph on every rank, so they do).
extension Tensor {
    /// `f`: identity forward; backward sums the gradient over the group (each rank's slice of
    /// the layer contributed a part of ∂L/∂x).
    public func enteringTensorParallelRegion(_ group: any Collectives) -> Tensor {
        let out = copy()                                                     // same values, own node
        return Tensor.record("tp_enter", output: out, inputs: [self]) { g in
            let total = g.copy()                                             // contiguous
            group.allReduceSum(total)
            return [total]
        }
    }

    /// `g`: forward sums the ranks' partial results; backward passes the gradient unchanged
    /// (the sum's derivative with respect to each part is the identity).
    public func leavingTensorParallelRegion(_ group: any Collectives) -> Tensor {
        let out = copy()                                                     // contiguous
        group.allReduceSum(out)
        return Tensor.record("tp_leave", output: out, inputs: [self]) { g in [g] }
    }
}
