import Testing
@testable import ClusterPlanning

@Suite struct MemoryTests {
    private let gib = 1_073_741_824.0

    @Test func bloom176BFitsIn80GBOnTP4PP12DP8() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        #expect(plan.fits)
        #expect(plan.memoryPerGPUBytes < 80_000_000_000)
        // Peak on stage 0: embedding + 5 blocks and PP = 12 micro-batches in flight.
        #expect(plan.peakMemoryStage == 0)
        let peak = Double(plan.memoryPerGPUBytes) / gib
        #expect(abs(peak - 36.35) < 0.01, "peak \(peak) GiB")
    }

    @Test func stage0BreakdownMatchesHandComputation() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        let s0 = plan.memory.stages[0]
        let h = 14336, t = 4
        // 5 TP-sharded blocks + V·h/t embedding + embedding LayerNorm 2h
        let params = 5 * ((12 * h * h + 7 * h) / t + 6 * h) + 250_880 * h / t + 2 * h
        #expect(s0.parameters == params)
        #expect(s0.weightBytes == 2 * params)                // bf16, not sharded by ZeRO-1
        #expect(s0.gradientBytes == 4 * params)              // fp32 accumulation, not sharded by ZeRO-1
        #expect(s0.optimizerBytes == 12 * params / 8)        // fp32 master + Adam m, v over DP = 8
        #expect(s0.inFlightMicroBatches == 12)
        // recompute keeps 2·s·b·h per layer per micro-batch, plus one layer's full activations
        let kept = 12.0 * 5 * 2 * 2048 * 2 * 14336
        let workingSet = 2048.0 * 2 * 14336 * (10 + 24.0 / 4 + 5 * 112 * 2048 / (14336.0 * 4))
        #expect(Double(s0.activationBytes) == (kept + workingSet).rounded(.up))
    }

    @Test func middleAndLastStagesHoldFewerMicroBatches() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        #expect(plan.memory.stages.map(\.inFlightMicroBatches) == Array((1...12).reversed()))
        #expect(plan.memory.stages[1].parameters > plan.memory.stages[0].parameters - 250_880 * 14336 / 4)
    }

    @Test func korthikantiFormulaReducesToPaperCaseWithoutTP() {
        let model = PlanRequest.bloom176B.model
        let full = ActivationMemory.perLayerFull(model: model, microBatch: 1, tensorParallel: 1, precision: .bf16)
        let s = 2048.0, h = 14336.0, a = 112.0
        #expect(full == s * h * (34 + 5 * a * s / h))
        #expect(ActivationMemory.perLayerRecompute(model: model, microBatch: 1, precision: .bf16) == 2 * s * h)
    }

    @Test func zeroStagesShardProgressivelyMore() throws {
        var r = PlanRequest.bloom176B
        var totals: [Int] = []
        for stage in 0...3 {
            r.layout.zeroStage = stage
            totals.append(try TrainingPlanner.plan(r).memoryPerGPUBytes)
        }
        #expect(totals[0] > totals[1] && totals[1] > totals[2] && totals[2] > totals[3])
        #expect(Precision.bf16.stateBytes.total == 18)
    }

    @Test func recomputationSavesActivationMemory() throws {
        var r = PlanRequest.bloom176B
        let with = try TrainingPlanner.plan(r).memory.stages[0].activationBytes
        r.layout.recompute = false
        let without = try TrainingPlanner.plan(r).memory.stages[0].activationBytes
        #expect(without > 5 * with)
    }
}
