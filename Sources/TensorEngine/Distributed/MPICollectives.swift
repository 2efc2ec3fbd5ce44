import Foundation

/// ``Collectives`` between processes over MPI's world communicator (Open MPI, loaded by
/// ``MPILibrary``): one rank per process, started by `mpirun` or `srun`.
///
/// Results are bit-identical to ``InProcessCollectives`` for the same ranks and inputs: the sum
/// is not left to `MPI_Allreduce` (whose order is the library's choice) but done as a
/// reduce-scatter by hand: `MPI_Alltoall` gives every rank one slice of every rank's tensor,
/// each rank sums its slice in rank order, and `MPI_Allgather` reassembles the slices.
/// MPI errors are fatal (the library's default handler aborts the job).
public final class MPICollectives: Collectives, @unchecked Sendable {
    public let rank: Int
    public let worldSize: Int
    let mpi: MPILibrary

    /// Joins the job's world communicator, initialising MPI on first use.
    public static func world() throws -> MPICollectives {
        let mpi = try MPILibrary.shared()
        var flag: Int32 = 0
        try mpi.check(mpi.initialized(&flag), "MPI_Initialized")
        if flag == 0 { try mpi.check(mpi.initialize(nil, nil), "MPI_Init") }
        var rank: Int32 = 0, size: Int32 = 0
        try mpi.check(mpi.commRank(mpi.commWorld, &rank), "MPI_Comm_rank")
        try mpi.check(mpi.commSize(mpi.commWorld, &size), "MPI_Comm_size")
        return MPICollectives(mpi: mpi, rank: Int(rank), worldSize: Int(size))
    }

    init(mpi: MPILibrary, rank: Int, worldSize: Int) {
        self.mpi = mpi; self.rank = rank; self.worldSize = worldSize
    }

    /// Ends MPI for this process (once; later calls do nothing).
    public func finalize() {
        var done: Int32 = 0
        _ = mpi.finalized(&done)
        if done == 0 { _ = mpi.finalize() }
    }

    public func barrier() { expect(mpi.barrier(mpi.commWorld), "MPI_Barrier") }

    public func allReduceSum(_ tensor: Tensor) {
        precondition(tensor.isContiguous, "allReduceSum: tensor must be contiguous")
        guard worldSize > 1 else { return }
        let n = tensor.count, w = worldSize
        let slice = (n + w - 1) / w
        precondition(slice <= Int(Int32.max), "allReduceSum: \(n) elements exceed MPI's count range")
        var padded = [Float](repeating: 0, count: w * slice)                 // (w · slice), zero tail
        padded.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: tensor.pointer, count: n) }
        var received = [Float](repeating: 0, count: w * slice)               // slice `rank` of every rank
        padded.withUnsafeBytes { send in
            received.withUnsafeMutableBytes { recv in
                expect(mpi.alltoall(send.baseAddress, Int32(slice), mpi.float, recv.baseAddress, Int32(slice), mpi.float, mpi.commWorld), "MPI_Alltoall")
            }
        }
        // Rank order, as InProcessCollectives: ((r0 + r1) + r2) + …
        var sum = Array(received[0..<slice])
        for r in 1..<w {
            for i in 0..<slice { sum[i] += received[r * slice + i] }
        }
        sum.withUnsafeBytes { send in
            padded.withUnsafeMutableBytes { recv in
                expect(mpi.allgather(send.baseAddress, Int32(slice), mpi.float, recv.baseAddress, Int32(slice), mpi.float, mpi.commWorld), "MPI_Allgather")
            }
        }
        padded.withUnsafeBufferPointer { tensor.pointer.update(from: $0.baseAddress!, count: n) }
    }

    public func broadcast(_ tensor: Tensor, root: Int) {
        precondition(tensor.isContiguous, "broadcast: tensor must be contiguous")
        precondition(tensor.count <= Int(Int32.max), "broadcast: too many elements for one MPI call")
        expect(mpi.bcast(tensor.pointer, Int32(tensor.count), mpi.float, Int32(root), mpi.commWorld), "MPI_Bcast")
    }

    /// Every rank must pass a tensor of the same shape (as in Megatron's tensor parallelism).
    public func allGather(_ tensor: Tensor, axis: Int) -> Tensor {
        let local = tensor.copy()                                            // contiguous
        let n = local.count
        var all = [Float](repeating: 0, count: n * worldSize)                // (worldSize · n)
        all.withUnsafeMutableBytes { recv in
            expect(mpi.allgather(local.pointer, Int32(n), mpi.float, recv.baseAddress, Int32(n), mpi.float, mpi.commWorld), "MPI_Allgather")
        }
        let parts = (0..<worldSize).map { r in Tensor(Array(all[(r * n)..<((r + 1) * n)]), shape: local.shape) }
        return GradMode.withoutGrad { Tensor.concat(parts, axis: axis) }
    }

    /// Shape first (rank, then dimensions, in a fixed 9-slot header), then the values.
    public func send(_ tensor: Tensor, to destination: Int) {
        let local = tensor.copy()
        precondition(local.shape.count <= 8, "send: at most 8 dimensions")
        var header = [Int64](repeating: 0, count: 9)
        header[0] = Int64(local.shape.count)
        for (i, d) in local.shape.enumerated() { header[i + 1] = Int64(d) }
        header.withUnsafeBytes { expect(mpi.send($0.baseAddress, 9, mpi.int64, Int32(destination), 1, mpi.commWorld), "MPI_Send") }
        expect(mpi.send(local.pointer, Int32(local.count), mpi.float, Int32(destination), 2, mpi.commWorld), "MPI_Send")
    }

    public func receive(from source: Int) -> Tensor {
        var header = [Int64](repeating: 0, count: 9)
        header.withUnsafeMutableBytes { expect(mpi.recv($0.baseAddress, 9, mpi.int64, Int32(source), 1, mpi.commWorld, nil), "MPI_Recv") }
        let shape = (0..<Int(header[0])).map { Int(header[$0 + 1]) }
        let tensor = Tensor(shape: shape, zeroed: false)
        expect(mpi.recv(tensor.pointer, Int32(tensor.count), mpi.float, Int32(source), 2, mpi.commWorld, nil), "MPI_Recv")
        return tensor
    }

    private func expect(_ code: Int32, _ function: String) {
        precondition(code == 0, "\(function) failed with MPI error code \(code)")
    }
}
