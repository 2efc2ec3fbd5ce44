import CPUKernels

/// The kernel set behind the autograd ops. `CPUBackend` (OpenBLAS + vectorised Swift loops)
/// is the only implementation today; a CUDA backend would implement the same requirements
/// over device pointers, and ``Engine/backend`` selects it.
///
/// Layout/elementwise arithmetic (`Kernels`) is still CPU-only and would move here next.
public protocol Backend: Sendable {
    /// Short identifier, e.g. "cpu-openblas".
    var name: String { get }

    /// Row-major `C = alpha·op(A)·op(B) + beta·C`.
    func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)

    func layerNormForward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                          out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                          rstd: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float)
    func layerNormBackward(dout: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                           mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                           dx: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                           dbias: UnsafeMutablePointer<Float>, rows: Int, cols: Int)

    /// `out[i] = e^x[i]`.
    func exp(x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int)

    func geluForward(x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int)
    func geluBackward(dout: UnsafePointer<Float>, x: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int)

    func softmaxForward(x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                        causalQueries: Int)
    func softmaxBackward(dout: UnsafePointer<Float>, y: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                         rows: Int, cols: Int)

    func crossEntropyForward(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, ignoreIndex: Int32,
                             logSumExp: UnsafeMutablePointer<Float>, dlogits: UnsafeMutablePointer<Float>?,
                             gradScale: Float, rows: Int, cols: Int) -> Float
    func crossEntropyBackward(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, ignoreIndex: Int32,
                              logSumExp: UnsafePointer<Float>, scale: Float, dlogits: UnsafeMutablePointer<Float>,
                              rows: Int, cols: Int)

    /// Floats the attention forward keeps for its backward (`saved`): the probabilities, or less
    /// where the backend rebuilds them.
    func attentionSavedCount(_ p: AttentionProblem, dropout: Bool) -> Int
    func attentionForward(_ p: AttentionProblem, qkv: UnsafePointer<Float>, saved: UnsafeMutablePointer<Float>,
                          dropMask: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>)
    func attentionBackward(_ p: AttentionProblem, qkv: UnsafePointer<Float>, saved: UnsafePointer<Float>,
                           dropMask: UnsafePointer<Float>?, dout: UnsafePointer<Float>, dqkv: UnsafeMutablePointer<Float>)

    /// One AdamW update of `count` elements in place (see `Optimization.AdamW` for the formula).
    func adamWUpdate(parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                     m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
                     hyper: AdamWStep)
    /// Σ x², accumulated in a fixed order for a given count.
    func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float
}

/// OpenBLAS sgemm plus vectorised kernels, spread over cores with ``Parallel``.
///
/// Elementwise and row kernels run as AVX-512 C (`CPUKernels`) where the CPU has it, and as
/// portable Swift `SIMD16` loops otherwise (Swift compiles those for the x86-64 baseline, SSE2,
/// without FMA). Each path is deterministic; the two differ in the last bits.
public struct CPUBackend: Backend {
    /// Whether this CPU runs the AVX-512 kernels.
    public static let avx512Available = trellis_avx512_available() != 0

    /// Whether this backend uses the AVX-512 kernels (never on a CPU without them).
    public let usesAVX512: Bool

    /// - Parameter usesAVX512: false forces the portable Swift kernels (tests compare the two).
    public init(usesAVX512: Bool = CPUBackend.avx512Available) {
        self.usesAVX512 = usesAVX512 && CPUBackend.avx512Available
    }

    public var name: String { usesAVX512 ? "cpu-openblas-avx512" : "cpu-openblas" }

    public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

/// Process-wide engine settings.
public enum Engine {
    /// The kernels every op dispatches to.
    nonisolated(unsafe) public static var backend: any Backend = CPUBackend()
}
