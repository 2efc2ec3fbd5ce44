import Foundation

/// Optimizer, schedule, data and bookkeeping settings that go into the launch script.
///
/// Defaults are BLOOM's (bloom.md §B.1, §A.5, §C): Adam (0.9, 0.95, 1e-8), weight decay 0.1,
/// clip 1.0, init std 0.0048, warmup 183,105 samples, cosine decay over 200M samples,
/// 220M scheduled samples, seed 42, save every 100 iterations, evaluate 1 iteration every 1000.
public struct TrainingHyperparameters: Codable, Sendable, Equatable {
    /// Peak learning rate (`--lr`).
    public var lr: Double
    /// Final learning rate (`--min-lr`).
    public var minLR: Double
    /// Linear warmup length in samples (`--lr-warmup-samples`).
    public var warmupSamples: Int
    /// Cosine decay length in samples (`--lr-decay-samples`).
    public var decaySamples: Int
    /// Scheduled training length in samples (`--train-samples`).
    public var trainSamples: Int
    /// Batch-size ramp-up (`--rampup-batch-size start incr samples`), or `nil` for none.
    public var rampUp: BatchRampUp?
    /// `--clip-grad`.
    public var clipGrad: Double
    /// `--weight-decay`.
    public var weightDecay: Double
    /// `--adam-beta1`.
    public var adamBeta1: Double
    /// `--adam-beta2`.
    public var adamBeta2: Double
    /// `--adam-eps`.
    public var adamEps: Double
    /// `--init-method-std`.
    public var initMethodStd: Double
    /// `--seed`.
    public var seed: Int
    /// `--save-interval` in iterations.
    public var saveInterval: Int
    /// `--eval-interval` in iterations.
    public var evalInterval: Int
    /// `--eval-iters`.
    public var evalIters: Int
    /// `--tokenizer-name-or-path` (used with `--tokenizer-type PretrainedFromHF`).
    public var tokenizer: String
    /// `--data-path`; a placeholder by default.
    public var dataPath: String
    /// Further flags appended verbatim (e.g. `--sync-tp-duplicated-parameters` for 176B).
    public var extraFlags: [String]

    public init(lr: Double, minLR: Double, warmupSamples: Int = 183_105,
                decaySamples: Int = 200_000_000, trainSamples: Int = 220_000_000,
                rampUp: BatchRampUp? = nil, clipGrad: Double = 1.0, weightDecay: Double = 0.1,
                adamBeta1: Double = 0.9, adamBeta2: Double = 0.95, adamEps: Double = 1e-8,
                initMethodStd: Double = 0.0048, seed: Int = 42, saveInterval: Int = 100,
                evalInterval: Int = 1000, evalIters: Int = 1,
                tokenizer: String = TrainingHyperparameters.bloomTokenizer,
                dataPath: String = "<DATA_PATH>", extraFlags: [String] = []) {
        self.lr = lr
        self.minLR = minLR
        self.warmupSamples = warmupSamples
        self.decaySamples = decaySamples
        self.trainSamples = trainSamples
        self.rampUp = rampUp
        self.clipGrad = clipGrad
        self.weightDecay = weightDecay
        self.adamBeta1 = adamBeta1
        self.adamBeta2 = adamBeta2
        self.adamEps = adamEps
        self.initMethodStd = initMethodStd
        self.seed = seed
        self.saveInterval = saveInterval
        self.evalInterval = evalInterval
        self.evalIters = evalIters
        self.tokenizer = tokenizer
        self.dataPath = dataPath
        self.extraFlags = extraFlags
    }

    /// The training-time tokenizer name from the BLOOM slurm scripts (bloom.md §C).
    public static let bloomTokenizer =
        "bigscience-catalogue-data-dev/byte-level-bpe-tokenizer-no-norm-250k-whitespace-and-eos-regex-alpha-v3-dedup-lines-articles"
}

/// Megatron's `--rampup-batch-size start increment samples`: the global batch grows from
/// `start` by `increment` in equal sample chunks over `samples` samples (bloom.md §B.1).
public struct BatchRampUp: Codable, Sendable, Equatable {
    /// First global batch size.
    public var start: Int
    /// Growth per chunk.
    public var increment: Int
    /// Samples over which the batch reaches the full global batch.
    public var samples: Int

    public init(start: Int, increment: Int, samples: Int) {
        self.start = start
        self.increment = increment
        self.samples = samples
    }
}
