import Testing
import TensorEngine
import EngineTestSupport

@Suite("Movement")
struct MovementTests {
    @Test func transposeIsAViewAndContiguousCopies() {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let t = x.transposed()
        #expect(t.shape == [3, 2] && !t.isContiguous && t.storage === x.storage)
        #expect(t.toArray() == [1, 4, 2, 5, 3, 6])
        #expect(t.contiguous().isContiguous)
    }

    @Test func permuteReshapeGradients() {
        let x = TestData.uniform(24, seed: 9)
        // (2, 3, 4) -> (4, 2, 3) -> (8, 3)
        let check = GradientCheck.run(inputs: [(x, [2, 3, 4])]) { t in
            t[0].permuted([2, 0, 1]).reshaped([8, 3]).square()
        } reference: { v in
            var out: [Double] = []
            for k in 0..<4 { for i in 0..<2 { for j in 0..<3 { let e = v[0][(i * 3 + j) * 4 + k]; out.append(e * e) } } }
            return out
        }
        #expect(check.maxError < 1e-4)
    }

    @Test func sliceAndConcatGradients() {
        let a = TestData.uniform(12, seed: 10), b = TestData.uniform(6, seed: 11)
        let check = GradientCheck.run(inputs: [(a, [3, 4]), (b, [3, 2])]) { t in
            Tensor.concat([t[0].sliced(axis: 1, range: 1..<3), t[1]], axis: 1).square()
        } reference: { v in
            var out: [Double] = []
            for r in 0..<3 {
                out += [v[0][r * 4 + 1], v[0][r * 4 + 2], v[1][r * 2], v[1][r * 2 + 1]].map { $0 * $0 }
            }
            return out
        }
        #expect(check.maxError < 1e-4)
    }

    @Test func expandGradientSums() {
        let x = Tensor([1, 2], shape: [2, 1], requiresGrad: true)
        let y = x.expanded(to: [2, 3])
        #expect(y.toArray() == [1, 1, 1, 2, 2, 2])
        y.sum().backward()
        #expect(x.grad!.toArray() == [3, 3])
    }
}
