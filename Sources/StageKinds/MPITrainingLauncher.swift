import Execution
import Foundation
import Training

/// Runs a `train` stage as an MPI job: writes the job description, starts
/// `mpirun -np N trellis internal train-rank JOB` (or the configured launcher), forwards rank 0's
/// output to the stage log, and stops the job when the stage is cancelled.
public struct MPITrainingLauncher {
    /// What every rank reads (`trellis internal train-rank`).
    public struct Job: Codable, Sendable {
        public static let format = "trellis-mpi-train-job/1"
        public var format = Job.format
        public var configuration: TrainingConfiguration
        public var corpus: String
        public var tokenizer: String
        public var output: String
        public var checkpointRoot: String

        public var paths: TrainingRun.Paths {
            TrainingRun.Paths(corpusFolder: corpus, tokenizerFile: tokenizer, output: output, checkpointRoot: checkpointRoot)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `{processes}` in the launcher is replaced by the process count.
    static let defaultLauncher = ["mpirun", "-np", "{processes}", "--bind-to", "none", "--oversubscribe"]

    let configuration: TrainingConfiguration
    let paths: TrainingRun.Paths

    func run(context: BuiltinContext) throws {
        let processes = configuration.processes ?? 1
        let jobFile = NSTemporaryDirectory() + "trellis-mpi-job-\(UUID().uuidString).json"
        let job = Job(configuration: configuration, corpus: paths.corpusFolder, tokenizer: paths.tokenizerFile,
                      output: paths.output, checkpointRoot: paths.checkpointRoot)
        try JSONEncoder().encode(job).write(to: URL(fileURLWithPath: jobFile), options: .atomic)
        defer { try? FileManager.default.removeItem(atPath: jobFile) }

        var command = (configuration.mpi_launcher ?? Self.defaultLauncher).map { $0.replacingOccurrences(of: "{processes}", with: "\(processes)") }
        if (command.first as NSString?)?.lastPathComponent == "mpirun", getuid() == 0, !command.contains("--allow-run-as-root") {
            command.insert("--allow-run-as-root", at: 1)   // Open MPI refuses root otherwise
        }
        command += [Self.trellisExecutable(), "internal", "train-rank", jobFile]
        context.log("train: launching \(processes) MPI processes: \(command.joined(separator: " "))")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let tail = LastLines(limit: 20)
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                // Rank 0's progress lines become the stage's progress; everything else is log.
                if line.hasPrefix(TrainingProgressReport.linePrefix),
                   let progress = StageProgress.parse(line: line.utf8.dropFirst(TrainingProgressReport.linePrefix.utf8.count)) {
                    context.progress(progress)
                    continue
                }
                context.log(String(line))
                tail.append(String(line))
            }
        }
        do { try process.run() } catch {
            throw Failure(description: "train: could not start '\(command[0])': \(error.localizedDescription) (install openmpi-bin, or set mpi_launcher)")
        }
        while process.isRunning {
            if context.cancellation.isCancelled { process.terminate() }
            usleep(100_000)
        }
        process.waitUntilExit()
        // What is still in the pipe once the job ended.
        output.fileHandleForReading.readabilityHandler = nil
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        for line in String(decoding: rest, as: UTF8.self).split(separator: "\n") {
            context.log(String(line))
            tail.append(String(line))
        }
        if context.cancellation.isCancelled { throw TrainingError.cancelled(step: -1) }
        guard process.terminationStatus == 0 else {
            let hint = process.terminationStatus == 127 ? " ('\(command[0])' was not found: install openmpi-bin, or name the launcher in mpi_launcher)" : ""
            throw Failure(description: "train: the MPI job (\(processes) processes) exited with status \(process.terminationStatus)\(hint); its last lines:\n" + tail.text)
        }
    }

    /// This program (the ranks run the same build), unless TRELLIS_EXECUTABLE names another.
    static func trellisExecutable() -> String {
        if let explicit = ProcessInfo.processInfo.environment["TRELLIS_EXECUTABLE"] { return explicit }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// The newest lines of a job's output, kept for the error message.
final class LastLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func append(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        lines.append(line)
        if lines.count > limit { lines.removeFirst() }
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}
