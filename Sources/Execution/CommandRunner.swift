import Foundation

/// Runs a short helper command (sbatch, scontrol, scancel…) and captures its output.
public enum CommandRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable))
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        // Read both pipes before waiting, so a chatty command cannot block on a full pipe.
        var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// An absolute path, or the first match on PATH.
    public static func resolve(_ executable: String) throws -> String {
        if executable.hasPrefix("/") { return executable }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw SlurmError.commandMissing(executable)
    }
}

/// Problems talking to Slurm, with what the user can do about them.
public enum SlurmError: Error, CustomStringConvertible {
    case commandMissing(String)
    case submitFailed(stage: String, message: String)
    case queryFailed(String)
    case jobVanished(String)

    public var description: String {
        switch self {
        case .commandMissing(let c): return "'\(c)' is not installed or not on PATH (is this a Slurm submit host? scripts/slurm-local.sh starts a local cluster)"
        case .submitFailed(let stage, let message): return "sbatch refused stage '\(stage)': \(message)"
        case .queryFailed(let message): return "cannot query Slurm: \(message)"
        case .jobVanished(let id): return "Slurm job \(id) is no longer known to the controller (MinJobAge too short?)"
        }
    }
}
