import ArgumentParser
import StageKinds

@main
struct Trellis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trellis",
        abstract: "Run research pipelines described as YAML graphs: cached by content, rerun only what is stale.",
        subcommands: [RunCommand.self, StatusCommand.self, WhyCommand.self, DagCommand.self, RunsCommand.self, ShowCommand.self,
                      TableCommand.self, ReportCommand.self,
                      GCCommand.self, VerifyCommand.self, KindsCommand.self, TokenizerCommand.self, PlanCommand.self, BenchCommand.self, ModelCommand.self, MPICheckCommand.self, InternalCommand.self])
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
