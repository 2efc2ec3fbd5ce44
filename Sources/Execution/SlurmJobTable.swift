/// One job as `scontrol -o show job` reports it (one line per job, `Key=Value` fields).
public struct SlurmJob: Sendable, Equatable {
    /// `123`, or `123_4` for a task of array job 123.
    public var id: String
    public var state: String
    /// Exit status and, when killed, the signal (`ExitCode=3:0`, `0:9`).
    public var exitCode: Int32
    public var signal: Int32

    public var isFinished: Bool { Self.terminalStates.contains(state) }

    static let terminalStates: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
                                              "PREEMPTED", "BOOT_FAIL", "DEADLINE"]
}

/// Parses the output of `scontrol -o show job` (all jobs in one call: the monitor's batch query).
public enum SlurmJobTable {
    public static func parse(_ text: String) -> [String: SlurmJob] {
        var jobs: [String: SlurmJob] = [:]
        for line in text.split(separator: "\n") {
            var fields: [Substring: Substring] = [:]
            for token in line.split(separator: " ") {
                guard let eq = token.firstIndex(of: "=") else { continue }
                fields[token[..<eq]] = token[token.index(after: eq)...]
            }
            guard let jobID = fields["JobId"], let state = fields["JobState"] else { continue }
            let exit = (fields["ExitCode"] ?? "0:0").split(separator: ":")
            let code = Int32(exit.first ?? "0") ?? 0, signal = Int32(exit.dropFirst().first ?? "0") ?? 0
            var ids = [String(jobID)]
            if let array = fields["ArrayJobId"], let task = fields["ArrayTaskId"] {
                // A pending array is one line whose ArrayTaskId is a range ("0-5", "[2-5%4]", "1,3").
                ids = taskIndices(String(task)).map { "\(array)_\($0)" }
            }
            for id in ids { jobs[id] = SlurmJob(id: id, state: String(state), exitCode: code, signal: signal) }
        }
        return jobs
    }

    /// Expands an array task specification into indices.
    static func taskIndices(_ spec: String) -> [Int] {
        var text = spec.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }
        var result: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2, bounds[0] <= bounds[1] { result += Array(bounds[0]...bounds[1]) } else if bounds.count == 1 { result.append(bounds[0]) }
        }
        return result
    }
}

import Foundation
