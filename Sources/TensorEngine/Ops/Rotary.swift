import Foundation

/// Rotary position embedding (GPT-NeoX "rotate half" form) applied to the Q and K parts of a
/// BLOOM fused QKV tensor (B, T, 3C), layout (nh, 3, hs); V passes through.
///
/// For d < hs/2, θ_d = pos·base^(−2d/hs):  (x₁, x₂) ↦ (x₁cosθ − x₂sinθ, x₂cosθ + x₁sinθ)
/// with x₁ = x[d], x₂ = x[d + hs/2]. Backward is the rotation by −θ.
extension Tensor {
    /// Rotates Q and K of every head by their absolute position (`positionOffset + t`).
    public func rotaryQKV(heads: Int, positionOffset: Int = 0, base: Float = 10000) -> Tensor {
        precondition(rank == 3 && shape[2] % (3 * heads) == 0, "rotary: qkv \(shape) is not (B, T, 3·C)")
        let c = shape[2] / 3, hs = c / heads
        precondition(hs % 2 == 0, "rotary: head size \(hs) must be even")
        let table = Tensor.rotaryTable(length: shape[1], headSize: hs, offset: positionOffset, base: base)
        let out = Tensor.applyRotary(contiguousData(), table: table, heads: heads, inverse: false)
        return Tensor.record("rotary", output: out, inputs: [self]) { g in
            [Tensor.applyRotary(g.contiguousData(), table: table, heads: heads, inverse: true)]
        }
    }

    /// (T, hs/2, 2) table of (cos θ, sin θ), computed in Double.
    static func rotaryTable(length: Int, headSize hs: Int, offset: Int, base: Float) -> [Float] {
        var table = [Float](repeating: 0, count: length * hs)
        for t in 0..<length {
            for d in 0..<(hs / 2) {
                let inv = 1 / Foundation.pow(Double(base), Double(2 * d) / Double(hs))
                let angle = Double(t + offset) * inv
                table[(t * (hs / 2) + d) * 2] = Float(Foundation.cos(angle))
                table[(t * (hs / 2) + d) * 2 + 1] = Float(Foundation.sin(angle))
            }
        }
        return table
    }

    static func applyRotary(_ x: Tensor, table: [Float], heads: Int, inverse: Bool) -> Tensor {
        let out = x.copy()
        let b = x.shape[0], t = x.shape[1], c3 = x.shape[2], hs = c3 / 3 / heads, half = hs / 2
        let o = out.pointer, s = x.pointer
        let sign: Float = inverse ? -1 : 1
        for bt in 0..<(b * t) {
            let pos = bt % t
            for h in 0..<heads {
                for part in 0..<2 {                      // 0 = query, 1 = key
                    let base = bt * c3 + (h * 3 + part) * hs
                    for d in 0..<half {
                        let cs = table[(pos * half + d) * 2], sn = sign * table[(pos * half + d) * 2 + 1]
                        let x1 = s[base + d], x2 = s[base + d + half]
                        o[base + d] = x1 * cs - x2 * sn
                        o[base + d + half] = x2 * cs + x1 * sn
                    }
                }
            }
        }
        return out
    }
}
