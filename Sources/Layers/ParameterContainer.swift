import TensorEngine

/// Anything that owns named trainable tensors (HF-style dotted names, e.g. `dense.weight`).
public protocol ParameterContainer {
    /// Parameters in a stable order, named relative to this container.
    func namedParameters() -> [(name: String, tensor: Tensor)]
}

extension ParameterContainer {
    /// Parameters of `child` with `prefix.` prepended to their names.
    public func prefixed(_ prefix: String, _ child: some ParameterContainer) -> [(name: String, tensor: Tensor)] {
        child.namedParameters().map { ("\(prefix).\($0.name)", $0.tensor) }
    }

    /// Total number of scalar parameters.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.tensor.count } }

    /// Clears every parameter gradient.
    public func zeroGradients() { for p in namedParameters() { p.tensor.grad = nil } }
}

/// Marks a fresh tensor as a trainable leaf.
@inline(__always)
func parameter(_ t: Tensor) -> Tensor {
    t.requiresGrad = true
    return t
}
