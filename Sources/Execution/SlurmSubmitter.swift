import Foundation

/// Submits batch jobs. Requests that arrive within `window` seconds of each other, belong to the
/// same matrix stage and ask for the same resources go as job arrays (`sbatch --array`), each
/// within the cluster's `MaxArraySize`.
final class SlurmSubmitter: @unchecked Sendable {
    struct Request {
        var stage: String
        var group: String?
        var script: String
        var logPath: String
        var resources: ResourceRequest
        var partition: String?
        var continuation: CheckedContinuation<String, Error>
    }

    let window: Double
    let scratch: String
    private let lock = NSLock()
    private var pending: [Request] = []
    private var flushScheduled = false
    /// Every submission: job id → the stages it carried (arrays carry several).
    private(set) var submissions: [(jobID: String, stages: [String])] = []

    /// Array task ids must stay below this (`MaxArraySize` of `scontrol show config`; Slurm's
    /// default 1001 when it cannot be read), so an array holds at most this many members.
    let maxArraySize: Int

    init(window: Double, scratch: String, maxArraySize: Int? = nil) {
        self.window = window
        self.scratch = scratch
        self.maxArraySize = max(1, maxArraySize ?? Self.clusterMaxArraySize() ?? 1001)
    }

    /// `MaxArraySize = N` from `scontrol show config`.
    static func clusterMaxArraySize() -> Int? {
        guard let out = try? CommandRunner.run("scontrol", ["show", "config"]), out.status == 0 else { return nil }
        for line in out.stdout.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            return line.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    func submit(stage: String, group: String?, script: String, logPath: String, resources: ResourceRequest, partition: String?) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            pending.append(Request(stage: stage, group: group, script: script, logPath: logPath, resources: resources, partition: partition, continuation: continuation))
            let schedule = !flushScheduled
            flushScheduled = true
            lock.unlock()
            if schedule { DispatchQueue.global().asyncAfter(deadline: .now() + window) { [self] in flush() } }
        }
    }

    private func flush() {
        lock.lock()
        let batch = pending
        pending = []
        flushScheduled = false
        lock.unlock()
        // Group matrix members with equal resources; everything else goes alone.
        struct GroupKey: Hashable { var group: String; var resources: ResourceRequest; var partition: String? }
        var groups: [[Request]] = []
        var index: [GroupKey: Int] = [:]
        for request in batch {
            guard let g = request.group else { groups.append([request]); continue }
            let key = GroupKey(group: g, resources: request.resources, partition: request.partition)
            if let i = index[key] { groups[i].append(request) } else { index[key] = groups.count; groups.append([request]) }
        }
        for group in groups {
            for start in stride(from: 0, to: group.count, by: maxArraySize) { submitGroup(Array(group[start..<min(group.count, start + maxArraySize)])) }
        }
    }

    private func submitGroup(_ group: [Request]) {
        do {
            if group.count == 1 {
                let r = group[0]
                let id = try sbatch(name: r.stage, resources: r.resources, partition: r.partition, extra: ["--output=\(r.logPath)"], script: r.script)
                record(id, [r.stage])
                r.continuation.resume(returning: id)
            } else {
                // One array job; task i runs member i's script with its own log.
                var text = "#!/bin/bash\ncase \"$SLURM_ARRAY_TASK_ID\" in\n"
                for (i, r) in group.enumerated() {
                    text += "  \(i)) exec bash \(ShellQuote.quote(r.script)) >> \(ShellQuote.quote(r.logPath)) 2>&1 ;;\n"
                }
                text += "esac\nexit 127\n"
                let arrayScript = "\(scratch)/array-\(UUID().uuidString).sh"
                try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
                try text.write(toFile: arrayScript, atomically: true, encoding: .utf8)
                let r0 = group[0]
                let base = try sbatch(name: r0.group ?? r0.stage, resources: r0.resources, partition: r0.partition,
                                      extra: ["--array=0-\(group.count - 1)", "--output=/dev/null"], script: arrayScript)
                record(base, group.map(\.stage))
                for (i, r) in group.enumerated() { r.continuation.resume(returning: "\(base)_\(i)") }
            }
        } catch {
            for r in group { r.continuation.resume(throwing: error) }
        }
    }

    private func record(_ id: String, _ stages: [String]) { lock.withLock { submissions.append((id, stages)) } }

    private func sbatch(name: String, resources: ResourceRequest, partition: String?, extra: [String], script: String) throws -> String {
        var args = ["--parsable", "--job-name=trellis:\(name)", "--cpus-per-task=\(max(1, resources.cores))"]
        if resources.memoryBytes > 0 { args.append("--mem=\((resources.memoryBytes + (1 << 20) - 1) >> 20)M") }
        if resources.gpus > 0 { args.append("--gres=gpu:\(resources.gpus)") }
        if let seconds = resources.timeLimitSeconds { args.append("--time=\((seconds + 59) / 60)") }
        if let partition { args.append("--partition=\(partition)") }
        let output = try CommandRunner.run("sbatch", args + extra + [script])
        let id = output.stdout.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard output.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SlurmError.submitFailed(stage: name, message: output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return id
    }
}

/// Single-quoting for bash.
public enum ShellQuote {
    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
