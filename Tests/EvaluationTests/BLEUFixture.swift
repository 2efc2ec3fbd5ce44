import Foundation
@testable import Evaluation

/// `Fixtures/bleu.json`, written by `scripts/oracles/make_bleu_fixtures.py` from sacrebleu itself.
struct BLEUFixture: Decodable {
    struct Tokenization: Decodable {
        var input: String
        var tokenized: String
    }

    struct Case: Decodable {
        var name: String
        var hypotheses: [String]
        var references: [[String]]
        var corpus: BLEUScore
        var sentences: [SentenceScore]
        var sentenceSignature: String

        enum CodingKeys: String, CodingKey {
            case name, hypotheses, references, corpus, sentences
            case sentenceSignature = "sentence_signature"
        }
    }

    /// A sentence score stored without its signature (shared per case as `sentence_signature`).
    struct SentenceScore: Decodable {
        var score: Double
        var counts: [Int]
        var totals: [Int]
        var precisions: [Double]
        var bp: Double
        var sysLen: Int
        var refLen: Int

        enum CodingKeys: String, CodingKey {
            case score, counts, totals, precisions, bp
            case sysLen = "sys_len"
            case refLen = "ref_len"
        }
    }

    var sacrebleuVersion: String
    var tokenization: [Tokenization]
    var cases: [Case]

    enum CodingKeys: String, CodingKey {
        case tokenization, cases
        case sacrebleuVersion = "sacrebleu_version"
    }

    static let shared: BLEUFixture = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/bleu.json")
        do {
            return try JSONDecoder().decode(BLEUFixture.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot load \(url.path): \(error)")
        }
    }()
}

/// |a − b| relative to the larger magnitude; 0 when both are exactly equal (including both 0).
func relativeDeviation(_ a: Double, _ b: Double) -> Double {
    if a == b { return 0 }
    return abs(a - b) / max(abs(a), abs(b))
}

/// Exact Python-style string equality: same Unicode scalars (Swift `==` would accept canonical equivalents).
func sameScalars(_ a: String, _ b: String) -> Bool {
    Array(a.unicodeScalars) == Array(b.unicodeScalars)
}
