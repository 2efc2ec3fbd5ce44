import Foundation
import Testing
import Layers
import Models
import TensorEngine
import EngineTestSupport

/// GPipe pipeline parallelism over in-process ranks: each stage's gradients (accumulated over
/// micro-batches, embeddings summed between the first and last stage) equal the whole model's.
@Suite("Pipeline parallel over in-process collectives")
struct PipelineParallelTests {
    struct StageResult: @unchecked Sendable {
        var loss: Float?
        var grads: [String: Tensor]
    }

    func check(stages: Int, microBatches: Int, position: PositionEncoding = .alibi) {
        let config = BloomConfiguration(vocabSize: 29, hiddenSize: 16, layerCount: 4, headCount: 4, positionEncoding: position, maxPositions: 12)
        let ids: [Int32] = (0..<40).map { Int32(($0 * 11 + 5) % 29) }        // 4 sequences of 10
        let reference = ParallelReference(config: config, seed: 9, ids: ids, batch: 4, length: 10)
        let full = reference.model

        let group = InProcessGroup(worldSize: stages)
        let results = DataParallelTests.onThreads(stages) { rank -> StageResult in
            let stage = PipelineParallelBloom(splitting: full, group: group.communicator(rank: rank))
            let loss = stage.step(ids: ids, batch: 4, length: 10, microBatches: microBatches)
            return StageResult(loss: loss, grads: Dictionary(uniqueKeysWithValues: stage.namedParameters().map { ($0.name, $0.tensor.grad!) }))
        }
        #expect(results.dropLast().allSatisfy { $0.loss == nil })
        #expect(Swift.abs(results.last!.loss! - reference.loss) < 1e-5, "\(stages) stages, \(microBatches) micro-batches")
        var covered = Set<String>()
        for (rank, result) in results.enumerated() {
            for (name, grad) in result.grads {
                let expected = reference.gradients[name == "lm_head.weight" ? "transformer.word_embeddings.weight" : name]!
                #expect(ParallelReference.relativeError(grad, expected) < 1e-4, "\(name) on stage \(rank) of \(stages)")
                covered.insert(name)
            }
        }
        #expect(covered.isSuperset(of: reference.gradients.keys), "every parameter lives on some stage")
    }

    @Test func twoStagesTwoMicroBatches() { check(stages: 2, microBatches: 2) }
    @Test func threeStagesUnevenLayersFourMicroBatches() { check(stages: 3, microBatches: 4) }
    @Test func oneStageIsTheWholeModel() { check(stages: 1, microBatches: 2, position: .learned) }
}
