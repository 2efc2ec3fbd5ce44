import Testing
@testable import ClusterPlanning

@Suite struct PipelinePartitionTests {
    @Test func bloom176BTransformerAndEmbeddingOn12Stages() throws {
        let stages = try PipelinePartition.stages(layers: 70, stages: 12, method: .transformerAndEmbedding)
        #expect(stages.count == 12)
        // stage 0 = embedding + 5 blocks
        #expect(stages[0].hasInputEmbedding && !stages[0].hasOutputEmbedding)
        #expect(stages[0].firstBlock == 0 && stages[0].blockCount == 5)
        // stages 1–10 = 6 blocks, no embeddings
        for stage in stages[1...10] {
            #expect(stage.blockCount == 6)
            #expect(!stage.hasInputEmbedding && !stage.hasOutputEmbedding)
        }
        // stage 11 = 5 blocks + tied embedding
        #expect(stages[11].blockCount == 5 && stages[11].hasOutputEmbedding && !stages[11].hasInputEmbedding)
        #expect(stages[11].firstBlock == 65 && stages[11].endBlock == 70)
        // contiguous cover of all 70 blocks
        #expect(stages.map(\.blockCount).reduce(0, +) == 70)
        for k in 1..<12 { #expect(stages[k].firstBlock == stages[k - 1].endBlock) }
    }

    @Test func transformerOnlySpreadsRemainderOverFirstStages() throws {
        let stages = try PipelinePartition.stages(layers: 70, stages: 12, method: .transformerBlocks)
        #expect(stages.map(\.blockCount) == Array(repeating: 6, count: 10) + [5, 5])
    }

    @Test func singleStageHoldsEverythingAndTheEmbeddingOnce() throws {
        let stages = try PipelinePartition.stages(layers: 24, stages: 1, method: .transformerAndEmbedding)
        #expect(stages.count == 1 && stages[0].blockCount == 24)
        let plan = try TrainingPlanner.plan(.bloom560M)
        let model = plan.request.model
        // one copy of V·h, both outer LayerNorms
        #expect(plan.memory.stages[0].parameters == plan.totalParameters)
        #expect(plan.memory.stages[0].parameters == 24 * ParameterCount.perBlockPerRank(model: model, tensorParallel: 1)
            + 250_880 * 1024 + 4 * 1024)
    }

    @Test func tooManyStagesIsAnError() {
        #expect(throws: PlanError.cannotPartition(units: 6, stages: 8, method: .transformerAndEmbedding)) {
            try PipelinePartition.stages(layers: 4, stages: 8, method: .transformerAndEmbedding)
        }
    }
}
