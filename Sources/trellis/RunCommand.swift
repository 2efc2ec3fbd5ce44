import ArgumentParser
import Execution
import Foundation
import PipelineGraph
import Scheduling
import StageKinds

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the stale stages (and their stale ancestors).")

    @OptionGroup var manifest: ManifestOptions

    @Argument(help: "Stages to bring up to date (default: all). A matrix stage name means all its members.")
    var targets: [String] = []

    @Option(name: [.customShort("j"), .long], help: "Cores to share among stages running at once (default: all); with --executor slurm, jobs out at once (default 100).")
    var jobs: Int?

    @Option(help: "Where stages run: local, or slurm (batch jobs; the store must be on a filesystem the nodes see).")
    var executor: ExecutorChoice = .local

    @Option(help: "Seconds between Slurm queue polls (one query for all jobs).")
    var pollInterval: Double = 2

    @Option(help: "GPUs available to stages (their ids go to CUDA_VISIBLE_DEVICES).")
    var gpus: Int = 0

    @Flag(help: "Rerun the targets even if their outputs are cached.")
    var force = false

    @Flag(help: "Show what would run, and why, without running anything.")
    var dryRun = false

    @Flag(help: "After a failure, keep running stages that do not depend on it.")
    var keepGoing = false

    func run() async throws {
        try await guarded {
            guard jobs ?? 1 >= 1 else { throw UsageError(message: "--jobs must be at least 1") }
            let (experiment, graph) = try manifest.load()
            let workspace = try manifest.workspace(for: experiment)
            if dryRun {
                let targets = try graph.resolve(targets: self.targets)
                let forced: Set<String> = force ? Set(targets.isEmpty ? graph.instances.map(\.name) : targets) : []
                let entries = try workspace.plan(graph, targets: self.targets, kindIdentity: kindIdentity, forced: forced)
                let stale = entries.filter { $0.state != .fresh }
                print(stale.isEmpty ? "nothing to run: all \(entries.count) stages are up to date" : "would run \(stale.count) of \(entries.count) stages:")
                for e in stale {
                    print("  \(e.instance.name)  [\(e.state.rawValue)]")
                    for r in e.reasons { print("      " + r) }
                }
                return
            }
            var options = RunOptions()
            options.targets = targets
            options.jobs = jobs ?? (executor == .slurm ? 100 : ProcessInfo.processInfo.activeProcessorCount)
            options.remoteExecution = executor == .slurm
            options.gpus = gpus
            options.force = force
            options.keepGoing = keepGoing
            let cancellation = Cancellation()
            let trap = SignalTrap(cancellation: cancellation)
            // Off a terminal: wide runs print a summary line every TRELLIS_SUMMARY_SECONDS (default 10),
            // others a progress line per running stage every TRELLIS_PROGRESS_SECONDS (default 30).
            let environment = ProcessInfo.processInfo.environment
            let reporter = TerminalReporter(summaryInterval: max(0.1, environment["TRELLIS_SUMMARY_SECONDS"].flatMap(Double.init) ?? 10),
                                            progressInterval: max(0.1, environment["TRELLIS_PROGRESS_SECONDS"].flatMap(Double.init) ?? 30))
            let chosen: any Executor
            if executor == .slurm {
                guard (try? CommandRunner.resolve("sbatch")) != nil else {
                    throw UsageError(message: "sbatch is not on PATH", hint: "run on a Slurm submit host, or start a local cluster with scripts/slurm-local.sh start DIR")
                }
                var slurm = SlurmExecutor.Options(stateDirectory: workspace.layout.slurmState, trellisBinary: Self.executablePath)
                slurm.pollInterval = pollInterval
                chosen = SlurmExecutor(options: slurm)
            } else {
                chosen = LocalExecutor(builtins: BuiltinKinds.registry, trellisBinary: Self.executablePath)
            }
            let scheduler = Scheduler(workspace: workspace, graph: graph, executor: chosen,
                                      builtins: BuiltinKinds.registry, reporter: reporter, options: options, cancellation: cancellation)
            let summary = try await scheduler.run()
            reporter.stop()
            _ = trap
            var parts = ["\(summary.executed.count) ran", "\(summary.cached.count) reused", "\(summary.fresh) up to date"]
            if !summary.failed.isEmpty { parts.append("\(summary.failed.count) failed") }
            if !summary.skipped.isEmpty { parts.append("\(summary.skipped.count) skipped") }
            FileHandle.standardError.write(Data(("run" + (summary.runID.map { " #\($0)" } ?? "") + ": " + parts.joined(separator: ", ") + "\n").utf8))
            if summary.interrupted { throw ExitCode(130) }
            _ = reporter
            if !summary.failed.isEmpty {
                FileHandle.standardError.write(Data("failed: \(summary.failed.map(\.stage).joined(separator: ", "))\n  hint: `trellis show STAGE` prints the log\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// This binary's absolute path, for batch jobs that run builtin kinds.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
