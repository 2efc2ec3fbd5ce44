import Execution
import Foundation

/// `trellis bench orchestrator --first-run N`: the first run of a wide sweep (one matrix stage of N
/// trivial shell members), as a researcher starts it (`trellis run`, a process of its own), beside
/// the process-spawn floor on the same machine (`xargs -P J bash -c 'mkdir …; echo … > …'`, what
/// each member does without an orchestrator) and, where `snakemake` is on PATH, Snakemake on the
/// same jobs; then the sweep's no-op `status`.
struct SweepBenchmark {
    var sizes: [Int]
    var jobs: Int
    var directory: String
    var trellis: String
    /// Snakemake runs only up to this many members (it is quadratic).
    var snakemakeLimit: Int
    var repeats: Int

    struct Row {
        var members: Int
        var trellis: Double
        var peakBytes: Int64
        var floor: Double
        var snakemake: Double?
        var status: Double
    }

    func run() async throws -> [Row] {
        var rows: [Row] = []
        let snakemake = Self.which("snakemake")
        for n in sizes {
            let dir = "\(directory)/sweep-\(n)"
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir + "/floor", withIntermediateDirectories: true)
            let rowsOf100 = (n + 99) / 100
            let manifest = """
                trellis: 1
                name: sweep\(n)
                stages:
                  m:
                    run: "echo ${matrix.i} ${matrix.j} > ${out}/o.txt"
                    matrix: {i: [\((0..<rowsOf100).map(String.init).joined(separator: ", "))], j: [\((0..<min(n, 100)).map(String.init).joined(separator: ", "))]}
                """
            try manifest.write(toFile: dir + "/sweep.yaml", atomically: true, encoding: .utf8)
            let members = rowsOf100 * min(n, 100)
            let (trellisSeconds, peak) = try await Self.time("'\(trellis)' run -f sweep.yaml --jobs \(jobs)", in: dir, expect: "trellis run")
            let (floor, _) = try await Self.time("seq \(members) | xargs -P \(jobs) -I{} bash -c 'mkdir d{}; echo {} > d{}/o.txt'", in: dir + "/floor", expect: "the floor")
            var snakemakeSeconds: Double?
            if let snakemake, members <= snakemakeLimit {
                let snakefile = """
                    rule all:
                        input: expand("out/{i}/o.txt", i=range(\(members)))
                    rule m:
                        output: "out/{i}/o.txt"
                        shell: "echo {wildcards.i} > {output}"
                    """
                try FileManager.default.createDirectory(atPath: dir + "/snakemake", withIntermediateDirectories: true)
                try snakefile.write(toFile: dir + "/snakemake/Snakefile", atomically: true, encoding: .utf8)
                snakemakeSeconds = try await Self.time("'\(snakemake)' --cores \(jobs) --quiet all", in: dir + "/snakemake", expect: "snakemake").seconds
            }
            var statusTimes: [Double] = []
            for _ in 0..<repeats { statusTimes.append(try await Self.time("'\(trellis)' status -f sweep.yaml", in: dir, expect: "trellis status").seconds) }
            rows.append(Row(members: members, trellis: trellisSeconds, peakBytes: peak, floor: floor, snakemake: snakemakeSeconds,
                            status: statusTimes.sorted()[statusTimes.count / 2]))
            try? FileManager.default.removeItem(atPath: dir)
        }
        return rows
    }

    /// Wall time and peak RSS of `bash -c command` (output to a log beside it); a failure is an error.
    static func time(_ command: String, in directory: String, expect what: String) async throws -> (seconds: Double, peak: Int64) {
        let start = Date()
        let result = await ProcessRunner.run(command: command, workingDirectory: directory, environment: ProcessInfo.processInfo.environment,
                                             logPath: directory + "/bench.log", timeLimitSeconds: nil, cancellation: Cancellation())
        let seconds = Date().timeIntervalSince(start)
        guard result.succeeded else {
            throw UsageError(message: "\(what) failed in \(directory): \(result.summary)", hint: "see \(directory)/bench.log")
        }
        return (seconds, result.peakMemoryBytes)
    }

    /// `model name` of /proc/cpuinfo and the cores this process sees, for quoting the figures.
    static var cpu: String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":", maxSplits: 1).last?
            .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func table(_ rows: [Row], jobs: Int) -> String {
        var lines = ["first run of a sweep of trivial shell members, --jobs \(jobs), \(Self.cpu)",
                     "members   trellis   per stage   floor (xargs)  ×floor   snakemake   ×trellis   peak RSS   no-op status"]
        for r in rows {
            let snake = r.snakemake.map { String(format: "%8.1f s", $0) } ?? "       –  "
            let ratio = r.snakemake.map { String(format: "%7.1f×", $0 / r.trellis) } ?? "      – "
            lines.append(String(format: "%7d  %7.2f s  %7.2f ms  %9.2f s  %7.2f×", r.members, r.trellis, 1000 * r.trellis / Double(r.members), r.floor, r.trellis / r.floor)
                         + "  \(snake)  \(ratio)  " + String(format: "%6.0f MB  %9.3f s", Double(r.peakBytes) / 1e6, r.status))
        }
        return lines.joined(separator: "\n")
    }
}
