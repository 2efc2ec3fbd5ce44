import Foundation
import Testing
import Layers
import Models
import TensorEngine
import EngineTestSupport

/// Megatron tensor parallelism over in-process ranks: the split model's loss, logits and
/// gradients equal the full model's (sharded gradients equal the matching slice of the full one).
@Suite("Tensor parallel over in-process collectives")
struct TensorParallelTests {
    struct RankResult: @unchecked Sendable {
        var loss: Float
        var logits: [Float]
        var grads: [String: Tensor]
    }

    /// Which slice of a full parameter rank `r` of `ranks` holds: (axis, part size), or nil if replicated.
    static func shard(_ name: String, hidden c: Int, ranks: Int) -> (axis: Int, size: Int)? {
        if name.hasSuffix("query_key_value.weight") || name.hasSuffix("query_key_value.bias") { return (0, 3 * c / ranks) }
        if name.hasSuffix("dense_h_to_4h.weight") || name.hasSuffix("dense_h_to_4h.bias") { return (0, 4 * c / ranks) }
        if name.hasSuffix("self_attention.dense.weight") { return (1, c / ranks) }
        if name.hasSuffix("dense_4h_to_h.weight") { return (1, 4 * c / ranks) }
        return nil
    }

    func check(ranks: Int, position: PositionEncoding) {
        let config = BloomConfiguration(vocabSize: 41, hiddenSize: 24, layerCount: 2, headCount: 6, positionEncoding: position, maxPositions: 16)
        let ids: [Int32] = (0..<22).map { Int32(($0 * 7 + 2) % 41) }        // 2 sequences of 11
        let reference = ParallelReference(config: config, seed: 5, ids: ids, batch: 2, length: 11)
        let full = reference.model

        let group = InProcessGroup(worldSize: ranks)
        let results = DataParallelTests.onThreads(ranks) { rank -> RankResult in
            let model = TensorParallelBloom(splitting: full, group: group.communicator(rank: rank))
            let (logits, loss) = model.loss(ids: ids, batch: 2, length: 11)
            loss.backward()
            return RankResult(loss: loss.item(), logits: logits.toArray(),
                              grads: Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor.grad!) }))
        }
        for (rank, result) in results.enumerated() {
            #expect(Swift.abs(result.loss - reference.loss) < 1e-5, "rank \(rank) of \(ranks), \(position)")
            #expect(TestData.maxAbsDiff(result.logits, reference.logits.toArray()) < 1e-5)
            #expect(Set(result.grads.keys) == Set(reference.gradients.keys))
            for (name, grad) in result.grads {
                var expected = reference.gradients[name]!
                if let (axis, size) = Self.shard(name, hidden: 24, ranks: ranks) {
                    expected = expected.sliced(axis: axis, range: (rank * size)..<((rank + 1) * size)).copy()
                }
                #expect(grad.shape == expected.shape, "\(name)")
                #expect(ParallelReference.relativeError(grad, expected) < 1e-4, "\(name), rank \(rank) of \(ranks), \(position)")
            }
        }
    }

    @Test func twoRanksWithALiBiMatchTheFullModel() { check(ranks: 2, position: .alibi) }
    /// Six heads over three ranks: each rank's ALiBi slopes come from the non-power-of-two sequence.
    @Test func threeRanksWithALiBiMatchTheFullModel() { check(ranks: 3, position: .alibi) }
    @Test func rotaryAndLearnedPositionsSplitToo() {
        check(ranks: 2, position: .rotary)
        check(ranks: 2, position: .learned)
    }
}
