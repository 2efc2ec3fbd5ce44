import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A C library opened with `dlopen` at run time (Open MPI, cuBLAS, the CUDA runtime), so Trellis
/// builds and runs without it and only a run that asks for it needs it installed.
struct SharedLibrary {
    let handle: UnsafeMutableRawPointer

    /// The first of `candidates` (file names or paths) that loads, or what was tried and the last
    /// `dlerror` when none does.
    static func open(_ candidates: [String], flags: Int32 = RTLD_NOW | RTLD_LOCAL) -> Result<SharedLibrary, NotFound> {
        var reason = "no candidates"
        for name in candidates {
            if let handle = dlopen(name, flags) { return .success(SharedLibrary(handle: handle)) }
            reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
        }
        return .failure(NotFound(tried: candidates, reason: reason))
    }

    struct NotFound: Error { let tried: [String]; let reason: String }

    /// The address of an exported symbol (a function or a global), or nil.
    func symbol(_ name: String) -> UnsafeMutableRawPointer? { dlsym(handle, name) }

    /// An exported C function as a Swift `@convention(c)` function type, or nil.
    func function<F>(_ name: String, as type: F.Type) -> F? { symbol(name).map { unsafeBitCast($0, to: type) } }
}
