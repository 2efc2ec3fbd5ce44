import Foundation

/// A BLEU result with the fields of sacrebleu's `BLEUScore` (`sacrebleu/metrics/bleu.py`):
/// `score` in 0…100, per-order `counts` (clipped matches) and `totals`, `precisions` in percent,
/// brevity penalty `bp`, `sys_len`, `ref_len`, plus the reproducibility `signature`.
public struct BLEUScore: Codable, Equatable, Sendable {
    public var score: Double
    public var counts: [Int]
    public var totals: [Int]
    public var precisions: [Double]
    public var bp: Double
    public var sysLen: Int
    public var refLen: Int
    /// e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.
    public var signature: String

    /// `sys_len / ref_len`, 0 when `ref_len` is 0 (as sacrebleu prints it).
    public var ratio: Double { refLen == 0 ? 0 : Double(sysLen) / Double(refLen) }

    enum CodingKeys: String, CodingKey {
        case score, counts, totals, precisions, bp, signature
        case sysLen = "sys_len"
        case refLen = "ref_len"
    }

    public init(score: Double, counts: [Int], totals: [Int], precisions: [Double], bp: Double,
                sysLen: Int, refLen: Int, signature: String) {
        self.score = score
        self.counts = counts
        self.totals = totals
        self.precisions = precisions
        self.bp = bp
        self.sysLen = sysLen
        self.refLen = refLen
        self.signature = signature
    }

    /// The score from summed statistics with sacrebleu's default `exp` smoothing (`BLEU.compute_bleu`):
    ///
    /// - bp = exp(1 − ref_len/sys_len) when sys_len < ref_len (0 when sys_len is 0), else 1;
    /// - no match at any order → score 0 and all precisions 0;
    /// - walking orders 1…N: an order with no hypothesis n-grams stops the walk (its precision and all
    ///   later ones stay 0); with `effectiveOrder` the geometric mean only covers the orders reached;
    ///   an order with zero matches gets precision 100 / (2^k · total), k counting such orders so far;
    ///   otherwise precision = 100 · correct / total;
    /// - score = bp · exp(Σ log pₙ / order), with log 0 floored to −9 999 999 999 (`utils.my_log`).
    ///
    /// The floating-point operations follow the reference's order so results agree to the last bits.
    public static func exponentialSmoothing(_ stats: BLEUStatistics, effectiveOrder: Bool, signature: String) -> BLEUScore {
        let maxOrder = stats.correct.count
        let sysLen = stats.hypothesisLength
        let refLen = stats.referenceLength
        var bp = 1.0
        if sysLen < refLen {
            bp = sysLen > 0 ? exp(1 - Double(refLen) / Double(sysLen)) : 0.0
        }
        var precisions = Array(repeating: 0.0, count: maxOrder)
        func result(_ score: Double) -> BLEUScore {
            BLEUScore(score: score, counts: stats.correct, totals: stats.total, precisions: precisions, bp: bp,
                      sysLen: sysLen, refLen: refLen, signature: signature)
        }
        if stats.correct.allSatisfy({ $0 == 0 }) { return result(0.0) }

        var smoothing = 1.0
        var order = maxOrder
        for n in 1...maxOrder {
            let correct = stats.correct[n - 1]
            let total = stats.total[n - 1]
            if total == 0 { break }
            if effectiveOrder { order = n }
            if correct == 0 {
                smoothing *= 2
                precisions[n - 1] = 100.0 / (smoothing * Double(total))
            } else {
                precisions[n - 1] = 100.0 * Double(correct) / Double(total)
            }
        }
        var logSum = 0.0
        for precision in precisions[0..<order] { logSum += flooredLog(precision) }
        return result(bp * exp(logSum / Double(order)))
    }

    /// sacrebleu `utils.my_log`: natural log with log(0) replaced by −9 999 999 999.
    static func flooredLog(_ value: Double) -> Double {
        value == 0 ? -9_999_999_999 : log(value)
    }
}
