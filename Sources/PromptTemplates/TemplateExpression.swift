/// An expression of a tag, as parsed (Jinja's grammar, without macros and keyword arguments).
indirect enum TemplateExpression: Sendable {
    case literal(TemplateValue)
    case name(String)
    case list([TemplateExpression])
    case dict([(TemplateExpression, TemplateExpression)])
    /// `x.name` (attribute, then item, as Jinja looks them up).
    case attribute(TemplateExpression, String)
    /// `x[i]`, `x["key"]`, and slices `x[a:b]`.
    case item(TemplateExpression, TemplateExpression)
    case slice(TemplateExpression, TemplateExpression?, TemplateExpression?)
    /// `f(args)` — a method of a value (`text.strip()`) or a global function (`range`).
    case call(TemplateExpression, [TemplateExpression])
    /// `x | name(args)`
    case filter(TemplateExpression, String, [TemplateExpression])
    /// `x is [not] name`
    case test(TemplateExpression, String, negated: Bool)
    case unary(String, TemplateExpression)
    case binary(String, TemplateExpression, TemplateExpression)
    /// `a if condition else b` (`b` undefined → empty string in Jinja; required here).
    case conditional(TemplateExpression, condition: TemplateExpression, otherwise: TemplateExpression?)
}

/// Recursive-descent parser over a tag's tokens, Jinja's precedence from loosest to tightest:
/// conditional, `or`, `and`, `not`, comparisons and `in` / `is`, `~`, `+ -`, `* / // %`, `**`,
/// unary `-`, then postfix `.name`, `[…]`, `(…)` and `| filter`.
struct ExpressionParser {
    var tokens: ArraySlice<TemplateLexer.Token>
    /// Where errors point when the tokens run out.
    let end: TemplatePosition

    init(_ tokens: ArraySlice<TemplateLexer.Token>, end: TemplatePosition) { self.tokens = tokens; self.end = end }

    var atEnd: Bool { tokens.isEmpty }
    var here: TemplatePosition { tokens.first?.position ?? end }

    mutating func next() -> TemplateLexer.Token? { tokens.popFirst() }

    func peekOp(_ op: String) -> Bool { if case .op(op) = tokens.first?.kind { return true }; return false }
    func peekName(_ name: String) -> Bool { if case .name(name) = tokens.first?.kind { return true }; return false }

    mutating func expectOp(_ op: String) throws {
        guard peekOp(op) else { throw here.error(.syntax, "expected '\(op)'\(found)") }
        _ = next()
    }

    var found: String {
        guard let t = tokens.first else { return " but the tag ended" }
        return ", found " + Self.describe(t.kind)
    }

    static func describe(_ kind: TemplateLexer.Kind) -> String {
        switch kind {
        case .name(let n): return "'\(n)'"
        case .op(let o): return "'\(o)'"
        case .string(let s): return "the string \(TemplateValue.quoted(s))"
        case .int(let i): return "\(i)"
        case .double(let d): return "\(d)"
        case .outputEnd: return "'}}'"
        case .blockEnd: return "'%}'"
        default: return "a tag"
        }
    }

    mutating func expectName() throws -> String {
        guard case .name(let n) = tokens.first?.kind else { throw here.error(.syntax, "expected a name\(found)") }
        _ = next()
        return n
    }

    mutating func parse() throws -> TemplateExpression {
        let condition = try parseOr()
        guard peekName("if") else { return condition }
        _ = next()
        let test = try parseOr()
        var otherwise: TemplateExpression?
        if peekName("else") { _ = next(); otherwise = try parse() }
        return .conditional(condition, condition: test, otherwise: otherwise)
    }

    mutating func parseOr() throws -> TemplateExpression {
        var left = try parseAnd()
        while peekName("or") { _ = next(); left = .binary("or", left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws -> TemplateExpression {
        var left = try parseNot()
        while peekName("and") { _ = next(); left = .binary("and", left, try parseNot()) }
        return left
    }

    mutating func parseNot() throws -> TemplateExpression {
        if peekName("not") { _ = next(); return .unary("not", try parseNot()) }
        return try parseComparison()
    }

    mutating func parseComparison() throws -> TemplateExpression {
        var left = try parseConcat()
        while true {
            if let op = ["==", "!=", "<", "<=", ">", ">="].first(where: peekOp) {
                _ = next(); left = .binary(op, left, try parseConcat())
            } else if peekName("in") {
                _ = next(); left = .binary("in", left, try parseConcat())
            } else if peekName("not"), case .name("in") = tokens.dropFirst().first?.kind {
                _ = next(); _ = next(); left = .binary("not in", left, try parseConcat())
            } else if peekName("is") {
                _ = next()
                var negated = false
                if peekName("not") { _ = next(); negated = true }
                left = .test(left, try expectName(), negated: negated)
            } else {
                return left
            }
        }
    }

    mutating func parseConcat() throws -> TemplateExpression {
        var left = try parseSum()
        while peekOp("~") { _ = next(); left = .binary("~", left, try parseSum()) }
        return left
    }

    mutating func parseSum() throws -> TemplateExpression {
        var left = try parseProduct()
        while let op = ["+", "-"].first(where: peekOp) { _ = next(); left = .binary(op, left, try parseProduct()) }
        return left
    }

    mutating func parseProduct() throws -> TemplateExpression {
        var left = try parsePower()
        while let op = ["*", "/", "//", "%"].first(where: peekOp) { _ = next(); left = .binary(op, left, try parsePower()) }
        return left
    }

    mutating func parsePower() throws -> TemplateExpression {
        let left = try parseUnary()
        if peekOp("**") { _ = next(); return .binary("**", left, try parseUnary()) }
        return left
    }

    mutating func parseUnary() throws -> TemplateExpression {
        if peekOp("-") { _ = next(); return .unary("-", try parseUnary()) }
        if peekOp("+") { _ = next(); return try parseUnary() }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws -> TemplateExpression {
        var value = try parsePrimary()
        while true {
            if peekOp(".") {
                _ = next()
                if case .int(let i) = tokens.first?.kind { _ = next(); value = .item(value, .literal(.int(i))); continue }
                value = .attribute(value, try expectName())
            } else if peekOp("[") {
                _ = next()
                var start: TemplateExpression?
                if !peekOp(":") { start = try parse() }
                if peekOp(":") {
                    _ = next()
                    var stop: TemplateExpression?
                    if !peekOp("]") { stop = try parse() }
                    try expectOp("]")
                    value = .slice(value, start, stop)
                } else {
                    try expectOp("]")
                    value = .item(value, start!)
                }
            } else if peekOp("(") {
                value = .call(value, try parseArguments())
            } else if peekOp("|") {
                _ = next()
                let name = try expectName()
                value = .filter(value, name, peekOp("(") ? try parseArguments() : [])
            } else {
                return value
            }
        }
    }

    mutating func parseArguments() throws -> [TemplateExpression] {
        try expectOp("(")
        var arguments: [TemplateExpression] = []
        while !peekOp(")") {
            if case .name = tokens.first?.kind, case .op("=") = tokens.dropFirst().first?.kind {
                throw here.error(.unsupported, "keyword arguments are not supported; pass arguments by position")
            }
            arguments.append(try parse())
            if !peekOp(")") { try expectOp(",") }
        }
        _ = next()
        return arguments
    }

    mutating func parsePrimary() throws -> TemplateExpression {
        guard let token = next() else { throw end.error(.syntax, "expected an expression but the tag ended") }
        switch token.kind {
        case .string(var s):
            while case .string(let more) = tokens.first?.kind { _ = next(); s += more }   // adjacent literals join
            return .literal(.string(s))
        case .int(let i): return .literal(.int(i))
        case .double(let d): return .literal(.double(d))
        case .name(let n):
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(n)
            }
        case .op("("):
            let inner = try parse()
            if peekOp(",") { throw here.error(.unsupported, "tuples are not supported; use a list [a, b]") }
            try expectOp(")")
            return inner
        case .op("["):
            var items: [TemplateExpression] = []
            while !peekOp("]") {
                items.append(try parse())
                if !peekOp("]") { try expectOp(",") }
            }
            _ = next()
            return .list(items)
        case .op("{"):
            var members: [(TemplateExpression, TemplateExpression)] = []
            while !peekOp("}") {
                let key = try parse()
                try expectOp(":")
                members.append((key, try parse()))
                if !peekOp("}") { try expectOp(",") }
            }
            _ = next()
            return .dict(members)
        default:
            throw token.position.error(.syntax, "expected an expression, found \(Self.describe(token.kind))")
        }
    }
}
