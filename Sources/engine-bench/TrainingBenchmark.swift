import Foundation
import TensorEngine
import Training

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

extension BenchOptions {
    var configuration: StepBenchmark.Configuration {
        var c = StepBenchmark.Configuration()
        c.vocab = vocab; c.hidden = hidden; c.layers = layers; c.heads = heads
        c.batch = batch; c.length = length; c.bfloat16 = bf16
        return c
    }
}

/// The training-step benchmark (`Training.StepBenchmarkReport`, also `trellis bench train`), here with
/// the GEMM offload and the lock-step mode.
func runTrainingBenchmark(_ o: BenchOptions) throws {
    if o.cublas { BLAS.offload = try CUBLASXt.load() }
    defer { if o.cublas { BLAS.offload = nil } }
    if o.lockstep {
        try serveLockstep(options: o, benchmark: StepBenchmark(o.configuration))
        return
    }
    let report = StepBenchmarkReport.run(o.configuration, steps: o.steps, warmup: o.warmup, measurePeak: o.measurePeak)
    if o.json {
        print(String(decoding: try JSONSerialization.data(withJSONObject: report.json, options: [.sortedKeys]), as: UTF8.self))
    } else {
        print(report.text)
    }
}
