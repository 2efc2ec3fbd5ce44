import Foundation

/// Loads a manifest file: YAML with source marks, `extends` chains merged (cycles refused),
/// then validated. Kinds are checked against `knownKinds` when it is given.
public struct ManifestLoader {
    public var knownKinds: Set<String>?
    public var reader = YAMLReader()

    public init(knownKinds: Set<String>? = nil) {
        self.knownKinds = knownKinds
    }

    public func load(path: String) throws -> Manifest {
        let absolute = Self.absolute(path)
        let root = try loadMerged(absolute: absolute, display: path, chain: [])
        let directory = (absolute as NSString).deletingLastPathComponent
        let stem = ((absolute as NSString).lastPathComponent as NSString).deletingPathExtension
        return try ManifestDecoder(knownKinds: knownKinds).decode(root, file: path, directory: directory, defaultName: stem)
    }

    private func loadMerged(absolute: String, display: String, chain: [String]) throws -> SourceNode {
        var node = try reader.read(file: absolute, displayName: display)
        guard let extends = node.member("extends") else { return node }
        guard case .string(let relative)? = extends.value.scalar else {
            throw ManifestError.wrongType(extends.value.location, field: "extends", expected: "a path to a manifest", found: extends.value.typeName)
        }
        let baseDirectory = (absolute as NSString).deletingLastPathComponent
        let baseAbsolute = Self.absolute(relative, relativeTo: baseDirectory)
        if baseAbsolute == absolute || chain.contains(baseAbsolute) {
            throw ManifestError.extendsCycle(extends.value.location, chain: (chain + [absolute, baseAbsolute]).map { ($0 as NSString).lastPathComponent })
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: baseAbsolute, isDirectory: &isDirectory) else {
            throw ManifestError.invalidValue(extends.value.location, field: "extends", reason: "'\(relative)' does not exist")
        }
        guard !isDirectory.boolValue else {
            throw ManifestError.invalidValue(extends.value.location, field: "extends", reason: "'\(relative)' is a directory, not a manifest file")
        }
        guard FileManager.default.isReadableFile(atPath: baseAbsolute) else {
            throw ManifestError.invalidValue(extends.value.location, field: "extends", reason: "'\(relative)' cannot be read (permission denied)")
        }
        let baseDisplay = ((display as NSString).deletingLastPathComponent as NSString).appendingPathComponent(relative)
        let base = try loadMerged(absolute: baseAbsolute, display: (baseDisplay as NSString).standardizingPath, chain: chain + [absolute])
        if case .mapping(var members) = node.content {
            members.removeAll { $0.key == "extends" }
            node.content = .mapping(members)
        }
        return ManifestMerger.merge(base: base, override: node)
    }

    static func absolute(_ path: String, relativeTo directory: String = FileManager.default.currentDirectoryPath) -> String {
        let joined = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }
}
