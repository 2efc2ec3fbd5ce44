import TensorEngine

/// Layer normalisation over the last dimension with affine weight and bias
/// (PyTorch `nn.LayerNorm`): y = (x − mean)/sqrt(var + eps)·weight + bias.
public struct LayerNorm: ParameterContainer {
    public let weight: Tensor
    public let bias: Tensor
    public let eps: Float

    /// weight = 1, bias = 0.
    public init(features: Int, eps: Float = 1e-5) {
        weight = parameter(Tensor.full(1, shape: [features]))
        bias = parameter(Tensor.zeros([features]))
        self.eps = eps
    }

    public init(weight: Tensor, bias: Tensor, eps: Float) {
        self.weight = parameter(weight)
        self.bias = parameter(bias)
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.layerNorm(weight: weight, bias: bias, eps: eps) }

    public func namedParameters() -> [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
}
