import Foundation

/// Naive Float64 kernels: the living definition the optimised ops are checked against.
public enum Reference {
    /// (m, k)·(k, n) row-major.
    public static func matmul(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { var s = 0.0; for p in 0..<k { s += a[i * k + p] * b[p * n + j] }; out[i * n + j] = s } }
        return out
    }

    /// Row-wise softmax; with `causalQueries` > 0, row i of each block sees keys ≤ i + cols − q.
    public static func softmax(_ x: [Double], cols: Int, causalQueries: Int = 0) -> [Double] {
        var out = x
        for row in 0..<(x.count / cols) {
            let visible = causalQueries > 0 ? cols - causalQueries + row % causalQueries + 1 : cols
            let r = Array(x[(row * cols)..<(row * cols + visible)])
            let m = r.max()!
            let e = r.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            for j in 0..<cols { out[row * cols + j] = j < visible ? e[j] / s : 0 }
        }
        return out
    }

    /// LayerNorm over rows of `cols` (biased variance).
    public static func layerNorm(_ x: [Double], _ w: [Double], _ b: [Double], cols: Int, eps: Double) -> [Double] {
        var out = x
        for row in 0..<(x.count / cols) {
            let r = x[(row * cols)..<(row * cols + cols)]
            let m = r.reduce(0, +) / Double(cols)
            let v = r.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(cols)
            for j in 0..<cols { out[row * cols + j] = (x[row * cols + j] - m) / (v + eps).squareRoot() * w[j] + b[j] }
        }
        return out
    }

    /// tanh-approximate GeLU.
    public static func gelu(_ x: Double) -> Double {
        0.5 * x * (1 + Foundation.tanh(0.7978845608028654 * x * (1 + 0.044715 * x * x)))
    }
}
