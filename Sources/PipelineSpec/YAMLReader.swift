import CanonicalJSON
import CLibYAML
import FileIO
import Foundation

/// Reads one YAML file into a `SourceNode` tree straight from libyaml's event stream (the
/// system's libyaml, `CLibYAML`; Yams is no longer used), refusing oversized input and alias bombs before they are
/// expanded: the node budget charges an alias the size of the subtree it would copy.
///
/// Building `SourceNode` from events, without Yams' intermediate `Node` tree and its
/// dictionary-based duplicate check, is what keeps a no-op `trellis status` of a 10,000-stage
/// manifest under a second.
public struct YAMLReader {
    /// 64 MiB: a manifest of 100,000 explicit stages (`run`, `deps`, `needs` each) is about 23 MB.
    public static let defaultMaxBytes = 64 << 20
    public var maxBytes = defaultMaxBytes {
        didSet { maxNodes = max(Self.defaultMaxNodes, maxBytes / 8) }
    }
    /// Nodes after aliases are expanded (an alias costs the size of what it copies)…
    public static let defaultMaxNodes = 8_000_000
    /// …of which at most this many are copies made through aliases.
    public static let maxAliasNodes = 2_000_000
    public var maxNodes = defaultMaxNodes
    /// Deeper trees are refused: every later pass over the tree (merging, JSON conversion,
    /// canonical encoding, even freeing it) recurses once per level.
    public var maxDepth = 256

    public init() {}

    public func read(file path: String, displayName: String? = nil) throws -> SourceNode {
        let name = displayName ?? path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ManifestError.unreadable(file: name, reason: "it is a directory, not a manifest file")
        }
        // A file over the limit is refused before it is read.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxBytes {
            throw ManifestError.tooLarge(file: name, bytes: size, limit: maxBytes)
        }
        let data: [UInt8]
        do {
            data = try FileContents.bytes(path)
        } catch let error as FileIOError {
            throw ManifestError.unreadable(file: name, reason: error.errno == ENOENT ? "no such file" : error.errno == EACCES ? "permission denied" : "\(error)")
        }
        guard data.count <= maxBytes else { throw ManifestError.tooLarge(file: name, bytes: data.count, limit: maxBytes) }
        return try data.withUnsafeBufferPointer { try read(bytes: $0, file: name) }
    }

    public func read(text: String, file: String) throws -> SourceNode {
        try Array(text.utf8).withUnsafeBufferPointer { try read(bytes: $0, file: file) }
    }

    private func read(bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> SourceNode {
        let events = try YAMLEventStream(bytes: bytes, file: file)
        var composer = SourceNodeComposer(events: events, file: file, budget: maxNodes, maxNodes: maxNodes, maxDepth: maxDepth)
        return try composer.document()
    }
}

/// Turns libyaml events into `SourceNode`s: scalars typed by `PlainScalar` unless quoted or
/// tagged `!!str`, mapping keys checked for duplicates, anchors remembered with their size and
/// height (an alias nests the anchored tree at the alias's own depth).
struct SourceNodeComposer {
    typealias Composed = (node: SourceNode, size: Int, height: Int)
    let events: YAMLEventStream
    let file: String
    var budget: Int
    var aliasBudget = YAMLReader.maxAliasNodes
    let maxNodes: Int
    let maxDepth: Int
    /// Anchor name → the node it names, how many nodes it holds (what an alias costs) and its height.
    var anchors: [String: Composed] = [:]

    init(events: YAMLEventStream, file: String, budget: Int, maxNodes: Int, maxDepth: Int = 256) {
        self.events = events; self.file = file; self.budget = budget; self.maxNodes = maxNodes; self.maxDepth = maxDepth
    }

    mutating func document() throws -> SourceNode {
        try events.next()  // stream start
        guard try events.next() == YAML_DOCUMENT_START_EVENT else {
            return SourceNode(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
        try events.next()
        let root = try node(depth: 1).node
        try events.next()  // document end
        if try events.next() != YAML_STREAM_END_EVENT {
            throw ManifestError.yamlSyntax(events.location, problem: "expected a single document in the stream, but found another document")
        }
        return root
    }

    /// The node whose first event is the current one, at `depth` (the root is 1); returns it with
    /// its node count and height.
    private mutating func node(depth: Int) throws -> Composed {
        let location = events.location
        if depth > maxDepth { throw ManifestError.nestingTooDeep(location, limit: maxDepth) }
        switch events.type {
        case YAML_SCALAR_EVENT:
            try charge(1, at: location)
            let result = (SourceNode(.scalar(try events.scalarValue()), at: location), 1, 1)
            remember(events.anchor, result)
            return result
        case YAML_SEQUENCE_START_EVENT:
            try charge(1, at: location)
            let anchor = events.anchor
            var items: [SourceNode] = []
            var size = 1, height = 1
            while try events.next() != YAML_SEQUENCE_END_EVENT {
                let item = try node(depth: depth + 1)
                items.append(item.node); size += item.size; height = max(height, item.height + 1)
            }
            let result = (SourceNode(.sequence(items), at: location), size, height)
            remember(anchor, result)
            return result
        case YAML_MAPPING_START_EVENT:
            try charge(1, at: location)
            let anchor = events.anchor
            var members: [SourceNode.Member] = []
            var seen: Set<String> = []
            var size = 1, height = 1
            while try events.next() != YAML_MAPPING_END_EVENT {
                // Keys keep the text they were written with (`yes` stays "yes", not true).
                let rawKey = events.type == YAML_SCALAR_EVENT ? events.scalarText() : nil
                let key = try node(depth: depth + 1)
                guard case .scalar(let keyValue) = key.node.content else {
                    throw ManifestError.wrongType(key.node.location, field: "key", expected: "a plain string", found: "a \(key.node.typeName)")
                }
                let keyText = rawKey ?? Self.keyText(keyValue)
                if members.count < 8 ? members.contains(where: { $0.key == keyText }) : !seen.insert(keyText).inserted {
                    throw ManifestError.duplicateKey(key.node.location, key: keyText)
                }
                if members.count == 7 { seen = Set(members.map(\.key) + [keyText]) }
                try events.next()
                let value = try node(depth: depth + 1)
                members.append(.init(key: keyText, keyLocation: key.node.location, value: value.node))
                size += key.size + value.size; height = max(height, value.height + 1)
            }
            let result = (SourceNode(.mapping(members), at: location), size, height)
            remember(anchor, result)
            return result
        case YAML_ALIAS_EVENT:
            guard let name = events.anchor, let target = anchors[name] else {
                throw ManifestError.yamlSyntax(location, problem: "found undefined alias")
            }
            if depth + target.height - 1 > maxDepth { throw ManifestError.nestingTooDeep(location, limit: maxDepth) }
            try charge(target.size, at: location)
            // Copies through aliases have a budget of their own: a few bytes must not buy a large tree.
            aliasBudget -= target.size
            guard aliasBudget >= 0 else { throw ManifestError.tooManyNodes(location, limit: YAMLReader.maxAliasNodes) }
            return target
        default:
            throw ManifestError.yamlSyntax(location, problem: "unexpected YAML event \(events.type.rawValue)")
        }
    }

    private mutating func charge(_ nodes: Int, at location: SourceLocation) throws {
        budget -= nodes
        guard budget >= 0 else { throw ManifestError.tooManyNodes(location, limit: maxNodes) }
    }

    private mutating func remember(_ anchor: String?, _ entry: Composed) {
        if let anchor { anchors[anchor] = entry }
    }

    /// The text of a key that came through an alias.
    private static func keyText(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return "null"
        default: return value.canonicalString
        }
    }
}
