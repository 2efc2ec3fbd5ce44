import Foundation

/// How many optimizer steps a token budget takes and how much of each step the pipeline
/// idles.
public struct StepSchedule: Codable, Sendable, Equatable {
    /// Tokens per step at the full global batch, `globalBatch · s`.
    public var tokensPerStep: Int
    /// Steps at the full global batch, `ceil(tokens / tokensPerStep)`.
    public var stepsAtFullBatch: Int
    /// Steps including the batch-size ramp-up (equal to `stepsAtFullBatch` without one).
    public var stepsWithRampUp: Int
    /// Micro-batches per pipeline per step, `m = globalBatch / (microBatch · d)`.
    public var microBatchesPerStep: Int
    /// 1F1B pipeline bubble as a fraction of ideal step time, `(p − 1)/m` (Narayanan et al.
    /// 2021; not a BLOOM measurement).
    public var bubbleFraction: Double

    public init(tokens: Double, model: ModelConfig, layout: ParallelLayout, rampUp: BatchRampUp?) {
        tokensPerStep = layout.globalBatch * model.seqLength
        stepsAtFullBatch = Int((tokens / Double(tokensPerStep)).rounded(.up))
        let samples = tokens / Double(model.seqLength)
        stepsWithRampUp = rampUp.map { Self.steps(samples: samples, globalBatch: layout.globalBatch, rampUp: $0) }
            ?? stepsAtFullBatch
        microBatchesPerStep = layout.microBatchesPerStep
        bubbleFraction = Double(layout.pipelineParallel - 1) / Double(max(1, microBatchesPerStep))
    }

    /// Steps to consume `samples` when the batch grows from `rampUp.start` by
    /// `rampUp.increment` every `rampUp.samples / increments` consumed samples, then stays at
    /// `globalBatch` (bloom.md §B.1). Runs in O(number of increments).
    public static func steps(samples: Double, globalBatch: Int, rampUp: BatchRampUp) -> Int {
        let increments = max(1, (globalBatch - rampUp.start) / max(1, rampUp.increment))
        let perIncrement = Double(rampUp.samples) / Double(increments)
        var consumed = 0.0, steps = 0
        for k in 0..<increments {
            let chunkEnd = min(Double(k + 1) * perIncrement, samples)
            guard consumed < chunkEnd else { continue }
            let batch = Double(rampUp.start + k * rampUp.increment)
            let n = ((chunkEnd - consumed) / batch).rounded(.up)
            steps += Int(n)
            consumed += n * batch
        }
        if consumed < samples { steps += Int(((samples - consumed) / Double(globalBatch)).rounded(.up)) }
        return steps
    }
}
