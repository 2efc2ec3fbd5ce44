import Testing
import TensorEngine
import EngineTestSupport

@Suite("Arithmetic")
struct ArithmeticTests {
    @Test func broadcastAddHandValues() {
        let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], requiresGrad: true)
        let b = Tensor([10, 20, 30], shape: [3], requiresGrad: true)
        let y = a + b
        #expect(y.toArray() == [11, 22, 33, 14, 25, 36])
        y.sum().backward()
        #expect(a.grad!.toArray() == [1, 1, 1, 1, 1, 1])
        #expect(b.grad!.toArray() == [2, 2, 2])   // summed over the broadcast rows
    }

    @Test func mulDivHandValues() {
        let a = Tensor([2, 3], shape: [2], requiresGrad: true)
        let b = Tensor([4, 5], shape: [2], requiresGrad: true)
        (a * b / a.adding(1)).sum().backward()
        // f = a·b/(a+1): df/da = b/(a+1)², df/db = a/(a+1)
        #expect(abs(a.grad!.toArray()[0] - 4.0 / 9) < 1e-6)
        #expect(abs(b.grad!.toArray()[1] - 3.0 / 4) < 1e-6)
    }

    @Test(arguments: [BinaryOperator.add, .sub, .mul, .div])
    func binaryBroadcastGradients(op: BinaryOperator) {
        let a = TestData.uniform(24, in: 0.5...1.5, seed: 1), b = TestData.uniform(4, in: 0.5...1.5, seed: 2)
        let check = GradientCheck.run(inputs: [(a, [2, 3, 4]), (b, [1, 1, 4])]) { t in
            switch op {
            case .add: return t[0] + t[1]
            case .sub: return t[0] - t[1]
            case .mul: return t[0] * t[1]
            case .div: return t[0] / t[1]
            }
        } reference: { v in
            (0..<24).map { i in
                let x = v[0][i], y = v[1][i % 4]
                switch op { case .add: return x + y; case .sub: return x - y; case .mul: return x * y; case .div: return x / y }
            }
        }
        #expect(check.maxError < 1e-3, "\(op): \(check)")
    }

    @Test func scalarOps() {
        let x = TestData.uniform(6, seed: 3)
        let check = GradientCheck.run(inputs: [(x, [6])]) { t in (t[0] * 3 + 2).scaled(by: -0.5) } reference: { v in
            v[0].map { ($0 * 3 + 2) * -0.5 }
        }
        #expect(check.maxError < 1e-4)
    }

    @Test func sharedInputAccumulates() {
        let x = Tensor([3], shape: [1], requiresGrad: true)
        (x * x + x).sum().backward()
        #expect(x.grad!.toArray() == [7])   // 2x + 1
    }
}
