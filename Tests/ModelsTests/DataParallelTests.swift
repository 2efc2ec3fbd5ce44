import Foundation
import Testing
import Layers
import Models
import TensorEngine
import EngineTestSupport

/// Two in-process data-parallel workers (threads) with all-reduced gradients reproduce the
/// single-worker gradient of the full batch: the shape the TP/PP/DP trainer will build on.
@Suite("Data parallel over in-process collectives")
struct DataParallelTests {
    static let config = BloomConfiguration(vocabSize: 37, hiddenSize: 16, layerCount: 2, headCount: 4)

    static func onThreads<R>(_ count: Int, _ body: @escaping @Sendable (Int) -> R) -> [R] {
        let lock = NSLock()
        nonisolated(unsafe) var results = [R?](repeating: nil, count: count)
        let done = DispatchGroup()
        for rank in 0..<count {
            done.enter()
            Thread {
                let r = body(rank)
                lock.lock(); results[rank] = r; lock.unlock()
                done.leave()
            }.start()
        }
        done.wait()
        return results.map { $0! }
    }

    @Test func allReducedGradientsEqualFullBatch() {
        let ids: [Int32] = (0..<48).map { Int32(($0 * 5 + 3) % 37) }     // 4 sequences of 12
        let reference = BloomModel(config: Self.config, initialization: .huggingFace(std: 0.1), seed: 21)
        let (_, loss) = reference.loss(ids: ids, batch: 4, length: 12)
        loss.backward()
        let expected = reference.namedParameters().flatMap { $0.tensor.grad!.toArray() }

        let group = InProcessGroup(worldSize: 2)
        let results = Self.onThreads(2) { rank -> [Float] in
            let comm = group.communicator(rank: rank)
            let model = BloomModel(config: Self.config, initialization: .huggingFace(std: 0.1), seed: 21)
            let shard = Array(ids[(rank * 24)..<(rank * 24 + 24)])             // 2 sequences each
            let (_, loss) = model.loss(ids: shard, batch: 2, length: 12)
            loss.backward()
            for p in model.namedParameters() {
                comm.allReduceSum(p.tensor.grad!)
                let g = p.tensor.grad!.pointer
                for i in 0..<p.tensor.count { g[i] /= Float(comm.worldSize) }
            }
            return model.namedParameters().flatMap { $0.tensor.grad!.toArray() }
        }
        #expect(results[0] == results[1])                                    // identical on every rank
        #expect(TestData.maxAbsDiff(results[0], expected) < 1e-6)
    }
}
