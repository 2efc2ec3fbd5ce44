import Foundation
import TensorEngine
import Training

/// Lock-step protocol for side-by-side benchmarks (`scripts/bench/lockstep.py`).
///
/// Timing two programs one after the other on a shared machine compares two different moments of
/// the host's load. In lock step a driver holds every contestant in memory, idle, and asks each
/// in turn for one step, so the steps it compares are seconds apart. Protocol (one JSON object
/// per line on standard output, one command per line on standard input):
///
///     -> {"ready": true, "impl": …, "precision": …, "tokens_per_step": …, "gflop_per_step": …}
///     <- step        -> {"step_s": …, "forward_s": …, "backward_s": …, "optimizer_s": …, "loss": …}
///     <- peak        -> {"sgemm_peak_gflops": …}
///     <- stats       -> {"peak_rss_mib": …, "peak_tensor_mib": …}
///     (end of input: exit)
///
/// The warm-up steps run before "ready".
func serveLockstep(options o: BenchOptions, benchmark: StepBenchmark) throws {
    func reply(_ object: [String: Any]) throws {
        let line = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
    let c = benchmark.configuration
    for _ in 0..<o.warmup { _ = benchmark.step() }
    MemoryStatistics.resetPeak()
    try reply(["ready": true, "impl": "trellis-engine", "precision": c.precisionName,
               "tokens_per_step": c.tokensPerStep, "gflop_per_step": c.flopsPerStep / 1e9,
               "openblas_core": BLAS.coreName, "workers": Parallel.workerCount])
    while let command = readLine() {
        switch command {
        case "step":
            let step = benchmark.step()
            try reply(["step_s": step.seconds, "forward_s": step.forward, "backward_s": step.backward,
                       "optimizer_s": step.optimizer, "loss": Double(step.loss)])
        case "peak":
            try reply(["sgemm_peak_gflops": SgemmPeak.measure()])
        case "stats":
            try reply(["peak_rss_mib": Double(StepBenchmark.peakResidentBytes()) / 1_048_576,
                       "peak_tensor_mib": Double(MemoryStatistics.peakBytes) / 1_048_576])
        default:
            try reply(["error": "unknown command \(command)"])
        }
    }
}
