/// Vectorised transcendental functions (16 lanes), accurate to a few ulp in Float32.
///
/// libm's scalar `expf`/`tanhf` cost ~20 ns each; softmax over a vocabulary and GeLU over
/// the MLP activations need hundreds of millions of them per step.
public enum VectorMath {
    public typealias V = SIMD16<Float>

    typealias Bits = SIMD16<UInt32>
    typealias Ints = SIMD16<Int32>

    /// e^x for each lane, for |x| < 2.9e6: 0 below −87.3, +inf above 88.3; NaN gives +inf.
    ///
    /// Written with arithmetic and integer bit operations only: Swift's SIMD comparisons,
    /// `pointwiseMin/Max` and `replacing(with:where:)` compile to per-lane loops; these
    /// compile to vector instructions.
    @inline(__always)
    public static func exp(_ x: V) -> V {
        // x = n·ln2 + r, |r| <= ln2/2 (Cody-Waite split of ln2). Adding 1.5·2²³ rounds to the
        // nearest integer and leaves n in the low mantissa bits.
        let magic = V(repeating: 12_582_912)
        let shifted = x * 1.442695041 + magic
        let n = shifted - magic
        var r = x - n * 0.693359375
        r = r - n * -2.12194440e-4
        // e^r by a degree-7 polynomial (Horner), Cephes expf coefficients.
        var p = V(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * r * r + r + 1
        // 2^n through the exponent bits (n sits in the low bits of `shifted`), then
        // flush lanes with n < −126 to 0 and saturate lanes with n > 127 to +inf.
        let ni = unsafeBitCast(shifted, to: Ints.self) &- 0x4B40_0000
        let under = unsafeBitCast((ni &+ 126) &>> 31, to: Bits.self)       // all ones where n < −126
        let over = unsafeBitCast((127 &- ni) &>> 31, to: Bits.self)        // all ones where n > 127
        let scale = unsafeBitCast((ni &+ 127) &<< 23, to: V.self)
        let bits = unsafeBitCast(p * scale, to: Bits.self) & ~under & ~over | (over & 0x7F80_0000)
        return unsafeBitCast(bits, to: V.self)
    }

    /// tanh(x) for each lane, as sign(x)·(1 − e)/(1 + e) with e = e^{−2|x|} ∈ (0, 1].
    @inline(__always)
    public static func tanh(_ x: V) -> V {
        let bits = unsafeBitCast(x, to: Bits.self)
        let negAbs = unsafeBitCast(bits | 0x8000_0000, to: V.self)          // −|x|
        let e = exp(negAbs * 2)
        let t = (1 - e) / (1 + e)
        return unsafeBitCast(unsafeBitCast(t, to: Bits.self) | (bits & 0x8000_0000), to: V.self)
    }

    /// `dst[i] = exp(src[i])`; `src` and `dst` may alias.
    public static func exp(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count n: Int) {
        SIMDLoop.map(0..<n, src, dst) { exp($0) }
    }

    /// `dst[i] = tanh(src[i])`; `src` and `dst` may alias.
    public static func tanh(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count n: Int) {
        SIMDLoop.map(0..<n, src, dst) { tanh($0) }
    }
}

/// 16-lane loops over index ranges with a scalar-padded tail.
public enum SIMDLoop {
    public typealias V = SIMD16<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int, _ n: Int) -> V {
        if n == 16 { return UnsafeRawPointer(p + i).loadUnaligned(as: V.self) }
        var v = V(repeating: 0)
        for j in 0..<n { v[j] = p[i + j] }
        return v
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ n: Int) {
        if n == 16 { UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self); return }
        for j in 0..<n { p[i + j] = v[j] }
    }

    /// `dst[i] = f(src[i])` for i in `range`.
    @inline(__always)
    public static func map(_ range: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                           _ f: (V) -> V) {
        var i = range.lowerBound
        while i < range.upperBound {
            let n = min(16, range.upperBound - i)
            store(f(load(src, i, n)), dst, i, n)
            i += n
        }
    }

    /// `dst[i] = f(a[i], b[i])` for i in `range`.
    @inline(__always)
    public static func zip(_ range: Range<Int>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           _ dst: UnsafeMutablePointer<Float>, _ f: (V, V) -> V) {
        var i = range.lowerBound
        while i < range.upperBound {
            let n = min(16, range.upperBound - i)
            store(f(load(a, i, n), load(b, i, n)), dst, i, n)
            i += n
        }
    }
}
