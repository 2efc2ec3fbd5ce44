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

    func load() throws -> (Experiment, StageGraph) {
        let manifest = try ManifestLoader(knownKinds: BuiltinKinds.registry.names).load(path: self.manifest)
        let experiment = try MatrixExpander().expand(manifest)
        return (experiment, StageGraph(experiment))
    }

    /// Loads the manifest and opens its store at the same time (two cores: YAML parsing on one,
    /// the database and stat cache on the other). A manifest error wins over a store error.
    func loadWithWorkspace() throws -> (Experiment, StageGraph, Workspace) {
        let absolute = URL(fileURLWithPath: manifest).standardizedFileURL.path
        let root = storeRoot(manifestDirectory: (absolute as NSString).deletingLastPathComponent)
        final class Box: @unchecked Sendable { var opened: Result<Workspace, Error>? }
        let box = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            box.opened = Result { try Workspace(storeRoot: root) }
            group.leave()
        }
        let loaded = Result { try load() }
        group.wait()
        let (experiment, graph) = try loaded.get()
        return (experiment, graph, try box.opened!.get())
    }

    func storeRoot(manifestDirectory: String) -> String {
        let root = store.map { ($0 as NSString).standardizingPath } ?? Workspace.defaultStoreRoot(forManifestDirectory: manifestDirectory)
        return root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
    }

    func workspace(for experiment: Experiment) throws -> Workspace {
        try Workspace(storeRoot: storeRoot(manifestDirectory: experiment.manifest.directory))
    }
}

func kindVersion(_ kind: String) -> Int? { BuiltinKinds.registry[kind]?.version }

func printJSON(_ value: Any) {
    if let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}
