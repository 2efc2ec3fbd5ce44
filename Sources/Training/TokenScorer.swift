import Foundation
import Models
import TensorEngine

/// Log-likelihoods of chosen tokens under a model, without autograd: the primitive behind
/// validation loss, perplexity, bits per byte and multiple-choice scoring.
public struct TokenScorer {
    /// One sequence to score: `ids` is the model input; `scored[i] == true` means the token
    /// `ids[i]` counts, predicted from `ids[..<i]` (so `scored[0]` must be false).
    public struct Row: Sendable {
        public var ids: [Int32]
        public var scored: [Bool]
        public init(ids: [Int32], scored: [Bool]) {
            precondition(ids.count == scored.count && !(scored.first ?? false), "TokenScorer.Row: scored must align with ids and skip position 0")
            self.ids = ids; self.scored = scored
        }
        /// Every token after the first is scored (next-token loss over a window).
        public init(window: [Int32]) { self.init(ids: window, scored: [false] + Array(repeating: true, count: max(0, window.count - 1))) }
    }

    /// Per row: the summed natural-log probability of its scored tokens, how many there were, and
    /// whether each scored token was the model's argmax (lm-evaluation-harness `is_greedy`).
    public struct Score: Sendable, Equatable {
        public var logLikelihood: Double
        public var tokens: Int
        public var greedy: Bool = true

        public init(logLikelihood: Double, tokens: Int, greedy: Bool = true) {
            self.logLikelihood = logLikelihood; self.tokens = tokens; self.greedy = greedy
        }
    }

    public let model: BloomModel
    public let padding: Int32
    /// Rows per forward pass.
    public let batchSize: Int

    /// Told the number of rows of each batch once it is scored (evaluation progress counts requests).
    public var onBatchScored: (Int) -> Void = { _ in }

    public init(model: BloomModel, padding: Int32, batchSize: Int = 8) {
        self.model = model; self.padding = padding; self.batchSize = max(1, batchSize)
    }

    /// Scores rows in batches; rows of a batch are right-padded to the longest (causal masking
    /// keeps padding from affecting earlier positions).
    public func score(_ rows: [Row]) -> [Score] {
        var scores: [Score] = []
        scores.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            let batch = Array(rows[start..<min(rows.count, start + batchSize)])
            scores += scoreBatch(batch)
            onBatchScored(batch.count)
            start += batch.count
        }
        return scores
    }

    func scoreBatch(_ rows: [Row]) -> [Score] {
        let length = rows.map(\.ids.count).max() ?? 0
        guard length > 1 else { return rows.map { _ in Score(logLikelihood: 0, tokens: 0) } }
        var ids = [Int32](repeating: padding, count: rows.count * length)
        // Position t−1 predicts token t; unscored positions (and padding) are ignored (−100).
        var targets = [Int32](repeating: -100, count: rows.count * length)
        for (r, row) in rows.enumerated() {
            for (t, id) in row.ids.enumerated() {
                ids[r * length + t] = id
                if row.scored[t] { targets[r * length + t - 1] = id }
            }
        }
        let v = model.config.vocabSize, positions = rows.count * length
        let logits = GradMode.withoutGrad { model.logits(ids: ids, batch: rows.count, length: length) }.contiguousData()   // (B, T, V)
        let logSumExp = Tensor(shape: [positions], zeroed: false)
        _ = targets.withUnsafeBufferPointer { t in
            Engine.backend.crossEntropyForward(logits: logits.pointer, targets: t.baseAddress!, ignoreIndex: -100,
                                               logSumExp: logSumExp.pointer, dlogits: nil, gradScale: 0, rows: positions, cols: v)
        }
        let x = logits.pointer, lse = logSumExp.pointer
        return rows.indices.map { r in
            var sum = 0.0, count = 0, greedy = true
            for t in 0..<length where targets[r * length + t] != -100 {
                let position = r * length + t, target = Int(targets[position])
                let row = x + position * v
                sum += Double(row[target]) - Double(lse[position])
                count += 1
                if greedy {   // argmax, first index on ties (torch.argmax)
                    var best = 0
                    for j in 1..<v where row[j] > row[best] { best = j }
                    greedy = best == target
                }
            }
            return Score(logLikelihood: sum, tokens: count, greedy: greedy)
        }
    }

    /// Mean next-token loss (nats per token) over packed windows, and the number of predicted tokens.
    public func meanLoss(_ windows: PackedWindows) -> (loss: Double, tokens: Int) {
        let rows = (0..<windows.count).map { Row(window: Array(windows.window($0))) }
        let scores = score(rows)
        let tokens = scores.reduce(0) { $0 + $1.tokens }
        let nll = -scores.reduce(0.0) { $0 + $1.logLikelihood }
        return (tokens > 0 ? nll / Double(tokens) : .nan, tokens)
    }
}
