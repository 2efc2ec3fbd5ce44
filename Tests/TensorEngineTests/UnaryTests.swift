import Foundation
import Testing
import TensorEngine
import EngineTestSupport

@Suite("Unary math")
struct UnaryTests {
    @Test func expLogTanhSqrtSquareGradients() {
        let x = TestData.uniform(37, in: 0.2...2, seed: 5)
        let cases: [(String, (Tensor) -> Tensor, (Double) -> Double)] = [
            ("exp", { $0.exp() }, { Foundation.exp($0) }),
            ("log", { $0.log() }, { Foundation.log($0) }),
            ("tanh", { $0.tanh() }, { Foundation.tanh($0) }),
            ("sqrt", { $0.sqrt() }, { $0.squareRoot() }),
            ("square", { $0.square() }, { $0 * $0 }),
        ]
        for (name, f, ref) in cases {
            let check = GradientCheck.run(inputs: [(x, [37])]) { f($0[0]) } reference: { $0[0].map(ref) }
            #expect(check.maxError < 1e-3, "\(name): \(check)")
        }
    }

    @Test func reluGradient() {
        let x = Tensor([-1, 2, -3, 4], shape: [4], requiresGrad: true)
        x.relu().sum().backward()
        #expect(x.grad!.toArray() == [0, 1, 0, 1])
    }

    @Test func vectorExpAndTanhAccuracy() {
        let xs = stride(from: -80.0, through: 80.0, by: 0.173).map { Float($0) }
        let t = Tensor(xs, shape: [xs.count])
        let e = t.exp().toArray(), th = t.tanh().toArray()
        for (i, x) in xs.enumerated() {
            let re = Foundation.exp(Double(x)), rt = Foundation.tanh(Double(x))
            #expect(abs(Double(e[i]) - re) <= 4e-7 * re, "exp(\(x))")
            #expect(abs(Double(th[i]) - rt) <= 2e-7, "tanh(\(x))")
        }
    }
}
