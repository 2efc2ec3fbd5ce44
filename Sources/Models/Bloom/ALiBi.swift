import Foundation

/// ALiBi head slopes exactly as HF `_get_alibi_slopes` / Megatron `_build_alibi_tensor`.
///
/// With P = 2^⌊log2 n⌋: slopes 2^(−8k/P) for k = 1…P; if P < n, append the odd powers
/// 2^(−4(2j−1)/P) for j = 1…min(P, n − P) (every other slope of the 2P-head sequence).
/// Examples: n = 8 → 1/2, 1/4, …, 1/256; n = 6 → 1/4, 1/16, 1/64, 1/256, 1/2, 1/8.
public enum ALiBi {
    public static func slopes(heads n: Int) -> [Float] {
        precondition(n > 0, "ALiBi: head count must be positive")
        var p = 1
        while p * 2 <= n { p *= 2 }
        // Same arithmetic as HF: the base is rounded to Float32, then raised to integer
        // powers in Float32, so the slopes agree bit for bit (not just to an ulp).
        let base = Float(Foundation.pow(2.0, -Foundation.pow(2.0, -(Foundation.log2(Double(p)) - 3))))
        var out = (1...p).map { Foundation.powf(base, Float($0)) }
        if p < n {
            let extraBase = Float(Foundation.pow(2.0, -Foundation.pow(2.0, -(Foundation.log2(Double(2 * p)) - 3))))
            out += (1...min(p, n - p)).map { j in Foundation.powf(extraBase, Float(2 * j - 1)) }
        }
        return out
    }
}
