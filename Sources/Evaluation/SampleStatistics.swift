import Foundation

/// Aggregations of per-example scores as lm-evaluation-harness computes them (`lm_eval/api/metrics.py`).
public enum SampleStatistics {
    /// Harness `mean`: `sum(arr) / len(arr)`, summed left to right.
    public static func mean(_ values: [Double]) throws(SampleStatisticsError) -> Double {
        guard !values.isEmpty else { throw .notEnoughSamples(needed: 1, found: 0) }
        var sum = 0.0
        for value in values { sum += value }
        return sum / Double(values.count)
    }

    /// Harness `sample_stddev`: sqrt(Σ(x − mean)² / (n − 1)).
    public static func sampleStandardDeviation(_ values: [Double]) throws(SampleStatisticsError) -> Double {
        guard values.count >= 2 else { throw .notEnoughSamples(needed: 2, found: values.count) }
        let mu = try mean(values)
        var squares = 0.0
        for value in values { squares += (value - mu) * (value - mu) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// Harness `mean_stderr`: `sample_stddev(arr) / sqrt(len(arr))`, the standard error it reports as
    /// `<metric>_stderr` for mean-aggregated metrics such as `acc` and `acc_norm`.
    public static func meanStandardError(_ values: [Double]) throws(SampleStatisticsError) -> Double {
        try sampleStandardDeviation(values) / Double(values.count).squareRoot()
    }
}

/// Why an aggregate could not be computed.
public enum SampleStatisticsError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The statistic needs at least `needed` values (the harness would divide by zero).
    case notEnoughSamples(needed: Int, found: Int)

    public var description: String {
        switch self {
        case .notEnoughSamples(let needed, let found):
            return "need at least \(needed) samples, got \(found)"
        }
    }
}
