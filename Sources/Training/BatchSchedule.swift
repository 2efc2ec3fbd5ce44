import Foundation

/// Global batch size per step (with Megatron's batch-size ramp-up) and the steps a token budget takes.
///
/// Megatron `--rampup-batch-size START INCREMENT SAMPLES`: the batch is `start` until
/// SAMPLES / ((global − start) / increment) samples were consumed, then grows by `increment`
/// every that many samples, reaching the global batch after SAMPLES samples. Here the ramp is
/// given in tokens (samples × sequence length), like the rest of the schedule.
public struct BatchSchedule: Sendable, Equatable {
    /// One optimizer step: which windows it reads and how many tokens it has seen before it.
    public struct Step: Sendable, Equatable {
        public var index: Int
        public var batchSize: Int
        /// Windows consumed before this step (the first window it reads, in training order).
        public var samplesBefore: Int
        public var tokensBefore: Int
    }

    public let steps: [Step]
    public let sequenceLength: Int

    public init(configuration c: TrainingConfiguration) {
        sequenceLength = c.sequence_length
        var steps: [Step] = []
        var samples = 0
        while samples * c.sequence_length < c.tokens {
            let size = Self.batchSize(afterSamples: samples, configuration: c)
            steps.append(Step(index: steps.count, batchSize: size, samplesBefore: samples, tokensBefore: samples * c.sequence_length))
            samples += size
        }
        self.steps = steps
    }

    public var totalTokens: Int { steps.last.map { ($0.samplesBefore + $0.batchSize) * sequenceLength } ?? 0 }

    static func batchSize(afterSamples samples: Int, configuration c: TrainingConfiguration) -> Int {
        guard let ramp = c.batch_ramp, ramp.start < c.batch_size else { return c.batch_size }
        let increments = (c.batch_size - ramp.start) / ramp.increment
        let rampSamples = ramp.tokens / c.sequence_length
        guard rampSamples > 0 else { return c.batch_size }
        let samplesPerIncrement = max(1, rampSamples / increments)
        return min(c.batch_size, ramp.start + ramp.increment * (samples / samplesPerIncrement))
    }
}
