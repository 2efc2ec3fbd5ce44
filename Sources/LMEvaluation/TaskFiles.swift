import ContentDigest
import FileIO
import Foundation

/// A multiple-choice item of the corpus' `eval/mc/` files.
public struct ChoiceItem: Sendable, Equatable {
    public var question: String
    public var choices: [String]
    public var answer: Int
}

/// A sentence pair of the corpus' `eval/parallel/` files (`src` English, `tgt` the other language).
public struct ParallelPair: Sendable, Equatable {
    public var english: String
    public var other: String
}

/// Reads `trellis.corpus.eval` JSON-lines files (header line checked) and their SHA-256.
public enum TaskFiles {
    public static func records(_ path: String) throws -> (digest: String, records: [[String: Any]]) {
        guard let data = FileContents.read(path) else { throw EvalError.missingInput(what: "task file", searched: [path]) }
        var records: [[String: Any]] = []
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                throw EvalError.badTaskFile(path: path, line: index + 1, problem: "not a JSON object")
            }
            if index == 0 {
                guard object["format"] as? String == "trellis.corpus.eval", (object["version"] as? Int ?? 99) <= 1 else {
                    throw EvalError.badTaskFile(path: path, line: 1, problem: "expected a trellis.corpus.eval version 1 header")
                }
                continue
            }
            records.append(object)
        }
        return (Digest.of(bytes: data).hex, records)
    }

    public static func choiceItems(_ path: String) throws -> (digest: String, items: [ChoiceItem]) {
        let (digest, records) = try records(path)
        let items = try records.enumerated().map { index, r -> ChoiceItem in
            guard let question = r["question"] as? String, let choices = r["choices"] as? [String], let answer = r["answer"] as? Int,
                  choices.indices.contains(answer) else {
                throw EvalError.badTaskFile(path: path, line: index + 2, problem: "a multiple-choice item needs question, choices and an answer index")
            }
            return ChoiceItem(question: question, choices: choices, answer: answer)
        }
        return (digest, items)
    }

    public static func parallelPairs(_ path: String) throws -> (digest: String, pairs: [ParallelPair]) {
        let (digest, records) = try records(path)
        let pairs = try records.enumerated().map { index, r -> ParallelPair in
            guard let src = r["src"] as? String, let tgt = r["tgt"] as? String else {
                throw EvalError.badTaskFile(path: path, line: index + 2, problem: "a parallel pair needs src and tgt")
            }
            return ParallelPair(english: src, other: tgt)
        }
        return (digest, pairs)
    }
}
