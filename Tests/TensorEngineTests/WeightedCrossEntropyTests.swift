import Foundation
import TensorEngine
import Testing

/// Σ w·CE / Σ w and its gradient against a Float64 reference; equal weights give the mean
/// cross-entropy; rows without weight or target contribute nothing.
@Suite struct WeightedCrossEntropyTests {
    static let rows = 5, cols = 7

    static func logits() -> [Float] { (0..<(rows * cols)).map { Float(sin(Double($0) * 1.7)) * 3 } }

    /// Float64 loss and gradient.
    static func reference(_ x: [Float], _ targets: [Int32], _ weights: [Float]) -> (Double, [Double]) {
        var total = 0.0, loss = 0.0
        var grad = [Double](repeating: 0, count: x.count)
        for r in 0..<rows where targets[r] >= 0 && weights[r] > 0 { total += Double(weights[r]) }
        for r in 0..<rows where targets[r] >= 0 && weights[r] > 0 {
            let row = (0..<cols).map { Double(x[r * cols + $0]) }
            let m = row.max()!, z = row.reduce(0) { $0 + exp($1 - m) }
            loss += Double(weights[r]) * (m + log(z) - row[Int(targets[r])])
            for j in 0..<cols {
                grad[r * cols + j] = Double(weights[r]) / total * (exp(row[j] - m) / z - (j == Int(targets[r]) ? 1 : 0))
            }
        }
        return (loss / total, grad)
    }

    @Test func matchesTheFloat64Reference() {
        let values = Self.logits()
        let targets: [Int32] = [2, 0, -100, 6, 3], weights: [Float] = [0.5, 1, 1, 0.25, 0]
        let x = Tensor(values, shape: [Self.rows, Self.cols], requiresGrad: true)
        let loss = Tensor.weightedCrossEntropy(logits: x, targets: targets, weights: weights)
        loss.backward()
        let (want, grad) = Self.reference(values, targets, weights)
        #expect(abs(Double(loss.item()) - want) < 1e-5)
        let g = x.grad!.toArray()
        #expect(zip(g, grad).allSatisfy { abs(Double($0) - $1) < 1e-6 })
        #expect(g[(4 * Self.cols)..<(5 * Self.cols)].allSatisfy { $0 == 0 } && g[(2 * Self.cols)..<(3 * Self.cols)].allSatisfy { $0 == 0 })
    }

    @Test func equalWeightsAreTheMeanCrossEntropy() {
        let values = Self.logits()
        let targets: [Int32] = [1, 4, 2, -100, 5]
        let a = Tensor.weightedCrossEntropy(logits: Tensor(values, shape: [Self.rows, Self.cols]), targets: targets, weights: [Float](repeating: 2, count: Self.rows))
        let b = Tensor.crossEntropy(logits: Tensor(values, shape: [Self.rows, Self.cols]), targets: targets)
        #expect(abs(a.item() - b.item()) < 1e-6)
        let none = Tensor.weightedCrossEntropy(logits: Tensor(values, shape: [Self.rows, Self.cols]), targets: targets, weights: [Float](repeating: 0, count: Self.rows))
        #expect(none.item() == 0)
    }
}
