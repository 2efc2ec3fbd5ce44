import Foundation

/// Maps data values on one axis to pixel positions, linearly or logarithmically, with nice ticks.
struct ChartScale {
    let ticks: NiceTicks
    /// Pixel position of `ticks.lower`.
    let start: Double
    /// Pixel position of `ticks.upper` (smaller than `start` for a y axis, which grows upwards).
    let end: Double

    /// A scale for `values` (non-finite ones ignored, and non-positive ones on a log scale).
    init(values: [Double], logarithmic: Bool, start: Double, end: Double, targetTicks: Int = 6) {
        let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        let low = usable.min() ?? (logarithmic ? 1 : 0)
        let high = usable.max() ?? (logarithmic ? 10 : 1)
        ticks = logarithmic ? .logarithmic(min: low, max: high) : .linear(min: low, max: high, target: targetTicks)
        self.start = start
        self.end = end
    }

    /// Whether `value` can be placed on this scale.
    func accepts(_ value: Double) -> Bool { value.isFinite && (!ticks.logarithmic || value > 0) }

    /// The pixel position of `value` (which `accepts` must allow).
    func position(_ value: Double) -> Double {
        let fraction: Double
        if ticks.logarithmic {
            fraction = (log10(value) - log10(ticks.lower)) / (log10(ticks.upper) - log10(ticks.lower))
        } else {
            fraction = (value - ticks.lower) / (ticks.upper - ticks.lower)
        }
        return start + fraction * (end - start)
    }
}
