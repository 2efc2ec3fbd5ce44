import Foundation

/// Runs an external command (apt-get, dpkg-deb, apt-helper, gzip) and captures its output.
enum Subprocess {
    struct Result { var status: Int32; var stdout: Data; var stderr: String }

    /// Runs `arguments[0]` (looked up on PATH) with the rest as arguments, in `directory`.
    /// - Throws: `CorpusError.commandFailed` when it cannot start, or exits non-zero and `check` is set.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil, check: Bool = true) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment["DEBIAN_FRONTEND"] = "noninteractive"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let command = arguments.joined(separator: " ")
        do { try process.run() } catch {
            throw CorpusError.commandFailed(command: command, status: -1, stderr: "cannot start: \(error.localizedDescription)")
        }
        // Drain stderr on another thread so a chatty command cannot fill the pipe and block.
        let errorBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let result = Result(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: errorBox.data, as: UTF8.self))
        if check && result.status != 0 {
            throw CorpusError.commandFailed(command: command, status: result.status, stderr: result.stderr)
        }
        return result
    }

    private final class DataBox: @unchecked Sendable { var data = Data() }
}
