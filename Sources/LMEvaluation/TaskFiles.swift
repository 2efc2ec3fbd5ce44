import CanonicalJSON
import ContentDigest
import FileIO
import Foundation
import PromptedData

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

/// Reads `trellis.corpus.eval` JSON-lines files (header line checked; records through
/// `RecordFiles`, the one record reader) and their SHA-256.
public enum TaskFiles {
    public static func records(_ path: String) throws -> (digest: String, records: [RecordFiles.Record]) {
        guard let data = FileContents.read(path) else { throw EvalError.missingInput(what: "task file", searched: [path]) }
        let header = try? JSONValue.parse(Data(data.prefix { $0 != 0x0A }))
        guard header?["format"] == .string("trellis.corpus.eval"), (header?["version"]?.intValue ?? 99) <= 1 else {
            throw EvalError.badTaskFile(path: path, line: 1, problem: "expected a trellis.corpus.eval version 1 header")
        }
        do { return (Digest.of(bytes: data).hex, try RecordFiles.jsonLines(data, path: path)) } catch let e as RecordFiles.ReadError {
            throw EvalError.badTaskFile(path: e.path, line: e.line, problem: e.problem)
        }
    }

    public static func choiceItems(_ path: String) throws -> (digest: String, items: [ChoiceItem]) {
        let (digest, records) = try records(path)
        let items = try records.enumerated().map { index, r -> ChoiceItem in
            guard case .string(let question)? = r["question"], case .list(let values)? = r["choices"], case .int(let answer)? = r["answer"],
                  case let choices = values.compactMap({ v -> String? in if case .string(let s) = v { return s }; return nil }),
                  choices.count == values.count, choices.indices.contains(answer) else {
                throw EvalError.badTaskFile(path: path, line: index + 2, problem: "a multiple-choice item needs question, choices and an answer index")
            }
            return ChoiceItem(question: question, choices: choices, answer: answer)
        }
        return (digest, items)
    }

    public static func parallelPairs(_ path: String) throws -> (digest: String, pairs: [ParallelPair]) {
        let (digest, records) = try records(path)
        let pairs = try records.enumerated().map { index, r -> ParallelPair in
            guard case .string(let src)? = r["src"], case .string(let tgt)? = r["tgt"] else {
                throw EvalError.badTaskFile(path: path, line: index + 2, problem: "a parallel pair needs src and tgt")
            }
            return ParallelPair(english: src, other: tgt)
        }
        return (digest, pairs)
    }
}
