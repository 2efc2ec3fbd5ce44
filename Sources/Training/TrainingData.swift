import Foundation
import Tokenization

/// The tokenized corpus of a run: one packed training stream over every chosen group and
/// packed validation windows per group.
public struct TrainingData: Sendable {
    public var training: PackedWindows
    /// Group name → its validation windows (groups too small for one window are left out).
    public var validation: [(name: String, windows: PackedWindows)]
    public var vocabularySize: Int
    /// The embedding size: the vocabulary padded to a multiple of 128 (Megatron/BLOOM).
    public var paddedVocabularySize: Int
    public var eos: Int32
    public var padding: Int32
    /// Training documents and their UTF-8 bytes, per group.
    public var documents: [String: Int]
    public var bytes: [String: Int]

    public static func load(configuration c: TrainingConfiguration, corpusFolder: String, tokenizerFile: String,
                            workers: Int, log: (String) -> Void) throws -> TrainingData {
        let tokenizer = try loadTokenizer(tokenizerFile)
        let (eos, padding) = try specialTokens(tokenizer, file: tokenizerFile)
        let split = try CorpusSplit.load(corpusFolder: corpusFolder, validationPercent: c.validation_percent, groups: c.groups)
        var texts: [String] = []
        var documents: [String: Int] = [:], bytes: [String: Int] = [:]
        var validation: [(name: String, windows: PackedWindows)] = []
        for group in split.groups {
            texts += group.training
            documents[group.name] = group.training.count
            bytes[group.name] = group.training.reduce(0) { $0 + $1.utf8.count }
            let windows = PackedWindows.tokenize(group.validation, tokenizer: tokenizer, eos: eos, length: c.sequence_length,
                                                 maxTokens: c.validation_tokens, workers: workers)
            if windows.count > 0 { validation.append((name: group.name, windows: windows)) } else {
                log("train: group \(group.name) has too little held-out text for a validation window; not validated")
            }
        }
        let training = PackedWindows.tokenize(texts, tokenizer: tokenizer, eos: eos, length: c.sequence_length, workers: workers)
        guard training.count >= (c.batch_ramp?.start ?? c.batch_size) else {
            throw TrainingError.notEnoughData(group: split.groups.map(\.name).joined(separator: "+"), tokens: training.tokenCount,
                                              needed: c.sequence_length * (c.batch_ramp?.start ?? c.batch_size))
        }
        log(String(format: "train: %d documents, %.1f MB in %d groups → %d training tokens (%d windows of %d); validation %d tokens",
                   texts.count, Double(bytes.values.reduce(0, +)) / 1e6, split.groups.count, training.tokenCount, training.count,
                   c.sequence_length, validation.reduce(0) { $0 + $1.windows.tokenCount }))
        return TrainingData(training: training, validation: validation, vocabularySize: tokenizer.vocabularySize,
                            paddedVocabularySize: tokenizer.paddedEmbeddingSize(), eos: Int32(eos), padding: Int32(padding),
                            documents: documents, bytes: bytes)
    }

    public static func loadTokenizer(_ path: String) throws -> Tokenizer {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrainingError.missingInput(what: "tokenizer.json", searched: [path])
        }
        do { return try Tokenizer(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TrainingError.missingInput(what: "a readable tokenizer (\(error))", searched: [path])
        }
    }

    /// BLOOM's `</s>` (EOS, appended to every document) and `<pad>` (falls back to EOS).
    public static func specialTokens(_ tokenizer: Tokenizer, file: String) throws -> (eos: TokenID, padding: TokenID) {
        guard let eos = tokenizer.id(forToken: "</s>") else {
            throw TrainingError.missingInput(what: "an end-of-document token </s> in the tokenizer", searched: [file])
        }
        return (eos, tokenizer.id(forToken: "<pad>") ?? eos)
    }
}
