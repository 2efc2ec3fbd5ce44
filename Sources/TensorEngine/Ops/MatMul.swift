/// Matrix products through `cblas_sgemm`.
///
/// - `matmul(a, b)`: a (..., M, K) · b (..., K, N) → (..., M, N); `b` is either 2-D (shared
///   across the batch) or has the same batch dims. Transposed views go to BLAS as transposes,
///   without copies. Backward: dA = g·Bᵀ, dB = Aᵀ·g (summed over the batch when `b` is 2-D).
/// - `linear(x, weight, bias)`: x (..., in) · weightᵀ (in, out) + bias → (..., out), the
///   PyTorch `nn.Linear` layout. Backward: dx = g·W, dW = gᵀ·x, db = Σ_rows g.
extension Tensor {
    /// How one operand's last two dims are handed to sgemm.
    struct MatrixOperand {
        let base: Tensor
        let transposed: Bool
        let ld: Int

        init(_ t: Tensor) {
            let r = t.rank
            let s0 = t.strides[r - 2], s1 = t.strides[r - 1]
            let rows = t.shape[r - 2], cols = t.shape[r - 1]
            if s1 == 1 && s0 >= max(cols, 1) {
                base = t; transposed = false; ld = s0
            } else if s0 == 1 && s1 >= max(rows, 1) {
                base = t; transposed = true; ld = s1
            } else {
                base = t.contiguousData(); transposed = false; ld = max(cols, 1)
            }
        }

        /// Element offsets of each batch matrix (row-major over the batch dims).
        func batchOffsets(batchShape: [Int]) -> [Int] {
            let batchRank = base.rank - 2
            let strides = Array(base.strides.prefix(batchRank))
            var offsets: [Int] = []
            offsets.reserveCapacity(Shape.count(batchShape))
            Kernels.forEachRow(shape: batchShape + [1], stridesA: strides + [0], stridesB: strides + [0]) { o, _, _ in
                offsets.append(o)
            }
            return offsets
        }
    }

    /// Batched matrix product (see the type-level notes for supported shapes).
    public static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = matmulForward(a, b)
        return record("matmul", output: out, inputs: [a, b]) { g in
            let da: Tensor? = a.requiresGrad ? matmulForward(g, b.transposed()) : nil
            var db: Tensor? = nil
            if b.requiresGrad {
                if b.rank == 2 && a.rank > 2 {
                    // Shared weight: fold the batch into rows. (..., M, K) -> (batch·M, K)
                    let k = a.shape[a.rank - 1], n = g.shape[g.rank - 1]
                    let a2 = a.contiguousData().reshapedView([a.count / k, k])
                    let g2 = g.contiguousData().reshapedView([g.count / n, n])
                    db = matmulForward(a2.transposed(), g2)
                } else {
                    db = matmulForward(a.transposed(), g)
                }
            }
            return [da, db]
        }
    }

    /// The product without autograd bookkeeping.
    static func matmulForward(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rank >= 2 && b.rank >= 2, "matmul: needs rank >= 2, got \(a.shape) and \(b.shape)")
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
        precondition(k == k2, "matmul: inner dims differ, \(a.shape) · \(b.shape)")
        let batchShape = Array(a.shape.dropLast(2))
        precondition(b.rank == 2 || Array(b.shape.dropLast(2)) == batchShape,
                     "matmul: batch dims differ, \(a.shape) · \(b.shape)")
        let out = Tensor(shape: batchShape + [m, n], zeroed: false)
        let oa = MatrixOperand(a), ob = MatrixOperand(b)
        if b.rank == 2 && !oa.transposed && oa.base.isContiguous && batchShape.count > 0 {
            // Shared right operand and dense left: one big GEMM. (..., M, K) -> (batch·M, K)
            BLAS.sgemm(transA: false, transB: ob.transposed, m: a.count / max(k, 1), n: n, k: k, alpha: 1,
                       a: oa.base.pointer, lda: max(k, 1), b: ob.base.pointer, ldb: ob.ld,
                       beta: 0, c: out.pointer, ldc: max(n, 1))
            return out
        }
        let offA = oa.batchOffsets(batchShape: batchShape)
        let offB = b.rank == 2 ? [Int](repeating: 0, count: offA.count) : ob.batchOffsets(batchShape: batchShape)
        for i in 0..<offA.count {
            BLAS.sgemm(transA: oa.transposed, transB: ob.transposed, m: m, n: n, k: k, alpha: 1,
                       a: oa.base.pointer + offA[i], lda: oa.ld, b: ob.base.pointer + offB[i], ldb: ob.ld,
                       beta: 0, c: out.pointer + i * m * n, ldc: max(n, 1))
        }
        return out
    }

    /// `x·weightᵀ + bias` with `weight` shaped (out, in) as in PyTorch.
    /// - Parameter bfloat16: mixed precision: the three products (forward, dx, dW) take bfloat16 operands
    ///   (see ``BLAS/sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:split:bfloat16:)``).
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?, bfloat16: Bool = false) -> Tensor {
        let inF = weight.shape[1], outF = weight.shape[0]
        precondition(weight.rank == 2 && x.shape.last == inF,
                     "linear: input \(x.shape) does not match weight \(weight.shape)")
        if let bias { precondition(bias.shape == [outF], "linear: bias \(bias.shape) != [\(outF)]") }
        let xd = x.contiguousData(), w = weight.contiguousData()
        let rows = x.count / max(inF, 1)
        let out = Tensor(shape: Array(x.shape.dropLast()) + [outF], zeroed: false)   // beta = 0 overwrites
        if let bias {
            let b = bias.contiguousData().pointer, o = out.pointer
            Parallel.forRanges(rows, costPerItem: outF) { r in
                for row in r { (o + row * outF).update(from: b, count: outF) }
            }
        }
        // Without a bias, AMX rounds the output to bfloat16 as it stores it: the cast that follows a
        // mixed-precision linear is then free, and its gradient rounding happens in the backward
        // products' packing (a bias gradient would need it separately, so biased layers keep the cast).
        let roundsOutput = bfloat16 && bias == nil && BLAS.amxAvailable
        BLAS.sgemm(transA: false, transB: true, m: rows, n: outF, k: inF, alpha: 1,
                   a: xd.pointer, lda: inF, b: w.pointer, ldb: inF,
                   beta: bias == nil ? 0 : 1, c: out.pointer, ldc: outF, bfloat16: bfloat16, roundOutput: roundsOutput)
        out.holdsBFloat16Values = roundsOutput
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        return record("linear", output: out, inputs: inputs) { g in
            // Under mixed precision the output gradient is a bfloat16 operand too: AMX rounds it while
            // packing; sgemm (no AMX) gets it rounded here, so both paths multiply the same values.
            let gd = bfloat16 && !BLAS.amxAvailable ? BFloat16.roundedCopy(g) : g.contiguousData()
            let dx = x.requiresGrad ? Tensor(shape: x.shape, zeroed: false) : nil
            let dw = weight.requiresGrad ? Tensor(shape: weight.shape, zeroed: false) : nil
            // dx = g·W: (rows, out) · (out, in) -> (rows, in)
            func inputGradient(split: Bool) {
                BLAS.sgemm(transA: false, transB: false, m: rows, n: inF, k: outF, alpha: 1,
                           a: gd.pointer, lda: outF, b: w.pointer, ldb: inF, beta: 0, c: dx!.pointer, ldc: inF, split: split,
                           bfloat16: bfloat16)
            }
            // dW = gᵀ·x: (out, rows) · (rows, in) -> (out, in)
            func weightGradient(split: Bool) {
                BLAS.sgemm(transA: true, transB: false, m: outF, n: inF, k: rows, alpha: 1,
                           a: gd.pointer, lda: outF, b: xd.pointer, ldb: inF, beta: 0, c: dw!.pointer, ldc: inF, split: split,
                           bfloat16: bfloat16)
            }
            if dx != nil && dw != nil && BLAS.runsConcurrently(rows * inF * outF) {
                // Two independent products of equal size: one per core, each unsplit.
                Parallel.pair { inputGradient(split: false) } _: { weightGradient(split: false) }
            } else {
                if dx != nil { inputGradient(split: true) }
                if dw != nil { weightGradient(split: true) }
            }
            var grads: [Tensor?] = [dx, dw]
            if let bias {
                grads.append(bias.requiresGrad ? Kernels.columnSums(gd.pointer, rows: rows, cols: outF) : nil)
            }
            return grads
        }
    }
}

extension Kernels {
    /// Σ over rows of a dense (rows, cols) matrix → (cols). Each chunk of rows sums into its own
    /// partial row (contiguous, vectorised); partials are then added in chunk order.
    static func columnSums(_ p: UnsafePointer<Float>, rows: Int, cols: Int) -> Tensor {
        let out = Tensor(shape: [cols], zeroed: true)
        let partials = Tensor(shape: [Parallel.maxChunks, cols], zeroed: true)
        let o = out.pointer, pp = partials.pointer
        let chunks = Parallel.forChunks(rows, costPerItem: cols) { c, r in
            let acc = pp + c * cols
            for row in r {
                let src = p + row * cols
                for j in 0..<cols { acc[j] += src[j] }
            }
        }
        for c in 0..<chunks {
            let acc = pp + c * cols
            for j in 0..<cols { o[j] += acc[j] }
        }
        return out
    }
}
