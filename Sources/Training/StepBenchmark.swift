import Foundation
import Models
import Optimization
import TensorEngine

/// The training-step benchmark behind `trellis bench train` and `engine-bench`: forward, backward,
/// global-norm clipping and AdamW on a BLOOM initialised as BLOOM was (seed 42), over four fixed
/// random batches, timed step by step. Defaults: the configuration of the engine issue's target.
public final class StepBenchmark {
    public struct Configuration: Sendable {
        public var vocab = 8192
        public var hidden = 256
        public var layers = 4
        public var heads = 8
        public var batch = 8
        public var length = 256
        /// bf16 mixed precision (AMX tiles where the CPU has them) instead of fp32.
        public var bfloat16 = false
        public init() {}

        /// Matmul FLOPs of one step (forward + backward = 3 × forward), counting the full T×T
        /// attention products, as PyTorch computes them.
        public var flopsPerStep: Double {
            let c = Double(hidden), t = Double(length), v = Double(vocab)
            let perTokenForward = Double(layers) * (24 * c * c + 4 * t * c) + 2 * c * v
            return 3 * perTokenForward * Double(batch * length)
        }
        public var tokensPerStep: Int { batch * length }
        public var precisionName: String { bfloat16 ? "bf16-mixed" : "fp32" }
    }

    /// Seconds of one step's phases, and its loss.
    public struct Step: Sendable {
        public var forward: Double
        public var backward: Double
        /// Clipping and the AdamW update.
        public var optimizer: Double
        public var loss: Float
        public var seconds: Double { forward + backward + optimizer }
    }

    public let configuration: Configuration
    public let model: BloomModel
    private let optimizer: AdamW
    private let schedule = WarmupCosineSchedule(maxLR: 3e-4, minLR: 1e-5, warmupSteps: 2, decaySteps: 1000)
    private let batches: [[Int32]]
    private var stepsTaken = 0

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        let c = configuration
        model = BloomModel(config: BloomConfiguration(vocabSize: c.vocab, hiddenSize: c.hidden, layerCount: c.layers, headCount: c.heads),
                           initialization: .bloom(), seed: 42)
        optimizer = AdamW(parameters: model.namedParameters())
        var rng = SplitMix64(seed: 1)
        batches = (0..<4).map { _ in (0..<c.tokensPerStep).map { _ in Int32(rng.next() % UInt64(c.vocab)) } }
    }

    /// Runs and times the next step.
    public func step() -> Step {
        let c = configuration, options = ForwardOptions(training: false, precision: c.bfloat16 ? .bfloat16Mixed : .float32)
        let start = Self.now()
        model.zeroGradients()
        let (_, loss) = model.loss(ids: batches[stepsTaken % batches.count], batch: c.batch, length: c.length, options: options)
        let forwardEnd = Self.now()
        loss.backward()
        let backwardEnd = Self.now()
        GradientClipping.clipGlobalNorm(model.namedParameters().map(\.tensor), maxNorm: 1)
        optimizer.step(learningRate: schedule.learningRate(at: stepsTaken))
        stepsTaken += 1
        return Step(forward: forwardEnd - start, backward: backwardEnd - forwardEnd, optimizer: Self.now() - backwardEnd,
                    loss: loss.item())
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Resident-set high-water mark of this process in bytes.
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

/// Best sgemm throughput over a few large square and model-shaped products (GFLOP/s): the
/// denominator of "fraction of peak".
public enum SgemmPeak {
    public static func measure() -> Double {
        var best = 0.0
        for (m, n, k) in [(2048, 2048, 2048), (2048, 1024, 256), (2048, 8192, 256), (1536, 1536, 1536)] {
            let a = Tensor.full(0.5, shape: [m, k]), b = Tensor.full(0.25, shape: [k, n]), c = Tensor(shape: [m, n])
            for rep in 0..<4 {
                let start = StepBenchmark.now()
                BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a.pointer, lda: k,
                           b: b.pointer, ldb: n, beta: 0, c: c.pointer, ldc: n)
                let t = StepBenchmark.now() - start
                if rep > 0 { best = max(best, 2 * Double(m) * Double(n) * Double(k) / t / 1e9) }
            }
        }
        return best
    }
}
