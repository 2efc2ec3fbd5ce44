import Foundation
@testable import PipelineSpec

/// Writes files into a fresh temporary folder and loads manifests from it.
struct Scratch {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "trellis-spec-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func load(_ name: String = "m.yaml", kinds: Set<String>? = ["collect", "write"]) throws -> Experiment {
        try MatrixExpander().expand(try ManifestLoader(knownKinds: kinds).load(path: path + "/" + name))
    }

    /// Loads `text` as `m.yaml` and returns the error it raises.
    func error(_ text: String, kinds: Set<String>? = ["collect", "write"]) -> ManifestError? {
        write("m.yaml", text)
        do { _ = try load(kinds: kinds); return nil } catch let e as ManifestError { return e } catch { return nil }
    }
}
