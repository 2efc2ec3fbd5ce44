import Foundation

/// What to estimate time, energy and CO2 for: a token budget, an assumed throughput, and the
/// power and grid assumptions.
///
/// ```swift
/// // BLOOM-176B: 366B tokens at 156 TFLOP/s per A100 (bloom.md §B.1, §B.2)
/// let budget = ComputeBudget(tokens: 366e9, throughput: .achieved(flopsPerGPU: 156e12))
/// ```
public struct ComputeBudget: Codable, Sendable, Equatable {
    /// Training tokens to plan for.
    public var tokens: Double
    /// Achieved throughput per GPU.
    public var throughput: Throughput
    /// Average electrical power per GPU including its share of node overhead (CPUs, network,
    /// cooling), in watts.
    ///
    /// Assumption: the default 400 W is back-computed from bloom.md §B.2, 433 MWh over
    /// 1,082,990 GPU-hours = 399.8 W per GPU all-in. It is not a measured per-GPU figure.
    public var wattsPerGPU: Double
    /// Grid carbon intensity in grams CO2 per kWh.
    ///
    /// Assumption: the default 57 g/kWh stands for the French grid. It is not in bloom.md.
    /// It is chosen so that BLOOM's 433 MWh gives ~24.7 t, in line with the ~25 t reported.
    public var gridGramsCO2PerKWh: Double

    public init(tokens: Double, throughput: Throughput, wattsPerGPU: Double = 400,
                gridGramsCO2PerKWh: Double = 57) {
        self.tokens = tokens
        self.throughput = throughput
        self.wattsPerGPU = wattsPerGPU
        self.gridGramsCO2PerKWh = gridGramsCO2PerKWh
    }
}

/// Assumed per-GPU throughput, counted the way Megatron logs it: hardware FLOPs (c = 4) with
/// activation recomputation, model FLOPs (c = 3) without (bloom.md §B.3).
public enum Throughput: Codable, Sendable, Equatable {
    /// An achieved rate in FLOP/s per GPU (BLOOM-176B: 156e12).
    case achieved(flopsPerGPU: Double)
    /// A fraction of the GPU's peak (BLOOM-176B: ~0.5 of an A100's bf16 peak).
    case utilization(fraction: Double)

    /// FLOP/s per GPU given the GPU's peak.
    public func flopsPerGPU(peak: Double) -> Double {
        switch self {
        case .achieved(let flops): return flops
        case .utilization(let fraction): return fraction * peak
        }
    }
}
