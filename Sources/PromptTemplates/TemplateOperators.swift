import Foundation

/// Python's binary operators on template values (`+ - * / // % ** ~ == != < <= > >= in`).
enum TemplateOperators {
    static func apply(_ op: String, _ l: TemplateValue, _ r: TemplateValue, at p: TemplatePosition) throws -> TemplateValue {
        switch op {
        case "~": return .string(l.pythonString + r.pythonString)
        case "==": return .bool(equal(l, r))
        case "!=": return .bool(!equal(l, r))
        case "<", "<=", ">", ">=":
            let c = try compare(l, r, op: op, at: p)
            switch op {
            case "<": return .bool(c < 0)
            case "<=": return .bool(c <= 0)
            case ">": return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case "in": return .bool(try contains(r, l, at: p))
        case "not in": return .bool(!(try contains(r, l, at: p)))
        default: return try arithmetic(op, l, r, at: p)
        }
    }

    /// Python `==`: numbers compare by value across int, float and bool.
    static func equal(_ l: TemplateValue, _ r: TemplateValue) -> Bool {
        if let a = number(l), let b = number(r) { return a == b }
        switch (l, r) {
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.dict(let a), .dict(let b)): return a.count == b.count && a.allSatisfy { k, v in b[k].map { equal(v, $0) } ?? false }
        default: return l == r
        }
    }

    static func number(_ v: TemplateValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    static func compare(_ l: TemplateValue, _ r: TemplateValue, op: String, at p: TemplatePosition) throws -> Int {
        if let a = number(l), let b = number(r) { return a < b ? -1 : a > b ? 1 : 0 }
        switch (l, r) {
        case (.string(let a), .string(let b)):
            let x = Array(a.unicodeScalars.map(\.value)), y = Array(b.unicodeScalars.map(\.value))
            return x.lexicographicallyPrecedes(y) ? -1 : x == y ? 0 : 1
        case (.list(let a), .list(let b)):
            for (x, y) in zip(a, b) where !equal(x, y) { return try compare(x, y, op: op, at: p) }
            return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
        default:
            throw p.error(.type, "'\(op)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    static func contains(_ container: TemplateValue, _ element: TemplateValue, at p: TemplatePosition) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let needle) = element else { throw p.error(.type, "'in <string>' requires string as left operand, not \(element.typeName)") }
            return needle.isEmpty || s.contains(needle)
        case .list(let items): return items.contains { equal($0, element) }
        case .dict(let d):
            guard case .string(let key) = element else { return false }
            return d[key] != nil
        default: throw p.error(.type, "argument of type '\(container.typeName)' is not iterable")
        }
    }

    static func arithmetic(_ op: String, _ l: TemplateValue, _ r: TemplateValue, at p: TemplatePosition) throws -> TemplateValue {
        func unsupported() -> TemplateError {
            p.error(.type, "unsupported operand type(s) for \(op): '\(l.typeName)' and '\(r.typeName)'")
        }
        switch (op, l, r) {
        case ("+", .string(let a), .string(let b)): return .string(a + b)
        case ("+", .list(let a), .list(let b)): return .list(a + b)
        case ("*", .string(let s), .int(let n)), ("*", .int(let n), .string(let s)):
            guard n <= 1_000_000 else { throw p.error(.value, "repetition count \(n) is too large") }
            return .string(String(repeating: s, count: max(0, n)))
        default: break
        }
        if case .int(let a) = integer(l), case .int(let b) = integer(r) {
            func checked(_ result: (partialValue: Int, overflow: Bool)) throws -> TemplateValue { try Self.checked(result, op, l, r, at: p) }
            switch op {
            case "+": return try checked(a.addingReportingOverflow(b))
            case "-": return try checked(a.subtractingReportingOverflow(b))
            case "*": return try checked(a.multipliedReportingOverflow(by: b))
            case "//", "%":
                guard b != 0 else { throw p.error(.value, "integer division or modulo by zero") }
                if a == .min && b == -1 { return try checked((0, true)) }
                let q = a / b, rem = a % b
                let floorQ = (rem != 0 && ((rem < 0) != (b < 0))) ? q - 1 : q
                return .int(op == "//" ? floorQ : a - floorQ * b)
            default: break
            }
        }
        guard let a = number(l), let b = number(r) else { throw unsupported() }
        switch op {
        case "+": return .double(a + b)
        case "-": return .double(a - b)
        case "*": return .double(a * b)
        case "/":
            guard b != 0 else { throw p.error(.value, "division by zero") }
            return .double(a / b)
        case "//":
            guard b != 0 else { throw p.error(.value, "float floor division by zero") }
            return .double((a / b).rounded(.down))
        case "%":
            guard b != 0 else { throw p.error(.value, "float modulo") }
            let m = a.truncatingRemainder(dividingBy: b)
            return .double(m != 0 && (m < 0) != (b < 0) ? m + b : m)
        case "**":
            if case .int(let x) = integer(l), case .int(let y) = integer(r), y >= 0 {
                if x == 0 || x == 1 || y == 0 { return .int(y == 0 ? 1 : x) }
                if x == -1 { return .int(y % 2 == 0 ? 1 : -1) }
                var result = 1
                for _ in 0..<min(y, 64) { result = try Self.checked(result.multipliedReportingOverflow(by: x), op, l, r, at: p).intValue }
                return .int(result)
            }
            return .double(pow(a, b))
        default: throw unsupported()
        }
    }

    /// Python's ints never overflow: a result past 64 bits is refused rather than wrapped or rounded.
    static func checked(_ result: (partialValue: Int, overflow: Bool), _ op: String, _ l: TemplateValue, _ r: TemplateValue,
                        at p: TemplatePosition) throws -> TemplateValue {
        guard !result.overflow else { throw p.error(.value, "integer overflow in \(l.pythonRepr) \(op) \(r.pythonRepr) (past 64 bits)") }
        return .int(result.partialValue)
    }

    /// Ints and bools as ints (Python's bool is an int); other values unchanged.
    static func integer(_ v: TemplateValue) -> TemplateValue {
        if case .bool(let b) = v { return .int(b ? 1 : 0) }
        return v
    }
}

private extension TemplateValue {
    var intValue: Int { if case .int(let i) = self { return i }; return 0 }
}
