/// Errors from encoding, decoding, training and file handling (everything except the
/// contents of a `tokenizer.json`, which ``TokenizerFileError`` covers).
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// `decode` met an id that is not in the vocabulary.
    case unknownTokenID(TokenID, vocabularySize: Int)
    /// A training option is out of range; `field` names it.
    case invalidConfiguration(field: String, problem: String)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// The training input held no text at all.
    case emptyTrainingData
    /// Training was stopped by its `isCancelled` check.
    case cancelled

    public var description: String {
        switch self {
        case let .unknownTokenID(id, size):
            return "token id \(id) is not in the vocabulary (size \(size))"
        case let .invalidConfiguration(field, problem):
            return "invalid tokenizer training option '\(field)': \(problem)"
        case let .io(path, message):
            return "\(path): \(message)"
        case .emptyTrainingData:
            return "the tokenizer training input is empty --- hint: check the input paths or glob"
        case .cancelled:
            return "tokenizer training was cancelled"
        }
    }
}
