import TensorEngine

/// Compares an op's forward values and autograd gradients with a Float64 reference.
///
/// The objective is L = Σ out ⊙ R for a fixed random R, so every output element matters.
/// Gradients of the Float32 op (autograd) are compared with central finite differences of
/// the Float64 `reference`.
public struct GradientCheck {
    /// Largest |op − reference| / (1 + |reference|) over the forward output.
    public var forwardError: Double
    /// Per input: largest |autograd − finite difference| / (1 + |finite difference|).
    public var gradientErrors: [Double]
    /// Worst of all errors.
    public var maxError: Double { max(forwardError, gradientErrors.max() ?? 0) }

    /// Runs the check.
    /// - Parameters:
    ///   - inputs: the input values (row-major) and shapes.
    ///   - differentiable: which inputs to check (default all).
    ///   - op: the Float32 op under test.
    ///   - reference: the same function in Float64 on flat arrays (row-major output).
    public static func run(inputs: [(values: [Double], shape: [Int])],
                           differentiable: [Bool]? = nil,
                           step: Double = 1e-6,
                           op: ([Tensor]) -> Tensor,
                           reference: ([[Double]]) -> [Double]) -> GradientCheck {
        let wanted = differentiable ?? Array(repeating: true, count: inputs.count)
        let tensors = inputs.enumerated().map { i, input in
            Tensor(input.values.map(Float.init), shape: input.shape, requiresGrad: wanted[i])
        }
        let out = op(tensors)
        let refOut = reference(inputs.map(\.values))
        precondition(refOut.count == out.count, "reference gives \(refOut.count) values, op \(out.count)")
        var rng = SplitMix64(seed: 1234)
        let projection = (0..<out.count).map { _ in Double(rng.nextUniform()) * 2 - 1 }
        let forwardError = zip(out.toArray(), refOut).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 0
        let loss = (out * Tensor(projection.map(Float.init), shape: out.shape)).sum()
        loss.backward()

        func objective(_ values: [[Double]]) -> Double {
            zip(reference(values), projection).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var errors: [Double] = []
        for (i, input) in inputs.enumerated() where wanted[i] {
            let analytic = tensors[i].grad?.toArray() ?? Array(repeating: 0, count: input.values.count)
            var values = inputs.map(\.values)
            var worst = 0.0
            for j in 0..<input.values.count {
                let x = values[i][j]
                values[i][j] = x + step; let up = objective(values)
                values[i][j] = x - step; let down = objective(values)
                values[i][j] = x
                let numeric = (up - down) / (2 * step)
                worst = max(worst, abs(Double(analytic[j]) - numeric) / (1 + abs(numeric)))
            }
            errors.append(worst)
        }
        return GradientCheck(forwardError: forwardError, gradientErrors: errors)
    }
}

/// Seeded test inputs.
public enum TestData {
    /// `count` values uniform in `range`, reproducible from `seed`.
    public static func uniform(_ count: Int, in range: ClosedRange<Double> = -1...1, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in range.lowerBound + Double(rng.nextUniform()) * (range.upperBound - range.lowerBound) }
    }

    /// A Float tensor with uniform values.
    public static func tensor(_ shape: [Int], in range: ClosedRange<Double> = -1...1, seed: UInt64,
                              requiresGrad: Bool = false) -> Tensor {
        Tensor(uniform(Shape.count(shape), in: range, seed: seed).map(Float.init), shape: shape,
               requiresGrad: requiresGrad)
    }

    /// Largest |a − b| over two equal-length arrays.
    public static func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "maxAbsDiff: \(a.count) vs \(b.count) values")
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// Largest |a − b| / max(|b|, floor), a relative error that tolerates near-zero references.
    public static func maxRelDiff(_ a: [Float], _ b: [Float], floor: Float = 1e-3) -> Float {
        precondition(a.count == b.count, "maxRelDiff: \(a.count) vs \(b.count) values")
        return zip(a, b).map { abs($0 - $1) / max(abs($1), floor) }.max() ?? 0
    }
}
