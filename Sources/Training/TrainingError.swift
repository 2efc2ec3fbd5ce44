import Foundation

/// Why a training run could not start or stopped. Each case names the field, file or step.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(field: String, problem: String)
    /// No upstream folder holds what the stage needs (a corpus manifest, a tokenizer.json).
    case missingInput(what: String, searched: [String])
    /// An unreadable corpus shard; `problem` is the reader's message (it names the line).
    case badShard(path: String, problem: String)
    case notEnoughData(group: String, tokens: Int, needed: Int)
    /// The loss or the gradient norm stopped being finite; nothing of this step was applied.
    case nonFiniteLoss(step: Int, loss: Float, gradNorm: Float, lastCheckpoint: Int?)
    case corruptCheckpoint(path: String, problem: String)
    case cancelled(step: Int)

    public var description: String {
        switch self {
        case let .invalidConfiguration(field, problem):
            return "with.\(field): \(problem)"
        case let .missingInput(what, searched):
            return "train: no upstream output holds \(what) (looked in: \(searched.joined(separator: ", "))) --- hint: add the corpus and tokenizer stages to `needs`"
        case let .badShard(path, problem):
            return "train: corpus shard \(path) is unreadable: \(problem) --- hint: rerun the corpus stage (`trellis verify` checks the store)"
        case let .notEnoughData(group, tokens, needed):
            return "train: group '\(group)' has \(tokens) tokens, fewer than one window of \(needed) --- hint: lower sequence_length or drop the group"
        case let .nonFiniteLoss(step, loss, gradNorm, last):
            let kept = last.map { "the last good checkpoint (step \($0)) is kept and a rerun resumes from it" } ?? "no checkpoint was written yet"
            return "train: loss became non-finite at step \(step) (loss \(loss), grad norm \(gradNorm)); the step was not applied; \(kept) --- hint: lower lr, raise warmup_tokens, or set grad_clip"
        case let .corruptCheckpoint(path, problem):
            return "train: checkpoint \(path) is unusable: \(problem) --- hint: delete it to restart from the previous one"
        case let .cancelled(step):
            return "train: cancelled at step \(step)"
        }
    }
}
