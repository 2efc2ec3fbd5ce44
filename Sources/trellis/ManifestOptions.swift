import ArgumentParser
import Foundation
import PipelineGraph
import PipelineSpec
import Scheduling
import StageKinds

/// `-f MANIFEST` and `--store DIR`, shared by the commands that work on an experiment.
struct ManifestOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("file")], help: "The manifest (YAML).")
    var manifest: String = "trellis.yaml"

    @Option(help: "The store folder (default: the nearest 'artifacts/' at or above the manifest, else one beside it).")
    var store: String?

    @Option(help: ArgumentHelp("Refuse manifest files larger than this many bytes.", valueName: "bytes"))
    var maxManifestBytes: Int = YAMLReader.defaultMaxBytes

    func validate() throws {
        guard maxManifestBytes >= 1024, maxManifestBytes <= 1 << 34 else {
            throw ValidationError("--max-manifest-bytes must be between 1024 and 17179869184 (16 GiB)")
        }
    }

    func load() throws -> (Experiment, StageGraph) {
        var loader = ManifestLoader(knownKinds: BuiltinKinds.registry.names)
        loader.reader.maxBytes = maxManifestBytes
        let manifest = try loader.load(path: self.manifest)
        let experiment = try MatrixExpander().expand(manifest)
        return (experiment, StageGraph(experiment))
    }

    func workspace(for experiment: Experiment) throws -> Workspace {
        let root = store.map { ($0 as NSString).standardizingPath } ?? Workspace.defaultStoreRoot(forManifestDirectory: experiment.manifest.directory)
        return try Workspace(storeRoot: root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root)
    }
}

func kindIdentity(_ kind: String) -> KindIdentity? { BuiltinKinds.registry.identity(of: kind) }

func printJSON(_ value: Any) {
    if let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}
