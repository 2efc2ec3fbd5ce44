/// Multiple-choice scoring with lm-evaluation-harness conventions (`ConfigurableTask.process_results`
/// for `output_type: multiple_choice` in `lm_eval/api/task.py`, and `MultipleChoiceTask.process_results`
/// in the older `lm_eval/base.py`):
///
/// - `acc`: 1 when `np.argmax(lls) == gold`;
/// - `acc_norm`: 1 when `np.argmax(lls / completion_len) == gold`, where
///   `completion_len = [float(len(i)) for i in choices]` — Python `len` of the choice string, i.e. its
///   number of Unicode code points (not UTF-8 bytes, not grapheme clusters, not tokens). The choices are
///   the `doc_to_choice` strings, without the target delimiter (the leading space) that the harness
///   prepends only when it builds the log-likelihood request.
///
/// Ties and NaN follow `numpy.argmax`: the first maximal index wins, and a NaN counts as the maximum.
public enum MultipleChoice {
    /// The harness' `completion_len` of one choice: Python `len(choice)`, the Unicode scalar count.
    public static func completionLength(_ choice: String) -> Int {
        choice.unicodeScalars.count
    }

    /// `numpy.argmax` of a non-empty array: index of the first maximum; the first NaN if there is one.
    public static func argmax(_ values: [Double]) -> Int? {
        guard !values.isEmpty else { return nil }
        var best = 0
        for index in values.indices {
            if values[index].isNaN { return index }
            if values[index] > values[best] { best = index }
        }
        return best
    }

    /// Scores one example from the summed log-likelihood of each choice's continuation.
    ///
    /// A zero-length choice divides by zero exactly as NumPy would (giving ±∞ or NaN), so it is allowed.
    public static func score(loglikelihoods: [Double], choices: [String], gold: Int) throws(MultipleChoiceError) -> MultipleChoiceResult {
        guard !choices.isEmpty else { throw .noChoices }
        guard loglikelihoods.count == choices.count else {
            throw .countMismatch(loglikelihoods: loglikelihoods.count, choices: choices.count)
        }
        guard choices.indices.contains(gold) else { throw .goldOutOfRange(gold: gold, choiceCount: choices.count) }
        let normalized = zip(loglikelihoods, choices).map { $0 / Double(completionLength($1)) }
        // Both arrays are non-empty here, so argmax has an answer.
        let prediction = argmax(loglikelihoods) ?? 0
        let normalizedPrediction = argmax(normalized) ?? 0
        return MultipleChoiceResult(gold: gold, prediction: prediction, normalizedPrediction: normalizedPrediction)
    }

    /// Mean `acc` and `acc_norm` over examples with the harness' `mean_stderr` standard errors.
    public static func aggregate(_ results: [MultipleChoiceResult]) throws(SampleStatisticsError) -> MultipleChoiceSummary {
        let acc = results.map(\.acc)
        let accNorm = results.map(\.accNorm)
        return MultipleChoiceSummary(
            count: results.count,
            acc: try SampleStatistics.mean(acc),
            accStderr: try SampleStatistics.meanStandardError(acc),
            accNorm: try SampleStatistics.mean(accNorm),
            accNormStderr: try SampleStatistics.meanStandardError(accNorm))
    }
}

/// Why a multiple-choice example could not be scored.
public enum MultipleChoiceError: Error, Equatable, CustomStringConvertible, Sendable {
    case noChoices
    case countMismatch(loglikelihoods: Int, choices: Int)
    /// The harness would log a warning and score the example 0; this library refuses it instead.
    case goldOutOfRange(gold: Int, choiceCount: Int)

    public var description: String {
        switch self {
        case .noChoices:
            return "a multiple-choice example needs at least one choice"
        case .countMismatch(let loglikelihoods, let choices):
            return "\(loglikelihoods) log-likelihoods for \(choices) choices"
        case .goldOutOfRange(let gold, let choiceCount):
            return "gold index \(gold) is outside 0..<\(choiceCount)"
        }
    }
}
