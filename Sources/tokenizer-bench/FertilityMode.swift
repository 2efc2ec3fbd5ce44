import Foundation
import Tokenization

/// `tokenizer-bench --fertility CORPUS [--vocab N] [--out DIR]`: BLOOM's fertility check on a
/// labelled corpus (CORPUS.sources.json from scripts/corpus/build_bench_corpus.py). Every 10th
/// line of each language is held out; the multilingual tokenizer is trained on all other
/// lines, each monolingual one on its language's other lines, all with the same vocabulary.
enum FertilityMode {
    struct Span: Decodable {
        var label: String
        var lines: [Int]
    }

    static func run(corpus: String, vocabularySize: Int, out: String?) throws {
        let spans = try JSONDecoder().decode([Span].self, from: Data(contentsOf: URL(fileURLWithPath: corpus + ".sources.json")))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: corpus)))
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var order: [String] = []
        var training: [String: [String]] = [:], evaluation: [String: [String]] = [:]
        for span in spans {
            if training[span.label] == nil { order.append(span.label) }
            for i in span.lines[0]..<span.lines[1] {
                if i % 10 == 9 {
                    evaluation[span.label, default: []].append(lines[i])
                } else {
                    training[span.label, default: []].append(lines[i] + "\n")
                }
            }
        }
        let options = BPETrainerConfiguration(vocabularySize: vocabularySize)
        let all = order.flatMap { training[$0]! }
        let multilingual = try BPETrainer(options).train(texts: all).tokenizer
        let samples = order.map { LanguageSample(name: $0, trainingLines: training[$0]!, evaluationTexts: evaluation[$0]!) }
        let report = try Fertility.report(multilingual: multilingual, languages: samples, configuration: options)
        print(report.markdown)
        if let out {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: out + "/fertility.json"))
            try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: out + "/fertility.md"))
        }
    }
}
