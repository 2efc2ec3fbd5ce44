import Testing
import TensorEngine
import EngineTestSupport

@Suite("Matrix products")
struct MatMulTests {
    @Test func handValues() {
        let a = Tensor([1, 2, 3, 4], shape: [2, 2]), b = Tensor([5, 6, 7, 8], shape: [2, 2])
        #expect(Tensor.matmul(a, b).toArray() == [19, 22, 43, 50])
        #expect(Tensor.matmul(a.transposed(), b).toArray() == [26, 30, 38, 44])
    }

    @Test func batchedGradients() {
        let a = TestData.uniform(2 * 3 * 4, seed: 12), b = TestData.uniform(2 * 4 * 5, seed: 13)
        let check = GradientCheck.run(inputs: [(a, [2, 3, 4]), (b, [2, 4, 5])]) { t in Tensor.matmul(t[0], t[1]) } reference: { v in
            (0..<2).flatMap { i in Reference.matmul(Array(v[0][(i * 12)..<(i * 12 + 12)]), Array(v[1][(i * 20)..<(i * 20 + 20)]), m: 3, k: 4, n: 5) }
        }
        #expect(check.maxError < 1e-3)
    }

    @Test func sharedWeightAndTransposedViewGradients() {
        let a = TestData.uniform(2 * 3 * 4, seed: 14), w = TestData.uniform(5 * 4, seed: 15)
        // a (2, 3, 4) · wᵀ (4, 5), with w given as (5, 4) and transposed as a view
        let check = GradientCheck.run(inputs: [(a, [2, 3, 4]), (w, [5, 4])]) { t in Tensor.matmul(t[0], t[1].transposed()) } reference: { v in
            var wt = [Double](repeating: 0, count: 20)
            for i in 0..<5 { for j in 0..<4 { wt[j * 5 + i] = v[1][i * 4 + j] } }
            return Reference.matmul(v[0], wt, m: 6, k: 4, n: 5)
        }
        #expect(check.maxError < 1e-3)
    }

    @Test func linearGradients() {
        let x = TestData.uniform(2 * 3 * 4, seed: 16), w = TestData.uniform(5 * 4, seed: 17), b = TestData.uniform(5, seed: 18)
        let check = GradientCheck.run(inputs: [(x, [2, 3, 4]), (w, [5, 4]), (b, [5])]) { t in
            Tensor.linear(t[0], weight: t[1], bias: t[2])
        } reference: { v in
            var out: [Double] = []
            for r in 0..<6 { for o in 0..<5 { var s = v[2][o]; for i in 0..<4 { s += v[0][r * 4 + i] * v[1][o * 4 + i] }; out.append(s) } }
            return out
        }
        #expect(check.maxError < 1e-3)
    }
}
