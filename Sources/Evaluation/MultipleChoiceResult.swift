/// One scored multiple-choice example: the harness' per-document `acc` / `acc_norm` plus the indices
/// they were derived from.
public struct MultipleChoiceResult: Codable, Equatable, Sendable {
    public var gold: Int
    /// `np.argmax(lls)`.
    public var prediction: Int
    /// `np.argmax(lls / completion_len)`.
    public var normalizedPrediction: Int

    public init(gold: Int, prediction: Int, normalizedPrediction: Int) {
        self.gold = gold
        self.prediction = prediction
        self.normalizedPrediction = normalizedPrediction
    }

    /// 1.0 when the raw log-likelihood picks the gold choice, else 0.0.
    public var acc: Double { prediction == gold ? 1 : 0 }
    /// 1.0 when the length-normalized log-likelihood picks the gold choice, else 0.0.
    public var accNorm: Double { normalizedPrediction == gold ? 1 : 0 }

    enum CodingKeys: String, CodingKey {
        case gold, prediction, acc
        case normalizedPrediction = "normalized_prediction"
        case accNorm = "acc_norm"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gold = try container.decode(Int.self, forKey: .gold)
        prediction = try container.decode(Int.self, forKey: .prediction)
        normalizedPrediction = try container.decode(Int.self, forKey: .normalizedPrediction)
    }

    /// Writes the indices and, for readers of the JSON, the derived `acc` and `acc_norm`
    /// (recomputed from the indices when decoding).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gold, forKey: .gold)
        try container.encode(prediction, forKey: .prediction)
        try container.encode(normalizedPrediction, forKey: .normalizedPrediction)
        try container.encode(acc, forKey: .acc)
        try container.encode(accNorm, forKey: .accNorm)
    }
}

/// Task-level multiple-choice numbers as the harness reports them: `acc`, `acc_stderr`, `acc_norm`,
/// `acc_norm_stderr` (means over examples, `mean_stderr` errors).
public struct MultipleChoiceSummary: Codable, Equatable, Sendable {
    public var count: Int
    public var acc: Double
    public var accStderr: Double
    public var accNorm: Double
    public var accNormStderr: Double

    public init(count: Int, acc: Double, accStderr: Double, accNorm: Double, accNormStderr: Double) {
        self.count = count
        self.acc = acc
        self.accStderr = accStderr
        self.accNorm = accNorm
        self.accNormStderr = accNormStderr
    }

    enum CodingKeys: String, CodingKey {
        case count, acc
        case accStderr = "acc_stderr"
        case accNorm = "acc_norm"
        case accNormStderr = "acc_norm_stderr"
    }
}
