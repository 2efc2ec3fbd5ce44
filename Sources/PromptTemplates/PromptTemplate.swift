/// A Jinja-style prompt template (the subset lm-evaluation-harness and promptsource templates use),
/// parsed once and rendered against a document.
///
/// Semantics follow Jinja 3 as lm-evaluation-harness configures it: `StrictUndefined` (a missing
/// field is an error naming it, never an empty string), Jinja's default whitespace handling, values
/// printed as Python prints them (`['a', 'b']`, `None`, `True`). Supported: `{{ }}`, `{% if/elif/else %}`,
/// `{% for %}` (with `loop.index`, `loop.first` …, `else`), `{% set %}`, `{# #}`, whitespace control,
/// attribute and item access, slices, list and dict literals, arithmetic, comparisons, `in`, `is`
/// tests, the common filters and string methods (`TemplateBuiltins`). Anything else is an error
/// of kind `.unsupported` when the template is parsed, not a silent difference.
public struct PromptTemplate: Sendable {
    public let source: String
    let nodes: [TemplateNode]

    public init(_ source: String) throws {
        self.source = source
        nodes = try TemplateParser.parse(try TemplateLexer.tokenize(source))
    }

    /// Renders against `variables` (a document's fields).
    public func render(_ variables: [String: TemplateValue]) throws -> String {
        var renderer = TemplateRenderer(scopes: [variables])
        var out = ""
        try renderer.render(nodes, into: &out)
        return out
    }

    /// Parses Python literal syntax (`['a', 'b']`, `3`, `'x'`), as `ast.literal_eval` does for a
    /// rendered `doc_to_choice`; nil when the text is not a literal.
    public static func literal(_ text: String) -> TemplateValue? {
        guard let tokens = try? TemplateLexer.tokenize("{{ " + text + " }}"), tokens.count >= 2 else { return nil }
        var parser = ExpressionParser(tokens[1..<(tokens.count - 1)], end: .start)
        guard let expression = try? parser.parse(), parser.atEnd, Self.isLiteral(expression) else { return nil }
        var renderer = TemplateRenderer(scopes: [])
        return try? renderer.evaluate(expression, at: .start)
    }

    private static func isLiteral(_ e: TemplateExpression) -> Bool {
        switch e {
        case .literal: return true
        case .list(let items): return items.allSatisfy(isLiteral)
        case .dict(let members): return members.allSatisfy { isLiteral($0.0) && isLiteral($0.1) }
        case .unary("-", let inner): if case .literal = inner { return true }; return false
        default: return false
        }
    }
}
