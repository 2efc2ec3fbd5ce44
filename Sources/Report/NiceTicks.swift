import Foundation

/// Round axis bounds and tick values: steps of 1, 2 or 5 times a power of ten on a linear axis,
/// 1-2-5 mantissas (or whole decades) on a logarithmic one. The bounds enclose the data, and every
/// tick value is exact to its label's precision (0.3, never 0.30000000000000004).
public struct NiceTicks: Sendable, Equatable {
    /// The axis starts here (a tick, at or below the data).
    public let lower: Double
    /// The axis ends here (a tick, at or above the data).
    public let upper: Double
    /// Tick positions from `lower` to `upper`, ascending.
    public let values: [Double]
    /// Whether the axis is logarithmic.
    public let logarithmic: Bool
    /// Digits after the point that the labels need (linear axes).
    let decimals: Int
    /// Labels use exponent notation (very large or very small values).
    let scientific: Bool

    /// Ticks for data spanning `min…max`, about `target` of them (fewer or a few more, to stay round).
    /// Non-finite bounds give 0…1; a zero-width range is widened around its value.
    public static func linear(min: Double, max: Double, target: Int = 6) -> NiceTicks {
        var (low, high) = (min.isFinite ? min : 0, max.isFinite ? max : 1)
        if low > high { swap(&low, &high) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let rawStep = (high - low) / Double(Swift.max(target - 1, 1))
        let magnitude = pow(10, (log10(rawStep)).rounded(.down))
        let residual = rawStep / magnitude
        let mantissa: Double = residual <= 1 + 1e-9 ? 1 : residual <= 2 + 1e-9 ? 2 : residual <= 5 + 1e-9 ? 5 : 10
        let step = mantissa * magnitude
        let decimals = Swift.max(0, Int(-(log10(step) + 1e-9).rounded(.down)))
        let firstIndex = Int((low / step + 1e-9).rounded(.down))
        let lastIndex = Int((high / step - 1e-9).rounded(.up))
        let values = (firstIndex...lastIndex).map { clean(Double($0) * step, decimals: decimals) }
        let largest = Swift.max(abs(values.first!), abs(values.last!))
        return NiceTicks(lower: values.first!, upper: values.last!, values: values, logarithmic: false,
                         decimals: decimals, scientific: largest >= 1e6 || decimals > 4)
    }

    /// Ticks for positive data spanning `min…max` on a log axis. Non-positive or non-finite bounds
    /// fall back to 1…10. One decade gets 1, 2, 3, 5 and 7 ticks, up to three get 1, 2 and 5; wider ranges get whole decades,
    /// thinned to about eight.
    public static func logarithmic(min: Double, max: Double) -> NiceTicks {
        var (low, high) = (min, max)
        if !(low > 0 && low.isFinite) { low = high > 0 && high.isFinite ? high : 1 }
        if !(high > 0 && high.isFinite) { high = low }
        if low > high { swap(&low, &high) }
        let lowExponent = Int((log10(low) + 1e-9).rounded(.down))
        var highExponent = Int((log10(high) - 1e-9).rounded(.up))
        if highExponent <= lowExponent { highExponent = lowExponent + 1 }
        let decades = highExponent - lowExponent
        let stride = decades > 8 ? (decades + 7) / 8 : 1
        highExponent = lowExponent + ((decades + stride - 1) / stride) * stride
        let mantissas: [Double] = decades == 1 ? [1, 2, 3, 5, 7] : decades <= 3 ? [1, 2, 5] : [1]
        var candidates: [Double] = []
        for exponent in Swift.stride(from: lowExponent, through: highExponent, by: stride) {
            for m in mantissas where exponent < highExponent || m == 1 {
                candidates.append(clean(m * pow(10, Double(exponent)), decimals: Swift.max(0, -exponent)))
            }
        }
        let lower = candidates.last(where: { $0 <= low * (1 + 1e-9) }) ?? candidates.first!
        let upper = candidates.first(where: { $0 >= high * (1 - 1e-9) }) ?? candidates.last!
        let values = candidates.filter { $0 >= lower && $0 <= upper }
        return NiceTicks(lower: lower, upper: upper, values: values, logarithmic: true,
                         decimals: 0, scientific: lower < 1e-3 || upper >= 1e6)
    }

    /// The text for the tick at `value`: `0.2`, `12`, `1e-4`.
    public func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        if scientific {
            let exponent = Int((log10(abs(value)) + 1e-9).rounded(.down))
            let mantissa = value / pow(10, Double(exponent))
            let mantissaText = NumberText.fixed(mantissa, decimals: abs(mantissa.rounded() - mantissa) < 1e-9 ? 0 : 1)
            return mantissaText + "e\(exponent)"
        }
        if logarithmic {
            return NumberText.fixed(value, decimals: Swift.max(0, Int(-(log10(value) + 1e-9).rounded(.down))))
        }
        return NumberText.fixed(value, decimals: decimals)
    }

    /// `value` rounded to `decimals` places, so accumulated binary error never reaches a label.
    private static func clean(_ value: Double, decimals: Int) -> Double {
        Double(NumberText.fixed(value, decimals: Swift.min(decimals, 12))) ?? value
    }
}
