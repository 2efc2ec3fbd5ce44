import ArgumentParser
import Foundation
import Tokenization

struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Train or apply a BLOOM-style byte-level BPE tokenizer.",
        subcommands: [Train.self, Encode.self]
    )
}

extension TokenizerCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train on text files (read line by line) and write an HF tokenizer.json.")

        @Option(name: .customLong("input"), parsing: .upToNextOption, help: "Training text files.")
        var inputs: [String] = []

        @Option(name: .customLong("vocab-size"), help: "Total vocabulary: special + reserved tokens, 256 bytes, merges.")
        var vocabSize: Int

        @Option(help: "Number of <reserved_N> tokens after the special tokens.")
        var reserved: Int = 0

        @Flag(name: .customLong("dedup-lines"), help: "Count each distinct line once.")
        var dedupLines = false

        @Option(help: "Where to write tokenizer.json.")
        var out: String

        func validate() throws {
            guard !inputs.isEmpty else { throw ValidationError("give at least one --input FILE") }
            for path in inputs where !FileManager.default.isReadableFile(atPath: path) {
                throw ValidationError("cannot read --input \(path)")
            }
        }

        func run() throws {
            let options = BPETrainerConfiguration(vocabularySize: vocabSize, reservedTokens: reserved, deduplicateLines: dedupLines)
            let progress = StderrProgress()
            let outcome = try BPETrainer(options).train(files: inputs) { progress.report($0) }
            try outcome.tokenizer.write(to: URL(fileURLWithPath: out))
            let s = outcome.statistics
            print(String(format: "wrote %@: %d tokens (%d merges, embedding %d rows) from %d lines (%d kept) in %.2f s",
                         out, s.vocabularySize, s.merges, outcome.tokenizer.paddedEmbeddingSize(), s.sequences,
                         s.keptSequences, s.trainingSeconds))
        }
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode stdin line by line; print one line of ids per input line.")

        @Option(help: "A tokenizer.json (ours or HF's byte-level BPE in BLOOM's format).")
        var tokenizer: String

        @Flag(help: "Print each line's ids as a JSON array.")
        var json = false

        func run() throws {
            let model = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer))
            let input = FileHandle.standardInput
            var carry: [UInt8] = []
            var output = BufferedStdout()
            while true {
                let chunk = try input.read(upToCount: 4 << 20) ?? Data()
                if chunk.isEmpty { break }
                carry.append(contentsOf: chunk)
                guard let last = carry.lastIndex(of: 0x0A) else { continue }
                emit(model, lines: carry[..<last], into: &output)
                carry.removeSubrange(...last)
            }
            if !carry.isEmpty { emit(model, lines: carry[...], into: &output) }
            output.flush()
        }

        /// Encodes the "\n"-separated lines of `bytes` (no trailing "\n") in parallel.
        private func emit(_ model: Tokenizer, lines bytes: ArraySlice<UInt8>, into output: inout BufferedStdout) {
            let buffer = Array(bytes)
            var ranges: [Range<Int>] = []
            var start = 0
            for (i, byte) in buffer.enumerated() where byte == 0x0A {
                ranges.append(start..<i)
                start = i + 1
            }
            ranges.append(start..<buffer.count)
            for ids in model.encodeBatch(buffer, ranges: ranges) {
                let body = ids.map(String.init).joined(separator: json ? "," : " ")
                output.write(json ? "[" + body + "]\n" : body + "\n")
            }
        }
    }
}

/// Prints training progress to stderr about every 10%.
private final class StderrProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var last = -1

    func report(_ event: TrainingProgress) {
        let line: String?
        switch event {
        case let .counting(read, total) where total > 0:
            line = step(Int(10 * Double(read) / Double(total)), String(format: "counting %.1f/%.1f MB", Double(read) / 1e6, Double(total) / 1e6))
        case let .counted(pieces, sequences, kept):
            line = "\(pieces) distinct pieces from \(kept)/\(sequences) lines"
        case let .merging(done, total) where total > 0:
            line = step(11 + Int(10 * Double(done) / Double(total)), "merges \(done)/\(total)")
        default:
            line = nil
        }
        if let line { FileHandle.standardError.write(Data(("tokenizer: " + line + "\n").utf8)) }
    }

    private func step(_ value: Int, _ message: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard value > last else { return nil }
        last = value
        return message
    }
}

/// Collects output and writes it to stdout in large blocks.
private struct BufferedStdout {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
