import Testing
@testable import ClusterPlanning

@Suite struct ComputeCostTests {
    @Test func megatronFLOPsPerTokenFor176B() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        // 24·c·L·h²·(1 + s/(6h) + V/(16Lh)) per token
        #expect(abs(plan.flops.hardwareFLOPsPerToken - 1.43556e12) / 1.43556e12 < 1e-4)
        #expect(abs(plan.flops.modelFLOPsPerToken - 1.07667e12) / 1.07667e12 < 1e-4)
        #expect(plan.flops.sixNPerToken == 6 * 176_247_271_424)
        // bloom.md §B.3: 6ND ≈ 3.87e23, Megatron model FLOPs ≈ 3.94e23, ×4/3 ≈ 5.25e23 for 366B tokens
        #expect(abs(plan.flops.sixNPerToken * 366e9 - 3.87e23) < 0.01e23)
        #expect(abs(plan.flops.modelFLOPsPerToken * 366e9 - 3.94e23) < 0.01e23)
        #expect(abs(plan.cost.totalFLOPs - 5.25e23) < 0.01e23)
    }

    /// 366B tokens at 156 TFLOP/s per A100 with c = 4 give 935,570 GPU-hours: 13.6% under the
    /// 1,082,990 reported (reported / formula = 1.158). The formula counts steady-state training
    /// only. Ramp-up (small batches, big pipeline bubble), restarts after hardware failures,
    /// evaluation, checkpointing and a logged rate nearer 150 than 156 are the likely rest
    /// (see `CostEstimate`).
    @Test func gpuHoursFor176BLandBelowTheReportedFigure() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        #expect(abs(plan.cost.gpuHours - 935_570) < 100, "\(plan.cost.gpuHours)")
        let ratio = 1_082_990 / plan.cost.gpuHours
        #expect(ratio > 1.15 && ratio < 1.16)
        #expect(abs(plan.cost.days - 101.5) < 0.1)          // on 384 GPUs; the run took ~3.5 months
        var logged = PlanRequest.bloom176B
        logged.budget.throughput = .achieved(flopsPerGPU: 149.77e12)
        #expect(abs(try TrainingPlanner.plan(logged).cost.gpuHours - 974_500) < 100)
    }

    @Test func logged150TFLOPsReproducesLogged105SecondIterations() throws {
        var r = PlanRequest.bloom176B
        r.budget.throughput = .achieved(flopsPerGPU: 149.77e12)   // iteration 85,376 log, ~105 s/iter
        let plan = try TrainingPlanner.plan(r)
        #expect(abs(plan.cost.secondsPerStep - 104.7) < 0.1, "\(plan.cost.secondsPerStep)")
    }

    @Test func rampUpExplainsTheNinetyFiveThousandSteps() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        #expect(plan.schedule.stepsAtFullBatch == 87_262)
        #expect(plan.schedule.stepsWithRampUp == 95_151)          // model card: ~95k steps for 366B tokens
        #expect(plan.schedule.microBatchesPerStep == 128)
        #expect(abs(plan.schedule.bubbleFraction - 11.0 / 128) < 1e-12)
    }

    @Test func energyAndCO2Defaults() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        #expect(abs(plan.cost.energyKWh - plan.cost.gpuHours * 0.4) < 1e-6)
        // At the reported GPU-hours the defaults give ≈ 433 MWh and ≈ 25 t.
        let budget = PlanRequest.bloom176B.budget
        let kWh = 1_082_990 * budget.wattsPerGPU / 1000
        #expect(abs(kWh - 433_000) < 500)
        #expect(abs(kWh * budget.gridGramsCO2PerKWh / 1e6 - 25) < 0.5)
    }

    @Test func utilisationOfPeakEqualsTheAchievedRate() throws {
        var r = PlanRequest.bloom176B
        r.budget.throughput = .utilization(fraction: 0.5)         // 0.5 × 312 = 156
        let a = try TrainingPlanner.plan(r).cost.gpuHours
        let b = try TrainingPlanner.plan(.bloom176B).cost.gpuHours
        #expect(abs(a - b) < 1e-6)
    }

    @Test func withoutRecomputeThroughputIsCountedInModelFLOPs() throws {
        var r = PlanRequest.bloom176B
        r.layout.recompute = false
        let plan = try TrainingPlanner.plan(r)
        #expect(plan.flops.loggedFLOPsPerToken == plan.flops.modelFLOPsPerToken)
        #expect(abs(plan.cost.gpuHours / 935_570 - 0.75) < 1e-3)
    }
}
