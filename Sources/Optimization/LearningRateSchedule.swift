import Foundation

/// Megatron-LM's schedule (`megatron/learning_rates.py`): linear warmup, cosine decay to a
/// minimum, then constant.
///
/// `step` is the number of optimizer steps already taken (Megatron's `num_steps`), so the
/// first update uses `learningRate(at: 0)`, which is 0 when there is a warmup:
/// 1. step ≤ warmup (warmup > 0): maxLR · step / warmup
/// 2. step > decaySteps: minLR
/// 3. otherwise: minLR + (maxLR − minLR) · ½(1 + cos(π · (step − warmup)/(decaySteps − warmup)))
public struct WarmupCosineSchedule: Sendable {
    public var maxLR: Double
    public var minLR: Double
    public var warmupSteps: Int
    public var decaySteps: Int

    public init(maxLR: Double, minLR: Double, warmupSteps: Int, decaySteps: Int) {
        precondition(decaySteps > warmupSteps || decaySteps == 0, "schedule: decaySteps must exceed warmupSteps")
        self.maxLR = maxLR; self.minLR = minLR; self.warmupSteps = warmupSteps; self.decaySteps = decaySteps
    }

    public func learningRate(at step: Int) -> Float {
        if warmupSteps > 0 && step <= warmupSteps { return Float(maxLR * Double(step) / Double(warmupSteps)) }
        if step > decaySteps { return Float(minLR) }
        let ratio = Double(step - warmupSteps) / Double(decaySteps - warmupSteps)
        return Float(minLR + (maxLR - minLR) * 0.5 * (Foundation.cos(Double.pi * ratio) + 1))
    }
}
