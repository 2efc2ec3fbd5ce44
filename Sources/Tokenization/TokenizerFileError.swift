/// Why a `tokenizer.json` could not be loaded. Every case names the offending field as a
/// path such as `model.merges[12]` or `pre_tokenizer.pretokenizers[0].pattern.Regex`.
public enum TokenizerFileError: Error, Equatable, CustomStringConvertible {
    /// Not JSON at all; `offset` is the byte where parsing failed.
    case malformedJSON(offset: Int, problem: String)
    /// A required field is absent.
    case missingField(String)
    /// A field has the wrong JSON type.
    case wrongType(field: String, expected: String, found: String)
    /// A field holds a value this library does not implement (e.g. another pre-tokenizer).
    case unsupported(field: String, value: String, hint: String)
    /// A field is well-typed but inconsistent (unknown token in a merge, duplicate id, …).
    case invalid(field: String, problem: String)

    public var description: String {
        switch self {
        case let .malformedJSON(offset, problem):
            return "tokenizer.json is not valid JSON (byte \(offset)): \(problem)"
        case let .missingField(field):
            return "tokenizer.json: missing field '\(field)'"
        case let .wrongType(field, expected, found):
            return "tokenizer.json: '\(field)' should be \(expected), found \(found)"
        case let .unsupported(field, value, hint):
            return "tokenizer.json: unsupported '\(field)' = \(value) --- hint: \(hint)"
        case let .invalid(field, problem):
            return "tokenizer.json: '\(field)' \(problem)"
        }
    }
}
