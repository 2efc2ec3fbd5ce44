import Evaluation
import Foundation
import Tokenization
import Training

/// Zero- and one-shot multiple choice by summed log-likelihood of each choice
/// (lm-evaluation-harness `acc` and `acc_norm`).
struct MultipleChoiceEvaluator {
    let scorer: TokenScorer
    let tokenizer: Tokenizer
    let eos: Int32
    let length: Int

    /// The harness summary, and the mean log-likelihood of the gold continuations (a diagnostic
    /// that moves with the prompt even when the argmax does not).
    func evaluate(_ items: [ChoiceItem], shots: Int) throws -> (summary: MultipleChoiceSummary, goldLogLikelihood: Double) {
        var results: [MultipleChoiceResult] = []
        var gold = 0.0
        for (index, item) in items.enumerated() {
            let context = Self.context(of: index, in: items, shots: shots)
            let contextIDs = [eos] + encode(context)
            let rows = item.choices.map { choice -> TokenScorer.Row in
                let continuation = encode(PromptFormats.choiceContinuation(choice))
                return row(context: contextIDs, continuation: continuation)
            }
            let loglikelihoods = scorer.score(rows).map(\.logLikelihood)
            results.append(try MultipleChoice.score(loglikelihoods: loglikelihoods, choices: item.choices, gold: item.answer))
            gold += loglikelihoods[item.answer]
        }
        return (try MultipleChoice.aggregate(results), gold / Double(max(1, items.count)))
    }

    /// The prompt before the choices: the question, after one solved demonstration for one-shot
    /// (an item half the file away; the other one when there are two).
    static func context(of index: Int, in items: [ChoiceItem], shots: Int) -> String {
        let question = PromptFormats.choiceContext(question: items[index].question)
        guard shots == 1 && items.count > 1 else { return question }
        var other = (index + items.count / 2 + 1) % items.count
        if other == index { other = (index + 1) % items.count }
        let demo = items[other]
        return PromptFormats.choiceContext(question: demo.question) + PromptFormats.choiceContinuation(demo.choices[demo.answer]) + "\n\n" + question
    }

    func encode(_ text: String) -> [Int32] { tokenizer.encode(text).map { Int32(bitPattern: $0) } }

    /// Context + continuation, the continuation scored; cut from the left to the model's length.
    func row(context: [Int32], continuation: [Int32]) -> TokenScorer.Row {
        var ids = context + continuation
        var scored = Array(repeating: false, count: context.count) + Array(repeating: true, count: continuation.count)
        if ids.count > length {
            ids = Array(ids.suffix(length)); scored = Array(scored.suffix(length))
        }
        scored[0] = false
        return TokenScorer.Row(ids: ids, scored: scored)
    }
}
