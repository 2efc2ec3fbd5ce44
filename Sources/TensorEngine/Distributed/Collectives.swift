import Foundation

/// The communication a tensor-, pipeline- or data-parallel worker needs, over a fixed group.
///
/// Contract: every rank of a group calls the same collectives in the same order; results
/// are identical on all ranks and deterministic (reductions sum in rank order). An MPI
/// implementation would map these to `MPI_Allreduce`, `MPI_Bcast`, `MPI_Allgather`,
/// `MPI_Send`/`MPI_Recv`.
public protocol Collectives: Sendable {
    /// This worker's index in `0..<worldSize`.
    var rank: Int { get }
    var worldSize: Int { get }
    /// Replaces `tensor`'s values by their sum over all ranks (in place; contiguous tensors).
    func allReduceSum(_ tensor: Tensor)
    /// Copies root's values into `tensor` on every rank (in place).
    func broadcast(_ tensor: Tensor, root: Int)
    /// Concatenation of every rank's `tensor` along `axis`, in rank order.
    func allGather(_ tensor: Tensor, axis: Int) -> Tensor
    /// Point-to-point send (pipeline stages); matched by `receive(from:)` on `destination`.
    func send(_ tensor: Tensor, to destination: Int)
    func receive(from source: Int) -> Tensor
}

/// Collectives between threads of one process (one `InProcessGroup` shared by all ranks).
public final class InProcessGroup: @unchecked Sendable {
    public let worldSize: Int
    private let condition = NSCondition()
    private var slots: [Tensor?]
    private var arrived = 0
    private var generation = 0
    private var result: Tensor?
    private var mailboxes: [Int: [Tensor]] = [:]

    public init(worldSize: Int) {
        precondition(worldSize > 0, "InProcessGroup: worldSize must be positive")
        self.worldSize = worldSize
        slots = Array(repeating: nil, count: worldSize)
    }

    /// The communicator of one rank.
    public func communicator(rank: Int) -> InProcessCollectives {
        precondition(rank >= 0 && rank < worldSize, "InProcessGroup: rank \(rank) outside 0..<\(worldSize)")
        return InProcessCollectives(group: self, rank: rank)
    }

    /// Barrier-style exchange: each rank deposits a tensor; the last arrival computes
    /// `combine(slots)`, and every rank gets that result.
    func exchange(rank: Int, _ tensor: Tensor, combine: ([Tensor]) -> Tensor) -> Tensor {
        condition.lock(); defer { condition.unlock() }
        let myGeneration = generation
        slots[rank] = tensor
        arrived += 1
        if arrived == worldSize {
            result = combine(slots.map { $0! })
            slots = Array(repeating: nil, count: worldSize)
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == myGeneration { condition.wait() }
        }
        return result!
    }

    func post(_ tensor: Tensor, from source: Int, to destination: Int) {
        condition.lock()
        mailboxes[source * worldSize + destination, default: []].append(tensor.copy())
        condition.broadcast()
        condition.unlock()
    }

    func take(from source: Int, to destination: Int) -> Tensor {
        condition.lock(); defer { condition.unlock() }
        let key = source * worldSize + destination
        while mailboxes[key, default: []].isEmpty { condition.wait() }
        return mailboxes[key]!.removeFirst()
    }
}

/// One rank's view of an ``InProcessGroup``.
public struct InProcessCollectives: Collectives, @unchecked Sendable {
    let group: InProcessGroup
    public let rank: Int
    public var worldSize: Int { group.worldSize }

    public func allReduceSum(_ tensor: Tensor) {
        precondition(tensor.isContiguous, "allReduceSum: tensor must be contiguous")
        let sum = group.exchange(rank: rank, tensor.copy()) { parts in
            let total = parts[0].copy()
            for p in parts.dropFirst() { Kernels.addInPlace(total, p) }
            return total
        }
        tensor.pointer.update(from: sum.pointer, count: tensor.count)
    }

    public func broadcast(_ tensor: Tensor, root: Int) {
        precondition(tensor.isContiguous, "broadcast: tensor must be contiguous")
        let value = group.exchange(rank: rank, tensor.copy()) { $0[root] }
        tensor.pointer.update(from: value.pointer, count: tensor.count)
    }

    public func allGather(_ tensor: Tensor, axis: Int) -> Tensor {
        let gathered = group.exchange(rank: rank, tensor.copy()) { parts in
            GradMode.withoutGrad { Tensor.concat(parts, axis: axis) }
        }
        return gathered.copy()
    }

    public func send(_ tensor: Tensor, to destination: Int) { group.post(tensor, from: rank, to: destination) }
    public func receive(from source: Int) -> Tensor { group.take(from: source, to: rank) }
}
