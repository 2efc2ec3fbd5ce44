import Foundation
import Testing
import TensorEngine
import EngineTestSupport

@Suite("Fused ops: LayerNorm, GeLU, softmax, cross-entropy, embedding")
struct FusedOpTests {
    @Test func layerNormHandValues() {
        let x = Tensor([1, 2, 3, 4], shape: [1, 4])
        let y = x.layerNorm(weight: Tensor([1, 1, 1, 1], shape: [4]), bias: Tensor([0, 0, 0, 1], shape: [4]), eps: 0)
        // mean 2.5, var 1.25
        let s = Float(1 / 1.25.squareRoot())
        #expect(TestData.maxAbsDiff(y.toArray(), [-1.5 * s, -0.5 * s, 0.5 * s, 1.5 * s + 1]) < 1e-6)
    }

    @Test func layerNormGradients() {
        let x = TestData.uniform(3 * 8, seed: 20), w = TestData.uniform(8, in: 0.5...1.5, seed: 21), b = TestData.uniform(8, seed: 22)
        let check = GradientCheck.run(inputs: [(x, [3, 8]), (w, [8]), (b, [8])]) { t in
            t[0].layerNorm(weight: t[1], bias: t[2], eps: 1e-5)
        } reference: { v in Reference.layerNorm(v[0], v[1], v[2], cols: 8, eps: 1e-5) }
        #expect(check.maxError < 2e-3, "\(check)")
    }

    @Test func layerNormMatchesCompositeOnLargeRows() {
        let x = TestData.tensor([300, 96], seed: 23, requiresGrad: true)
        let w = TestData.tensor([96], seed: 24, requiresGrad: true), b = TestData.tensor([96], seed: 25, requiresGrad: true)
        let fused = x.layerNorm(weight: w, bias: b, eps: 1e-5)
        let m = x.mean(axis: -1, keepDims: true)
        let c = x - m
        let composite = c / (c.square().mean(axis: -1, keepDims: true) + 1e-5).sqrt() * w + b
        #expect(TestData.maxAbsDiff(fused.toArray(), composite.toArray()) < 1e-5)
    }

    @Test func geluHandValuesAndGradients() {
        let y = Tensor([0, 1, -1], shape: [3]).gelu().toArray()
        #expect(y[0] == 0 && abs(y[1] - 0.841192) < 1e-5 && abs(y[2] + 0.158808) < 1e-5)
        let x = TestData.uniform(41, in: -4...4, seed: 26)
        let check = GradientCheck.run(inputs: [(x, [41])]) { $0[0].gelu() } reference: { $0[0].map(Reference.gelu) }
        #expect(check.maxError < 1e-3)
    }

    @Test func softmaxHandValues() {
        let y = Tensor([0, log(3)], shape: [1, 2]).softmax().toArray()
        #expect(abs(y[0] - 0.25) < 1e-6 && abs(y[1] - 0.75) < 1e-6)
        let c = Tensor([1, 2, 3, 4], shape: [2, 2]).softmax(causal: true).toArray()
        #expect(c[0] == 1 && c[1] == 0)
    }

    @Test(arguments: [false, true])
    func softmaxGradients(causal: Bool) {
        let x = TestData.uniform(2 * 4 * 4, in: -2...2, seed: 27)
        let check = GradientCheck.run(inputs: [(x, [2, 4, 4])]) { $0[0].softmax(causal: causal) } reference: { v in
            Reference.softmax(v[0], cols: 4, causalQueries: causal ? 4 : 0)
        }
        #expect(check.maxError < 1e-3)
    }

    @Test func crossEntropyHandValuesAndGradients() {
        // Uniform logits over 4 classes: loss = log 4.
        let loss = Tensor.crossEntropy(logits: Tensor(shape: [2, 4]), targets: [1, -100])
        #expect(abs(loss.item() - Float(log(4.0))) < 1e-6)
        let x = TestData.uniform(3 * 5, in: -3...3, seed: 28)
        let targets: [Int32] = [4, -100, 0]
        let check = GradientCheck.run(inputs: [(x, [3, 5])]) { t in
            Tensor.crossEntropy(logits: t[0], targets: targets).reshaped([1])
        } reference: { v in
            var total = 0.0
            for (r, t) in targets.enumerated() where t >= 0 {
                let row = Array(v[0][(r * 5)..<(r * 5 + 5)])
                let m = row.max()!
                total += m + log(row.map { exp($0 - m) }.reduce(0, +)) - row[Int(t)]
            }
            return [total / 2]
        }
        #expect(check.maxError < 1e-3)
    }

    @Test func embeddingGatherAndScatterAdd() {
        let w = Tensor([0, 1, 10, 11, 20, 21], shape: [3, 2], requiresGrad: true)
        let y = Tensor.embedding(w, ids: [2, 0, 2], idShape: [3])
        #expect(y.toArray() == [20, 21, 0, 1, 20, 21])
        y.backward(Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2]))
        #expect(w.grad!.toArray() == [3, 4, 0, 0, 6, 8])   // row 2 gets tokens 0 and 2
    }

    @Test func dropoutIsSeededAndScaled() {
        let x = Tensor.full(1, shape: [10_000], requiresGrad: true)
        let a = x.dropout(p: 0.25, seed: 7).toArray(), b = x.dropout(p: 0.25, seed: 7).toArray()
        #expect(a == b)
        let kept = a.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 4.0 / 3) < 1e-6 })
        #expect(abs(Double(kept.count) / 10_000 - 0.75) < 0.02)
        let y = x.dropout(p: 0.25, seed: 7)
        y.sum().backward()
        #expect(x.grad!.toArray() == a)
    }
}
