/// Reverse-mode differentiation over the recorded graph.
extension Tensor {
    /// Back-propagates from this tensor, accumulating into `grad` of every leaf that requires it.
    ///
    /// - Parameter seed: gradient of the final objective with respect to `self`;
    ///   defaults to 1 for a one-element tensor.
    /// The graph is released as it is consumed (PyTorch's `retain_graph=False`).
    public func backward(_ seed: Tensor? = nil) {
        precondition(seed != nil || count == 1,
                     "backward(): a non-scalar output of shape \(shape) needs an explicit seed gradient")
        let order = topologicalOrder()
        // Pending gradients are accumulated into in place, so no two entries may share storage.
        var pending: [ObjectIdentifier: Tensor] = [:]
        var pendingStorages = Set<ObjectIdentifier>()
        pending[ObjectIdentifier(self)] = (seed ?? Tensor([1], shape: shape)).copy()
        for tensor in order.reversed() {
            guard let g = pending.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
            pendingStorages.remove(ObjectIdentifier(g.storage))
            guard let node = tensor.node else {
                if tensor.requiresGrad { tensor.accumulateGrad(g, owned: true) }
                continue
            }
            let grads = GradMode.withoutGrad { node.backward(g) }
            precondition(grads.count == node.inputs.count, "\(node.name): backward returned \(grads.count) gradients")
            for (input, grad) in zip(node.inputs, grads) {
                guard input.requiresGrad, let grad else { continue }
                precondition(grad.shape == input.shape,
                             "\(node.name): gradient shape \(grad.shape) != input shape \(input.shape)")
                let key = ObjectIdentifier(input)
                if let existing = pending[key] {
                    Kernels.addInPlace(existing, grad)
                } else {
                    let owned = grad.isContiguous && !pendingStorages.contains(ObjectIdentifier(grad.storage))
                        ? grad : grad.copy()
                    pendingStorages.insert(ObjectIdentifier(owned.storage))
                    pending[key] = owned
                }
            }
            tensor.node = nil
        }
    }

    /// Adds `g` into this leaf's `grad`. On first use `grad` becomes `g` itself when the caller
    /// hands over a dense tensor nothing else holds (`owned`, as pending gradients are), else a copy.
    func accumulateGrad(_ g: Tensor, owned: Bool = false) {
        if let existing = grad { Kernels.addInPlace(existing, g); return }
        grad = owned && g.isContiguous ? g.detached() : g.copy()
    }

    /// Tensors reachable from `self` through recorded nodes, inputs before outputs.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded { order.append(tensor); continue }
            if !visited.insert(ObjectIdentifier(tensor)).inserted { continue }
            stack.append((tensor, true))
            for input in tensor.node?.inputs ?? [] where input.requiresGrad {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return order
    }
}

