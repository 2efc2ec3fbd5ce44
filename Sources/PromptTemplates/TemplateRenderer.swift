/// Evaluates a parsed template against scopes of variables (innermost last).
struct TemplateRenderer {
    var scopes: [[String: TemplateValue]]

    mutating func render(_ nodes: [TemplateNode], into out: inout String) throws {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .output(let expression, let position):
                out += try evaluate(expression, at: position).pythonString
            case .conditional(let branches, let otherwise, let position):
                var taken = false
                for (condition, body) in branches where try evaluate(condition, at: position).isTruthy {
                    try render(body, into: &out)
                    taken = true
                    break
                }
                if !taken { try render(otherwise, into: &out) }
            case .loop(let variables, let iterable, let body, let otherwise, let position):
                let items = try TemplateBuiltins.iterate(try evaluate(iterable, at: position), at: position)
                if items.isEmpty { try render(otherwise, into: &out); continue }
                for (index, item) in items.enumerated() {
                    var scope: [String: TemplateValue] = ["loop": .dict([
                        "index": .int(index + 1), "index0": .int(index), "first": .bool(index == 0), "last": .bool(index == items.count - 1),
                        "length": .int(items.count), "revindex": .int(items.count - index), "revindex0": .int(items.count - index - 1),
                    ])]
                    if variables.count == 1 {
                        scope[variables[0]] = item
                    } else {
                        guard case .list(let parts) = item, parts.count == variables.count else {
                            throw position.error(.value, "cannot unpack \(item.typeName) into \(variables.count) loop variables")
                        }
                        for (name, part) in zip(variables, parts) { scope[name] = part }
                    }
                    scopes.append(scope)
                    defer { scopes.removeLast() }
                    try render(body, into: &out)
                }
            case .assignment(let name, let expression, let position):
                let value = try evaluate(expression, at: position)
                if scopes.isEmpty { scopes.append([:]) }
                scopes[scopes.count - 1][name] = value
            }
        }
    }

    func lookup(_ name: String) -> TemplateValue? {
        for scope in scopes.reversed() { if let v = scope[name] { return v } }
        return nil
    }

    mutating func evaluate(_ expression: TemplateExpression, at position: TemplatePosition) throws -> TemplateValue {
        switch expression {
        case .literal(let v): return v
        case .name(let n):
            guard let v = lookup(n) else { throw position.error(.undefined, "'\(n)' is undefined") }
            return v
        case .list(let items): return .list(try items.map { try evaluate($0, at: position) })
        case .dict(let members):
            var d: [String: TemplateValue] = [:]
            for (k, v) in members {
                guard case .string(let key) = try evaluate(k, at: position) else { throw position.error(.unsupported, "dict keys must be strings") }
                d[key] = try evaluate(v, at: position)
            }
            return .dict(d)
        case .attribute(let base, let name):
            let value = try evaluate(base, at: position)
            if case .dict(let d) = value, let member = d[name] { return member }
            throw position.error(.undefined, "'\(value.typeName) object' has no attribute '\(name)'")
        case .item(let base, let index):
            return try TemplateBuiltins.item(try evaluate(base, at: position), try evaluate(index, at: position), at: position)
        case .slice(let base, let start, let stop):
            return try TemplateBuiltins.slice(try evaluate(base, at: position), start: try start.map { try evaluate($0, at: position) },
                                              stop: try stop.map { try evaluate($0, at: position) }, at: position)
        case .call(let callee, let arguments):
            let values = try arguments.map { try evaluate($0, at: position) }
            switch callee {
            case .attribute(let base, let method):
                return try TemplateBuiltins.method(method, of: try evaluate(base, at: position), arguments: values, at: position)
            case .name(let function) where lookup(function) == nil:
                return try TemplateBuiltins.function(function, arguments: values, at: position)
            default:
                throw position.error(.unsupported, "only methods of values (text.strip()) and range() can be called")
            }
        case .filter(let base, let name, let arguments):
            let values = try arguments.map { try evaluate($0, at: position) }
            if name == "default" || name == "d" {
                do { return try evaluate(base, at: position) } catch let e as TemplateError where e.kind == .undefined {
                    return values.first ?? .string("")
                }
            }
            return try TemplateBuiltins.filter(name, try evaluate(base, at: position), arguments: values, at: position)
        case .test(let base, let name, let negated):
            let value: TemplateValue?
            do { value = try evaluate(base, at: position) } catch let e as TemplateError where e.kind == .undefined { value = nil }
            return .bool(try TemplateBuiltins.test(name, value, at: position) != negated)
        case .unary(let op, let operand):
            let value = try evaluate(operand, at: position)
            if op == "not" { return .bool(!value.isTruthy) }
            switch value {
            case .int(let i): return .int(0 &- i)
            case .double(let d): return .double(-d)
            case .bool(let b): return .int(b ? -1 : 0)
            default: throw position.error(.type, "bad operand type for unary -: '\(value.typeName)'")
            }
        case .binary("and", let l, let r):
            let left = try evaluate(l, at: position)
            return left.isTruthy ? try evaluate(r, at: position) : left
        case .binary("or", let l, let r):
            let left = try evaluate(l, at: position)
            return left.isTruthy ? left : try evaluate(r, at: position)
        case .binary(let op, let l, let r):
            return try TemplateOperators.apply(op, try evaluate(l, at: position), try evaluate(r, at: position), at: position)
        case .conditional(let value, let condition, let otherwise):
            if try evaluate(condition, at: position).isTruthy { return try evaluate(value, at: position) }
            guard let otherwise else { throw position.error(.undefined, "the condition is false and the expression has no 'else'") }
            return try evaluate(otherwise, at: position)
        }
    }
}
