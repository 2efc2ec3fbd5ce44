import COpenBLAS
import CPUKernels
import Foundation

/// Corrects OpenBLAS's kernel choice when its CPU detection falls back to an old generic kernel.
///
/// OpenBLAS 0.3.21 (DYNAMIC_ARCH builds, e.g. Debian's) does not know newer Xeons (this VM's CPU
/// model 207) and picks the SSE3 "Prescott" kernel, ~10× slower than its AVX-512 "SkylakeX"
/// kernel on the same CPU. Before the first BLAS call, when `OPENBLAS_CORETYPE` is unset and the
/// detected kernel is one of those fallbacks although the CPU has AVX-512 (or AVX2 + FMA), the
/// dynamic dispatch is re-run with `OPENBLAS_CORETYPE` set to SkylakeX (or Haswell), the way a
/// user would set it by hand. Builds without dynamic dispatch have no such entry points and are
/// left alone; an explicit `OPENBLAS_CORETYPE` always wins.
enum OpenBLASCore {
    /// Kernels OpenBLAS falls back to for CPUs it does not recognise.
    static let fallbacks: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Sandybridge", "Atom", "Banias", "Katmai", "Coppermine", "Northwood"]

    /// The kernel family this CPU should use, or nil to keep OpenBLAS's choice.
    static func preferredCore(detected: String) -> String? {
        guard fallbacks.contains(detected) else { return nil }
        if trellis_avx512_available() != 0 { return "SkylakeX" }
        if trellis_avx2_fma_available() != 0 { return "Haswell" }
        return nil
    }

    /// `RTLD_DEFAULT` (a C macro Swift does not import).
    #if os(Linux)
    static let defaultHandle: UnsafeMutableRawPointer? = nil
    #else
    static let defaultHandle = UnsafeMutableRawPointer(bitPattern: -2)
    #endif

    /// Re-selects the kernel if needed; returns the name in use afterwards.
    @discardableResult
    static func correctIfMisdetected() -> String {
        let detected = String(cString: openblas_get_corename())
        guard getenv("OPENBLAS_CORETYPE") == nil, let wanted = preferredCore(detected: detected),
              let quit = dlsym(defaultHandle, "gotoblas_dynamic_quit"),
              let initialize = dlsym(defaultHandle, "gotoblas_dynamic_init")
        else { return detected }
        typealias Entry = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", wanted, 1)
        unsafeBitCast(quit, to: Entry.self)()
        unsafeBitCast(initialize, to: Entry.self)()
        unsetenv("OPENBLAS_CORETYPE")
        return String(cString: openblas_get_corename())
    }
}
