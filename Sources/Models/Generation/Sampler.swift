import Foundation
import TensorEngine

/// Token choice from a logit vector.
public enum Sampler {
    public static func choose(logits: [Float], sampling: Sampling, generator: inout SplitMix64?) -> Int32 {
        switch sampling {
        case .greedy:
            var best = 0
            for i in logits.indices where logits[i] > logits[best] { best = i }
            return Int32(best)
        case .sample(let temperature, let topP, _):
            precondition(temperature > 0 && topP > 0 && topP <= 1, "sample: temperature > 0 and 0 < topP ≤ 1 required")
            let scaled = logits.map { Double($0 / temperature) }
            let m = scaled.max()!
            let weights = scaled.map { Foundation.exp($0 - m) }
            let total = weights.reduce(0, +)
            let order = weights.indices.sorted { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
            var kept: [Int] = [], mass = 0.0
            for i in order {
                kept.append(i); mass += weights[i] / total
                if mass >= Double(topP) { break }
            }
            let keptMass = kept.reduce(0.0) { $0 + weights[$1] }
            var u = Double(generator!.nextUniform()) * keptMass
            for i in kept {
                u -= weights[i]
                if u < 0 { return Int32(i) }
            }
            return Int32(kept.last!)
        }
    }
}

/// How the next token is chosen.
public enum Sampling: Sendable, Equatable {
    /// argmax (ties: lowest id).
    case greedy
    /// Softmax(logits / temperature), restricted to the smallest set of most likely tokens whose
    /// probability reaches `topP` (nucleus), sampled with a seeded generator.
    case sample(temperature: Float, topP: Float, seed: UInt64)
}
