import CanonicalJSON
import Foundation
import Yams

/// Reads one YAML file into a `SourceNode` tree, refusing oversized input and alias bombs
/// before they are expanded: the node budget counts every node an alias would copy.
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
        guard let text = String(data: data, encoding: .utf8) else {
            throw ManifestError.unreadable(file: name, reason: "not valid UTF-8")
        }
        return try read(text: text, file: name)
    }

    public func read(text: String, file: String) throws -> SourceNode {
        let root: Node?
        do {
            // The basic resolver types nothing (every plain scalar stays a string tag); `PlainScalar`
            // types them afterwards, which is much cheaper than Yams' regular expressions.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw Self.translate(error, file: file)
        }
        var budget = maxNodes
        guard let root else { return SourceNode(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1)) }
        return try convert(root, file: file, budget: &budget)
    }

    private func convert(_ node: Node, file: String, budget: inout Int) throws -> SourceNode {
        budget -= 1
        guard budget >= 0 else { throw ManifestError.tooManyNodes(file: file, limit: maxNodes) }
        let location = Self.location(node.mark, file: file)
        switch node {
        case .scalar(let scalar):
            return SourceNode(.scalar(Self.value(of: scalar, node: node)), at: location)
        case .sequence(let sequence):
            var items: [SourceNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item, file: file, budget: &budget)) }
            return SourceNode(.sequence(items), at: location)
        case .mapping(let mapping):
            var members: [SourceNode.Member] = []
            members.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                let keyLocation = Self.location(key.mark, file: file)
                guard case .scalar(let keyScalar) = key else {
                    throw ManifestError.wrongType(keyLocation, field: "key", expected: "a plain string", found: "a \(key.isMapping ? "mapping" : "list")")
                }
                members.append(.init(key: keyScalar.string, keyLocation: keyLocation, value: try convert(value, file: file, budget: &budget)))
            }
            return SourceNode(.mapping(members), at: location)
        case .alias:
            throw ManifestError.yamlSyntax(location, problem: "unresolved alias")
        }
    }

    private static func value(of scalar: Node.Scalar, node: Node) -> JSONValue {
        if scalar.style != .plain && scalar.style != .any { return .string(scalar.string) }
        switch scalar.tag.rawValue {
        case "": return PlainScalar.value(of: scalar.string)
        case "!", Tag.Name.str.rawValue: return .string(scalar.string)
        default: return PlainScalar.value(of: scalar.string)
        }
    }

    static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    static func translate(_ error: YamlError, file: String) -> ManifestError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return .yamlSyntax(location(mark, file: file), problem: detail)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .duplicateKey(location(context.mark, file: file), key: duplicates.joined(separator: ", "))
        case .reader(let problem, _, _, _):
            return .yamlSyntax(SourceLocation(file: file, line: 1, column: 1), problem: problem)
        default:
            return .yamlSyntax(SourceLocation(file: file, line: 1, column: 1), problem: "\(error)")
        }
    }
}

private extension Node {
    var isMapping: Bool { if case .mapping = self { return true }; return false }
}
