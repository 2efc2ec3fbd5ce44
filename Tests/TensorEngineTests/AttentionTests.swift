import Foundation
import Testing
import TensorEngine
import EngineTestSupport

/// The fused attention kernel against a Float64 reference (finite differences) and against
/// the composite of primitive ops.
@Suite("Fused causal attention")
struct AttentionTests {
    /// Float64 reference: qkv (B, T, nh·3·hs) -> (B, T, nh·hs).
    static func reference(_ qkv: [Double], b: Int, t: Int, nh: Int, hs: Int, slopes: [Double]) -> [Double] {
        let c = nh * hs
        var out = [Double](repeating: 0, count: b * t * c)
        for bi in 0..<b { for h in 0..<nh {
            func at(_ ti: Int, _ part: Int, _ d: Int) -> Double { qkv[(bi * t + ti) * 3 * c + (h * 3 + part) * hs + d] }
            for i in 0..<t {
                var scores = (0...i).map { j in
                    (0..<hs).reduce(0.0) { $0 + at(i, 0, $1) * at(j, 1, $1) } / Double(hs).squareRoot()
                        + (slopes.isEmpty ? 0 : slopes[h] * Double(j))
                }
                let m = scores.max()!
                scores = scores.map { exp($0 - m) }
                let s = scores.reduce(0, +)
                for d in 0..<hs {
                    out[(bi * t + i) * c + h * hs + d] = (0...i).reduce(0.0) { $0 + scores[$1] / s * at($1, 2, d) }
                }
            }
        } }
        return out
    }

    @Test func handComputedTwoTokens() {
        // One head, hs = 1 (scale 1). Token 0: q=1, k=1, v=2; token 1: q=1, k=0, v=4; slope 0.5.
        let qkv = Tensor([1, 1, 2, 1, 0, 4], shape: [1, 2, 3], requiresGrad: true)
        let y = Tensor.causalSelfAttention(qkv: qkv, heads: 1, slopes: [0.5]).toArray()
        // Row 1 scores: q1·k0 + 0.5·0 = 1, q1·k1 + 0.5·1 = 0.5.
        let p0 = Foundation.exp(1.0) / (Foundation.exp(1.0) + Foundation.exp(0.5))
        #expect(y[0] == 2)
        #expect(abs(Double(y[1]) - (p0 * 2 + (1 - p0) * 4)) < 1e-6)
    }

    @Test(arguments: [true, false])
    func gradientsAgainstFiniteDifferences(alibi: Bool) {
        let (b, t, nh, hs) = (2, 5, 3, 4)
        let slopes: [Float] = alibi ? [0.5, 0.25, 0.125] : []
        let x = TestData.uniform(b * t * 3 * nh * hs, seed: 30)
        let check = GradientCheck.run(inputs: [(x, [b, t, 3 * nh * hs])]) { q in
            Tensor.causalSelfAttention(qkv: q[0], heads: nh, slopes: slopes)
        } reference: { v in
            Self.reference(v[0], b: b, t: t, nh: nh, hs: hs, slopes: slopes.map(Double.init))
        }
        #expect(check.maxError < 2e-3, "\(check)")
    }

    /// The same attention from primitive ops; `mask` (B, nh, T, T) multiplies the probabilities.
    static func composite(_ x: Tensor, b: Int, t: Int, nh: Int, hs: Int, slopes: [Float], mask: Tensor?) -> Tensor {
        // (B, T, 3C) -> (B, T, nh, 3, hs) -> (B, nh, T, hs) for each of q, k, v
        let split = x.reshaped([b, t, nh, 3, hs])
        func part(_ i: Int) -> Tensor { split.sliced(axis: 3, range: i..<(i + 1)).reshaped([b, t, nh, hs]).permuted([0, 2, 1, 3]) }
        let q = part(0), k = part(1), v = part(2)
        let bias = Tensor((0..<nh).flatMap { h in (0..<t).map { slopes[h] * Float($0) } }, shape: [1, nh, 1, t])
        let scores = Tensor.matmul(q, k.transposed()).scaled(by: 1 / Float(hs).squareRoot()) + bias
        var probs = scores.softmax(causal: true)
        if let mask { probs = probs * mask }
        // (B, nh, T, hs) -> (B, T, nh, hs) -> (B, T, C)
        return Tensor.matmul(probs, v).permuted([0, 2, 1, 3]).reshaped([b, t, nh * hs])
    }

    /// T = 150 spans three causal query blocks (64 + 64 + 22), with and without dropout.
    @Test(arguments: [Float(0), 0.2])
    func matchesCompositeOfPrimitives(dropout: Float) {
        let (b, t, nh, hs) = (2, 150, 4, 8)
        let slopes: [Float] = [0.5, 0.25, 0.125, 0.0625]
        let x1 = TestData.tensor([b, t, 3 * nh * hs], seed: 31, requiresGrad: true)
        let x2 = Tensor(x1.toArray(), shape: x1.shape, requiresGrad: true)
        let fused = Tensor.causalSelfAttention(qkv: x1, heads: nh, slopes: slopes, dropout: dropout, seed: 4)
        let mask = dropout > 0 ? Tensor.dropoutMask(shape: [b, nh, t, t], p: dropout, seed: 4) : nil
        let composite = Self.composite(x2, b: b, t: t, nh: nh, hs: hs, slopes: slopes, mask: mask)
        #expect(TestData.maxAbsDiff(fused.toArray(), composite.toArray()) < 1e-5)
        let seed = TestData.tensor([b, t, nh * hs], seed: 32)
        fused.backward(seed); composite.backward(seed)
        #expect(TestData.maxAbsDiff(x1.grad!.toArray(), x2.grad!.toArray()) < 1e-5)
    }

    @Test func attentionDropoutGradients() {
        let (b, t, nh, hs) = (1, 4, 2, 2)
        let x = TestData.tensor([b, t, 3 * nh * hs], seed: 33, requiresGrad: true)
        // Gradient of the dropped version checked by finite differences in Float32 (mask fixed by seed).
        let y = Tensor.causalSelfAttention(qkv: x, heads: nh, slopes: [], dropout: 0.3, seed: 5)
        let r = TestData.tensor(y.shape, seed: 34)
        (y * r).sum().backward()
        let analytic = x.grad!.toArray()
        var values = x.toArray()
        for j in [0, 5, 13, 20] {
            func f(_ v: [Float]) -> Float {
                GradMode.withoutGrad {
                    (Tensor.causalSelfAttention(qkv: Tensor(v, shape: x.shape), heads: nh, slopes: [], dropout: 0.3, seed: 5) * r).sum().item()
                }
            }
            let h: Float = 1e-2
            values[j] += h; let up = f(values); values[j] -= 2 * h; let down = f(values); values[j] += h
            #expect(abs((up - down) / (2 * h) - analytic[j]) < 2e-3)
        }
    }
}
