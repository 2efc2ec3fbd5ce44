import Foundation
import Layers
import Models
import Optimization
import TensorEngine

/// Matmul FLOPs of one training step (forward + backward = 3 × forward), counting the full
/// T×T attention products that the kernels actually compute.
func stepFlops(_ o: BenchOptions) -> Double {
    let c = Double(o.hidden), t = Double(o.length), v = Double(o.vocab)
    let perTokenForward = Double(o.layers) * (24 * c * c + 4 * t * c) + 2 * c * v
    return 3 * perTokenForward * Double(o.batch * o.length)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Resident-set high-water mark of this process in bytes.
func peakRSS() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

func runTrainingBenchmark(_ o: BenchOptions) throws {
    let env = ProcessInfo.processInfo.environment
    let peakBefore = o.measurePeak && !o.lockstep ? SgemmPeak.measure() : 0   // lock step: the driver asks for it
    if o.cublas { BLAS.offload = try CUBLASXt.load() }
    defer { if o.cublas { BLAS.offload = nil } }
    let config = BloomConfiguration(vocabSize: o.vocab, hiddenSize: o.hidden, layerCount: o.layers, headCount: o.heads)
    let model = BloomModel(config: config, initialization: .bloom(), seed: 42)
    let optimizer = AdamW(parameters: model.namedParameters())
    let schedule = WarmupCosineSchedule(maxLR: 3e-4, minLR: 1e-5, warmupSteps: 2, decaySteps: 1000)
    var rng = SplitMix64(seed: 1)
    let tokens = o.batch * o.length
    let batches: [[Int32]] = (0..<4).map { _ in (0..<tokens).map { _ in Int32(rng.next() % UInt64(o.vocab)) } }
    let options = ForwardOptions(training: false, precision: o.bf16 ? .bfloat16Mixed : .float32)

    /// One training step; returns (forward, backward, clip + AdamW) seconds and the loss.
    func trainingStep(_ step: Int) -> (phases: [Double], loss: Float) {
        let start = now()
        model.zeroGradients()
        let (_, loss) = model.loss(ids: batches[step % batches.count], batch: o.batch, length: o.length, options: options)
        let forwardEnd = now()
        loss.backward()
        let backwardEnd = now()
        GradientClipping.clipGlobalNorm(model.namedParameters().map(\.tensor), maxNorm: 1)
        optimizer.step(learningRate: schedule.learningRate(at: step))
        let end = now()
        return ([forwardEnd - start, backwardEnd - forwardEnd, end - backwardEnd], loss.item())
    }
    if o.lockstep {
        try serveLockstep(options: o, tokensPerStep: tokens, flopsPerStep: stepFlops(o), step: trainingStep)
        return
    }

    var times: [Double] = [], losses: [Float] = []
    var phases: [[Double]] = [[], [], []]   // forward, backward, clip + AdamW
    MemoryStatistics.resetPeak()
    for step in 0..<(o.warmup + o.steps) {
        let (stepPhases, loss) = trainingStep(step)
        losses.append(loss)
        if step >= o.warmup {
            times.append(stepPhases.reduce(0, +))
            for i in 0..<3 { phases[i].append(stepPhases[i]) }
        }
    }
    // The machine is shared: take the better of a peak measured before and after the steps.
    let peak = o.measurePeak ? max(peakBefore, SgemmPeak.measure()) : 0   // 0: not measured
    let stepTime = median(times)
    let flops = stepFlops(o)
    let achieved = flops / stepTime / 1e9
    let result: [String: Any] = [
        "impl": "trellis-engine", "precision": o.bf16 ? "bf16-mixed" : "fp32", "gemm_offload": BLAS.offload?.name ?? "none",
        "vocab": o.vocab, "hidden": o.hidden, "layers": o.layers, "heads": o.heads, "batch": o.batch, "length": o.length,
        "steps": o.steps, "median_step_s": stepTime, "step_s": times, "median_forward_s": median(phases[0]),
        "median_backward_s": median(phases[1]), "median_optimizer_s": median(phases[2]), "min_step_s": times.min()!, "max_step_s": times.max()!,
        "tokens_per_s": Double(tokens) / stepTime, "gflop_per_step": flops / 1e9, "achieved_gflops": achieved,
        "sgemm_peak_gflops": peak, "fraction_of_peak": peak > 0 ? achieved / peak : 0,
        "peak_tensor_mib": Double(MemoryStatistics.peakBytes) / 1_048_576, "peak_rss_mib": Double(peakRSS()) / 1_048_576,
        "first_loss": Double(losses.first!), "last_loss": Double(losses.last!),
        "parameters": model.parameterCount, "openblas_core": BLAS.coreName, "workers": Parallel.workerCount,
        "OPENBLAS_CORETYPE": env["OPENBLAS_CORETYPE"] ?? "(unset)", "OPENBLAS_L2_SIZE": env["OPENBLAS_L2_SIZE"] ?? "(unset)",
    ]
    if o.json {
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
        return
    }
    print("""
    trellis-engine BLOOM step: vocab \(o.vocab), hidden \(o.hidden), \(o.layers) layers, \(o.heads) heads, \
    batch \(o.batch) × \(o.length) (\(model.parameterCount) parameters, \(o.bf16 ? "bf16-mixed" : "fp32"))
      median step     \(String(format: "%.3f", stepTime)) s  (min \(String(format: "%.3f", times.min()!)), max \(String(format: "%.3f", times.max()!)), \(o.steps) steps)
      phases          forward \(String(format: "%.3f", median(phases[0]))) s, backward \(String(format: "%.3f", median(phases[1]))) s, clip + AdamW \(String(format: "%.3f", median(phases[2]))) s
      tokens/s        \(String(format: "%.0f", Double(tokens) / stepTime))
      achieved        \(String(format: "%.1f", achieved)) GFLOP/s of \(String(format: "%.1f", flops / 1e9)) GFLOP/step
      sgemm peak      \(String(format: "%.1f", peak)) GFLOP/s  -> \(String(format: "%.1f", 100 * achieved / peak))% of peak
      peak memory     tensors \(String(format: "%.0f", Double(MemoryStatistics.peakBytes) / 1_048_576)) MiB, RSS \(String(format: "%.0f", Double(peakRSS()) / 1_048_576)) MiB
      loss            \(losses.first!) -> \(losses.last!)
      OpenBLAS kernel \(BLAS.coreName); OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "(unset)") OPENBLAS_L2_SIZE=\(env["OPENBLAS_L2_SIZE"] ?? "(unset)")
    """)
}
