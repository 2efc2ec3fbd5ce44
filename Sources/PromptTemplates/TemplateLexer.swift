/// Splits a template into text and the tokens of its `{{ … }}` and `{% … %}` tags (comments
/// `{# … #}` dropped), applying Jinja's whitespace control (`{%-`, `-%}`, `{{-`, `-}}`).
/// No other whitespace is touched: lm-evaluation-harness renders with Jinja's defaults
/// (no `trim_blocks`, no `lstrip_blocks`) and `keep_trailing_newline=True`.
struct TemplateLexer {
    enum Kind: Equatable {
        case text(String)
        case outputStart, outputEnd, blockStart, blockEnd
        case name(String)
        case string(String)
        case int(Int)
        case double(Double)
        case op(String)
    }

    struct Token: Equatable {
        var kind: Kind
        var position: TemplatePosition
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1, column = 1
    private(set) var tokens: [Token] = []
    /// Per text token index: strip its leading / trailing whitespace (set by a neighbouring `-`).
    private var stripLeading: Set<Int> = [], stripTrailing: Set<Int> = []

    static func tokenize(_ source: String) throws -> [Token] {
        var lexer = TemplateLexer(scalars: Array(source.unicodeScalars))
        try lexer.run()
        return lexer.finished()
    }

    private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    private var position: TemplatePosition { TemplatePosition(line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < scalars.count {
            if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }
    }

    private func startsTag(_ second: Unicode.Scalar) -> Bool { peek() == "{" && peek(1) == second }

    private mutating func run() throws {
        var text = ""
        var textStart = position
        func flushText() {
            if !text.isEmpty { tokens.append(Token(kind: .text(text), position: textStart)) }
            text = ""
        }
        while let c = peek() {
            if startsTag("{") || startsTag("%") || startsTag("#") {
                let opener = peek(1)!, tagPosition = position
                flushText()
                advance(2)
                let trimBefore = peek() == "-"
                if trimBefore { advance() }
                if trimBefore, let last = tokens.indices.last, case .text = tokens[last].kind { stripTrailing.insert(last) }
                if opener == "#" {
                    try skipComment(from: tagPosition)
                } else {
                    tokens.append(Token(kind: opener == "{" ? .outputStart : .blockStart, position: tagPosition))
                    try lexExpression(closer: opener == "{" ? "}" : "%", tagStart: tagPosition)
                }
                textStart = position
                continue
            }
            text.unicodeScalars.append(c)
            advance()
        }
        flushText()
    }

    private mutating func skipComment(from start: TemplatePosition) throws {
        while peek() != nil {
            if peek() == "-" && peek(1) == "#" && peek(2) == "}" { advance(3); markStripNext(); return }
            if peek() == "#" && peek(1) == "}" { advance(2); return }
            advance()
        }
        throw start.error(.syntax, "comment '{#' is never closed with '#}'")
    }

    /// The next text token (not yet lexed) loses its leading whitespace.
    private mutating func markStripNext() { stripLeading.insert(tokens.count) }

    private mutating func lexExpression(closer: Unicode.Scalar, tagStart: TemplatePosition) throws {
        while true {
            while let c = peek(), c.properties.isWhitespace { advance() }
            guard let c = peek() else {
                throw tagStart.error(.syntax, "tag opened here is never closed with '\(closer)}'")
            }
            let here = position
            if c == "-" && peek(1) == closer && peek(2) == "}" {
                advance(3)
                tokens.append(Token(kind: closer == "}" ? .outputEnd : .blockEnd, position: here))
                markStripNext()
                return
            }
            if c == closer && peek(1) == "}" {
                advance(2)
                tokens.append(Token(kind: closer == "}" ? .outputEnd : .blockEnd, position: here))
                return
            }
            if c == "'" || c == "\"" { tokens.append(Token(kind: .string(try lexString(quote: c)), position: here)); continue }
            if c.properties.numericType != nil && ("0"..."9").contains(c) { tokens.append(Token(kind: lexNumber(), position: here)); continue }
            if c == "_" || c.properties.isAlphabetic {
                var name = ""
                while let d = peek(), d == "_" || d.properties.isAlphabetic || ("0"..."9").contains(d) { name.unicodeScalars.append(d); advance() }
                tokens.append(Token(kind: .name(name), position: here))
                continue
            }
            for op in ["//", "**", "==", "!=", "<=", ">="] where peek() == op.unicodeScalars.first && peek(1) == op.unicodeScalars.dropFirst().first {
                advance(2); tokens.append(Token(kind: .op(op), position: here))
                break
            }
            if case .op = tokens.last?.kind, tokens.last?.position == here { continue }
            guard "()[]{}.,|~+-*/%<>=:!".unicodeScalars.contains(c) else {
                throw here.error(.syntax, "unexpected character '\(Character(c))' in a tag")
            }
            advance()
            tokens.append(Token(kind: .op(String(Character(c))), position: here))
        }
    }

    private mutating func lexString(quote: Unicode.Scalar) throws -> String {
        let start = position
        advance()
        var value = ""
        while let c = peek() {
            advance()
            if c == quote { return value }
            if c == "\\", let e = peek() {
                advance()
                switch e {
                case "n": value += "\n"
                case "t": value += "\t"
                case "r": value += "\r"
                case "\\", "'", "\"": value.unicodeScalars.append(e)
                default: value += "\\"; value.unicodeScalars.append(e)
                }
                continue
            }
            value.unicodeScalars.append(c)
        }
        throw start.error(.syntax, "string literal is never closed")
    }

    private mutating func lexNumber() -> Kind {
        var digits = ""
        while let d = peek(), ("0"..."9").contains(d) || d == "_" { if d != "_" { digits.unicodeScalars.append(d) }; advance() }
        if peek() == ".", let next = peek(1), ("0"..."9").contains(next) {
            digits += "."; advance()
            while let d = peek(), ("0"..."9").contains(d) { digits.unicodeScalars.append(d); advance() }
            return .double(Double(digits) ?? .nan)
        }
        if let value = Int(digits) { return .int(value) }
        return .double(Double(digits) ?? .infinity)
    }

    private func finished() -> [Token] {
        var result = tokens
        for i in result.indices {
            guard case .text(var text) = result[i].kind else { continue }
            if stripLeading.contains(i) { text = String(text.unicodeScalars.drop { $0.properties.isWhitespace }.map(Character.init)) }
            if stripTrailing.contains(i) {
                var scalars = Array(text.unicodeScalars)
                while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
                text = String(String.UnicodeScalarView(scalars))
            }
            result[i].kind = .text(text)
        }
        return result.filter { if case .text(let t) = $0.kind { return !t.isEmpty }; return true }
    }
}
