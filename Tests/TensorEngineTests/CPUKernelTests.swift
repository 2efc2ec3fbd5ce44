import Foundation
import Testing
import TensorEngine
import CPUKernels
import EngineTestSupport

/// The AVX-512 C kernels against the portable Swift kernels and Float64 references, at sizes
/// with ragged tails (not multiples of 16). On a CPU without AVX-512 both backends are the
/// portable one and the comparisons are trivially equal.
@Suite("CPU kernels: AVX-512 vs portable")
struct CPUKernelTests {
    let fast = CPUBackend()
    let portable = CPUBackend(usesAVX512: false)

    func floats(_ n: Int, in range: ClosedRange<Double> = -1...1, seed: UInt64) -> [Float] {
        TestData.uniform(n, in: range, seed: seed).map(Float.init)
    }

    /// Runs `body` on a fresh output buffer of `count` floats and returns its contents.
    func output(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        out.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        return out
    }

    @Test func backendSelection() {
        #expect(portable.usesAVX512 == false)
        #expect(fast.usesAVX512 == CPUBackend.avx512Available)
    }

    @Test(arguments: [1, 15, 16, 17, 1000, 40_003])
    func geluMatchesReference(count: Int) {
        let x = floats(count, in: -6...6, seed: 41), g = floats(count, seed: 42)
        for backend in [fast, portable] {
            let y = output(count) { backend.geluForward(x: x, out: $0, count: count) }
            let dx = output(count) { backend.geluBackward(dout: g, x: x, dx: $0, count: count) }
            for i in 0..<count {
                let v = Double(x[i])
                #expect(abs(Double(y[i]) - Reference.gelu(v)) < 2e-6 * (1 + abs(v)), "x \(v)")
                let h = 1e-4
                let slope = (Reference.gelu(v + h) - Reference.gelu(v - h)) / (2 * h)
                #expect(abs(Double(dx[i]) - Double(g[i]) * slope) < 1e-5, "x \(v)")
            }
        }
    }

    @Test func expEdgeCases() {
        let x: [Float] = [0, 1, -1, 88.3, 89, 100, -87, -103, -200, .infinity, -.infinity, .nan, 10, -10, 0.5, 2]
        for backend in [fast, portable] {
        let y = output(x.count) { backend.exp(x: x, out: $0, count: x.count) }
        for (xi, yi) in zip(x, y) {
            if xi.isNaN { #expect(yi.isNaN || !backend.usesAVX512); continue }   // the portable exp maps NaN to +inf
            let ref = Foundation.exp(Double(xi))
            if ref > Double(Float.greatestFiniteMagnitude) { #expect(yi == .infinity, "exp(\(xi))"); continue }
            if ref < Double(Float.leastNormalMagnitude) { #expect(yi >= 0 && Double(yi) < 1e-37, "exp(\(xi))"); continue }
            #expect(abs(Double(yi) - ref) <= 4e-7 * ref, "exp(\(xi)) = \(yi), want \(ref)")
        }
        }
    }

    @Test(arguments: [(3, 37, 0), (4, 300, 4), (2, 16, 16), (5, 8192, 0)])
    func softmaxMatchesReference(rows: Int, cols: Int, causal: Int) {
        let x = floats(rows * cols, in: -8...8, seed: 43)
        let ref = Reference.softmax(x.map(Double.init), cols: cols, causalQueries: causal)
        for backend in [fast, portable] {
            let y = output(rows * cols) { backend.softmaxForward(x: x, out: $0, rows: rows, cols: cols, causalQueries: causal) }
            #expect(zip(y, ref).allSatisfy { abs(Double($0) - $1) < 1e-6 })
        }
    }

    @Test func softmaxRowWithSlope() {
        let cols = 70, visible = 53, slope: Float = 0.0625
        let x = floats(cols, in: -3...3, seed: 44)
        let biased = (0..<visible).map { Double(x[$0]) + Double(slope) * Double($0) }
        let ref = Reference.softmax(biased, cols: visible)
        for backend in [fast, portable] {
            let y = output(cols) { backend.softmaxRow(x, $0, visible: visible, cols: cols, slope: slope) }
            #expect(zip(y.prefix(visible), ref).allSatisfy { abs(Double($0) - $1) < 1e-6 })
            #expect(y[visible...].allSatisfy { $0 == 0 })
        }
    }

    @Test(arguments: [37, 8192])
    func crossEntropyRowsAgree(cols: Int) {
        let rows = 6
        let x = floats(rows * cols, in: -5...5, seed: 45)
        let targets: [Int32] = [0, Int32(cols - 1), -100, 3, Int32(cols / 2), 7]
        var results: [(Float, [Float], [Float])] = []
        for backend in [fast, portable] {
            var lse = [Float](repeating: 0, count: rows)
            var loss: Float = 0
            let d = output(rows * cols) { dp in
                loss = backend.crossEntropyForward(logits: x, targets: targets, ignoreIndex: -100, logSumExp: &lse,
                                                   dlogits: dp, gradScale: 0.2, rows: rows, cols: cols)
            }
            results.append((loss, lse, d))
        }
        // Float64 reference for the loss.
        var refLoss = 0.0
        for r in 0..<rows where targets[r] != -100 {
            let row = x[(r * cols)..<(r * cols + cols)].map(Double.init)
            let m = row.max()!
            refLoss += m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +)) - row[Int(targets[r])]
        }
        for (loss, _, d) in results {
            #expect(abs(Double(loss) - refLoss) < 1e-5 * (1 + abs(refLoss)))
            #expect(d[(2 * cols)..<(3 * cols)].allSatisfy { $0 == 0 })   // ignored row
        }
        #expect(TestData.maxAbsDiff(results[0].1, results[1].1) < 1e-5)
        #expect(TestData.maxAbsDiff(results[0].2, results[1].2) < 1e-7)
    }

    @Test(arguments: [8, 37, 256])
    func layerNormAgrees(cols: Int) {
        let rows = 33
        let x = floats(rows * cols, in: -3...3, seed: 46), w = floats(cols, in: 0.5...1.5, seed: 47)
        let b = floats(cols, seed: 48), g = floats(rows * cols, seed: 49)
        let ref = Reference.layerNorm(x.map(Double.init), w.map(Double.init), b.map(Double.init), cols: cols, eps: 1e-5)
        var grads: [[Float]] = []
        for backend in [fast, portable] {
            var mean = [Float](repeating: 0, count: rows), rstd = mean
            let y = output(rows * cols) { backend.layerNormForward(x: x, weight: w, bias: b, out: $0, mean: &mean, rstd: &rstd,
                                                                   rows: rows, cols: cols, eps: 1e-5) }
            #expect(zip(y, ref).allSatisfy { abs(Double($0) - $1) < 1e-5 })
            var dw = [Float](repeating: 0, count: cols), db = dw
            let dx = output(rows * cols) { backend.layerNormBackward(dout: g, x: x, weight: w, mean: mean, rstd: rstd, dx: $0,
                                                                     dweight: &dw, dbias: &db, rows: rows, cols: cols) }
            grads.append(dx + dw + db)
        }
        #expect(TestData.maxAbsDiff(grads[0], grads[1]) < 1e-5)
    }

    @Test func adamWAndSumOfSquaresAgree() {
        let n = 100_003
        let g = floats(n, seed: 50)
        let hyper = AdamWStep(decay: 1 - 3e-4 * 0.1, beta1: 0.9, beta2: 0.95, eps: 1e-8, stepSize: 3e-4 / 0.1,
                              bc2Sqrt: Float(0.05).squareRoot())
        var states: [[Float]] = []
        for backend in [fast, portable] {
            var p = floats(n, seed: 51), m = floats(n, in: -0.1...0.1, seed: 52), v = floats(n, in: 0...0.01, seed: 53)
            backend.adamWUpdate(parameter: &p, gradient: g, m: &m, v: &v, count: n, hyper: hyper)
            states.append(p + m + v)
        }
        #expect(TestData.maxRelDiff(states[0], states[1], floor: 1e-6) < 1e-6)
        let ref = g.reduce(0.0) { $0 + Double($1) * Double($1) }
        for backend in [fast, portable] {
            #expect(abs(Double(backend.sumOfSquares(g, count: n)) - ref) < 1e-5 * ref)
        }
    }

    /// Register-tiled attention vs the BLAS-block attention: head sizes 32 (two full lane groups),
    /// 48 (three) and 20 (a masked group), T = 37 (ragged row tiles and key widths).
    @Test(.enabled(if: CPUBackend.avx512Available, Self.noAVX512), arguments: [32, 48, 20])
    func attentionAgrees(headSize hs: Int) {
        let (b, t, nh) = (2, 37, 3)
        let problem = AttentionProblem(batch: b, length: t, heads: nh, headSize: hs, scale: 1 / Float(hs).squareRoot(),
                                       slopes: [0.5, 0.25, 0.125])
        let qkv = floats(b * t * 3 * nh * hs, in: -2...2, seed: 55), g = floats(b * t * nh * hs, seed: 56)
        expectAttentionAgrees(problem, qkv: qkv, dout: g)
        #expect(fast.attentionSavedCount(problem, dropout: false) == (CPUBackend.avx512Available ? 2 * b * nh * t : b * nh * t * t))
    }

    /// Output and input gradient of both backends agree within 2e-5 (the fast kernels keep 2 floats
    /// per query row for the backward, the portable ones every probability).
    func expectAttentionAgrees(_ problem: AttentionProblem, qkv: [Float], dout g: [Float]) {
        var results: [[Float]] = []
        for backend in [fast, portable] {
            var saved = [Float](repeating: .nan, count: backend.attentionSavedCount(problem, dropout: false))
            let out = output(g.count) { backend.attentionForward(problem, qkv: qkv, saved: &saved, dropMask: nil, out: $0) }
            let dqkv = output(qkv.count) { backend.attentionBackward(problem, qkv: qkv, saved: saved, dropMask: nil, dout: g, dqkv: $0) }
            results.append(out + dqkv)
        }
        #expect(results[0].allSatisfy { $0.isFinite })
        #expect(TestData.maxAbsDiff(results[0], results[1]) < 2e-5)
    }

    /// Steep ALiBi slopes push far keys' probabilities below FLT_MIN: the fast kernels flush those to
    /// zero (flush-to-zero inside the kernels only), the portable ones keep them; both agree, and the
    /// caller's floating-point mode is restored afterwards (subnormal results still appear).
    @Test(.enabled(if: CPUBackend.avx512Available, Self.noAVX512))
    func attentionWithSubnormalProbabilities() {
        let (b, t, nh, hs) = (1, 40, 3, 32)
        let problem = AttentionProblem(batch: b, length: t, heads: nh, headSize: hs, scale: 1 / Float(hs).squareRoot(),
                                       slopes: [8, 4, 2])
        let qkv = floats(b * t * 3 * nh * hs, seed: 57), g = floats(b * t * nh * hs, seed: 58)
        expectAttentionAgrees(problem, qkv: qkv, dout: g)
        // The kernels themselves on this thread (head 0), then a subnormal product here.
        let ld = 3 * nh * hs
        var scratch = [Float](repeating: 0, count: trellis_attention_scratch_count(t, hs))
        var stats = [Float](repeating: 0, count: 2 * t), out = [Float](repeating: 0, count: t * nh * hs)
        var dqkv = [Float](repeating: 0, count: qkv.count)
        qkv.withUnsafeBufferPointer { x in
            let q = x.baseAddress!
            trellis_attention_forward(q, q + hs, q + 2 * hs, ld, t, hs, 0.18, -8, &stats, &out, nh * hs, &scratch)
            #expect(quarter(Float.leastNormalMagnitude).isSubnormal, "flush-to-zero leaked out of the attention forward")
            dqkv.withUnsafeMutableBufferPointer { d in
                let dq = d.baseAddress!
                trellis_attention_backward(q, q + hs, q + 2 * hs, ld, t, hs, 0.18, -8, stats, g, nh * hs,
                                           dq, dq + hs, dq + 2 * hs, &scratch)
            }
        }
        #expect(quarter(Float.leastNormalMagnitude).isSubnormal, "flush-to-zero leaked out of the attention backward")
        #expect(out.allSatisfy { $0.isFinite } && dqkv.allSatisfy { $0.isFinite })
    }

    @inline(never) func quarter(_ x: Float) -> Float { x * 0.25 }

    /// The attention backward rebuilds each probability row from the forward's (max, 1/sum): it must
    /// reproduce the forward's row bit for bit, zeros included, for every tail length.
    @Test(.enabled(if: CPUBackend.avx512Available, Self.noAVX512))
    func softmaxRowRebuildsBitForBit() {
        let cols = 80
        for visible in 1...cols {
            let src = floats(cols, in: -6...6, seed: UInt64(60 + visible))
            var stats: [Float] = [0, 0]
            let forward = output(cols) { trellis_softmax_row_stats(src, $0, visible, cols, -0.0625, &stats) }
            let rebuilt = output(cols) { trellis_softmax_row_recompute(src, $0, visible, cols, -0.0625, stats) }
            #expect(forward.map(\.bitPattern) == rebuilt.map(\.bitPattern), "visible \(visible)")
            let biased = (0..<visible).map { Double(src[$0]) - 0.0625 * Double($0) }
            #expect(Double(stats[0]) == biased.max()!)
            let sum = biased.reduce(0.0) { $0 + exp($1 - biased.max()!) }
            #expect(abs(Double(stats[1]) * sum - 1) < 1e-5)
            #expect(forward[visible...].allSatisfy { $0 == 0 })
        }
    }

    @Test func kernelsAreDeterministic() {
        let n = 123_457
        let x = floats(n, in: -4...4, seed: 54)
        let a = output(n) { fast.geluForward(x: x, out: $0, count: n) }
        let b = output(n) { fast.geluForward(x: x, out: $0, count: n) }
        #expect(a == b)
        #expect(fast.sumOfSquares(x, count: n) == fast.sumOfSquares(x, count: n))
    }

    /// Why the tests of the AVX-512 kernels themselves do not run on a CPU without AVX-512.
    static let noAVX512: Comment = "this CPU has no AVX-512: only the portable kernels run, so there is no fast kernel to compare"

    // With OPENBLAS_CORETYPE unset, an AVX-512 CPU must not run OpenBLAS's generic kernels.
    @Test(.enabled(if: CPUBackend.avx512Available, Self.noAVX512),
          .enabled(if: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, "OPENBLAS_CORETYPE is set here, which chooses OpenBLAS's kernel by hand"))
    func openBLASKernelIsNotAFallback() {
        #expect(!["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Sandybridge", "Atom"].contains(BLAS.coreName),
                "OpenBLAS kernel \(BLAS.coreName)")
    }
}
