import ArgumentParser
import FileIO
import Foundation
import StageKinds
import TensorEngine
import Training

extension InternalCommand {
    /// One rank of an MPI training job (started by the `train` kind through `mpirun`).
    struct TrainRank: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "train-rank", abstract: "Run one MPI rank of a train stage.")

        @Argument var job: String

        func run() async throws {
            try await guarded {
                guard let data = FileContents.read(job).map({ Data($0) }) else { throw UsageError(message: "\(job): no such job file") }
                let description = try JSONDecoder().decode(MPITrainingLauncher.Job.self, from: data)
                guard description.format == MPITrainingLauncher.Job.format else {
                    throw UsageError(message: "\(job): unknown job format '\(description.format)'", hint: "the ranks must run the same Trellis build as the stage")
                }
                let world = try MPICollectives.world()
                defer { world.finalize() }
                let run = TrainingRun(configuration: description.configuration, paths: description.paths, workers: 1, communicator: world,
                                      log: { print($0); fflush(stdout) },
                                      onLogStep: { step, steps, validation in
                                          print(TrainingProgressReport.linePrefix + TrainingProgressReport.progress(step, steps: steps, validationLoss: validation).jsonLine)
                                          fflush(stdout)
                                      })
                _ = try run.run()
                world.barrier()
            }
        }
    }
}
