import Foundation
import TensorEngine

/// Result of ``ModelForward/run(checkpoint:ids:)``.
public struct ForwardResult: Sendable, Equatable {
    /// Logits of the last position (vocabulary size).
    public var logits: [Float]
    /// Mean next-token cross-entropy (labels = ids shifted by one), nil for a single id.
    public var loss: Float?
}

/// One-shot evaluation of an HF-format checkpoint (backs `trellis model forward`).
public enum ModelForward {
    /// Loads `checkpoint` (config.json + model.safetensors) and runs `ids` as one sequence.
    /// - Throws: ``CheckpointError`` for unreadable checkpoints or ids outside the vocabulary.
    public static func run(checkpoint: URL, ids: [Int]) throws -> ForwardResult {
        let model = try BloomCheckpoint.load(from: checkpoint)
        return try run(model: model, ids: ids)
    }

    /// Same, for a model already in memory.
    public static func run(model: BloomModel, ids: [Int]) throws -> ForwardResult {
        guard !ids.isEmpty else { throw CheckpointError.invalidInput(reason: "no input ids") }
        if let bad = ids.first(where: { $0 < 0 || $0 >= model.config.vocabSize }) {
            throw CheckpointError.invalidInput(reason: "id \(bad) outside the vocabulary 0..<\(model.config.vocabSize)")
        }
        if model.config.positionEncoding == .learned && ids.count > model.config.maxPositions {
            throw CheckpointError.invalidInput(reason: "\(ids.count) ids exceed trellis_max_positions \(model.config.maxPositions)")
        }
        return GradMode.withoutGrad {
            let tokens = ids.map(Int32.init)
            let (logits, loss) = model.loss(ids: tokens, batch: 1, length: tokens.count)
            let v = model.config.vocabSize
            let last = Array(logits.toArray()[((tokens.count - 1) * v)...])
            return ForwardResult(logits: last, loss: tokens.count > 1 ? loss.item() : nil)
        }
    }

    /// `{"logits": [...], "loss": x}` as printed by `trellis model forward --json`.
    public static func json(_ result: ForwardResult) throws -> String {
        var object: [String: Any] = ["logits": result.logits.map(Double.init)]
        object["loss"] = result.loss.map { Double($0) as Any } ?? NSNull()
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
