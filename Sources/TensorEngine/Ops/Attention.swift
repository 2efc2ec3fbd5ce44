import CPUKernels

/// Fused causal self-attention over a BLOOM fused-QKV activation, one (batch, head) per task.
///
/// Dims: B = batch, T = time, C = channels, nh = heads, hs = head size (C = nh·hs).
/// Input qkv (B, T, 3C) with the last dim laid out as (nh, 3, hs) (HF `BloomAttention._reshape`);
/// output (B, T, C) with heads merged head-major (HF `_merge_heads`). Per head:
///   S = scale·Q·Kᵀ + slope·j (ALiBi on key position j), causal mask, P = softmax(S) in fp32,
///   ctx = dropout(P)·V.
/// Backward, per head (Pd = P ⊙ M, M the dropout mask scaled by 1/(1−p), or 1):
///   dPd = dctx·Vᵀ; dV = Pdᵀ·dctx; dP = dPd ⊙ M; dS = P ⊙ (dP − rowsum(dP ⊙ P));
///   dQ = scale·dS·K; dK = scale·dSᵀ·Q.
/// The composite of `matmul`, `softmax(causal:)` and broadcasting `+` is the reference the
/// fused kernel is tested against.
public struct AttentionProblem: Sendable {
    public var batch: Int
    public var length: Int
    public var heads: Int
    public var headSize: Int
    /// Multiplier of Q·Kᵀ, usually 1/sqrt(hs).
    public var scale: Float
    /// ALiBi slope per head, or empty for no positional bias.
    public var slopes: [Float]
    /// Packed rows (B·T): the first position of each query's segment; keys before it are masked, so
    /// attention is causal AND same-segment (Megatron's packed multitask mask). nil: plain causal.
    public var segmentStarts: [Int32]?

    public init(batch: Int, length: Int, heads: Int, headSize: Int, scale: Float, slopes: [Float]) {
        precondition(slopes.isEmpty || slopes.count == heads, "attention: \(slopes.count) slopes for \(heads) heads")
        self.batch = batch; self.length = length; self.heads = heads
        self.headSize = headSize; self.scale = scale; self.slopes = slopes
    }

    var channels: Int { heads * headSize }
}

extension Tensor {
    /// Causal multi-head attention on a fused (B, T, 3C) QKV tensor → (B, T, C); with `segmentStarts`
    /// (B·T) a query sees only the keys of its own segment (packed examples never see each other).
    public static func causalSelfAttention(qkv: Tensor, heads: Int, slopes: [Float], scale: Float? = nil,
                                           dropout: Float = 0, seed: UInt64 = 0, segmentStarts: [Int32]? = nil) -> Tensor {
        precondition(qkv.rank == 3 && qkv.shape[2] % (3 * heads) == 0,
                     "attention: qkv \(qkv.shape) is not (B, T, 3·C) for \(heads) heads")
        let b = qkv.shape[0], t = qkv.shape[1], c = qkv.shape[2] / 3, hs = c / heads
        var problem = AttentionProblem(batch: b, length: t, heads: heads, headSize: hs,
                                       scale: scale ?? 1 / Float(hs).squareRoot(), slopes: slopes)
        if let segmentStarts {
            precondition(segmentStarts.count == b * t && segmentStarts.enumerated().allSatisfy { i, s in s >= 0 && Int(s) <= i % t },
                         "attention: segment starts must be B·T positions, each at or before its query")
            problem.segmentStarts = segmentStarts
        }
        let x = qkv.contiguousData()
        let saved = Tensor(shape: [Engine.backend.attentionSavedCount(problem, dropout: dropout > 0)], zeroed: false)
        let mask = dropout > 0 ? Tensor.dropoutMask(shape: [b, heads, t, t], p: dropout, seed: seed) : nil
        let out = Tensor(shape: [b, t, c], zeroed: false)
        Engine.backend.attentionForward(problem, qkv: x.pointer, saved: saved.pointer,
                                        dropMask: mask.map { UnsafePointer($0.pointer) }, out: out.pointer)
        return record("attention", output: out, inputs: [qkv]) { g in
            let gd = g.contiguousData()
            let dqkv = Tensor(shape: x.shape, zeroed: false)
            Engine.backend.attentionBackward(problem, qkv: x.pointer, saved: saved.pointer,
                                             dropMask: mask.map { UnsafePointer($0.pointer) },
                                             dout: gd.pointer, dqkv: dqkv.pointer)
            return [dqkv]
        }
    }
}

extension CPUBackend {
    /// Query rows per causal block: block r only multiplies against keys 0..<end(r), which
    /// skips most of the masked upper triangle (5/8 of the T×T work remains at T = 4 blocks).
    static let attentionBlock = 64

    /// Calls `body(i0, i1)` for consecutive query blocks of a length-`t` sequence.
    @inline(__always)
    static func causalBlocks(_ t: Int, _ body: (Int, Int) -> Void) {
        var i0 = 0
        while i0 < t {
            let i1 = min(t, i0 + attentionBlock)
            body(i0, i1)
            i0 = i1
        }
    }

    /// The probabilities (B, nh, T, T); the register-tiled kernels keep two floats per query row instead.
    public func attentionSavedCount(_ p: AttentionProblem, dropout: Bool) -> Int {
        usesAttentionKernels(p, dropout: dropout) ? 2 * p.batch * p.heads * p.length : p.batch * p.heads * p.length * p.length
    }

    public func attentionForward(_ p: AttentionProblem, qkv: UnsafePointer<Float>, saved: UnsafeMutablePointer<Float>,
                                 dropMask: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>) {
        if usesAttentionKernels(p, dropout: dropMask != nil) {
            attentionForwardAVX512(p, qkv: qkv, stats: saved, out: out)
            return
        }
        let probs = saved
        let t = p.length, hs = p.headSize, c = p.channels, tt = t * t
        Parallel.forRanges(p.batch * p.heads, costPerItem: 4 * tt * hs) { r in
            let buffer = Tensor(shape: [dropMask == nil ? 0 : tt], zeroed: false)
            let scratch = buffer.pointer
            defer { withExtendedLifetime(buffer) {} }
            for bh in r {
                let b = bh / p.heads, h = bh % p.heads
                let base = qkv + b * t * 3 * c + h * 3 * hs      // Q of (b, h); K at +hs, V at +2hs
                let s = probs + bh * tt
                let slope = p.slopes.isEmpty ? 0 : p.slopes[h]
                Self.causalBlocks(t) { i0, i1 in
                    let rows = i1 - i0
                    // S[i0..<i1, 0..<i1] = scale · Q Kᵀ   (rows, hs)·(hs, i1) -> (rows, i1)
                    BLAS.sgemm(transA: false, transB: true, m: rows, n: i1, k: hs, alpha: p.scale,
                               a: base + i0 * 3 * c, lda: 3 * c, b: base + hs, ldb: 3 * c, beta: 0, c: s + i0 * t, ldc: t)
                    for i in i0..<i1 {
                        let row = s + i * t
                        if let starts = p.segmentStarts {
                            // Same segment only: softmax over keys start…i (an ALiBi bias shifted by a constant
                            // per row is the same softmax), zeros before; backward needs nothing else (P is 0 there).
                            let start = Int(starts[b * t + i])
                            softmaxRow(row + start, row + start, visible: i + 1 - start, cols: t - start, slope: slope)
                            for j in 0..<start { row[j] = 0 }
                        } else {
                            softmaxRow(row, row, visible: i + 1, cols: t, slope: slope)   // ALiBi bias, causal mask, softmax
                        }
                    }
                    var pv = UnsafePointer(s + i0 * t)
                    if let dropMask {
                        let m = dropMask + bh * tt
                        for i in (i0 * t)..<(i1 * t) { scratch[i] = s[i] * m[i] }
                        pv = UnsafePointer(scratch + i0 * t)
                    }
                    // ctx[i0..<i1] = P·V   (rows, i1)·(i1, hs) -> (rows, hs), into out[b, :, h·hs ..< (h+1)·hs]
                    BLAS.sgemm(transA: false, transB: false, m: rows, n: hs, k: i1, alpha: 1,
                               a: pv, lda: t, b: base + 2 * hs, ldb: 3 * c, beta: 0,
                               c: out + (b * t + i0) * c + h * hs, ldc: c)
                }
            }
        }
    }

    public func attentionBackward(_ p: AttentionProblem, qkv: UnsafePointer<Float>, saved: UnsafePointer<Float>,
                                  dropMask: UnsafePointer<Float>?, dout: UnsafePointer<Float>,
                                  dqkv: UnsafeMutablePointer<Float>) {
        if usesAttentionKernels(p, dropout: dropMask != nil) {
            attentionBackwardAVX512(p, qkv: qkv, stats: saved, dout: dout, dqkv: dqkv)
            return
        }
        let probs = saved
        let t = p.length, hs = p.headSize, c = p.channels, tt = t * t
        let avx512 = usesAVX512
        Parallel.forRanges(p.batch * p.heads, costPerItem: 8 * tt * hs) { r in
            let buffers = Tensor(shape: [dropMask == nil ? tt : 2 * tt], zeroed: false)   // pooled: dP, and P ⊙ M
            let dp = buffers.pointer, pd = buffers.pointer + tt
            defer { withExtendedLifetime(buffers) {} }
            for bh in r {
                let b = bh / p.heads, h = bh % p.heads
                let base = qkv + b * t * 3 * c + h * 3 * hs
                let dbase = dqkv + b * t * 3 * c + h * 3 * hs
                let g = dout + b * t * c + h * hs                 // dctx (T, hs), ld C
                let pr = probs + bh * tt
                var pUsed = pr
                if let dropMask {
                    let m = dropMask + bh * tt
                    for i in 0..<tt { pd[i] = pr[i] * m[i] }
                    pUsed = UnsafePointer(pd)
                }
                // dK and dV accumulate over query blocks.
                for i in 0..<t { (dbase + i * 3 * c + hs).update(repeating: 0, count: 2 * hs) }
                Self.causalBlocks(t) { i0, i1 in
                    let rows = i1 - i0
                    let dpb = dp + i0 * t, gb = g + i0 * c
                    // dPd = dctx · Vᵀ   (rows, hs)·(hs, i1) -> (rows, i1)
                    BLAS.sgemm(transA: false, transB: true, m: rows, n: i1, k: hs, alpha: 1,
                               a: gb, lda: c, b: base + 2 * hs, ldb: 3 * c, beta: 0, c: dpb, ldc: t)
                    // dV[0..<i1] += Pdᵀ · dctx   (rows, i1)ᵀ·(rows, hs) -> (i1, hs)
                    BLAS.sgemm(transA: true, transB: false, m: i1, n: hs, k: rows, alpha: 1,
                               a: pUsed + i0 * t, lda: t, b: gb, ldb: c, beta: 1, c: dbase + 2 * hs, ldc: 3 * c)
                    // dS = P ⊙ (dP − rowsum(dP ⊙ P)), with dP = dPd ⊙ M; causal entries only.
                    for i in i0..<i1 {
                        let prow = pr + i * t, drow = dp + i * t
                        if let dropMask {
                            let m = dropMask + bh * tt + i * t
                            for j in 0...i { drow[j] *= m[j] }
                        }
                        if avx512 { trellis_softmax_backward_row(prow, drow, i + 1, i1); continue }
                        var dot: Float = 0
                        for j in 0...i { dot += prow[j] * drow[j] }
                        for j in 0...i { drow[j] = prow[j] * (drow[j] - dot) }
                        for j in (i + 1)..<i1 { drow[j] = 0 }
                    }
                    // dQ[i0..<i1] = scale · dS · K   (rows, i1)·(i1, hs) -> (rows, hs)
                    BLAS.sgemm(transA: false, transB: false, m: rows, n: hs, k: i1, alpha: p.scale,
                               a: dpb, lda: t, b: base + hs, ldb: 3 * c, beta: 0, c: dbase + i0 * 3 * c, ldc: 3 * c)
                    // dK[0..<i1] += scale · dSᵀ · Q[i0..<i1]   (rows, i1)ᵀ·(rows, hs) -> (i1, hs)
                    BLAS.sgemm(transA: true, transB: false, m: i1, n: hs, k: rows, alpha: p.scale,
                               a: dpb, lda: t, b: base + i0 * 3 * c, ldb: 3 * c, beta: 1, c: dbase + hs, ldc: 3 * c)
                }
            }
        }
    }
}
