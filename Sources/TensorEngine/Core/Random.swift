import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator for initialisation and sampling.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return CounterRandom.mix(state)
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Standard normal by Box–Muller (Double precision, rounded to Float).
    public mutating func nextNormal() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1p-53, .leastNonzeroMagnitude)
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }
}

/// Stateless random numbers addressed by (seed, index): the same element always gets the same
/// value, whatever the thread split.
public enum CounterRandom {
    /// SplitMix64's finaliser (a bijective 64-bit mix).
    @inline(__always)
    public static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) for element `index` of stream `seed`.
    @inline(__always)
    public static func uniform(seed: UInt64, index: UInt64) -> Float {
        let z = mix(seed &* 0x9E37_79B9_7F4A_7C15 ^ mix(index &+ 0x632B_E59B_D9B4_E019))
        return Float(z >> 40) * 0x1p-24
    }
}

extension Tensor {
    /// Samples N(mean, std²) with `generator` (row-major order).
    public static func normal(shape: [Int], mean: Float = 0, std: Float,
                              generator: inout SplitMix64, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(shape: shape, zeroed: false)
        let p = t.pointer
        for i in 0..<t.count { p[i] = mean + std * generator.nextNormal() }
        t.requiresGrad = requiresGrad
        return t
    }

    /// A tensor filled with `value`.
    public static func full(_ value: Float, shape: [Int], requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(shape: shape, zeroed: false)
        t.pointer.update(repeating: value, count: t.count)
        t.requiresGrad = requiresGrad
        return t
    }

    /// Zeros.
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(shape: shape, zeroed: true)
        t.requiresGrad = requiresGrad
        return t
    }
}
