import Testing
@testable import ClusterPlanning

@Suite struct ParameterCountTests {
    @Test func bloom176BHasExactHFCount() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        #expect(plan.paddedVocab == 250_880)
        #expect(plan.totalParameters == 176_247_271_424)
        // 12h² + 13h with h = 14336
        #expect(plan.parameters.perBlock == 12 * 14336 * 14336 + 13 * 14336)
    }

    @Test(arguments: [
        ("bloom-560m", 559_214_592),
        ("bloom-1b1", 1_065_314_304),
        ("bloom-1b7", 1_722_408_960),
        ("bloom-3b", 3_002_557_440),
        ("bloom-7b1", 7_069_016_064),
        ("bloom-176b", 176_247_271_424),
    ])
    func everyPresetMatchesHFCount(name: String, expected: Int) throws {
        let request = try PlanRequest.preset(named: name)
        let plan = try TrainingPlanner.plan(request)
        #expect(plan.paddedVocab == 250_880)
        #expect(plan.totalParameters == expected)
    }

    @Test func megatronDefaultPaddingDependsOnTP() {
        #expect(VocabPadding.padded(vocabSize: 250_680, tensorParallel: 1) == 250_752)
        #expect(VocabPadding.padded(vocabSize: 250_680, tensorParallel: 2) == 250_880)
        #expect(VocabPadding.padded(vocabSize: 250_680, tensorParallel: 4) == 250_880)
        #expect(VocabPadding.padded(vocabSize: 250_880, tensorParallel: 4) == 250_880)
        let explicit = ModelConfig(name: "x", layers: 1, hidden: 64, heads: 1, vocabSize: 100, seqLength: 8,
                                   padVocabTo: 1000)
        #expect(VocabPadding.padded(explicit, tensorParallel: 8) == 1000)
    }

    @Test func perRankBlockShardsMatricesButNotLayerNormsOrOutputBiases() {
        let model = PlanRequest.bloom176B.model
        let h = model.hidden
        // t = 1 gives the whole block back.
        #expect(ParameterCount.perBlockPerRank(model: model, tensorParallel: 1) == 12 * h * h + 13 * h)
        // 4 ranks together hold the block plus 3 extra copies of the 6h replicated parameters.
        let perRank = ParameterCount.perBlockPerRank(model: model, tensorParallel: 4)
        #expect(4 * perRank == 12 * h * h + 13 * h + 3 * 6 * h)
    }

    @Test func ffnMultiplierGeneralisesTheBlock() {
        let model = ModelConfig(name: "x", layers: 2, hidden: 8, heads: 2, vocabSize: 16, seqLength: 4, ffnMultiplier: 2)
        // QKV 3h²+3h, out h²+h, MLP 2·(2h·h) + 2h + h, LNs 4h = 8h² + 11h
        #expect(ParameterCount(model: model, paddedVocab: 16).perBlock == 8 * 64 + 11 * 8)
    }
}
