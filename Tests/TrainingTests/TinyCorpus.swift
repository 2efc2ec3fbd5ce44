import Foundation
import Tokenization
@testable import Training

/// A small two-language corpus folder (corpus-stage layout) and a tokenizer trained on it.
struct TinyCorpus {
    let root: String
    var corpus: String { root + "/corpus" }
    var tokenizer: String { root + "/tokenizer.json" }

    init() throws {
        root = NSTemporaryDirectory() + "trellis-training-\(UUID().uuidString)"
        let words = ["en": ["the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "house", "green", "small", "big"],
                     "fr": ["le", "chat", "est", "sur", "un", "tapis", "et", "chien", "court", "vers", "maison", "vert", "petit"]]
        var all: [String] = []
        for (language, vocabulary) in words.sorted(by: { $0.key < $1.key }) {
            var lines = [#"{"format":"trellis.corpus.shard","group":"\#(language)","index":0,"version":1}"#]
            var state: UInt64 = language == "en" ? 7 : 11
            for d in 0..<120 {
                var sentence: [String] = []
                for _ in 0..<(8 + d % 9) {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    sentence.append(vocabulary[Int(state >> 33) % vocabulary.count])
                }
                let text = sentence.joined(separator: " ") + "."
                all.append(text)
                let record: [String: Any] = ["id": "\(language)/\(d)", "kind": "text", "lang": language, "license": "CC0", "package": "test",
                                             "source": "test", "text": text, "version": "1"]
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self))
            }
            let folder = root + "/corpus/shards/\(language)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/\(language)-00000.jsonl", atomically: true, encoding: .utf8)
        }
        try "{}".write(toFile: root + "/corpus/manifest.json", atomically: true, encoding: .utf8)
        let outcome = try BPETrainer(BPETrainerConfiguration(vocabularySize: 300)).train(texts: all)
        try outcome.tokenizer.write(to: URL(fileURLWithPath: tokenizer))
    }

    /// A tiny configuration: 2 layers × 16 hidden, windows of 16 tokens, batch 4.
    static func configuration(tokens: Int = 1024, workers: Int = 1) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.model.hidden = 16; c.model.layers = 2; c.model.heads = 2
        c.sequence_length = 16; c.batch_size = 4; c.tokens = tokens
        c.lr = 3e-3; c.min_lr = 3e-4; c.warmup_tokens = 128
        c.workers = workers; c.checkpoint_every = 4; c.validation_every = 4
        c.validation_percent = 10; c.validation_tokens = 64; c.log_every = 1000
        return c
    }

    func paths(_ name: String) -> TrainingRun.Paths {
        TrainingRun.Paths(corpusFolder: corpus, tokenizerFile: tokenizer, output: root + "/\(name)/out", checkpointRoot: root + "/\(name)/resume")
    }
}
