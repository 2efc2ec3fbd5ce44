import TensorEngine

/// A fully connected layer in PyTorch layout: y = x·Wᵀ + b, W shaped (out, in).
///
/// ```swift
/// var rng = SplitMix64(seed: 0)
/// let dense = Linear(inFeatures: 4, outFeatures: 8, std: 0.02, generator: &rng)
/// let y = dense(Tensor(shape: [2, 4]))   // (2, 8)
/// ```
public struct Linear: ParameterContainer {
    /// (out, in)
    public let weight: Tensor
    /// (out), or nil for a bias-free layer.
    public let bias: Tensor?

    /// Weights ~ N(0, std²), bias zero.
    public init(inFeatures: Int, outFeatures: Int, bias hasBias: Bool = true, std: Float,
                generator: inout SplitMix64) {
        weight = parameter(Tensor.normal(shape: [outFeatures, inFeatures], std: std, generator: &generator))
        bias = hasBias ? parameter(Tensor.zeros([outFeatures])) : nil
    }

    public init(weight: Tensor, bias: Tensor?) {
        self.weight = parameter(weight)
        self.bias = bias.map(parameter)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { Tensor.linear(x, weight: weight, bias: bias) }

    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
