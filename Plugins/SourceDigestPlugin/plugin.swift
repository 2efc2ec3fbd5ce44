import Foundation
import PackagePlugin

/// Build-time digests of the code a builtin stage runs: for the target it is applied to and every
/// target that one depends on, the SHA-256 of each file (sources, headers, resources) and of each
/// target, written as Swift (`SourceDigests.swift`) by the `source-digest` tool. The build reruns
/// the tool whenever one of those files changes, so a rebuilt `trellis` keys its stages by the code
/// it actually contains.
@main struct SourceDigestPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("SourceDigests.swift")
        var arguments = [output.path, "--module", target.name]
        var inputs: [URL] = []
        // Targets of this package only: other packages are pinned to exact versions in Package.swift.
        let own = Set(context.package.targets.map(\.name))
        for module in [target] + target.recursiveTargetDependencies where own.contains(module.name) {
            let dependencies = module.dependencies.compactMap { dependency -> String? in
                if case .target(let t) = dependency, own.contains(t.name) { return t.name }
                return nil
            }
            arguments += ["--target", module.name, "--root", module.directoryURL.path, "--deps", dependencies.joined(separator: ",")]
            guard let sources = module as? SourceModuleTarget else { continue }
            for file in sources.sourceFiles {
                arguments.append(file.url.path)
                inputs.append(file.url)
            }
        }
        let tool = try context.tool(named: "source-digest")
        return [.buildCommand(displayName: "Digesting the sources of \(target.name) and its dependencies",
                              executable: tool.url, arguments: arguments, inputFiles: inputs, outputFiles: [output])]
    }
}
