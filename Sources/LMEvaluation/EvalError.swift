import Foundation

/// Why an eval stage could not run, naming the field, file or task.
public enum EvalError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(field: String, problem: String)
    case missingInput(what: String, searched: [String])
    case badTaskFile(path: String, line: Int, problem: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(field, problem): return "with.\(field): \(problem)"
        case let .missingInput(what, searched):
            return "eval: no \(what) (looked in: \(searched.joined(separator: ", "))) --- hint: add the train and corpus stages to `needs`"
        case let .badTaskFile(path, line, problem): return "\(path):\(line): \(problem)"
        }
    }
}
