import Foundation
import Tokenization

/// A byte-level tokenizer with a few merges, trained in memory.
enum TinyTokenizer {
    static func make() throws -> Tokenizer {
        try BPETrainer(BPETrainerConfiguration(vocabularySize: 280)).train(texts: ["the cat sat on the mat", "le chat est sur le tapis"]).tokenizer
    }
}
