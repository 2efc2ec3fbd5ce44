import Foundation
import Testing
@testable import Tokenization

/// Paths and loaders for the committed fixtures (see Fixtures/README.md).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }

    static func json(_ name: String) throws -> OrderedJSON { try OrderedJSON.parse(bytes(name)) }

    /// The held-out inputs: one per line of heldout.txt, split on the byte "\n" only (a
    /// String split would treat "\r\n" as one character).
    static func heldOutLines() throws -> [String] {
        try bytes("heldout.txt").split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// Records one issue per differing line (instead of printing two huge arrays).
    static func expectSameIDs(_ ours: [[TokenID]], _ expected: [[TokenID]], lines: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.count == expected.count, sourceLocation: sourceLocation)
        var differing = 0
        for (k, line) in lines.enumerated() where k < ours.count && k < expected.count && ours[k] != expected[k] {
            differing += 1
            if differing <= 5 {
                Issue.record("line \(k) \(line.debugDescription): ours \(ours[k]) expected \(expected[k])",
                             sourceLocation: sourceLocation)
            }
        }
        #expect(differing == 0, "\(differing) of \(lines.count) lines differ", sourceLocation: sourceLocation)
    }

    /// A JSON array of arrays of integers as [[TokenID]].
    static func idLists(_ name: String) throws -> [[TokenID]] {
        guard case .array(let rows) = try json(name) else { return [] }
        return rows.map { row in
            guard case .array(let items) = row else { return [] }
            return items.map { item -> TokenID in
                if case .number(let n) = item { return TokenID(n)! }
                return .max
            }
        }
    }

    /// Trains on train.txt like the oracle does (files, line by line).
    static func train(vocabularySize: Int, reserved: Int = 0, dedup: Bool = false,
                      workers: Int = 2, chunkSize: Int = 8 << 20) throws -> Tokenizer {
        var options = BPETrainerConfiguration(vocabularySize: vocabularySize, reservedTokens: reserved, deduplicateLines: dedup)
        options.workers = workers
        options.chunkSize = chunkSize
        return try BPETrainer(options).train(files: [url("train.txt").path]).tokenizer
    }

    /// Compares merge lists, reporting the count and the first difference instead of both
    /// lists in full.
    static func expectSameMerges(_ ours: [[String]], _ expected: [[String]],
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.count == expected.count, "merge count", sourceLocation: sourceLocation)
        if let k = (0..<min(ours.count, expected.count)).first(where: { ours[$0] != expected[$0] }) {
            Issue.record("first differing merge #\(k): ours \(ours[k]), expected \(expected[k])", sourceLocation: sourceLocation)
        }
    }

    /// Merges of a tokenizer as token-string pairs.
    static func mergeStrings(_ tokenizer: Tokenizer) -> [[String]] {
        tokenizer.model.merges.map { [tokenizer.model.tokens[Int($0.left)], tokenizer.model.tokens[Int($0.right)]] }
    }

    /// Merges and vocabulary of an HF tokenizer.json, as strings.
    static func hfModel(_ name: String) throws -> (vocab: [String], merges: [[String]]) {
        let root = try json(name)
        guard case .object(let vocab)? = root["model"]?["vocab"], case .array(let merges)? = root["model"]?["merges"] else {
            return ([], [])
        }
        let tokens = vocab.sorted { Int(number($0.1))! < Int(number($1.1))! }.map(\.0)
        let pairs = merges.map { item -> [String] in
            guard case .array(let pair) = item else { return [] }
            return pair.map { if case .string(let s) = $0 { return s } else { return "" } }
        }
        return (tokens, pairs)
    }

    private static func number(_ value: OrderedJSON) -> String {
        if case .number(let n) = value { return n }
        return ""
    }
}

/// A small seeded generator (SplitMix64) so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
