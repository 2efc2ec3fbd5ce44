import Foundation
import TensorEngine

/// Best sgemm throughput over a few large square and model-shaped products (GFLOP/s).
enum SgemmPeak {
    static func measure() -> Double {
        var best = 0.0
        for (m, n, k) in [(2048, 2048, 2048), (2048, 1024, 256), (2048, 8192, 256), (1536, 1536, 1536)] {
            let a = Tensor.full(0.5, shape: [m, k]), b = Tensor.full(0.25, shape: [k, n]), c = Tensor(shape: [m, n])
            for rep in 0..<4 {
                let start = now()
                BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a.pointer, lda: k,
                           b: b.pointer, ldb: n, beta: 0, c: c.pointer, ldc: n)
                let t = now() - start
                if rep > 0 { best = max(best, 2 * Double(m) * Double(n) * Double(k) / t / 1e9) }
            }
        }
        return best
    }
}
