import Foundation
import Testing
import Layers
import Models
import Optimization
import TensorEngine
import EngineTestSupport

/// Logits, loss, gradients and three optimizer steps against HF transformers (see Fixtures/README.md).
@Suite("BLOOM vs HF transformers fixtures")
struct BloomGoldenTests {
    @Test func alibiSlopesMatchHF() throws {
        let data = try Data(contentsOf: Fixture.directory.appendingPathComponent("alibi_slopes.json"))
        let reference = try JSONSerialization.jsonObject(with: data) as! [String: [Double]]
        for (heads, slopes) in reference {
            let ours = ALiBi.slopes(heads: Int(heads)!)
            #expect(ours.count == slopes.count)
            #expect(ours == slopes.map(Float.init), "\(heads) heads")   // bit-identical
        }
        #expect(ALiBi.slopes(heads: 6) == [0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125])
    }

    @Test(arguments: ["h6", "h4"])
    func logitsLossAndGradients(name: String) throws {
        let golden = try Fixture.Golden(name)
        let model = try golden.model()
        let (logits, loss) = model.loss(ids: try golden.ids(), batch: golden.batch, length: golden.length)
        let logitError = TestData.maxAbsDiff(logits.toArray(), try golden.file.tensor("logits").toArray())
        let lossError = abs(loss.item() - (try golden.file.tensor("loss").item()))
        #expect(logitError < 1e-4)
        #expect(lossError < 1e-4)
        loss.backward()
        let grads = try golden.tensors("grad")
        #expect(grads.count == model.namedParameters().count)
        var worst: Float = 0
        for p in model.namedParameters() {
            let error = normRelativeError(p.tensor.grad!.toArray(), grads[p.name]!.toArray())
            worst = max(worst, error)
            #expect(error < 1e-4, "\(p.name): relative gradient error \(error)")
        }
        print("fixture \(name): max |Δlogit| \(logitError), |Δloss| \(lossError), max relative gradient error \(worst)")
    }

    @Test(arguments: ["h6", "h4"])
    func threeAdamWStepsWithClippingAndSchedule(name: String) throws {
        let golden = try Fixture.Golden(name)
        let model = try golden.model()
        let o = golden.optimizer
        let schedule = WarmupCosineSchedule(maxLR: o["max_lr"]!, minLR: o["min_lr"]!,
                                            warmupSteps: Int(o["warmup_steps"]!), decaySteps: Int(o["decay_steps"]!))
        let optimizer = AdamW(parameters: model.namedParameters(),
                              configuration: .init(beta1: Float(o["beta1"]!), beta2: Float(o["beta2"]!),
                                                   eps: Float(o["eps"]!), weightDecay: Float(o["weight_decay"]!)))
        for step in 0..<3 {
            model.zeroGradients()
            let (_, loss) = model.loss(ids: try golden.ids("ids.step\(step)"), batch: golden.batch, length: golden.length)
            loss.backward()
            let norm = GradientClipping.clipGlobalNorm(model.namedParameters().map(\.tensor), maxNorm: Float(o["clip"]!))
            #expect(abs(norm - (try golden.file.tensor("gradnorm.step\(step)").item())) < 1e-4)
            let lr = schedule.learningRate(at: step)
            #expect(lr == (try golden.file.tensor("lr.step\(step)").item()))
            optimizer.step(learningRate: lr)
        }
        let expected = try golden.tensors("after3")
        var worst: Float = 0
        for p in model.namedParameters() {
            let diff = TestData.maxAbsDiff(p.tensor.toArray(), expected[p.name]!.toArray())
            worst = max(worst, diff)
            #expect(diff < 1e-5, "\(p.name): max diff \(diff) after 3 steps")
        }
        print("fixture \(name): max |Δparameter| after 3 AdamW steps \(worst)")
    }
}
