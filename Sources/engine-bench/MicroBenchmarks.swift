import Foundation
import TensorEngine

/// Throughput of the vector kernels in isolation (`engine-bench micro`).
func runMicroBenchmarks() {
    let n = 1 << 24
    let x = Tensor((0..<n).map { Float($0 % 1000) / 100 - 5 }, shape: [n])
    let out = Tensor(shape: [n], zeroed: false)
    func time(_ name: String, _ body: () -> Void) {
        var best = Double.infinity
        for _ in 0..<3 { let s = now(); body(); best = min(best, now() - s) }
        print(name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: "%8.2f ms  %6.2f ns/element", best * 1e3, best * 1e9 / Double(n)))
    }
    time("VectorMath.exp (1 thread)") { VectorMath.exp(x.pointer, out.pointer, count: n) }
    time("VectorMath.tanh (1 thread)") { VectorMath.tanh(x.pointer, out.pointer, count: n) }
    time("Foundation.expf (1 thread)") { let s = x.pointer, o = out.pointer; for i in 0..<n { o[i] = Foundation.exp(s[i]) } }
    time("gelu forward (parallel)") { Engine.backend.geluForward(x: x.pointer, out: out.pointer, count: n) }
    time("softmax rows of 8192") {
        Engine.backend.softmaxForward(x: x.pointer, out: out.pointer, rows: n / 8192, cols: 8192, causalQueries: 0)
    }
}

/// Forward + backward time of each op at the benchmark's shapes (`engine-bench ops`).
func runOpBenchmarks(_ o: BenchOptions) {
    let rows = o.batch * o.length, c = o.hidden
    var rng = SplitMix64(seed: 3)
    func t(_ shape: [Int]) -> Tensor { Tensor.normal(shape: shape, std: 0.5, generator: &rng, requiresGrad: true) }
    func time(_ name: String, flops: Double = 0, _ body: () -> Tensor) {
        var best = (Double.infinity, Double.infinity)
        for _ in 0..<4 {
            let s = now(); let y = body(); let m = now()
            y.backward(Tensor.full(1e-3, shape: y.shape)); let e = now()
            best = (min(best.0, m - s), min(best.1, e - m))
        }
        let rate = flops > 0 ? String(format: "  %6.1f GFLOP/s", 3 * flops / (best.0 + best.1) / 1e9) : ""
        print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
              + String(format: "fwd %7.2f ms  bwd %7.2f ms", best.0 * 1e3, best.1 * 1e3) + rate)
    }
    let x = t([o.batch, o.length, c])
    for (inF, outF, name) in [(c, 3 * c, "qkv"), (c, c, "dense"), (c, 4 * c, "h_to_4h"), (4 * c, c, "4h_to_h")] {
        let xi = inF == c ? x : t([o.batch, o.length, inF])
        let w = t([outF, inF]), b = t([outF])
        time("linear \(name) \(inF)->\(outF)", flops: 2 * Double(rows * inF * outF)) { Tensor.linear(xi, weight: w, bias: b) }
    }
    let wte = t([o.vocab, c])
    time("lm head \(c)->\(o.vocab)", flops: 2 * Double(rows * c * o.vocab)) { Tensor.linear(x, weight: wte, bias: nil) }
    let logits = t([rows, o.vocab])
    let targets = (0..<rows).map { Int32($0 % o.vocab) }
    time("cross-entropy") { Tensor.crossEntropy(logits: logits, targets: targets) }
    let qkv = t([o.batch, o.length, 3 * c])
    let slopes = (0..<o.heads).map { Float(1) / Float(1 << ($0 + 1)) }
    time("attention (fused)", flops: 4 * Double(o.batch * o.length * o.length * c)) {
        Tensor.causalSelfAttention(qkv: qkv, heads: o.heads, slopes: slopes)
    }
    let w = t([c]), b = t([c])
    time("layerNorm") { x.layerNorm(weight: w, bias: b, eps: 1e-5) }
    let h = t([o.batch, o.length, 4 * c])
    time("gelu") { h.gelu() }
    time("residual add") { x + x }
}

/// sgemm at the model's shapes: our panel split vs OpenBLAS's own threads (`engine-bench gemm`).
func runGemmBenchmarks() {
    let shapes: [(Bool, Bool, Int, Int, Int, String)] = [
        (false, true, 2048, 8192, 256, "lm head fwd  x·Wᵀ"),
        (false, false, 2048, 256, 8192, "lm head dx   g·W"),
        (true, false, 8192, 256, 2048, "lm head dW   gᵀ·x"),
        (false, true, 2048, 1024, 256, "h_to_4h fwd"),
        (false, false, 2048, 256, 1024, "h_to_4h dx"),
        (true, false, 1024, 256, 2048, "h_to_4h dW"),
        (false, false, 2048, 2048, 2048, "square"),
    ]
    for (ta, tb, m, n, k, name) in shapes {
        let a = Tensor.full(0.5, shape: [m * k]), b = Tensor.full(0.25, shape: [k * n]), c = Tensor(shape: [m * n])
        let lda = ta ? m : k, ldb = tb ? k : n
        func best(_ body: () -> Void) -> Double {
            var t = Double.infinity
            for _ in 0..<5 { let s = now(); body(); t = min(t, now() - s) }
            return 2 * Double(m * n * k) / t / 1e9
        }
        let split = best { BLAS.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, a: a.pointer, lda: lda,
                                      b: b.pointer, ldb: ldb, beta: 0, c: c.pointer, ldc: n) }
        let own = best { BLAS.withOpenBLASThreads(Parallel.workerCount) {
            BLAS.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, a: a.pointer, lda: lda,
                       b: b.pointer, ldb: ldb, beta: 0, c: c.pointer, ldc: n, split: false) } }
        print(name.padding(toLength: 22, withPad: " ", startingAt: 0)
              + String(format: "%5d×%5d×%5d  split %6.1f  openblas-threads %6.1f GFLOP/s", m, n, k, split, own))
    }
}
