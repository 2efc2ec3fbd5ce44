import Corpus
import Foundation
import TensorEngine

/// The numeric path of this process, recorded with every builtin execution: which engine kernels
/// (AVX-512 or portable, AMX for bfloat16), which OpenBLAS kernel, and which corpus kernels ran.
/// Floats are not bit-identical across paths; `trellis show` prints it beside each execution.
enum NumericPath {
    static var current: String {
        var parts = ["engine " + (CPUBackend.avx512Available ? "avx512" : "portable") + (BLAS.amxAvailable ? "+amx" : "")]
        var blas = "openblas " + BLAS.coreName
        if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] { blas += " (OPENBLAS_CORETYPE=\(forced))" }
        parts.append(blas)
        parts.append("corpus " + CorpusKernelTier.description)
        return parts.joined(separator: "; ")
    }
}
