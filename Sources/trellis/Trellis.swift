import ArgumentParser
import Foundation
import StageKinds

@main
struct Trellis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trellis",
        abstract: "Run research pipelines described as YAML graphs: cached by content, rerun only what is stale.",
        subcommands: [RunCommand.self, StatusCommand.self, WhyCommand.self, DagCommand.self, RunsCommand.self, ShowCommand.self,
                      TableCommand.self, ReportCommand.self, EvalCommand.self,
                      GCCommand.self, VerifyCommand.self, KindsCommand.self, TokenizerCommand.self, PlanCommand.self, BenchCommand.self, ModelCommand.self, MPICheckCommand.self, InternalCommand.self])

    /// ArgumentParser's own exit codes, except that a command line it refuses (unknown option, a
    /// value outside an option's choices) exits 2 like every other usage error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

struct KindsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kinds", abstract: "List the builtin stage kinds and their versions.")

    @Flag(help: "Machine-readable output.") var json = false

    func run() {
        let kinds = BuiltinKinds.registry.kinds.sorted(by: { $0.key < $1.key })
        if json {
            printJSON(kinds.map { ["kind": $0.key, "version": $0.value.version] })
        } else {
            for (name, kind) in kinds { print("\(name)\tversion \(kind.version)") }
        }
    }
}
