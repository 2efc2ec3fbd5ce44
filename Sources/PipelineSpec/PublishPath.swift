/// `publish:` paths: relative to the manifest's folder and inside it. Checked lexically (no file
/// system access): a path that is empty, absolute, starts with `~`, or climbs above the folder
/// with `..` is refused; two stages may not publish the same path or one inside the other.
enum PublishPath {
    /// The path with `.`, empty components and `a/..` pairs removed (`out/./a/` → `out/a`).
    static func normalized(_ path: String, at location: SourceLocation) throws -> String {
        func refuse(_ reason: String) -> ManifestError { .invalidPublishPath(location, path: path, reason: reason) }
        if path.isEmpty { throw refuse("the path is empty") }
        if path.hasPrefix("/") { throw refuse("absolute paths are not allowed") }
        if path.hasPrefix("~") { throw refuse("'~' is not expanded; the path would be a folder named '~'") }
        if path.utf8.contains(0) { throw refuse("the path contains a NUL character") }
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) where component != "." {
            if component == ".." {
                guard !components.isEmpty else { throw refuse("'..' climbs out of the manifest's folder") }
                components.removeLast()
            } else {
                components.append(component)
            }
        }
        if components.isEmpty { throw refuse("the path names the manifest's folder itself") }
        return components.joined(separator: "/")
    }

    /// Refuses instances that publish the same path, or one inside another's.
    static func checkDistinct(_ instances: [StageInstance]) throws {
        var owners: [String: String] = [:]    // published path → instance name
        var parents: [String: String] = [:]   // a parent folder of a published path → that instance
        for instance in instances {
            guard let path = instance.publish else { continue }
            let normalized = try Self.normalized(path, at: instance.location)
            let folders = normalized.indices.filter { normalized[$0] == "/" }.map { String(normalized[..<$0]) }
            if let clash = owners[normalized] ?? parents[normalized] ?? folders.lazy.compactMap({ owners[$0] }).first {
                throw ManifestError.duplicateOutput(instance.location, path: normalized, stages: [clash, instance.name])
            }
            owners[normalized] = instance.name
            for folder in folders where parents[folder] == nil { parents[folder] = instance.name }
        }
    }
}
