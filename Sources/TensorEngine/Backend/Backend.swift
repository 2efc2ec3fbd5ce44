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

    func attentionForward(_ p: AttentionProblem, qkv: UnsafePointer<Float>, probs: UnsafeMutablePointer<Float>,
                          dropMask: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>)
    func attentionBackward(_ p: AttentionProblem, qkv: UnsafePointer<Float>, probs: UnsafePointer<Float>,
                           dropMask: UnsafePointer<Float>?, dout: UnsafePointer<Float>, dqkv: UnsafeMutablePointer<Float>)
}

/// OpenBLAS sgemm plus vectorised Swift kernels, spread over cores with ``Parallel``.
public struct CPUBackend: Backend {
    public init() {}
    public var name: String { "cpu-openblas" }

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
