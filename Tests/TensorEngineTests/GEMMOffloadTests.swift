import Foundation
import Testing
@testable import TensorEngine
import EngineTestSupport

/// `BLAS.offload`: which products leave the CPU, and what happens when the offload fails. The GPU
/// itself is checked on a GPU host by `engine-bench cuda-check`.
@Suite("GEMM offload", .serialized)
struct GEMMOffloadTests {
    /// An offload that takes only the given shapes (other tests run concurrently and must not be
    /// affected), multiplies with a plain Float64 loop or fails on request, and records what it got.
    final class LoopOffload: GEMMOffload, @unchecked Sendable {
        let name = "loop"
        let accepted: Set<[Int]>
        let fails: Bool
        let lock = NSLock()
        var shapes: [[Int]] = []
        init(accepting accepted: Set<[Int]>, fails: Bool = false) { self.accepted = accepted; self.fails = fails }

        func handles(m: Int, n: Int, k: Int) -> Bool { accepted.contains([m, n, k]) }

        struct Failure: Error {}

        func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                   a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                   beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) throws {
            lock.lock(); shapes.append([m, n, k]); lock.unlock()
            if fails { throw Failure() }
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0
                    for p in 0..<k {
                        sum += Double(transA ? a[p * lda + i] : a[i * lda + p]) * Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                    }
                    c[i * ldc + j] = Float(Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])))
                }
            }
        }
    }

    static func product(m: Int, n: Int, k: Int, transB: Bool) -> [Float] {
        let a = TestData.uniform(m * k, seed: 1).map { Float($0) }, b = TestData.uniform(k * n, seed: 2).map { Float($0) }
        var c = [Float](repeating: .nan, count: m * n)
        BLAS.sgemm(transA: false, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: transB ? k : n,
                   beta: 0, c: &c, ldc: n)
        return c
    }

    @Test("Products the offload takes go there (same values as OpenBLAS), others stay on the CPU")
    func routing() {
        let cpuLarge = Self.product(m: 40, n: 30, k: 20, transB: true)
        let offload = LoopOffload(accepting: [[40, 30, 20]])
        BLAS.offload = offload
        defer { BLAS.offload = nil }
        let large = Self.product(m: 40, n: 30, k: 20, transB: true)
        _ = Self.product(m: 10, n: 10, k: 10, transB: false)
        #expect(offload.shapes == [[40, 30, 20]])
        #expect(zip(large, cpuLarge).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    }

    @Test("A failing offload is switched off and the product is computed on the CPU")
    func failureFallsBack() {
        let expected = Self.product(m: 32, n: 16, k: 8, transB: false)
        BLAS.offload = LoopOffload(accepting: [[32, 16, 8]], fails: true)
        defer { BLAS.offload = nil }
        #expect(Self.product(m: 32, n: 16, k: 8, transB: false) == expected)
        #expect(BLAS.offload == nil)
    }

    @Test("cuBLAS that cannot be loaded is named with a hint")
    func missingLibrary() {
        #expect {
            _ = try CUBLASXt.load(path: "/nonexistent/libcublas.so.13")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("/nonexistent/libcublas.so.13") && text.contains("TRELLIS_CUBLAS_LIBRARY")
        }
    }
}
