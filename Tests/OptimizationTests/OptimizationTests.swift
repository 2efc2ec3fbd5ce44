import Foundation
import Testing
import Layers
import Optimization
import TensorEngine

@Suite("AdamW, LR schedule, clipping")
struct OptimizationTests {
    @Test func scheduleHandValues() {
        let s = WarmupCosineSchedule(maxLR: 1e-3, minLR: 1e-4, warmupSteps: 10, decaySteps: 110)
        #expect(s.learningRate(at: 0) == 0)
        #expect(s.learningRate(at: 5) == 5e-4)
        #expect(s.learningRate(at: 10) == 1e-3)
        #expect(abs(s.learningRate(at: 60) - 5.5e-4) < 1e-9)     // halfway: min + (max−min)/2
        #expect(s.learningRate(at: 110) == Float(1e-4))
        #expect(s.learningRate(at: 500) == Float(1e-4))
    }

    @Test func clippingHandValues() {
        let a = Tensor([0], shape: [1], requiresGrad: true), b = Tensor([0, 0], shape: [2], requiresGrad: true)
        a.grad = Tensor([3], shape: [1]); b.grad = Tensor([0, 4], shape: [2])
        let norm = GradientClipping.clipGlobalNorm([a, b], maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(a.grad!.item() - 0.6) < 1e-6 && abs(b.grad!.toArray()[1] - 0.8) < 1e-6)
        // Below the threshold the coefficient is 1/(1 + 1e-6·…) clamped to 1: unchanged.
        #expect(GradientClipping.clipGlobalNorm([a, b], maxNorm: 10) < 1.0001)
        #expect(abs(a.grad!.item() - 0.6) < 1e-6)
    }

    @Test func adamWFirstStepHandValues() {
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + ε) ≈ lr·sign(g), after decay.
        let w = Tensor([1, -2], shape: [1, 2], requiresGrad: true)
        let b = Tensor([0.5], shape: [1], requiresGrad: true)
        w.grad = Tensor([0.1, -3], shape: [1, 2]); b.grad = Tensor([2], shape: [1])
        let opt = AdamW(parameters: [("w", w), ("b", b)], configuration: .init(weightDecay: 0.1))
        opt.step(learningRate: 0.01)
        let wv = w.toArray()
        #expect(abs(wv[0] - (1 * (1 - 0.001) - 0.01)) < 1e-6)
        #expect(abs(wv[1] - (-2 * (1 - 0.001) + 0.01)) < 1e-6)
        #expect(abs(b.item() - (0.5 - 0.01)) < 1e-6)            // rank 1: no decay
        #expect(opt.slots.map(\.decays) == [true, false])
    }

    @Test func adamWMinimisesAQuadratic() {
        let x = Tensor([5, -3], shape: [2], requiresGrad: true)
        let opt = AdamW(parameters: [("x", x)], configuration: .init(weightDecay: 0))
        for _ in 0..<500 {
            x.grad = nil
            x.square().sum().backward()
            opt.step(learningRate: 0.05)
        }
        #expect(x.toArray().allSatisfy { abs($0) < 0.05 })
    }
}
