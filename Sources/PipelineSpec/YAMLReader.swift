import CanonicalJSON
import CYaml
import Foundation

/// Reads one YAML file into a `SourceNode` tree straight from libyaml's event stream (the copy
/// of libyaml that Yams builds), refusing oversized input and alias bombs before they are
/// expanded: the node budget charges an alias the size of the subtree it would copy.
///
/// Building `SourceNode` from events, without Yams' intermediate `Node` tree and its
/// dictionary-based duplicate check, is what keeps a no-op `trellis status` of a 10,000-stage
/// manifest under a second.
public struct YAMLReader {
    public var maxBytes = 16 << 20
    public var maxNodes = 2_000_000

    public init() {}

    public func read(file path: String, displayName: String? = nil) throws -> SourceNode {
        let name = displayName ?? path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ManifestError.unreadable(file: name, reason: FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file")
        }
        guard data.count <= maxBytes else { throw ManifestError.tooLarge(file: name, bytes: data.count, limit: maxBytes) }
        return try data.withUnsafeBytes { raw in
            try read(bytes: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count), file: name)
        }
    }

    public func read(text: String, file: String) throws -> SourceNode {
        try Array(text.utf8).withUnsafeBufferPointer { try read(bytes: $0, file: file) }
    }

    private func read(bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> SourceNode {
        let events = try YAMLEventStream(bytes: bytes, file: file)
        var composer = SourceNodeComposer(events: events, file: file, budget: maxNodes, maxNodes: maxNodes)
        return try composer.document()
    }
}

/// Turns libyaml events into `SourceNode`s: scalars typed by `PlainScalar` unless quoted or
/// tagged `!!str`, mapping keys checked for duplicates, anchors remembered with their size.
struct SourceNodeComposer {
    let events: YAMLEventStream
    let file: String
    var budget: Int
    let maxNodes: Int
    /// Anchor name → the node it names and how many nodes it holds (what an alias costs).
    var anchors: [String: (node: SourceNode, size: Int)] = [:]

    init(events: YAMLEventStream, file: String, budget: Int, maxNodes: Int) {
        self.events = events; self.file = file; self.budget = budget; self.maxNodes = maxNodes
    }

    mutating func document() throws -> SourceNode {
        try events.next()  // stream start
        guard try events.next() == YAML_DOCUMENT_START_EVENT else {
            return SourceNode(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
        try events.next()
        let root = try node().node
        try events.next()  // document end
        if try events.next() != YAML_STREAM_END_EVENT {
            throw ManifestError.yamlSyntax(events.location, problem: "expected a single document in the stream, but found another document")
        }
        return root
    }

    /// The node whose first event is the current one; returns it with its node count.
    private mutating func node() throws -> (node: SourceNode, size: Int) {
        let location = events.location
        switch events.type {
        case YAML_SCALAR_EVENT:
            try charge(1)
            let result = (SourceNode(.scalar(events.scalarValue()), at: location), 1)
            remember(events.anchor, result)
            return result
        case YAML_SEQUENCE_START_EVENT:
            try charge(1)
            let anchor = events.anchor
            var items: [SourceNode] = []
            var size = 1
            while try events.next() != YAML_SEQUENCE_END_EVENT {
                let item = try node()
                items.append(item.node); size += item.size
            }
            let result = (SourceNode(.sequence(items), at: location), size)
            remember(anchor, result)
            return result
        case YAML_MAPPING_START_EVENT:
            try charge(1)
            let anchor = events.anchor
            var members: [SourceNode.Member] = []
            var seen: Set<String> = []
            var size = 1
            while try events.next() != YAML_MAPPING_END_EVENT {
                // Keys keep the text they were written with (`yes` stays "yes", not true).
                let rawKey = events.type == YAML_SCALAR_EVENT ? events.scalarText() : nil
                let key = try node()
                guard case .scalar(let keyValue) = key.node.content else {
                    throw ManifestError.wrongType(key.node.location, field: "key", expected: "a plain string", found: "a \(key.node.typeName)")
                }
                let keyText = rawKey ?? Self.keyText(keyValue)
                if members.count < 8 ? members.contains(where: { $0.key == keyText }) : !seen.insert(keyText).inserted {
                    throw ManifestError.duplicateKey(key.node.location, key: keyText)
                }
                if members.count == 7 { seen = Set(members.map(\.key) + [keyText]) }
                try events.next()
                let value = try node()
                members.append(.init(key: keyText, keyLocation: key.node.location, value: value.node))
                size += key.size + value.size
            }
            let result = (SourceNode(.mapping(members), at: location), size)
            remember(anchor, result)
            return result
        case YAML_ALIAS_EVENT:
            guard let name = events.anchor, let target = anchors[name] else {
                throw ManifestError.yamlSyntax(location, problem: "found undefined alias")
            }
            try charge(target.size)
            return target
        default:
            throw ManifestError.yamlSyntax(location, problem: "unexpected YAML event \(events.type.rawValue)")
        }
    }

    private mutating func charge(_ nodes: Int) throws {
        budget -= nodes
        guard budget >= 0 else { throw ManifestError.tooManyNodes(file: file, limit: maxNodes) }
    }

    private mutating func remember(_ anchor: String?, _ entry: (node: SourceNode, size: Int)) {
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
