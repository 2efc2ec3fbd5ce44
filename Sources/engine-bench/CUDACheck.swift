import Foundation
import TensorEngine

/// `engine-bench cuda-check`: loads cuBLASXt, checks its products against OpenBLAS at the model's
/// shapes (every transpose, alpha/beta) and times both, then runs the training benchmark with and
/// without the GPU. Exits non-zero when a product is off by more than fp32 accumulation error.
func runCUDACheck() throws {
    let gpu = try CUBLASXt.load(minimumMultiplyAdds: 0)
    print("loaded \(gpu.name)")
    let shapes: [(Bool, Bool, Int, Int, Int, Float, Float, String)] = [
        (false, true, 2048, 8192, 256, 1, 0, "lm head fwd  x·Wᵀ"),
        (false, false, 2048, 256, 8192, 1, 0, "lm head dx   g·W"),
        (true, false, 8192, 256, 2048, 1, 0, "lm head dW   gᵀ·x"),
        (false, true, 2048, 1024, 256, 1, 1, "h_to_4h fwd + bias (beta 1)"),
        (true, true, 300, 200, 100, 0.5, -0.25, "ragged, both transposed"),
        (false, false, 2048, 2048, 2048, 1, 0, "square"),
    ]
    var worst = 0.0
    var rng = SplitMix64(seed: 3)
    for (ta, tb, m, n, k, alpha, beta, name) in shapes {
        let a = (0..<(m * k)).map { _ in Float(rng.nextUniform()) * 2 - 1 }
        let b = (0..<(k * n)).map { _ in Float(rng.nextUniform()) * 2 - 1 }
        let c0 = (0..<(m * n)).map { _ in Float(rng.nextUniform()) * 2 - 1 }
        let lda = ta ? m : k, ldb = tb ? k : n
        var onCPU = c0, onGPU = c0
        var cpuSeconds = Double.infinity, gpuSeconds = Double.infinity
        for _ in 0..<3 {
            onCPU = c0; onGPU = c0
            var start = Date()
            BLAS.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &onCPU, ldc: n)
            cpuSeconds = min(cpuSeconds, Date().timeIntervalSince(start))
            start = Date()
            try gpu.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &onGPU, ldc: n)
            gpuSeconds = min(gpuSeconds, Date().timeIntervalSince(start))
        }
        // Relative to the size of the terms: sqrt(k)·ε-scale differences are expected between BLAS libraries.
        var error = 0.0
        for i in 0..<(m * n) { error = max(error, Double(abs(onCPU[i] - onGPU[i])) / (Double(k).squareRoot() + abs(Double(onCPU[i])))) }
        worst = max(worst, error)
        let flops = 2 * Double(m * n * k)
        print(name.padding(toLength: 30, withPad: " ", startingAt: 0)
              + String(format: "%5d×%5d×%5d  max rel. error %.2e  CPU %7.1f  GPU %7.1f GFLOP/s (host memory, copies included)",
                       m, n, k, error, flops / cpuSeconds / 1e9, flops / gpuSeconds / 1e9))
    }
    // C as a panel of a wider matrix (ldc > n): the elements between rows must stay as they were.
    do {
        let m = 64, n = 48, k = 96, ldc = 61
        let a = (0..<(m * k)).map { _ in Float(rng.nextUniform()) }, b = (0..<(k * n)).map { _ in Float(rng.nextUniform()) }
        var onCPU = [Float](repeating: -7, count: m * ldc), onGPU = onCPU
        BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: &onCPU, ldc: ldc)
        try gpu.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: &onGPU, ldc: ldc)
        var error = 0.0, gapsKept = true
        for i in 0..<m { for j in 0..<ldc {
            if j < n { error = max(error, Double(abs(onCPU[i * ldc + j] - onGPU[i * ldc + j])) / (Double(k).squareRoot() + abs(Double(onCPU[i * ldc + j])))) }
            else if onGPU[i * ldc + j] != -7 { gapsKept = false }
        } }
        print(String(format: "panel of a wider C (ldc %d > n %d): max rel. error %.2e, elements between rows kept: %@", ldc, n, error, gapsKept ? "yes" : "NO"))
        worst = max(worst, error)
        guard gapsKept else { throw BenchError.usage("cuda-check: the GPU product wrote between the rows of C") }
    }
    guard worst < 1e-5 else { throw BenchError.usage("cuda-check: GPU products differ from OpenBLAS by \(worst) (relative)") }
    print("all products agree (worst \(String(format: "%.2e", worst)))")
    for offload in [false, true] {
        var options = try BenchOptions(["--steps", "6", "--no-peak"])
        options.cublas = offload
        print(offload ? "training steps, products ≥ 2^26 multiply-adds on the GPU:" : "training steps, CPU only:")
        try runTrainingBenchmark(options)
    }
}
