import Foundation

/// Jinja's filters and tests, Python's string and dict methods, and `range`, as far as prompt
/// templates use them. Each behaves as its Python/Jinja namesake; anything else is `.unsupported`.
enum TemplateBuiltins {
    static let filters = ["abs", "capitalize", "count", "d", "default", "first", "float", "int", "join", "last", "length", "list",
                          "lower", "replace", "reverse", "string", "title", "trim", "upper", "wordcount"]

    static func iterate(_ value: TemplateValue, at p: TemplatePosition) throws -> [TemplateValue] {
        switch value {
        case .list(let items): return items
        case .string(let s): return s.map { .string(String($0)) }
        case .dict(let d): return d.keys.sorted().map { .string($0) }
        default: throw p.error(.type, "'\(value.typeName)' object is not iterable")
        }
    }

    static func item(_ base: TemplateValue, _ index: TemplateValue, at p: TemplatePosition) throws -> TemplateValue {
        switch (base, TemplateOperators.integer(index)) {
        case (.list(let items), .int(let i)):
            let j = i < 0 ? items.count + i : i
            guard items.indices.contains(j) else { throw p.error(.undefined, "list index \(i) out of range (length \(items.count))") }
            return items[j]
        case (.string(let s), .int(let i)):
            let chars = Array(s)
            let j = i < 0 ? chars.count + i : i
            guard chars.indices.contains(j) else { throw p.error(.undefined, "string index \(i) out of range (length \(chars.count))") }
            return .string(String(chars[j]))
        case (.dict(let d), .string(let key)):
            guard let v = d[key] else { throw p.error(.undefined, "'dict object' has no attribute \(TemplateValue.quoted(key))") }
            return v
        default:
            throw p.error(.type, "'\(base.typeName)' object cannot be indexed by '\(index.typeName)'")
        }
    }

    static func slice(_ base: TemplateValue, start: TemplateValue?, stop: TemplateValue?, at p: TemplatePosition) throws -> TemplateValue {
        func bound(_ v: TemplateValue?, _ count: Int, _ fallback: Int) throws -> Int {
            guard let v, v != .none else { return fallback }
            guard case .int(let i) = TemplateOperators.integer(v) else { throw p.error(.type, "slice indices must be integers") }
            return i < 0 ? max(0, count + i) : min(i, count)
        }
        switch base {
        case .list(let items):
            let a = try bound(start, items.count, 0), b = try bound(stop, items.count, items.count)
            return .list(a < b ? Array(items[a..<b]) : [])
        case .string(let s):
            let chars = Array(s)
            let a = try bound(start, chars.count, 0), b = try bound(stop, chars.count, chars.count)
            return .string(a < b ? String(chars[a..<b]) : "")
        default: throw p.error(.type, "'\(base.typeName)' object is not subscriptable")
        }
    }

    static func function(_ name: String, arguments: [TemplateValue], at p: TemplatePosition) throws -> TemplateValue {
        guard name == "range" else { throw p.error(.undefined, "'\(name)' is undefined") }
        let ints = try arguments.map { v -> Int in
            guard case .int(let i) = TemplateOperators.integer(v) else { throw p.error(.type, "range() arguments must be integers") }
            return i
        }
        let (start, stop) = ints.count == 1 ? (0, ints[0]) : ints.count == 2 ? (ints[0], ints[1]) : (0, -1)
        guard ints.count == 1 || ints.count == 2 else { throw p.error(.unsupported, "range() takes 1 or 2 arguments here") }
        guard stop - start <= 100_000 else { throw p.error(.value, "range of \(stop - start) items is too large") }
        return .list(start < stop ? (start..<stop).map { .int($0) } : [])
    }

    static func method(_ name: String, of value: TemplateValue, arguments a: [TemplateValue], at p: TemplatePosition) throws -> TemplateValue {
        func text(_ i: Int) throws -> String? {
            guard a.count > i else { return nil }
            if a[i] == .none { return nil }
            guard case .string(let s) = a[i] else { throw p.error(.type, "\(name)() argument must be str, not \(a[i].typeName)") }
            return s
        }
        switch value {
        case .string(let s):
            switch name {
            case "strip": return .string(PythonText.strip(s, try text(0), leading: true, trailing: true))
            case "lstrip": return .string(PythonText.strip(s, try text(0), leading: true, trailing: false))
            case "rstrip": return .string(PythonText.strip(s, try text(0), leading: false, trailing: true))
            case "lower": return .string(s.lowercased())
            case "upper": return .string(s.uppercased())
            case "capitalize": return .string(PythonText.capitalize(s))
            case "title": return .string(PythonText.title(s))
            case "split":
                var limit = -1
                if a.count > 1 { guard case .int(let m) = a[1] else { throw p.error(.type, "maxsplit must be an int") }; limit = m }
                return .list(try PythonText.split(s, separator: try text(0), maxSplits: limit, at: p).map { .string($0) })
            case "replace":
                guard let old = try text(0), let new = try text(1) else { throw p.error(.type, "replace() takes 2 string arguments") }
                return .string(PythonText.replace(s, old, new))
            case "startswith", "endswith":
                guard let affix = try text(0) else { throw p.error(.type, "\(name)() takes a string") }
                return .bool(name == "startswith" ? s.unicodeScalars.starts(with: affix.unicodeScalars)
                                                  : s.unicodeScalars.reversed().starts(with: affix.unicodeScalars.reversed()))
            case "join":
                guard case .list(let items) = a.first else { throw p.error(.type, "join() takes a list") }
                return .string(try items.map { item -> String in
                    guard case .string(let t) = item else { throw p.error(.type, "sequence item: expected str instance, \(item.typeName) found") }
                    return t
                }.joined(separator: s))
            default: break
            }
        case .dict(let d):
            switch name {
            case "keys": return .list(d.keys.sorted().map { .string($0) })
            case "values": return .list(d.keys.sorted().map { d[$0]! })
            case "items": return .list(d.keys.sorted().map { .list([.string($0), d[$0]!]) })
            case "get":
                guard case .string(let key) = a.first else { throw p.error(.type, "get() takes a string key") }
                return d[key] ?? (a.count > 1 ? a[1] : .none)
            default: break
            }
        case .none: throw p.error(.undefined, "'None' has no attribute '\(name)'")
        default: break
        }
        throw p.error(.unsupported, "'\(value.typeName)' object has no supported method '\(name)'")
    }

    static func filter(_ name: String, _ value: TemplateValue, arguments a: [TemplateValue], at p: TemplatePosition) throws -> TemplateValue {
        switch (name, value) {
        case ("upper", _): return .string(value.pythonString.uppercased())
        case ("lower", _): return .string(value.pythonString.lowercased())
        case ("capitalize", _): return .string(PythonText.capitalize(value.pythonString))
        case ("title", _): return .string(PythonText.jinjaTitle(value.pythonString))
        case ("trim", _):
            var chars: String?
            if case .string(let c) = a.first { chars = c }
            return .string(PythonText.strip(value.pythonString, chars, leading: true, trailing: true))
        case ("string", _): return .string(value.pythonString)
        case ("length", _), ("count", _):
            switch value {
            case .string(let s): return .int(s.count)
            case .list(let l): return .int(l.count)
            case .dict(let d): return .int(d.count)
            default: throw p.error(.type, "object of type '\(value.typeName)' has no len()")
            }
        case ("wordcount", _):   // Jinja counts runs of \w
            return .int(value.pythonString.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).count)
        case ("first", _), ("last", _):
            let items = try iterate(value, at: p)
            guard let item = name == "first" ? items.first : items.last else { throw p.error(.undefined, "\(name) of an empty sequence") }
            return item
        case ("join", _):
            var separator = ""
            if case .string(let s) = a.first { separator = s }
            return .string(try iterate(value, at: p).map(\.pythonString).joined(separator: separator))
        case ("replace", _):
            guard a.count >= 2, case .string(let old) = a[0], case .string(let new) = a[1] else { throw p.error(.type, "replace(old, new) takes two strings") }
            return .string(PythonText.replace(value.pythonString, old, new))
        case ("reverse", .string(let s)): return .string(String(s.reversed()))
        case ("reverse", .list(let l)): return .list(l.reversed())
        case ("list", _): return .list(try iterate(value, at: p))
        case ("abs", .int(let i)): return .int(i == .min ? i : abs(i))
        case ("abs", .double(let d)): return .double(abs(d))
        case ("int", _): return .int(jinjaInt(value, fallback: a.first))
        case ("float", _):
            switch value {
            case .int(let i): return .double(Double(i))
            case .double: return value
            case .bool(let b): return .double(b ? 1 : 0)
            case .string(let s): return .double(Double(s.trimmingCharacters(in: .whitespaces)) ?? 0)
            default: return .double(0)
            }
        default:
            if filters.contains(name) { throw p.error(.type, "filter '\(name)' cannot take a '\(value.typeName)'") }
            throw p.error(.unsupported, "no filter named '\(name)' (supported: \(filters.joined(separator: ", ")))")
        }
    }

    /// Jinja's `int` filter: ints as is, floats truncated, strings parsed as int then float, else the default (0).
    static func jinjaInt(_ value: TemplateValue, fallback: TemplateValue?) -> Int {
        let otherwise: Int
        if case .int(let d) = fallback { otherwise = d } else { otherwise = 0 }
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d): return d.isFinite && abs(d) < 9e18 ? Int(d) : otherwise
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            if let i = Int(t) { return i }
            if let d = Double(t), d.isFinite, abs(d) < 9e18 { return Int(d) }
            return otherwise
        default: return otherwise
        }
    }

    /// Jinja tests (`x is defined`); `value` is nil when undefined.
    static func test(_ name: String, _ value: TemplateValue?, at p: TemplatePosition) throws -> Bool {
        switch name {
        case "defined": return value != nil
        case "undefined": return value == nil
        default: break
        }
        guard let value else { throw p.error(.undefined, "the value tested with '\(name)' is undefined") }
        switch name {
        case "none": return value == .none
        case "string": if case .string = value { return true }; return false
        case "number": if case .int = value { return true }; if case .double = value { return true }; return false
        case "integer": if case .int = value { return true }; return false
        case "mapping": if case .dict = value { return true }; return false
        case "sequence", "iterable":
            switch value { case .list, .string, .dict: return true; default: return false }
        case "even", "odd":
            guard case .int(let i) = TemplateOperators.integer(value) else { throw p.error(.type, "'\(name)' needs an integer") }
            return (i % 2 == 0) == (name == "even")
        default: throw p.error(.unsupported, "no test named '\(name)'")
        }
    }
}
