import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Open MPI's C library, loaded at run time with `dlopen`, so that Trellis builds and runs
/// without MPI installed and a statically linked binary stays portable; only a run that asks
/// for MPI needs `libmpi`. Open MPI's handles (`MPI_COMM_WORLD`, `MPI_FLOAT`, `MPI_SUM`, …)
/// are the addresses of exported globals (`ompi_mpi_comm_world`, …), so `dlsym` finds them.
public final class MPILibrary: @unchecked Sendable {
    public enum LoadError: Error, CustomStringConvertible {
        case notFound(tried: [String], reason: String)
        case missingSymbol(String)
        case callFailed(function: String, code: Int32)

        public var description: String {
            switch self {
            case .notFound(let tried, let reason):
                return "MPI: could not load Open MPI (tried \(tried.joined(separator: ", "))): \(reason); install openmpi-bin and libopenmpi3, or set TRELLIS_MPI_LIBRARY"
            case .missingSymbol(let name): return "MPI: the loaded library has no symbol '\(name)' (Open MPI 4 or later is required)"
            case .callFailed(let function, let code): return "MPI: \(function) failed with error code \(code)"
            }
        }
    }

    typealias Handle = UnsafeMutableRawPointer
    typealias IntOut = @convention(c) (Handle?, UnsafeMutablePointer<Int32>) -> Int32
    typealias Init = @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32
    typealias Flag = @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
    typealias Finalize = @convention(c) () -> Int32
    /// sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm (MPI_Allgather, MPI_Alltoall)
    typealias Exchange = @convention(c) (UnsafeRawPointer?, Int32, Handle?, UnsafeMutableRawPointer?, Int32, Handle?, Handle?) -> Int32
    /// buffer, count, type, root, comm
    typealias Bcast = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle?, Int32, Handle?) -> Int32
    /// buffer, count, type, peer, tag, comm
    typealias Send = @convention(c) (UnsafeRawPointer?, Int32, Handle?, Int32, Int32, Handle?) -> Int32
    /// buffer, count, type, peer, tag, comm, status
    typealias Recv = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle?, Int32, Int32, Handle?, UnsafeMutableRawPointer?) -> Int32
    typealias Barrier = @convention(c) (Handle?) -> Int32

    let initialize: Init
    let initialized: Flag
    let finalized: Flag
    let finalize: Finalize
    let commRank: IntOut
    let commSize: IntOut
    let allgather: Exchange
    let alltoall: Exchange
    let bcast: Bcast
    let send: Send
    let recv: Recv
    let barrier: Barrier
    let commWorld: Handle
    let float: Handle
    let int64: Handle

    /// The shared library, loaded once per process.
    public static func shared() throws -> MPILibrary {
        try loaded.get()
    }

    private static let loaded: Result<MPILibrary, Error> = Result { try MPILibrary() }

    private init() throws {
        var candidates = ["libmpi.so.40", "libmpi.so"]
        if let explicit = ProcessInfo.processInfo.environment["TRELLIS_MPI_LIBRARY"] { candidates.insert(explicit, at: 0) }
        // RTLD_GLOBAL: Open MPI's own plugins resolve symbols of libmpi.
        let library: SharedLibrary
        switch SharedLibrary.open(candidates, flags: RTLD_NOW | RTLD_GLOBAL) {
        case .success(let opened): library = opened
        case .failure(let missing): throw LoadError.notFound(tried: missing.tried, reason: missing.reason)
        }
        func symbol(_ name: String) throws -> UnsafeMutableRawPointer {
            guard let s = library.symbol(name) else { throw LoadError.missingSymbol(name) }
            return s
        }
        func function<F>(_ name: String, as type: F.Type) throws -> F { unsafeBitCast(try symbol(name), to: type) }
        initialize = try function("MPI_Init", as: Init.self)
        initialized = try function("MPI_Initialized", as: Flag.self)
        finalized = try function("MPI_Finalized", as: Flag.self)
        finalize = try function("MPI_Finalize", as: Finalize.self)
        commRank = try function("MPI_Comm_rank", as: IntOut.self)
        commSize = try function("MPI_Comm_size", as: IntOut.self)
        allgather = try function("MPI_Allgather", as: Exchange.self)
        alltoall = try function("MPI_Alltoall", as: Exchange.self)
        bcast = try function("MPI_Bcast", as: Bcast.self)
        send = try function("MPI_Send", as: Send.self)
        recv = try function("MPI_Recv", as: Recv.self)
        barrier = try function("MPI_Barrier", as: Barrier.self)
        commWorld = try symbol("ompi_mpi_comm_world")
        float = try symbol("ompi_mpi_float")
        int64 = try symbol("ompi_mpi_int64_t")
    }

    /// Throws unless `code` is MPI_SUCCESS (0).
    func check(_ code: Int32, _ function: String) throws {
        guard code == 0 else { throw LoadError.callFailed(function: function, code: code) }
    }
}
