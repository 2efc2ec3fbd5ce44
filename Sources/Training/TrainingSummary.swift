import Foundation
import Models

/// `summary.json`: the run's final numbers, what `trellis table` and the report read first.
public struct TrainingSummary: Codable, Sendable {
    public var format = "trellis.train.summary"
    public var version = 1
    public var parameters: Int
    public var position: String
    public var embedding_layernorm: Bool
    public var steps: Int
    public var tokens: Int
    public var workers: Int
    /// Mean training loss of the last 10 steps.
    public var final_loss: Double
    public var final_validation_loss: Double
    /// Per group: validation loss (nats/token) and perplexity at the end.
    public var validation: [String: Double]
    public var validation_perplexity: [String: Double]
    /// Median tokens/s over the steps this attempt ran.
    public var tokens_per_second: Double
    public var seconds: Double
    /// The step this attempt started from (0 unless it resumed from a checkpoint).
    public var resumed_at_step: Int
    public var training_documents: [String: Int]
    public var training_bytes: [String: Int]

    static func make(configuration c: TrainingConfiguration, model: BloomModel, data: TrainingData, schedule: BatchSchedule,
                     workers: Int, output: String, seconds: Double, resumedAt: Int) throws -> TrainingSummary {
        let steps = try MetricsLog.read(StepMetrics.self, from: output + "/metrics.jsonl")
        let validation = try MetricsLog.read(ValidationMetrics.self, from: output + "/validation.jsonl")
        let tail = steps.suffix(10)
        let speeds = steps.dropFirst(resumedAt).map(\.tokens_per_second).sorted()
        let last = validation.last
        return TrainingSummary(parameters: model.parameterCount, position: c.model.position, embedding_layernorm: c.model.embedding_layernorm,
                               steps: schedule.steps.count, tokens: schedule.totalTokens, workers: workers,
                               final_loss: tail.isEmpty ? .nan : tail.map(\.loss).reduce(0, +) / Double(tail.count),
                               final_validation_loss: last?.loss ?? .nan, validation: last?.groups ?? [:],
                               validation_perplexity: (last?.groups ?? [:]).mapValues { Foundation.exp($0) },
                               tokens_per_second: speeds.isEmpty ? 0 : speeds[speeds.count / 2], seconds: seconds,
                               resumed_at_step: resumedAt, training_documents: data.documents, training_bytes: data.bytes)
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
