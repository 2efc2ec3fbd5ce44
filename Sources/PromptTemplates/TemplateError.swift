/// Why a template did not parse or render; `line`/`column` are 1-based positions in the template text.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The text is not a template of the supported Jinja subset.
        case syntax
        /// A name or member the data does not have (Jinja's StrictUndefined, as lm-evaluation-harness uses).
        case undefined
        /// An operation on values of the wrong type (`"a" + 1`, `none.strip()`).
        case type
        /// A value out of range (`[1][5]`, `int("x")`, a division by zero).
        case value
        /// A construct of Jinja that this engine does not implement.
        case unsupported
    }

    public var kind: Kind
    public var message: String
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, _ message: String, line: Int, column: Int) {
        self.kind = kind; self.message = message; self.line = line; self.column = column
    }

    public var description: String { "template line \(line), column \(column): \(message)" }
}

/// A position in the template text, carried by every token and node so errors can name it.
public struct TemplatePosition: Equatable, Sendable {
    public var line: Int
    public var column: Int
    public static let start = TemplatePosition(line: 1, column: 1)

    func error(_ kind: TemplateError.Kind, _ message: String) -> TemplateError {
        TemplateError(kind, message, line: line, column: column)
    }
}
