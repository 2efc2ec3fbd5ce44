import TensorEngine

/// A lookup table of `count` vectors of size `features`: ids (…) → (…, features).
public struct Embedding: ParameterContainer {
    /// (count, features)
    public let weight: Tensor

    /// Rows ~ N(0, std²).
    public init(count: Int, features: Int, std: Float, generator: inout SplitMix64) {
        weight = parameter(Tensor.normal(shape: [count, features], std: std, generator: &generator))
    }

    public init(weight: Tensor) { self.weight = parameter(weight) }

    /// Gathers rows for `ids` laid out as `shape`.
    public func callAsFunction(_ ids: [Int32], shape: [Int]) -> Tensor {
        Tensor.embedding(weight, ids: ids, idShape: shape)
    }

    public func namedParameters() -> [(name: String, tensor: Tensor)] { [("weight", weight)] }
}
