/// Broadcasting binary arithmetic: `+ - * /` between tensors, and with scalars.
///
/// Backward rules (with `sumToShape` undoing the broadcast of each input):
/// d(a+b) = (g, g); d(a−b) = (g, −g); d(a·b) = (g·b, g·a); d(a/b) = (g/b, −g·a/b²).
extension Tensor {
    static func binaryOp(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let out = Kernels.binary(op, a, b, shape: shape)
        return record("\(op)", output: out, inputs: [a, b]) { g in
            switch op {
            case .add:
                return [a.requiresGrad ? g.sumToShape(a.shape) : nil,
                        b.requiresGrad ? g.sumToShape(b.shape) : nil]
            case .sub:
                return [a.requiresGrad ? g.sumToShape(a.shape) : nil,
                        b.requiresGrad ? (-g).sumToShape(b.shape) : nil]
            case .mul:
                return [a.requiresGrad ? (g * b).sumToShape(a.shape) : nil,
                        b.requiresGrad ? (g * a).sumToShape(b.shape) : nil]
            case .div:
                return [a.requiresGrad ? (g / b).sumToShape(a.shape) : nil,
                        b.requiresGrad ? (-(g * a) / (b * b)).sumToShape(b.shape) : nil]
            }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { binaryOp(.add, a, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { binaryOp(.sub, a, b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { binaryOp(.mul, a, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { binaryOp(.div, a, b) }

    /// `−x`; gradient −g.
    public static prefix func - (x: Tensor) -> Tensor { x.scaled(by: -1) }

    /// `x·s` for a constant `s`; gradient g·s.
    public func scaled(by s: Float) -> Tensor {
        let out = Kernels.map(self) { $0 * s }
        return Tensor.record("scale", output: out, inputs: [self]) { g in [g.scaled(by: s)] }
    }

    /// `x + s` for a constant `s`; gradient g.
    public func adding(_ s: Float) -> Tensor {
        let out = Kernels.map(self) { $0 + s }
        return Tensor.record("addScalar", output: out, inputs: [self]) { g in [g] }
    }

    public static func * (x: Tensor, s: Float) -> Tensor { x.scaled(by: s) }
    public static func * (s: Float, x: Tensor) -> Tensor { x.scaled(by: s) }
    public static func + (x: Tensor, s: Float) -> Tensor { x.adding(s) }
    public static func - (x: Tensor, s: Float) -> Tensor { x.adding(-s) }

    /// Sums a broadcast gradient back down to `shape` (the inverse of broadcasting).
    public func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        var t = self
        let pad = rank - target.count
        // Leading dims that broadcasting added.
        for _ in 0..<pad { t = t.sum(axis: 0, keepDims: false) }
        for axis in 0..<target.count where target[axis] == 1 && t.shape[axis] != 1 {
            t = t.sum(axis: axis, keepDims: true)
        }
        return t.reshaped(target)
    }
}
