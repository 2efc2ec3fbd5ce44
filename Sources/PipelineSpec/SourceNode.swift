import CanonicalJSON

/// A YAML value with the place it came from, kept through `extends` merging so that
/// every later error can still name file, line and column.
public struct SourceNode: Sendable {
    public struct Member: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: SourceNode

        public init(key: String, keyLocation: SourceLocation, value: SourceNode) {
            self.key = key; self.keyLocation = keyLocation; self.value = value
        }
    }

    public enum Content: Sendable {
        case scalar(JSONValue)
        case mapping([Member])
        case sequence([SourceNode])
    }

    public var content: Content
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    public var members: [Member]? { if case .mapping(let m) = content { return m }; return nil }
    public var items: [SourceNode]? { if case .sequence(let s) = content { return s }; return nil }
    public var scalar: JSONValue? { if case .scalar(let v) = content { return v }; return nil }

    public func member(_ key: String) -> Member? { members?.first { $0.key == key } }

    /// The plain value, locations dropped.
    public var json: JSONValue {
        switch content {
        case .scalar(let v): return v
        case .sequence(let items): return .array(items.map(\.json))
        case .mapping(let members):
            var object: [String: JSONValue] = [:]
            for m in members { object[m.key] = m.value.json }
            return .object(object)
        }
    }

    /// The YAML type name, for "expected X, found Y" errors.
    public var typeName: String {
        switch content {
        case .scalar(let v): return v.typeName
        case .mapping: return "mapping"
        case .sequence: return "list"
        }
    }
}
