import ArgumentParser
import CanonicalJSON
import Execution
import Foundation
import StageKinds

/// Commands Trellis calls itself (not for people): a batch job running a builtin kind.
struct InternalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "internal", shouldDisplay: false, subcommands: [RunBuiltin.self, TrainRank.self])

    struct RunBuiltin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run-builtin", abstract: "Run one builtin stage described by a JSON file (Slurm jobs use this).")

        @Argument var description: String

        func run() async throws {
            try await guarded {
                guard let data = FileManager.default.contents(atPath: description),
                      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let stage = object["stage"] as? String, let key = object["key"] as? String, let kind = object["kind"] as? String,
                      let configText = object["config"] as? String, let workingDirectory = object["working_directory"] as? String,
                      let output = object["output_directory"] as? String, let log = object["log"] as? String else {
                    throw UsageError(message: "\(description) is not a builtin job description")
                }
                var action = StageAction(
                    stage: stage, key: key, work: .builtin(kind: kind, config: try JSONValue.parse(configText)),
                    workingDirectory: workingDirectory, outputDirectory: output,
                    upstreamOutputs: object["upstream_outputs"] as? [String: String] ?? [:], environment: [:], logPath: log,
                    resources: ResourceRequest(cores: object["cores"] as? Int ?? 1))
                if let resume = object["resume_directory"] as? String, !resume.isEmpty { action.resumeDirectory = resume }
                let result = await LocalExecutor(builtins: BuiltinKinds.registry).run(action, cancellation: Cancellation())
                if !result.succeeded {
                    FileHandle.standardError.write(Data("\(stage): \(result.summary)\n".utf8))
                    throw ExitCode(1)
                }
            }
        }
    }
}

/// `mpirun -np N trellis mpi-check`: exercises every MPI collective against known values, splits a
/// model tensor-parallel across the processes (checked against the whole model), then
/// runs ``DataParallelCheck`` with one replica per process; rank 0 prints the outcome as JSON.
struct MPICheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpi-check",
        abstract: "Check the MPI collectives and process-level data parallelism (run under mpirun).")

    @Option(help: "Training steps of the check run.") var steps = 4

    func run() async throws {
        try await guarded {
            let outcome = try MPICheck.run(steps: steps)
            if let outcome {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(outcome), as: UTF8.self))
            }
        }
    }
}
