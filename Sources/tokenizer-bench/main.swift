import Foundation
import Tokenization

// tokenizer-bench: times BPE training and batch encoding on a text corpus.
//
//   tokenizer-bench CORPUS [--vocab N] [--runs R] [--workers W] [--out DIR]
//   tokenizer-bench --oracle-export TRAIN HELDOUT VOCAB DIR
//   tokenizer-bench --fertility CORPUS [--vocab N] [--out DIR]
//
// The first form prints a JSON report on stdout (progress on stderr) and, with --out, writes
// DIR/swift-tokenizer.json and DIR/swift-report.json. The second form trains on TRAIN, writes
// DIR/swift-tokenizer.json and DIR/swift-heldout-ids.json (ids of each HELDOUT line) for
// scripts/oracles/hf_oracle.py check. The third prints BLOOM's fertility comparison (see
// FertilityMode.swift).

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(value).write(to: URL(fileURLWithPath: path))
}

var arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "--oracle-export" {
        guard arguments.count == 5, let vocab = Int(arguments[3]) else { fail("usage: --oracle-export TRAIN HELDOUT VOCAB DIR") }
        let outcome = try BPETrainer(BPETrainerConfiguration(vocabularySize: vocab)).train(files: [arguments[1]])
        let dir = URL(fileURLWithPath: arguments[4])
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try outcome.tokenizer.write(to: dir.appendingPathComponent("swift-tokenizer.json"))
        let held = try Data(contentsOf: URL(fileURLWithPath: arguments[2]))
        let lines = [UInt8](held).split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { Array($0) }
        let ids = outcome.tokenizer.encodeBatch(lines).map { $0.map(Int.init) }
        try writeJSON(ids, to: dir.appendingPathComponent("swift-heldout-ids.json").path)
        print("wrote \(dir.path)/swift-tokenizer.json (vocab \(outcome.tokenizer.vocabularySize)) and swift-heldout-ids.json (\(ids.count) lines)")
        exit(0)
    }
    let fertility = arguments.first == "--fertility"
    if fertility { arguments.removeFirst() }
    guard let corpus = arguments.first, !corpus.hasPrefix("--") else {
        fail("usage: tokenizer-bench CORPUS [--vocab N] [--runs R] [--workers W] [--out DIR]")
    }
    arguments.removeFirst()
    var vocab = 8192, runs = 3, workers = ProcessInfo.processInfo.activeProcessorCount
    var out: String?
    while !arguments.isEmpty {
        let flag = arguments.removeFirst()
        guard let value = arguments.first else { fail("missing value for \(flag)") }
        arguments.removeFirst()
        switch flag {
        case "--vocab": vocab = Int(value) ?? vocab
        case "--runs": runs = Int(value) ?? runs
        case "--workers": workers = Int(value) ?? workers
        case "--out": out = value
        default: fail("unknown option \(flag)")
        }
    }
    if fertility {
        try FertilityMode.run(corpus: corpus, vocabularySize: vocab, out: out)
        exit(0)
    }
    let (report, tokenizer) = try TokenizerBenchmark.run(corpus: corpus, vocabularySize: vocab, runs: runs, workers: workers) {
        FileHandle.standardError.write(Data(("[swift] " + $0 + "\n").utf8))
    }
    FileHandle.standardError.write(Data(("[swift] " + report.summary + "\n").utf8))
    if let out {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try tokenizer.write(to: URL(fileURLWithPath: out).appendingPathComponent("swift-tokenizer.json"))
        try writeJSON(report, to: out + "/swift-report.json")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
} catch {
    fail("error: \(error)")
}
