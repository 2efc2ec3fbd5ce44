import CorpusFormat
import Foundation
import Models
import Optimization
import TensorEngine
import Tokenization

/// A whole pretraining run: corpus → packed windows → data-parallel steps with checkpoints,
/// validation and metrics → an HF-format export. Resumes from the newest checkpoint under
/// `checkpointRoot` when there is one (bit-identical to an uninterrupted run on one worker).
public final class TrainingRun {
    public struct Paths: Sendable {
        public var corpusFolder: String
        public var tokenizerFile: String
        /// The stage's output folder.
        public var output: String
        /// Survives a killed attempt (the stage's resume folder).
        public var checkpointRoot: String
        public init(corpusFolder: String, tokenizerFile: String, output: String, checkpointRoot: String) {
            self.corpusFolder = corpusFolder; self.tokenizerFile = tokenizerFile; self.output = output; self.checkpointRoot = checkpointRoot
        }
    }

    public let configuration: TrainingConfiguration
    public let paths: Paths
    public let workers: Int
    /// Set when this process is one rank of an MPI job: it trains one replica, and only rank 0
    /// logs and writes (metrics, checkpoints, the export); every rank reads the same checkpoint.
    public let communicator: (any Collectives)?
    let log: (String) -> Void
    let isCancelled: () -> Bool
    /// Called at each log interval (`log_every` steps, and the last step) with that step's metrics,
    /// the number of steps and the latest validation loss (rank 0 only): the stage's progress.
    let onLogStep: (_ step: StepMetrics, _ steps: Int, _ validationLoss: Double?) -> Void

    public init(configuration: TrainingConfiguration, paths: Paths, workers: Int, communicator: (any Collectives)? = nil,
                log: @escaping (String) -> Void, isCancelled: @escaping () -> Bool = { false },
                onLogStep: @escaping (_ step: StepMetrics, _ steps: Int, _ validationLoss: Double?) -> Void = { _, _, _ in }) {
        self.configuration = configuration; self.paths = paths; self.workers = workers; self.communicator = communicator
        let primary = (communicator?.rank ?? 0) == 0
        self.log = primary ? log : { _ in }
        self.isCancelled = isCancelled
        self.onLogStep = primary ? onLogStep : { _, _, _ in }
    }

    /// Rank 0 (or the only process) writes the outputs.
    var isPrimary: Bool { (communicator?.rank ?? 0) == 0 }
    /// Replicas in the group: MPI ranks, or threads here.
    var replicaCount: Int { communicator?.worldSize ?? workers }

    public func run() throws -> TrainingSummary {
        let c = configuration
        let started = Date()
        let fm = FileManager.default
        if isPrimary {
            try fm.createDirectory(atPath: paths.output, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: paths.checkpointRoot, withIntermediateDirectories: true)
            try TrainingCheckpoint.encoded(c).write(to: URL(fileURLWithPath: paths.output + "/training.json"), options: .atomic)
        }

        // Data.
        let loadStart = Date()
        let data = try TrainingData.load(configuration: c, corpusFolder: paths.corpusFolder, tokenizerFile: paths.tokenizerFile,
                                         workers: max(1, workers), log: log)
        log(String(format: "train: corpus read and tokenized in %.1f s", Date().timeIntervalSince(loadStart)))
        let schedule = BatchSchedule(configuration: c)
        let learningRates = WarmupCosineSchedule(maxLR: c.lr, minLR: c.min_lr, warmupSteps: c.warmup_tokens, decaySteps: c.decayTokens)
        let modelConfig = c.bloomConfiguration(vocabularySize: data.paddedVocabularySize)
        let trainer = communicator.map { DataParallelTrainer(model: modelConfig, training: c, communicator: $0) }
            ?? DataParallelTrainer(model: modelConfig, training: c, workers: workers)
        let digest = Self.fingerprint(c, vocabulary: data.paddedVocabularySize, trainingTokens: data.training.tokenCount)
        log(String(format: "train: %d parameters, %d layers × %d hidden, %@ positions, embedding LN %@; %d steps, %d tokens, %d worker(s)",
                   trainer.model.parameterCount, c.model.layers, c.model.hidden, c.model.position,
                   c.model.embedding_layernorm ? "on" : "off", schedule.steps.count, schedule.totalTokens, replicaCount)
            + (communicator != nil ? " (MPI processes)" : ""))

        // Resume.
        let metricsPath = paths.output + "/metrics.jsonl", validationPath = paths.output + "/validation.jsonl"
        var firstStep = 0
        var lastCheckpoint: Int?
        var lastValidationLoss: Double?
        if let (folder, state) = try TrainingCheckpoint.latest(in: paths.checkpointRoot) {
            guard state.configuration_digest == digest else {
                throw TrainingError.corruptCheckpoint(path: folder, problem: "it belongs to another configuration (fingerprint \(state.configuration_digest), expected \(digest))")
            }
            try TrainingCheckpoint.restore(from: folder, into: trainer.replicas, optimizers: trainer.optimizers, state: state)
            for file in ["metrics.jsonl", "validation.jsonl"] where isPrimary && fm.fileExists(atPath: folder + "/" + file) {
                try? fm.removeItem(atPath: paths.output + "/" + file)
                try fm.copyItem(atPath: folder + "/" + file, toPath: paths.output + "/" + file)
            }
            firstStep = state.step
            lastCheckpoint = state.step
            log("train: resuming from \(folder) (step \(state.step) of \(schedule.steps.count), \(state.tokens) tokens seen)")
        }
        // Ranks other than 0 write nowhere: their logs go to /dev/null.
        let metrics = try MetricsLog(path: isPrimary ? metricsPath : "/dev/null"), validation = try MetricsLog(path: isPrimary ? validationPath : "/dev/null")
        let scorer = TokenScorer(model: trainer.model, padding: data.padding, batchSize: 8)

        func validate(after step: BatchSchedule.Step) throws {
            let validationStart = Date()
            var groups: [String: Double] = [:]
            var weighted = 0.0, tokens = 0
            for (name, windows) in data.validation {
                let (loss, n) = scorer.meanLoss(windows)
                groups[name] = loss; weighted += loss * Double(n); tokens += n
            }
            let record = ValidationMetrics(step: step.index + 1, tokens: step.tokensBefore + step.batchSize * c.sequence_length,
                                           loss: tokens > 0 ? weighted / Double(tokens) : .nan, groups: groups)
            try validation.append(record)
            lastValidationLoss = record.loss
            log(String(format: "train: step %d validation loss %.4f over %d groups (%d tokens, %.1f s)", record.step, record.loss,
                       groups.count, tokens, Date().timeIntervalSince(validationStart)))
        }

        for step in schedule.steps.dropFirst(firstStep) {
            if isCancelled() { throw TrainingError.cancelled(step: step.index) }
            let stepStart = Date()
            let ids = data.training.batch(startingAt: step.samplesBefore, rows: step.batchSize, seed: c.seed)   // (B · T)
            let lr = learningRates.learningRate(at: step.tokensBefore)
            let outcome = trainer.step(ids: ids, rows: step.batchSize, length: c.sequence_length, learningRate: lr,
                                       dropoutSeed: c.seed &+ UInt64(step.index))
            guard outcome.applied else {
                throw TrainingError.nonFiniteLoss(step: step.index + 1, loss: outcome.loss, gradNorm: outcome.gradNorm, lastCheckpoint: lastCheckpoint)
            }
            let seconds = Date().timeIntervalSince(stepStart)
            let tokensAfter = step.tokensBefore + step.batchSize * c.sequence_length
            let stepMetrics = StepMetrics(step: step.index + 1, tokens: tokensAfter, batch_size: step.batchSize, lr: Double(lr),
                                          loss: Double(outcome.loss), grad_norm: Double(outcome.gradNorm),
                                          tokens_per_second: Double(step.batchSize * c.sequence_length) / max(seconds, 1e-9))
            try metrics.append(stepMetrics)
            let done = step.index + 1
            if done % c.log_every == 0 || done == schedule.steps.count {
                log(String(format: "train: step %d/%d loss %.4f lr %.3g grad norm %.3f, %.0f tokens/s",
                           done, schedule.steps.count, outcome.loss, lr, outcome.gradNorm, Double(step.batchSize * c.sequence_length) / max(seconds, 1e-9)))
                onLogStep(stepMetrics, schedule.steps.count, lastValidationLoss)
            }
            let last = done == schedule.steps.count
            if isPrimary, last || (c.validation_every > 0 && done % c.validation_every == 0) { try validate(after: step) }
            if isPrimary, last || (c.checkpoint_every > 0 && done % c.checkpoint_every == 0) {
                let state = TrainingCheckpoint(step: done, samples: step.samplesBefore + step.batchSize, tokens: tokensAfter,
                                               optimizerSteps: trainer.optimizers[0].stepCount, configurationDigest: digest)
                let folder = try TrainingCheckpoint.save(state, model: trainer.model, optimizer: trainer.optimizers[0],
                                                         metricsFiles: [metricsPath, validationPath], root: paths.checkpointRoot)
                TrainingCheckpoint.prune(root: paths.checkpointRoot, keep: 2)
                lastCheckpoint = done
                log("train: checkpoint \(folder)")
            }
        }
        let summary = try TrainingSummary.make(configuration: c, model: trainer.model, data: data, schedule: schedule, workers: replicaCount,
                                               output: paths.output, seconds: Date().timeIntervalSince(started), resumedAt: firstStep)
        guard isPrimary else { return summary }
        try TrainingExport.write(model: trainer.model, tokenizerFile: paths.tokenizerFile, checkpointRoot: paths.checkpointRoot, output: paths.output)
        try summary.write(to: paths.output + "/summary.json")
        return summary
    }

    /// Identifies what a checkpoint must match to be resumed (FNV-1a 64 of the sorted-key configuration).
    static func fingerprint(_ c: TrainingConfiguration, vocabulary: Int, trainingTokens: Int) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes = Array((try? encoder.encode(c)) ?? Data())
        bytes += Array("|\(vocabulary)|\(trainingTokens)".utf8)
        return String(format: "%016llx", fnv1a64(bytes))
    }
}
