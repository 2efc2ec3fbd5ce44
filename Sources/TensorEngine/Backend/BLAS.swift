import COpenBLAS
import CPUKernels
import Dispatch
import Foundation

/// Thin wrappers over OpenBLAS.
///
/// OpenBLAS runs single-threaded; large products are split into row (or column) panels
/// that our own workers multiply concurrently. OpenBLAS's pthread workers busy-wait after
/// each call, which on a 2-core machine steals the core that our elementwise kernels need
/// next; splitting ourselves avoids that. Each output element is still computed by one
/// sgemm call over the full K, so results do not depend on the split.
public enum BLAS {
    /// Products below this many multiply-adds run as one call.
    static let splitThreshold = 1 << 21

    private static let setUp: Void = {
        OpenBLASCore.correctIfMisdetected()
        openblas_set_num_threads(1)
    }()

    /// Where large fp32 products go instead of OpenBLAS (e.g. `CUBLASXt`); nil: the CPU. Set it before
    /// the first product. If the offload fails, the error is written to standard error once, the
    /// offload is switched off and the product (and every later one) runs on the CPU.
    nonisolated(unsafe) public static var offload: (any GEMMOffload)?

    /// Whether bfloat16 products run on AMX tiles (else they fall back to sgemm on the rounded values).
    public static let amxAvailable = trellis_amx_available() != 0

    /// Row-major single-precision GEMM: `C = alpha·op(A)·op(B) + beta·C`,
    /// with op(A) (m×k), op(B) (k×n), C (m×n); leading dimensions in elements.
    ///
    /// `bfloat16`: mixed precision. The operands are rounded to bfloat16 and multiplied on AMX tiles with
    /// fp32 accumulation where the CPU has them; elsewhere sgemm multiplies the operands as given (under
    /// mixed precision they already hold bfloat16 values, so both give the same products, summed in a
    /// different order).
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, split: Bool = true,
                             bfloat16: Bool = false, roundOutput: Bool = false) {
        precondition(!roundOutput || (bfloat16 && amxAvailable), "sgemm: output rounding is an AMX-only option")
        let amx = bfloat16 && amxAvailable
        _ = setUp
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
            return
        }
        if !bfloat16, let gpu = offload, gpu.handles(m: m, n: n, k: k) {
            do {
                try gpu.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                              beta: beta, c: c, ldc: ldc)
                return
            } catch {
                // With beta ≠ 0 the GPU may have overwritten part of C, which the CPU cannot then redo.
                precondition(beta == 0, "trellis: \(error) (in a product that accumulates into C: cannot continue)")
                FileHandle.standardError.write(Data("trellis: \(error); products run on the CPU from now on\n".utf8))
                offload = nil
            }
        }
        let parts = !split || Parallel.isInsideParallelRegion || m * n * k < splitThreshold ? 1 : Parallel.workerCount
        if parts == 1 {
            call(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, amx, roundOutput)
            return
        }
        if m >= n {
            // Row panels: op(A) rows i0..<i1 and C rows i0..<i1.
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                let r = Parallel.range(of: p, chunks: parts, count: m)
                guard !r.isEmpty else { return }
                Parallel.markParallelRegion {
                    call(transA, transB, r.count, n, k, alpha, a + (transA ? r.lowerBound : r.lowerBound * lda), lda,
                         b, ldb, beta, c + r.lowerBound * ldc, ldc, amx, roundOutput)
                }
            }
        } else {
            // Column panels: op(B) columns j0..<j1 and C columns j0..<j1.
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                let r = Parallel.range(of: p, chunks: parts, count: n)
                guard !r.isEmpty else { return }
                Parallel.markParallelRegion {
                    call(transA, transB, m, r.count, k, alpha, a, lda, b + (transB ? r.lowerBound * ldb : r.lowerBound), ldb,
                         beta, c + r.lowerBound, ldc, amx, roundOutput)
                }
            }
        }
    }

    /// Whether two independent products of `multiplyAdds` each should run side by side on two
    /// cores (each unsplit) rather than one after the other, each split into panels: this saves
    /// the panel split's duplicated packing of the shared operand and its barrier.
    public static func runsConcurrently(_ multiplyAdds: Int) -> Bool {
        Parallel.workerCount == 2 && !Parallel.isInsideParallelRegion && multiplyAdds >= splitThreshold
    }

    @inline(__always)
    private static func call(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                             _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                             _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ amx: Bool = false,
                             _ roundOutput: Bool = false) {
        if amx {
            trellis_amx_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, roundOutput ? 1 : 0)
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Runs `body` with OpenBLAS using `threads` of its own workers (for comparisons).
    public static func withOpenBLASThreads<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
        _ = setUp
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        return try body()
    }

    /// The OpenBLAS kernel family in use (e.g. "Haswell", "SkylakeX"; set by OPENBLAS_CORETYPE).
    public static var coreName: String { _ = setUp; return String(cString: openblas_get_corename()) }

    /// OpenBLAS build configuration string.
    public static var configuration: String { String(cString: openblas_get_config()) }
}
