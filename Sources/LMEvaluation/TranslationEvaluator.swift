import Evaluation
import Foundation
import Models
import Tokenization

/// One-shot translation with greedy decoding, scored with sacrebleu-compatible corpus BLEU, chrF and chrF++.
struct TranslationEvaluator {
    let model: BloomModel
    let tokenizer: Tokenizer
    let eos: Int32
    let length: Int
    let maxNewTokens: Int
    /// Told when each pair has been translated.
    var onTranslated: () -> Void = {}

    struct Result {
        var bleu: BLEUScore
        var chrf: CHRF.Score
        var chrfPlusPlus: CHRF.Score
        var samples: [[String: String]]
    }

    func evaluate(_ pairs: [ParallelPair], direction: TranslationDirection) throws -> Result {
        let sources = pairs.map { direction.source == "en" ? $0.english : $0.other }
        let references = pairs.map { direction.source == "en" ? $0.other : $0.english }
        var hypotheses: [String] = []
        for index in pairs.indices {
            let demo = (index + 1) % pairs.count
            let prompt = PromptFormats.translationPrompt(source: direction.source, target: direction.target, text: sources[demo])
                + " " + references[demo] + "\n\n"
                + PromptFormats.translationPrompt(source: direction.source, target: direction.target, text: sources[index])
            var ids = [eos] + tokenizer.encode(prompt).map { Int32(bitPattern: $0) }
            let room = max(1, length - maxNewTokens)
            if ids.count > room { ids = Array(ids.suffix(room)) }
            let generated = model.generate(prompt: ids, maxNewTokens: maxNewTokens, sampling: .greedy, stopToken: eos)
            let tokens = generated.filter { $0 != eos }.map { UInt32(bitPattern: $0) }
            let text = (try? tokenizer.decodeText(tokens, skipSpecialTokens: true)) ?? ""
            let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            hypotheses.append(firstLine.trimmingCharacters(in: .whitespaces))
            onTranslated()
        }
        let bleu = try BLEU.corpusScore(hypotheses: hypotheses, referenceStreams: [references])
        let chrf = try CHRF().corpusScore(hypotheses: hypotheses, references: [references])
        let chrfPlusPlus = try CHRF(wordOrder: 2).corpusScore(hypotheses: hypotheses, references: [references])
        let samples = (0..<min(3, pairs.count)).map { ["source": sources[$0], "reference": references[$0], "hypothesis": hypotheses[$0]] }
        return Result(bleu: bleu, chrf: chrf, chrfPlusPlus: chrfPlusPlus, samples: samples)
    }
}
