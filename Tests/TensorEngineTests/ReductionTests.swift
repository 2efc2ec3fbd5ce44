import Testing
import TensorEngine
import EngineTestSupport

@Suite("Reductions")
struct ReductionTests {
    @Test func sumAxesHandValues() {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(x.sum(axis: 0).toArray() == [5, 7, 9])
        #expect(x.sum(axis: 1, keepDims: true).shape == [2, 1])
        #expect(x.sum(axis: -1).toArray() == [6, 15])
        #expect(x.mean().item() == 3.5)
    }

    @Test(arguments: [0, 1, 2])
    func sumAndMeanGradients(axis: Int) {
        let x = TestData.uniform(60, seed: 7)
        let shape = [3, 4, 5]
        let check = GradientCheck.run(inputs: [(x, shape)]) { $0[0].mean(axis: axis) } reference: { v in
            let outer = shape[..<axis].reduce(1, *), len = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
            var out = [Double](repeating: 0, count: outer * inner)
            for o in 0..<outer { for a in 0..<len { for i in 0..<inner { out[o * inner + i] += v[0][(o * len + a) * inner + i] / Double(len) } } }
            return out
        }
        #expect(check.maxError < 1e-4)
    }
}
