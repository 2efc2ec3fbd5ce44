import Foundation
import Testing
import Training

@Suite("Training-step benchmark")
struct StepBenchmarkTests {
    func tiny() -> StepBenchmark.Configuration {
        var c = StepBenchmark.Configuration()
        c.vocab = 64; c.hidden = 32; c.layers = 1; c.heads = 2; c.batch = 2; c.length = 16
        return c
    }

    @Test func flopsOfTheIssueConfiguration() {
        // 3 × (4·(24·256² + 4·256·256) + 2·256·8192) × 2048 tokens.
        #expect(StepBenchmark.Configuration().flopsPerStep == 70_866_960_384)
        #expect(StepBenchmark.Configuration().tokensPerStep == 2048)
    }

    @Test func reportCountsStepsAndRepeatsTheLosses() throws {
        let a = StepBenchmarkReport.run(tiny(), steps: 3, warmup: 1, measurePeak: false)
        let b = StepBenchmarkReport.run(tiny(), steps: 3, warmup: 1, measurePeak: false)
        #expect(a.steps.count == 3)
        #expect(a.steps.allSatisfy { $0.seconds > 0 && $0.forward > 0 && $0.backward > 0 && $0.loss.isFinite })
        #expect(a.firstLoss == b.firstLoss && a.lastLoss == b.lastLoss)   // same seed, same steps
        #expect(a.lastLoss < a.firstLoss)                                  // 4 AdamW steps on 4 batches
        #expect(abs(a.tokensPerSecond * a.medianStep - 32) < 1e-9)
        #expect(a.sgemmPeak == 0 && a.fractionOfPeak == 0)
        #expect(a.peakTensorBytes > 0 && a.parameters == 14_880)
        let json = a.json
        #expect(json["steps"] as? Int == 3 && json["precision"] as? String == "fp32")
        _ = try JSONSerialization.data(withJSONObject: json)
        #expect(a.text.contains("tokens/s") && a.text.contains("sgemm peak      not measured"))
    }

    @Test func mixedPrecisionStepsRun() {
        var c = tiny()
        c.bfloat16 = true
        let r = StepBenchmarkReport.run(c, steps: 2, warmup: 0, measurePeak: false)
        #expect(r.json["precision"] as? String == "bf16-mixed")
        #expect(r.lastLoss.isFinite)
    }
}
