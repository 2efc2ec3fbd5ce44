import Testing
@testable import ClusterPlanning

@Suite struct ValidationTests {
    /// Plans `request` and returns the error's field, failing the test if it does not throw.
    private func failingField(_ request: PlanRequest, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            _ = try TrainingPlanner.plan(request)
            Issue.record("expected a PlanError", sourceLocation: sourceLocation)
            return nil
        } catch let error as PlanError {
            return error.field
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test func headsMustBeDivisibleByTP() {
        var r = PlanRequest.bloom176B
        r.layout.tensorParallel = 3
        r.layout.dataParallel = 384 / 36 // not reached: heads check comes first
        #expect(throws: PlanError.notDivisible(field: "model.heads", value: 112, divisorField: "layout.tensor_parallel",
                                               divisor: 3)) { try TrainingPlanner.plan(r) }
    }

    @Test func hiddenMustBeDivisibleByHeads() {
        var r = PlanRequest.bloom176B
        r.model.heads = 100
        #expect(failingField(r) == "model.hidden")
    }

    @Test func worldSizeMustMatchTheCluster() {
        var r = PlanRequest.bloom176B
        r.layout.dataParallel = 4                       // 192 GPUs, cluster has 384
        #expect(throws: PlanError.worldSizeMismatch(tensorParallel: 4, pipelineParallel: 12, dataParallel: 4,
                                                    nodes: 48, gpusPerNode: 8)) { try TrainingPlanner.plan(r) }
        r.cluster.nodes = 24                            // ok again: BLOOM's final 24-node layout
        #expect(throws: Never.self) { try TrainingPlanner.plan(r) }
    }

    @Test func globalBatchMustSplitIntoMicroBatchesTimesDP() {
        var r = PlanRequest.bloom176B
        r.layout.globalBatch = 2040
        r.training.rampUp = nil
        #expect(failingField(r) == "layout.global_batch")
    }

    @Test func pipelineNeedsEnoughUnits() {
        var r = PlanRequest.bloom560M
        r.layout.pipelineParallel = 32                  // 26 units
        r.layout.dataParallel = 2
        #expect(failingField(r) == "layout.pipeline_parallel")
    }

    @Test func zeroStageAndPaddingRanges() {
        var r = PlanRequest.bloom176B
        r.layout.zeroStage = 4
        #expect(failingField(r) == "layout.zero_stage")
        r = .bloom176B
        r.model.padVocabTo = 250_000
        #expect(failingField(r) == "model.pad_vocab_to")
        r.model.padVocabTo = 250_882                    // ≥ vocab but not divisible by TP 4
        #expect(failingField(r) == "model.pad_vocab_to")
    }

    @Test func rampUpMustReachTheGlobalBatchInWholeIncrements() {
        var r = PlanRequest.bloom176B
        r.training.rampUp = BatchRampUp(start: 192, increment: 48, samples: 1000)   // 1856 / 48 not whole
        #expect(failingField(r) == "layout.global_batch − training.rampup.start")
    }

    @Test func budgetMustBePositive() {
        var r = PlanRequest.bloom176B
        r.budget.throughput = .utilization(fraction: 1.5)
        #expect(failingField(r) == "budget.utilization")
        r.budget.throughput = .achieved(flopsPerGPU: 0)
        #expect(failingField(r) == "budget.achieved_tflops")
    }

    @Test func memoryOverflowIsAFlagOrAStrictError() throws {
        // 176B without recompute and without any ZeRO sharding on 4×12×8 does not fit in 80 GiB.
        var r = PlanRequest.bloom176B
        r.layout.zeroStage = 0
        r.layout.recompute = false
        let plan = try TrainingPlanner.plan(r)
        #expect(!plan.fits)
        #expect(plan.warnings.contains { $0.contains("does not fit") })
        r.strictMemory = true
        #expect(failingField(r) == "layout")
    }

    @Test func errorsRenderFieldAndHint() {
        let error = PlanError.worldSizeMismatch(tensorParallel: 4, pipelineParallel: 12, dataParallel: 4,
                                                nodes: 48, gpusPerNode: 8)
        #expect(error.description.hasPrefix("layout.data_parallel: TP·PP·DP = 4·12·4 = 192 GPUs"))
        #expect(error.problem.contains("hint: set data_parallel to 8"))
    }
}
