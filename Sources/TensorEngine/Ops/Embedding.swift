/// Row gather from an embedding table; the gradient scatter-adds rows back (tokens in
/// order, chunked over columns, so repeated ids accumulate deterministically).
extension Tensor {
    /// `weight[ids]`: (V, C) table, ids shaped `idShape` → `idShape + [C]`.
    public static func embedding(_ weight: Tensor, ids: [Int32], idShape: [Int]) -> Tensor {
        precondition(weight.rank == 2, "embedding: table must be (V, C), got \(weight.shape)")
        precondition(Shape.count(idShape) == ids.count, "embedding: \(ids.count) ids do not fill \(idShape)")
        let vocab = weight.shape[0], cols = weight.shape[1]
        for id in ids { precondition(id >= 0 && Int(id) < vocab, "embedding: id \(id) outside 0..<\(vocab)") }
        let w = weight.contiguousData()
        let out = Tensor(shape: idShape + [cols], zeroed: false)
        let o = out.pointer, wp = w.pointer
        for (i, id) in ids.enumerated() { (o + i * cols).update(from: wp + Int(id) * cols, count: cols) }
        return record("embedding", output: out, inputs: [weight]) { g in
            let gd = g.contiguousData()
            let dw = Tensor(shape: [vocab, cols], zeroed: true)
            let d = dw.pointer, gp = gd.pointer
            Parallel.forRanges(cols, costPerItem: ids.count) { cr in
                for (i, id) in ids.enumerated() {
                    let src = gp + i * cols, dst = d + Int(id) * cols
                    for c in cr { dst[c] += src[c] }
                }
            }
            return [dw]
        }
    }
}
