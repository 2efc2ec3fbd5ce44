import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Large products offloaded to NVIDIA GPUs through cuBLASXt, NVIDIA's host-memory GEMM interface
/// (it tiles the operands, streams the tiles to the GPUs and overlaps copies with compute).
///
/// `libcublas` is loaded with `dlopen` at run time, as `MPILibrary` loads Open MPI: Trellis builds
/// and runs without CUDA, and a statically linked binary carried to a GPU host uses the GPU there.
/// This is the first CUDA piece of the engine, not a device backend: tensors stay in host memory
/// and every other op runs on the CPU; only `BLAS.sgemm` calls at or above `minimumMultiplyAdds`
/// go to the GPU (fp32, so bf16 products stay on the CPU's AMX path).
///
/// ```swift
/// BLAS.offload = try CUBLASXt.load()          // TRELLIS_CUBLAS_LIBRARY names the library if needed
/// ```
public final class CUBLASXt: GEMMOffload, @unchecked Sendable {
    public enum LoadError: Error, CustomStringConvertible {
        case notFound(tried: [String], reason: String)
        case missingSymbol(String)
        case callFailed(function: String, status: Int32)

        public var description: String {
            switch self {
            case .notFound(let tried, let reason):
                return "cuBLAS: could not load cuBLAS (tried \(tried.joined(separator: ", "))): \(reason); install the CUDA toolkit or the nvidia-cublas wheel and put its lib folder on LD_LIBRARY_PATH, or set TRELLIS_CUBLAS_LIBRARY"
            case .missingSymbol(let name): return "cuBLAS: the loaded library has no symbol '\(name)' (cuBLAS 11 or later is required)"
            case .callFailed(let function, let status): return "cuBLAS: \(function) returned status \(status) (1: not initialized, e.g. no GPU or driver; 3: allocation failed)"
            }
        }
    }

    typealias Create = @convention(c) (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias Destroy = @convention(c) (OpaquePointer?) -> Int32
    typealias DeviceSelect = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Int32>) -> Int32
    /// handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc (column-major, size_t dims)
    typealias Sgemm = @convention(c) (OpaquePointer?, Int32, Int32, Int, Int, Int, UnsafePointer<Float>, UnsafePointer<Float>, Int,
                                      UnsafePointer<Float>, Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Int32

    typealias MallocHost = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>, Int) -> Int32
    typealias FreeHost = @convention(c) (UnsafeMutableRawPointer?) -> Int32

    private let handle: OpaquePointer?
    private let destroy: Destroy
    private let gemm: Sgemm
    /// Page-locked staging buffers (CUDA runtime): copies between pageable memory and the GPU are slow
    /// (measured about 1 GB/s device-to-host through cuBLASXt), so operands are copied into pinned
    /// buffers first, in parallel, and the result back. Nil when `libcudart` could not be loaded.
    private let pinned: (allocate: MallocHost, free: FreeHost)?
    private var staging: [(pointer: UnsafeMutableRawPointer, bytes: Int)?] = [nil, nil, nil]
    /// One product at a time on the handle (callers on several threads are serialised here).
    private let lock = NSLock()
    public let minimumMultiplyAdds: Int
    public let name: String

    /// Loads cuBLAS and selects GPUs `devices`. Products below `minimumMultiplyAdds` stay on the CPU
    /// (moving their operands over PCIe costs more than it saves).
    public static func load(path: String? = ProcessInfo.processInfo.environment["TRELLIS_CUBLAS_LIBRARY"],
                            devices: [Int32] = [0], minimumMultiplyAdds: Int = 1 << 26) throws -> CUBLASXt {
        let candidates = path.map { [$0] } ?? ["libcublas.so", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11"]
        let library: SharedLibrary
        switch SharedLibrary.open(candidates) {
        case .success(let opened): library = opened
        case .failure(let missing): throw LoadError.notFound(tried: missing.tried, reason: missing.reason)
        }
        func symbol<T>(_ name: String, as type: T.Type) throws -> T {
            guard let function = library.function(name, as: type) else { throw LoadError.missingSymbol(name) }
            return function
        }
        let create = try symbol("cublasXtCreate", as: Create.self)
        let destroy = try symbol("cublasXtDestroy", as: Destroy.self)
        let select = try symbol("cublasXtDeviceSelect", as: DeviceSelect.self)
        let gemm = try symbol("cublasXtSgemm", as: Sgemm.self)
        var handle: OpaquePointer?
        let created = create(&handle)
        guard created == 0 else { throw LoadError.callFailed(function: "cublasXtCreate", status: created) }
        var ids = devices
        let selected = select(handle, Int32(ids.count), &ids)
        guard selected == 0 else {
            _ = destroy(handle)
            throw LoadError.callFailed(function: "cublasXtDeviceSelect(\(devices))", status: selected)
        }
        // The CUDA runtime for pinned staging (optional: without it, cuBLASXt reads pageable memory).
        var pinned: (MallocHost, FreeHost)? = nil
        let runtimeNames = ProcessInfo.processInfo.environment["TRELLIS_CUDART_LIBRARY"].map { [$0] } ?? ["libcudart.so", "libcudart.so.13", "libcudart.so.12"]
        if case .success(let runtime) = SharedLibrary.open(runtimeNames),
           let allocate = runtime.function("cudaMallocHost", as: MallocHost.self), let free = runtime.function("cudaFreeHost", as: FreeHost.self) {
            pinned = (allocate, free)
        }
        return CUBLASXt(handle: handle, destroy: destroy, gemm: gemm, pinned: pinned, minimumMultiplyAdds: minimumMultiplyAdds,
                        name: "cublasxt(gpu \(devices.map(String.init).joined(separator: ",")), \(pinned == nil ? "pageable" : "pinned staging"))")
    }

    private init(handle: OpaquePointer?, destroy: @escaping Destroy, gemm: @escaping Sgemm, pinned: (MallocHost, FreeHost)?,
                 minimumMultiplyAdds: Int, name: String) {
        self.handle = handle
        self.destroy = destroy
        self.gemm = gemm
        self.pinned = pinned.map { (allocate: $0.0, free: $0.1) }
        self.minimumMultiplyAdds = minimumMultiplyAdds
        self.name = name
    }

    deinit {
        for buffer in staging { if let buffer { _ = pinned?.free(buffer.pointer) } }
        _ = destroy(handle)
    }

    /// Pinned buffer `slot` with room for `count` floats (grown as needed; nil without the runtime).
    private func stage(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float>? {
        guard let pinned else { return nil }
        let bytes = count * MemoryLayout<Float>.stride
        if let buffer = staging[slot], buffer.bytes >= bytes { return buffer.pointer.assumingMemoryBound(to: Float.self) }
        if let buffer = staging[slot] { _ = pinned.free(buffer.pointer); staging[slot] = nil }
        var pointer: UnsafeMutableRawPointer?
        guard pinned.allocate(&pointer, bytes) == 0, let pointer else { return nil }
        staging[slot] = (pointer, bytes)
        return pointer.assumingMemoryBound(to: Float.self)
    }

    /// Copies `count` floats in parallel chunks of 1 Mi floats.
    private static func copy(_ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, count: Int) {
        let chunk = 1 << 20, chunks = (count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let start = c * chunk
            (destination + start).update(from: source + start, count: min(chunk, count - start))
        }
    }

    /// Products of at least `minimumMultiplyAdds`: below that, PCIe copies cost more than the GPU saves.
    public func handles(m: Int, n: Int, k: Int) -> Bool { m * n * k >= minimumMultiplyAdds }

    /// Row-major `C = alpha·op(A)·op(B) + beta·C` (as `cblas_sgemm`). cuBLAS is column-major: a
    /// row-major C is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, so the operands swap places.
    public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) throws {
        var alpha = alpha, beta = beta
        lock.lock(); defer { lock.unlock() }
        // Floats each operand spans in memory (row-major, leading dimension ld).
        let spanA = ((transA ? k : m) - 1) * lda + (transA ? m : k)
        let spanB = ((transB ? n : k) - 1) * ldb + (transB ? k : n)
        let spanC = (m - 1) * ldc + n
        var a = a, b = b, c = c
        let resultOut = c
        let pinnedA = stage(0, count: spanA), pinnedB = stage(1, count: spanB), pinnedC = stage(2, count: spanC)
        if let pinnedA, let pinnedB, let pinnedC {
            Self.copy(a, pinnedA, count: spanA); a = UnsafePointer(pinnedA)
            Self.copy(b, pinnedB, count: spanB); b = UnsafePointer(pinnedB)
            if beta != 0 { Self.copy(c, pinnedC, count: spanC) }
            c = pinnedC
        }
        let status = gemm(handle, transB ? 1 : 0, transA ? 1 : 0, n, m, k, &alpha, b, ldb, a, lda, &beta, c, ldc)
        if c != resultOut && status == 0 {
            if ldc == n {
                Self.copy(c, resultOut, count: spanC)
            } else {
                // Only the matrix's own elements: the gaps between rows may belong to someone else.
                let staged = c
                DispatchQueue.concurrentPerform(iterations: m) { row in (resultOut + row * ldc).update(from: staged + row * ldc, count: n) }
            }
        }
        guard status == 0 else { throw LoadError.callFailed(function: "cublasXtSgemm(\(m)×\(n)×\(k))", status: status) }
    }
}

/// Somewhere other than the CPU that large fp32 products can go (`BLAS.offload`).
public protocol GEMMOffload: AnyObject, Sendable {
    var name: String { get }
    /// Whether an m×n×k product goes here (else it stays on the CPU).
    func handles(m: Int, n: Int, k: Int) -> Bool
    /// Row-major `C = alpha·op(A)·op(B) + beta·C`, host pointers.
    func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) throws
}
