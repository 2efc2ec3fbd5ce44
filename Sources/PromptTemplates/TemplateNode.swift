/// A parsed template: text, `{{ expression }}`, `{% if %}`, `{% for %}` and `{% set %}`.
indirect enum TemplateNode: Sendable {
    case text(String)
    case output(TemplateExpression, TemplatePosition)
    /// `if` / `elif` branches in order, then the `else` body.
    case conditional([(TemplateExpression, [TemplateNode])], otherwise: [TemplateNode], TemplatePosition)
    /// `for a[, b] in iterable` with an optional `else` body (run when the iterable is empty).
    case loop(variables: [String], iterable: TemplateExpression, body: [TemplateNode], otherwise: [TemplateNode], TemplatePosition)
    case assignment(String, TemplateExpression, TemplatePosition)
}

/// Builds the node tree from the lexer's tokens, checking that every block is closed.
struct TemplateParser {
    private var tokens: ArraySlice<TemplateLexer.Token>

    static func parse(_ tokens: [TemplateLexer.Token]) throws -> [TemplateNode] {
        var parser = TemplateParser(tokens: tokens[...])
        let (nodes, stop) = try parser.parseBody(until: [])
        if let stop { throw stop.position.error(.syntax, "'\(stop.name)' without an open block") }
        return nodes
    }

    private init(tokens: ArraySlice<TemplateLexer.Token>) { self.tokens = tokens }

    /// A block tag that ends the current body (`elif`, `else`, `endif`, `endfor`), with its tokens.
    struct Stop {
        var name: String
        var arguments: ArraySlice<TemplateLexer.Token>
        var position: TemplatePosition
        var end: TemplatePosition
    }

    private mutating func parseBody(until stops: Set<String>) throws -> ([TemplateNode], Stop?) {
        var nodes: [TemplateNode] = []
        while let token = tokens.popFirst() {
            switch token.kind {
            case .text(let text):
                nodes.append(.text(text))
            case .outputStart:
                let (inner, end) = try takeTag(closing: .outputEnd, opened: token.position)
                var parser = ExpressionParser(inner, end: end)
                if parser.atEnd { throw token.position.error(.syntax, "empty expression '{{ }}'") }
                let expression = try parser.parse()
                if !parser.atEnd { throw parser.here.error(.syntax, "unexpected \(ExpressionParser.describe(parser.tokens.first!.kind)) after the expression") }
                nodes.append(.output(expression, token.position))
            case .blockStart:
                let (inner, end) = try takeTag(closing: .blockEnd, opened: token.position)
                guard case .name(let name) = inner.first?.kind else { throw token.position.error(.syntax, "a '{%' tag must start with a name such as if, for or set") }
                let arguments = inner.dropFirst()
                switch name {
                case "if": nodes.append(try parseConditional(arguments, position: token.position, end: end))
                case "for": nodes.append(try parseLoop(arguments, position: token.position, end: end))
                case "set": nodes.append(try parseAssignment(arguments, position: token.position, end: end))
                case "elif", "else", "endif", "endfor":
                    let stop = Stop(name: name, arguments: arguments, position: token.position, end: end)
                    guard stops.contains(name) else { throw token.position.error(.syntax, "'\(name)' without an open block") }
                    return (nodes, stop)
                default:
                    throw token.position.error(.unsupported, "the '\(name)' tag is not supported (supported: if, elif, else, for, set)")
                }
            default:
                throw token.position.error(.syntax, "unexpected token")
            }
        }
        return (nodes, nil)
    }

    private mutating func takeTag(closing: TemplateLexer.Kind, opened: TemplatePosition) throws -> (ArraySlice<TemplateLexer.Token>, TemplatePosition) {
        guard let close = tokens.firstIndex(where: { $0.kind == closing }) else { throw opened.error(.syntax, "tag is never closed") }
        let inner = tokens[tokens.startIndex..<close]
        let end = tokens[close].position
        tokens = tokens[(close + 1)...]
        return (inner, end)
    }

    private func expression(_ tokens: ArraySlice<TemplateLexer.Token>, end: TemplatePosition) throws -> TemplateExpression {
        var parser = ExpressionParser(tokens, end: end)
        let e = try parser.parse()
        if !parser.atEnd { throw parser.here.error(.syntax, "unexpected \(ExpressionParser.describe(parser.tokens.first!.kind)) in the tag") }
        return e
    }

    private mutating func parseConditional(_ arguments: ArraySlice<TemplateLexer.Token>, position: TemplatePosition, end: TemplatePosition) throws -> TemplateNode {
        var branches: [(TemplateExpression, [TemplateNode])] = []
        var condition = try expression(arguments, end: end)
        while true {
            let (body, stop) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            guard let stop else { throw position.error(.syntax, "'if' is never closed with 'endif'") }
            switch stop.name {
            case "elif": condition = try expression(stop.arguments, end: stop.end)
            case "else":
                let (otherwise, last) = try parseBody(until: ["endif"])
                guard last != nil else { throw position.error(.syntax, "'if' is never closed with 'endif'") }
                return .conditional(branches, otherwise: otherwise, position)
            default: return .conditional(branches, otherwise: [], position)
            }
        }
    }

    private mutating func parseLoop(_ arguments: ArraySlice<TemplateLexer.Token>, position: TemplatePosition, end: TemplatePosition) throws -> TemplateNode {
        var parser = ExpressionParser(arguments, end: end)
        var variables = [try parser.expectName()]
        while parser.peekOp(",") { _ = parser.next(); variables.append(try parser.expectName()) }
        guard parser.peekName("in") else { throw parser.here.error(.syntax, "expected 'in'\(parser.found)") }
        _ = parser.next()
        let iterable = try parser.parse()
        if !parser.atEnd { throw parser.here.error(.unsupported, "loop filters and 'recursive' are not supported") }
        let (body, stop) = try parseBody(until: ["else", "endfor"])
        guard let stop else { throw position.error(.syntax, "'for' is never closed with 'endfor'") }
        var otherwise: [TemplateNode] = []
        if stop.name == "else" {
            let (elseBody, last) = try parseBody(until: ["endfor"])
            guard last != nil else { throw position.error(.syntax, "'for' is never closed with 'endfor'") }
            otherwise = elseBody
        }
        return .loop(variables: variables, iterable: iterable, body: body, otherwise: otherwise, position)
    }

    private func parseAssignment(_ arguments: ArraySlice<TemplateLexer.Token>, position: TemplatePosition, end: TemplatePosition) throws -> TemplateNode {
        var parser = ExpressionParser(arguments, end: end)
        let name = try parser.expectName()
        guard parser.peekOp("=") else { throw parser.here.error(.unsupported, "only '{% set name = expression %}' is supported") }
        _ = parser.next()
        let value = try parser.parse()
        if !parser.atEnd { throw parser.here.error(.syntax, "unexpected \(ExpressionParser.describe(parser.tokens.first!.kind)) in the tag") }
        return .assignment(name, value, position)
    }
}
