import Testing
@testable import TensorEngine
import EngineTestSupport

/// bfloat16 products (AMX tiles where the CPU has them): on bfloat16 inputs they must equal a
/// Float64 reference to fp32 accumulation error, for every transpose, ragged sizes and alpha/beta.
@Suite("bfloat16 matrix products")
struct BFloat16MatMulTests {
    static func bf16Values(_ count: Int, seed: UInt64) -> [Float] {
        TestData.uniform(count, seed: seed).map { BFloat16.round(Float($0)) }
    }

    @Test("GEMM on bfloat16 values equals the Float64 reference (all transposes, ragged sizes, alpha/beta)")
    func gemmMatchesReference() {
        print("AMX tiles on this CPU: \(BLAS.amxAvailable)")
        let sizes = [(1, 1, 1), (3, 5, 7), (16, 16, 32), (33, 17, 65), (64, 96, 256), (70, 40, 100), (128, 64, 2048)]
        var seed: UInt64 = 1
        for (m, n, k) in sizes {
            for transA in [false, true] {
                for transB in [false, true] {
                    for (alpha, beta) in [(Float(1), Float(0)), (Float(0.5), Float(1)), (Float(2), Float(-0.25))] {
                        seed += 3
                        let a = Self.bf16Values(m * k, seed: seed), b = Self.bf16Values(k * n, seed: seed + 1)
                        let c0 = TestData.uniform(m * n, seed: seed + 2).map { Float($0) }
                        var c = c0
                        let lda = transA ? m : k, ldb = transB ? k : n
                        BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                   beta: beta, c: &c, ldc: n, split: false, bfloat16: true)
                        var worst = 0.0
                        for i in 0..<m {
                            for j in 0..<n {
                                var sum = 0.0, scale = 0.0
                                for p in 0..<k {
                                    let x = Double(transA ? a[p * lda + i] : a[i * lda + p]), y = Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                                    sum += x * y; scale += abs(x * y)
                                }
                                let expected = Double(alpha) * sum + Double(beta) * Double(c0[i * n + j])
                                let tolerance = 1e-6 * (Double(abs(alpha)) * scale + abs(Double(beta) * Double(c0[i * n + j]))) + 1e-7
                                worst = max(worst, abs(Double(c[i * n + j]) - expected) / tolerance)
                            }
                        }
                        #expect(worst <= 1, "m \(m) n \(n) k \(k) transA \(transA) transB \(transB) alpha \(alpha) beta \(beta): error \(worst)× tolerance")
                    }
                }
            }
        }
    }

    @Test("Rounding kernel gives the scalar formula's bits (ties, NaN, infinities, subnormals, random values)")
    func roundingKernelMatchesScalar() {
        var values: [Float] = [0, -0, 1, 1 + 0x1p-8, 1 + 0x1p-7 + 0x1p-8, .infinity, -.infinity, .nan, 0x1p-140, -0x1p-149,
                               .greatestFiniteMagnitude, 3.14159265]
        values += TestData.uniform(1000, in: -1e6...1e6, seed: 5).map { Float($0) }
        values += (0..<4096).map { Float(bitPattern: UInt32(truncatingIfNeeded: $0 &* 2_654_435_761)) }
        let rounded = Tensor(values, shape: [values.count]).roundedToBFloat16().toArray()
        for (x, r) in zip(values, rounded) {
            #expect(r.bitPattern == BFloat16.round(x).bitPattern || (x.isNaN && r.isNaN), "\(x)")
        }
    }

    @Test("Mixed-precision linear with a bias: forward and gradients equal fp32 linear on the same bfloat16 values")
    func linearMatchesFloat32() {
        let rows = 48, inF = 96, outF = 40
        let x = Tensor(Self.bf16Values(rows * inF, seed: 91), shape: [rows, inF], requiresGrad: true)
        let w = Tensor(Self.bf16Values(outF * inF, seed: 92), shape: [outF, inF], requiresGrad: true)
        let b = Tensor(Self.bf16Values(outF, seed: 97), shape: [outF], requiresGrad: true)
        let g = Tensor(Self.bf16Values(rows * outF, seed: 93), shape: [rows, outF])
        let fast = Tensor.linear(x, weight: w, bias: b, bfloat16: true)
        (fast * g).sum().backward()
        let (fx, fw, fb) = (x.grad!.toArray(), w.grad!.toArray(), b.grad!.toArray())
        x.grad = nil; w.grad = nil; b.grad = nil
        let exact = Tensor.linear(x, weight: w, bias: b)
        (exact * g).sum().backward()
        func close(_ p: [Float], _ q: [Float]) -> Bool { zip(p, q).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) } }
        #expect(close(fast.toArray(), exact.toArray()))
        #expect(close(fx, x.grad!.toArray()))
        #expect(close(fw, w.grad!.toArray()))
        #expect(fb == b.grad!.toArray())
    }

    @Test("Bias-free mixed-precision linear then cast (the LM head): same values and gradients as rounding separately")
    func roundedOutputMatchesSeparateCast() {
        let rows = 40, inF = 64, outF = 72
        let x = Tensor(Self.bf16Values(rows * inF, seed: 94), shape: [rows, inF], requiresGrad: true)
        let w = Tensor(Self.bf16Values(outF * inF, seed: 95), shape: [outF, inF], requiresGrad: true)
        let g = Tensor(TestData.uniform(rows * outF, seed: 96).map { Float($0) }, shape: [rows, outF])  // not bf16 values
        let fused = Tensor.linear(x, weight: w, bias: nil, bfloat16: true).roundedToBFloat16()
        #expect(fused.toArray().allSatisfy { BFloat16.round($0) == $0 })
        (fused * g).sum().backward()
        let (fx, fw) = (x.grad!.toArray(), w.grad!.toArray())
        x.grad = nil; w.grad = nil
        // Reference: fp32 product of the same values, rounded by a separate cast (whose backward rounds g).
        let separate = Tensor.linear(x, weight: w, bias: nil).roundedToBFloat16()
        (separate * g).sum().backward()
        func close(_ p: [Float], _ q: [Float], _ tolerance: Float) -> Bool { zip(p, q).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) } }
        #expect(close(fused.toArray(), separate.toArray(), 1e-2))   // one bf16 step apart at most where rounding ties differ
        #expect(close(fx, x.grad!.toArray(), 1e-5))
        #expect(close(fw, w.grad!.toArray(), 1e-5))
    }
}
