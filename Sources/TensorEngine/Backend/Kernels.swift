/// CPU reference kernels for layout and elementwise work (strided iteration, broadcasting,
/// axis reductions). Dense, contiguous cases take flat vectorisable loops; the rest walk
/// rows of the last dimension with precomputed strides.
enum Kernels {
    /// Calls `body(offsetA, offsetB, outRow)` for every row (all dims but the last) of `shape`,
    /// where the offsets advance by `stridesA`/`stridesB`.
    static func forEachRow(shape: [Int], stridesA: [Int], stridesB: [Int],
                           _ body: (Int, Int, Int) -> Void) {
        let rank = shape.count
        if rank <= 1 { body(0, 0, 0); return }
        let rows = Shape.count(Array(shape.dropLast()))
        if rows == 0 { return }
        var index = [Int](repeating: 0, count: rank - 1)
        var oa = 0, ob = 0
        for row in 0..<rows {
            body(oa, ob, row)
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                oa += stridesA[d]; ob += stridesB[d]
                if index[d] < shape[d] { break }
                oa -= stridesA[d] * shape[d]; ob -= stridesB[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Writes `src` densely (row-major) to `dst`.
    static func copyStrided(from src: Tensor, to dst: UnsafeMutablePointer<Float>) {
        if src.isContiguous { dst.update(from: src.pointer, count: src.count); return }
        guard src.count > 0 else { return }
        let inner = src.shape.last ?? 1
        let s = src.strides.last ?? 1
        let p = src.pointer
        forEachRow(shape: src.shape, stridesA: src.strides, stridesB: src.strides) { oa, _, row in
            let o = dst + row * inner
            if s == 1 { o.update(from: p + oa, count: inner) } else {
                for i in 0..<inner { o[i] = p[oa + i * s] }
            }
        }
    }

    /// `dst += src` elementwise; `dst` must be contiguous with the same shape.
    static func addInPlace(_ dst: Tensor, _ src: Tensor) {
        precondition(dst.isContiguous && dst.shape == src.shape, "addInPlace: \(dst.shape) vs \(src.shape)")
        let s = src.contiguousData()
        let d = dst.pointer, x = s.pointer
        Parallel.forRanges(dst.count) { r in
            for i in r { d[i] += x[i] }
        }
    }

    /// Strides of `t` seen as having `shape` (broadcast dims get stride 0).
    static func broadcastStrides(_ t: Tensor, to shape: [Int]) -> [Int] {
        let pad = shape.count - t.rank
        return (0..<shape.count).map { i in
            i < pad || t.shape[i - pad] == 1 ? 0 : t.strides[i - pad]
        }
    }
}

/// Elementwise binary operators with NumPy broadcasting.
public enum BinaryOperator: Sendable { case add, sub, mul, div }

extension Kernels {
    static func binary(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor, shape: [Int]) -> Tensor {
        let out = Tensor(shape: shape, zeroed: false)
        let o = out.pointer, n = out.count
        if a.shape == shape && b.shape == shape && a.isContiguous && b.isContiguous {
            let pa = a.pointer, pb = b.pointer
            Parallel.forRanges(n) { r in
                binaryRow(op, o + r.lowerBound, pa + r.lowerBound, 1, pb + r.lowerBound, 1, r.count)
            }
            return out
        }
        let sa = broadcastStrides(a, to: shape), sb = broadcastStrides(b, to: shape)
        let inner = shape.last ?? 1
        let ia = sa.last ?? 0, ib = sb.last ?? 0
        let pa = a.pointer, pb = b.pointer
        forEachRow(shape: shape, stridesA: sa, stridesB: sb) { oa, ob, row in
            binaryRow(op, o + row * inner, pa + oa, ia, pb + ob, ib, inner)
        }
        return out
    }

    @inline(__always)
    static func binaryRow(_ op: BinaryOperator, _ o: UnsafeMutablePointer<Float>,
                          _ a: UnsafePointer<Float>, _ sa: Int,
                          _ b: UnsafePointer<Float>, _ sb: Int, _ n: Int) {
        switch (op, sa, sb) {
        case (.add, 1, 1): for i in 0..<n { o[i] = a[i] + b[i] }
        case (.sub, 1, 1): for i in 0..<n { o[i] = a[i] - b[i] }
        case (.mul, 1, 1): for i in 0..<n { o[i] = a[i] * b[i] }
        case (.div, 1, 1): for i in 0..<n { o[i] = a[i] / b[i] }
        case (.add, _, _): for i in 0..<n { o[i] = a[i * sa] + b[i * sb] }
        case (.sub, _, _): for i in 0..<n { o[i] = a[i * sa] - b[i * sb] }
        case (.mul, _, _): for i in 0..<n { o[i] = a[i * sa] * b[i * sb] }
        case (.div, _, _): for i in 0..<n { o[i] = a[i * sa] / b[i * sb] }
        }
    }

    /// `out[i] = f(x[i])` over a dense copy of `x`.
    @inline(__always)
    static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
        let src = x.contiguousData()
        let out = Tensor(shape: x.shape, zeroed: false)
        let s = src.pointer, o = out.pointer
        Parallel.forRanges(out.count, costPerItem: 4) { r in
            for i in r { o[i] = f(s[i]) }
        }
        return out
    }

    /// `out[i] = f(x[i], y[i])` for two same-shape tensors.
    @inline(__always)
    static func zip(_ x: Tensor, _ y: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(x.shape == y.shape, "zip: \(x.shape) vs \(y.shape)")
        let a = x.contiguousData(), b = y.contiguousData()
        let out = Tensor(shape: x.shape, zeroed: false)
        let pa = a.pointer, pb = b.pointer, o = out.pointer
        Parallel.forRanges(out.count, costPerItem: 4) { r in
            for i in r { o[i] = f(pa[i], pb[i]) }
        }
        return out
    }

    /// Sum over one axis of a tensor: (outer, len, inner) -> (outer, inner).
    static func sum(_ x: Tensor, axis: Int) -> Tensor {
        let src = x.contiguousData()
        let outer = Shape.count(Array(x.shape[..<axis]))
        let len = x.shape[axis]
        let inner = Shape.count(Array(x.shape[(axis + 1)...]))
        var outShape = x.shape; outShape[axis] = 1
        let out = Tensor(shape: outShape, zeroed: true)
        let s = src.pointer, o = out.pointer
        if inner == 1 {
            Parallel.forRanges(outer, costPerItem: len) { r in
                for row in r { o[row] = sumRow(s + row * len, len) }
            }
        } else {
            // Parallel over inner columns, fixed order over `len`.
            Parallel.forRanges(inner, costPerItem: outer * len) { cols in
                for ob in 0..<outer {
                    let dst = o + ob * inner
                    for a in 0..<len {
                        let row = s + (ob * len + a) * inner
                        for c in cols { dst[c] += row[c] }
                    }
                }
            }
        }
        return out
    }

    /// Largest of `n` floats (n > 0). Eight scalar accumulators: Swift's SIMD `pointwiseMax`
    /// compiles to a per-lane loop, and LLVM will not vectorise a float max without fast-math.
    @inline(__always)
    static func maxRow(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var m0 = -Float.infinity, m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0, m7 = m0
        var i = 0
        while i + 8 <= n {
            m0 = Swift.max(m0, p[i]); m1 = Swift.max(m1, p[i + 1]); m2 = Swift.max(m2, p[i + 2]); m3 = Swift.max(m3, p[i + 3])
            m4 = Swift.max(m4, p[i + 4]); m5 = Swift.max(m5, p[i + 5]); m6 = Swift.max(m6, p[i + 6]); m7 = Swift.max(m7, p[i + 7])
            i += 8
        }
        while i < n { m0 = Swift.max(m0, p[i]); i += 1 }
        return Swift.max(Swift.max(Swift.max(m0, m1), Swift.max(m2, m3)), Swift.max(Swift.max(m4, m5), Swift.max(m6, m7)))
    }

    /// Sum of `n` floats with 16 independent lanes (deterministic order).
    @inline(__always)
    static func sumRow(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var total = acc.sum()
        while i < n { total += p[i]; i += 1 }
        return total
    }
}
