/// One recorded op in the autograd graph: its inputs and a closure mapping the output
/// gradient to one gradient per input (`nil` where an input needs none).
///
/// Gradients are plain tensors without history (no higher-order derivatives).
final class GradNode {
    let name: String
    let inputs: [Tensor]
    let backward: (Tensor) -> [Tensor?]

    init(name: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }
}

/// Thread-local switch for recording autograd history.
public enum GradMode {
    @TaskLocal private static var override: Bool?

    /// Whether ops record history on the current task (default true).
    public static var isEnabled: Bool { override ?? true }

    /// Runs `body` without recording history (inference, optimizer updates).
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $override.withValue(false) { try body() }
    }
}

extension Tensor {
    /// Attaches a backward rule to a freshly computed `output` when any input needs gradients.
    ///
    /// Ops call this once, right after their forward kernel, so forward and backward sit together.
    @discardableResult
    static func record(_ name: String, output: Tensor, inputs: [Tensor],
                       backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return output }
        output.requiresGrad = true
        output.node = GradNode(name: name, inputs: inputs, backward: backward)
        return output
    }
}
