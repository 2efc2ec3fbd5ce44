import Foundation
import TensorEngine

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
func serveLockstep(options o: BenchOptions, tokensPerStep: Int, flopsPerStep: Double,
                   step: (Int) -> (phases: [Double], loss: Float)) throws {
    func reply(_ object: [String: Any]) throws {
        let line = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
    var next = 0
    for _ in 0..<o.warmup { _ = step(next); next += 1 }
    MemoryStatistics.resetPeak()
    try reply(["ready": true, "impl": "trellis-engine", "precision": o.bf16 ? "bf16-mixed" : "fp32",
               "tokens_per_step": tokensPerStep, "gflop_per_step": flopsPerStep / 1e9,
               "openblas_core": BLAS.coreName, "workers": Parallel.workerCount])
    while let command = readLine() {
        switch command {
        case "step":
            let (phases, loss) = step(next)
            next += 1
            try reply(["step_s": phases.reduce(0, +), "forward_s": phases[0], "backward_s": phases[1],
                       "optimizer_s": phases[2], "loss": Double(loss)])
        case "peak":
            try reply(["sgemm_peak_gflops": SgemmPeak.measure()])
        case "stats":
            try reply(["peak_rss_mib": Double(peakRSS()) / 1_048_576,
                       "peak_tensor_mib": Double(MemoryStatistics.peakBytes) / 1_048_576])
        default:
            try reply(["error": "unknown command \(command)"])
        }
    }
}
