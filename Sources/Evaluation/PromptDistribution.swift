/// A task's scores over its prompts, summarised as the paper's figures show them: median, extremes
/// and inter-quartile range. Quantiles are numpy's default (`np.percentile`, linear interpolation
/// between the closest ranks: position q·(n−1) in the sorted values).
public struct PromptDistribution: Sendable, Equatable {
    public var count: Int
    public var minimum: Double
    public var lowerQuartile: Double
    public var median: Double
    public var upperQuartile: Double
    public var maximum: Double
    public var interQuartileRange: Double { upperQuartile - lowerQuartile }

    /// nil for no scores; NaN scores are refused by the caller's metrics, not summarised here.
    public init?(_ scores: [Double]) {
        guard !scores.isEmpty else { return nil }
        let sorted = scores.sorted()
        count = sorted.count
        minimum = sorted.first!
        maximum = sorted.last!
        lowerQuartile = Self.quantile(sorted, 0.25)
        median = Self.quantile(sorted, 0.5)
        upperQuartile = Self.quantile(sorted, 0.75)
    }

    /// numpy's linear quantile of ascending `sorted` values; q in [0, 1].
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        // numpy's _lerp: a + (b − a)·t, computed from the upper end when t ≥ 0.5.
        let a = sorted[below], b = sorted[above], diff = b - a
        return fraction >= 0.5 ? b - diff * (1 - fraction) : a + diff * fraction
    }
}
