import Foundation
import TensorEngine

/// A timed series of `StepBenchmark` steps: medians, throughput, the fraction of the measured
/// sgemm peak and peak memory, as text or as one JSON object.
public struct StepBenchmarkReport {
    public let configuration: StepBenchmark.Configuration
    public let parameters: Int
    /// The timed steps (warm-up steps excluded).
    public let steps: [StepBenchmark.Step]
    public let firstLoss: Float
    public let lastLoss: Float
    /// GFLOP/s; 0 when not measured.
    public let sgemmPeak: Double
    public let peakTensorBytes: Int
    public let peakResidentBytes: Int

    /// Runs `warmup` untimed and `steps` timed steps. With `measurePeak`, the sgemm peak is measured
    /// before and after them and the better figure kept (the machine may be shared).
    public static func run(_ configuration: StepBenchmark.Configuration, steps: Int, warmup: Int,
                           measurePeak: Bool) -> StepBenchmarkReport {
        precondition(steps > 0 && warmup >= 0, "StepBenchmarkReport: steps \(steps), warmup \(warmup)")
        let peakBefore = measurePeak ? SgemmPeak.measure() : 0
        let bench = StepBenchmark(configuration)
        MemoryStatistics.resetPeak()
        var timed: [StepBenchmark.Step] = [], losses: [Float] = []
        for i in 0..<(warmup + steps) {
            let step = bench.step()
            losses.append(step.loss)
            if i >= warmup { timed.append(step) }
        }
        let peak = measurePeak ? max(peakBefore, SgemmPeak.measure()) : 0
        return StepBenchmarkReport(configuration: configuration, parameters: bench.model.parameterCount, steps: timed,
                                   firstLoss: losses.first!, lastLoss: losses.last!, sgemmPeak: peak,
                                   peakTensorBytes: MemoryStatistics.peakBytes,
                                   peakResidentBytes: StepBenchmark.peakResidentBytes())
    }

    public var medianStep: Double { Self.median(steps.map(\.seconds)) }
    public var tokensPerSecond: Double { Double(configuration.tokensPerStep) / medianStep }
    public var achievedGFLOPs: Double { configuration.flopsPerStep / medianStep / 1e9 }
    /// Achieved over the sgemm peak; 0 when the peak was not measured.
    public var fractionOfPeak: Double { sgemmPeak > 0 ? achievedGFLOPs / sgemmPeak : 0 }

    public var json: [String: Any] {
        let c = configuration, times = steps.map(\.seconds), env = ProcessInfo.processInfo.environment
        return [
            "impl": "trellis-engine", "precision": c.precisionName, "gemm_offload": BLAS.offload?.name ?? "none",
            "vocab": c.vocab, "hidden": c.hidden, "layers": c.layers, "heads": c.heads, "batch": c.batch, "length": c.length,
            "steps": steps.count, "median_step_s": medianStep, "step_s": times,
            "median_forward_s": Self.median(steps.map(\.forward)), "median_backward_s": Self.median(steps.map(\.backward)),
            "median_optimizer_s": Self.median(steps.map(\.optimizer)), "min_step_s": times.min()!, "max_step_s": times.max()!,
            "tokens_per_s": tokensPerSecond, "gflop_per_step": c.flopsPerStep / 1e9, "achieved_gflops": achievedGFLOPs,
            "sgemm_peak_gflops": sgemmPeak, "fraction_of_peak": fractionOfPeak,
            "peak_tensor_mib": Double(peakTensorBytes) / 1_048_576, "peak_rss_mib": Double(peakResidentBytes) / 1_048_576,
            "first_loss": Double(firstLoss), "last_loss": Double(lastLoss),
            "parameters": parameters, "openblas_core": BLAS.coreName, "workers": Parallel.workerCount,
            "OPENBLAS_CORETYPE": env["OPENBLAS_CORETYPE"] ?? "(unset)", "OPENBLAS_L2_SIZE": env["OPENBLAS_L2_SIZE"] ?? "(unset)",
        ]
    }

    public var text: String {
        let c = configuration, times = steps.map(\.seconds), env = ProcessInfo.processInfo.environment
        func f(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
        let peakLine = sgemmPeak > 0
            ? "\(f(sgemmPeak, 1)) GFLOP/s  -> \(f(100 * fractionOfPeak, 1))% of peak"
            : "not measured"
        return """
        trellis-engine BLOOM step: vocab \(c.vocab), hidden \(c.hidden), \(c.layers) layers, \(c.heads) heads, \
        batch \(c.batch) × \(c.length) (\(parameters) parameters, \(c.precisionName))
          median step     \(f(medianStep, 3)) s  (min \(f(times.min()!, 3)), max \(f(times.max()!, 3)), \(steps.count) steps)
          phases          forward \(f(Self.median(steps.map(\.forward)), 3)) s, backward \(f(Self.median(steps.map(\.backward)), 3)) s, \
        clip + AdamW \(f(Self.median(steps.map(\.optimizer)), 3)) s
          tokens/s        \(f(tokensPerSecond, 0))
          achieved        \(f(achievedGFLOPs, 1)) GFLOP/s of \(f(c.flopsPerStep / 1e9, 1)) GFLOP/step
          sgemm peak      \(peakLine)
          peak memory     tensors \(f(Double(peakTensorBytes) / 1_048_576, 0)) MiB, RSS \(f(Double(peakResidentBytes) / 1_048_576, 0)) MiB
          loss            \(firstLoss) -> \(lastLoss)
          OpenBLAS kernel \(BLAS.coreName); OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "(unset)") \
        OPENBLAS_L2_SIZE=\(env["OPENBLAS_L2_SIZE"] ?? "(unset)")
        """
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
