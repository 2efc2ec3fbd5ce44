import ArgumentParser
import CanonicalJSON
import Execution
import Foundation
import StageKinds
import TensorEngine

/// Commands Trellis calls itself (not for people): a batch job running a builtin kind.
struct InternalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "internal", shouldDisplay: false, subcommands: [RunBuiltin.self, TrainRank.self])

    struct RunBuiltin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-builtin",
            abstract: "Run one builtin stage described by a trellis-builtin-job file (local child processes and Slurm jobs use this).")

        @Argument var job: String

        func run() async throws {
            try await guarded {
                let action = try BuiltinJob.read(from: job).action()
                try? NumericPath.current.write(toFile: BuiltinJob.numericPathFile(forJob: job), atomically: true, encoding: .utf8)
                FileHandle.standardError.write(Data("\(action.stage): kind \(action.work.kindName ?? "?") in process \(getpid()), \(Parallel.workerCount) engine thread(s)\n".utf8))
                let result = await LocalExecutor(builtins: BuiltinKinds.registry).run(action, cancellation: Cancellation())
                if !result.succeeded {
                    FileHandle.standardError.write(Data("\(action.stage): \(result.summary)\n".utf8))
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
