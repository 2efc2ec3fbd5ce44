import Foundation
import Models
import TensorEngine
import Training

/// The body of `trellis mpi-check`, on every rank.
enum MPICheck {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Returns rank 0's report (nil on the other ranks); throws when a collective is wrong.
    static func run(steps: Int) throws -> DataParallelCheck.Report? {
        let world = try MPICollectives.world()
        defer { world.finalize() }
        let (rank, size) = (world.rank, world.worldSize)
        var passed: [String] = []
        func require(_ condition: Bool, _ what: String) throws {
            guard condition else { throw Failure(description: "rank \(rank) of \(size): \(what) gave a wrong result") }
            passed.append(what)
        }

        // allReduceSum over a length no multiple of the world size: Σ_r (1000·r + i).
        let n = 1001
        let x = Tensor((0..<n).map { Float(1000 * rank + $0) }, shape: [n])
        world.allReduceSum(x)
        let rankSum = Float(1000 * (size * (size - 1) / 2))
        try require((0..<n).allSatisfy { x.pointer[$0] == rankSum + Float(size * $0) }, "allReduceSum")

        // broadcast from the last rank.
        let b = Tensor([Float](repeating: Float(rank), count: 5), shape: [5])
        world.broadcast(b, root: size - 1)
        try require((0..<5).allSatisfy { b.pointer[$0] == Float(size - 1) }, "broadcast")

        // allGather along axis 1 of a (2, 3) tensor filled with the rank → (2, 3·size).
        let g = world.allGather(Tensor([Float](repeating: Float(rank), count: 6), shape: [2, 3]), axis: 1)
        try require(g.shape == [2, 3 * size] && (0..<(6 * size)).allSatisfy { g.pointer[$0] == Float(($0 % (3 * size)) / 3) }, "allGather")

        // send / receive around a ring (even ranks send first, so no two ranks block each other).
        if size > 1 {
            let next = (rank + 1) % size, previous = (rank + size - 1) % size
            let message = Tensor([Float(rank), 0.5], shape: [1, 2])
            var received: Tensor
            if rank % 2 == 0 {
                world.send(message, to: next); received = world.receive(from: previous)
            } else {
                received = world.receive(from: previous); world.send(message, to: next)
            }
            try require(received.shape == [1, 2] && received.pointer[0] == Float(previous) && received.pointer[1] == 0.5, "send/receive")
        }

        // Tensor parallelism across the processes (heads and MLP units split), against the whole model.
        let c = DataParallelCheck.configuration()
        let modelConfig = c.bloomConfiguration(vocabularySize: DataParallelCheck.vocabularySize)
        let full = BloomModel(config: modelConfig, initialization: .huggingFace(std: 0.1), seed: 11)
        let ids: [Int32] = (0..<(2 * c.sequence_length)).map { Int32(($0 * 7 + 3) % DataParallelCheck.vocabularySize) }
        let (fullLogits, fullLoss) = full.loss(ids: ids, batch: 2, length: c.sequence_length)
        let split = TensorParallelBloom(splitting: full, group: world)
        let (splitLogits, splitLoss) = split.loss(ids: ids, batch: 2, length: c.sequence_length)
        let logitError = zip(fullLogits.toArray(), splitLogits.toArray()).map { Swift.abs($0 - $1) }.max() ?? .infinity
        let lossError = Swift.abs(fullLoss.item() - splitLoss.item())

        let trainer = DataParallelTrainer(model: modelConfig, training: c, communicator: world)
        let outcome = DataParallelCheck.run(trainer, steps: steps)
        world.barrier()
        return rank == 0 ? DataParallelCheck.Report(worldSize: size, collectives: passed, training: outcome,
                                  tensorParallelLogitError: logitError, tensorParallelLossError: lossError) : nil
    }
}
