import Foundation
import Testing
import Training

/// Process-level data parallelism over Open MPI (`mpirun`, installed by `make deps`): every
/// collective checked on each rank, and two processes train exactly like two threads.
@Suite struct MPITests {
    struct MPIRunFailure: Error, CustomStringConvertible { var description: String }


    func mpiCheck(processes: Int, steps: Int) throws -> DataParallelCheck.Report {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-np", "\(processes)",
                       CLI.binary, "mpi-check", "--steps", "\(steps)"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw MPIRunFailure(description: "mpirun exited \(p.terminationStatus): \(errors.suffix(2000))")
        }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last { $0.hasPrefix("{") } ?? ""
        return try JSONDecoder().decode(DataParallelCheck.Report.self, from: Data(line.utf8))
    }

    @Test func twoProcessesTrainLikeTwoThreads() throws {
        let report = try mpiCheck(processes: 2, steps: 4)
        #expect(report.worldSize == 2)
        #expect(report.collectives == ["allReduceSum", "broadcast", "allGather", "send/receive"])
        let c = DataParallelCheck.configuration()
        let threads = DataParallelTrainer(model: c.bloomConfiguration(vocabularySize: DataParallelCheck.vocabularySize), training: c, workers: 2)
        let inProcess = DataParallelCheck.run(threads, steps: 4)
        // Bit for bit: same shards, same summation order, same updates.
        #expect(report.training == inProcess)
        #expect(report.training.losses.count == 4 && report.training.losses.allSatisfy(\.isFinite))
        // The model split over the two processes (3 heads and 48 MLP units each) computes the whole model's logits.
        #expect(report.tensorParallelLogitError < 1e-5 && report.tensorParallelLossError < 1e-5)
    }

    @Test func threeProcessesSplitAnUnevenBatch() throws {
        let report = try mpiCheck(processes: 3, steps: 2)
        #expect(report.worldSize == 3 && report.collectives.count == 4)
        #expect(report.tensorParallelLogitError < 1e-5 && report.tensorParallelLossError < 1e-5)
        let c = DataParallelCheck.configuration()
        let threads = DataParallelTrainer(model: c.bloomConfiguration(vocabularySize: DataParallelCheck.vocabularySize), training: c, workers: 3)
        #expect(report.training == DataParallelCheck.run(threads, steps: 2))
    }
}
