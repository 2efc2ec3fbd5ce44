import ArgumentParser
import ContentStore
import Execution
import Foundation
import PipelineGraph
import PipelineSpec
import Scheduling
import StageKinds
import Training

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmarks.", subcommands: [OrchestratorBench.self, TrainBench.self, EvalBench.self])
}

/// Forward + backward + clipping + AdamW steps of a BLOOM on the tensor engine: tokens/s, achieved
/// GFLOP/s, the fraction of the measured sgemm peak, peak memory (`Training.StepBenchmarkReport`).
/// `engine-bench` runs the same steps with more options (lock step, GPU offload, per-op timings).
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Time BLOOM training steps on the tensor engine.")

    @Option(help: "Timed steps (the median is reported).") var steps = 10
    @Option(help: "Untimed steps first.") var warmup = 2
    @Option(help: "Vocabulary size.") var vocab = 8192
    @Option(help: "Hidden size.") var hidden = 256
    @Option(help: "Transformer blocks.") var layers = 4
    @Option(help: "Attention heads.") var heads = 8
    @Option(help: "Sequences per step.") var batch = 8
    @Option(help: "Tokens per sequence.") var length = 256
    @Flag(help: "bf16 mixed precision (fp32 master weights, bf16 matmuls on AMX tiles where present).") var bf16 = false
    @Flag(help: "Skip the sgemm peak measurement.") var noPeak = false
    @Flag(help: "One JSON object instead of text.") var json = false

    func validate() throws {
        guard steps > 0, warmup >= 0, vocab > 0, hidden > 0, layers > 0, heads > 0, batch > 0, length > 1 else {
            throw ValidationError("steps, vocab, hidden, layers, heads and batch must be positive, length at least 2, warmup not negative")
        }
        guard hidden % heads == 0 else { throw ValidationError("hidden \(hidden) is not a multiple of heads \(heads)") }
    }

    func run() throws {
        var c = StepBenchmark.Configuration()
        c.vocab = vocab; c.hidden = hidden; c.layers = layers; c.heads = heads
        c.batch = batch; c.length = length; c.bfloat16 = bf16
        let report = StepBenchmarkReport.run(c, steps: steps, warmup: warmup, measurePeak: !noPeak)
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: report.json, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}

/// A layered synthetic pipeline: manifest load, planning, a full run, then the no-op status that
/// a researcher hits after every edit; plus the file-hashing rate.
struct OrchestratorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orchestrator", abstract: "Time manifest load, planning and no-op status on a synthetic pipeline.")

    @Option(help: "Stages in the synthetic pipeline.") var stages = 10_000
    @Option(help: "Stages per layer (each needs two of the layer before).") var width = 100
    @Option(help: "Size of the file to hash, in MB (0 to skip).") var hashMb = 1024
    @Option(help: "Repetitions of each timed step (the median is reported).") var repeats = 5
    @Option(help: "Working folder (default: a temporary one, removed afterwards).") var directory: String?
    @Option(help: ArgumentHelp("Instead: time the first run of a sweep of N trivial shell members beside the process-spawn floor (and snakemake, if on PATH); repeatable.", valueName: "N"))
    var firstRun: [Int] = []
    @Option(help: "With --first-run: stages (and floor processes) at once.") var jobs = 2
    @Option(help: "With --first-run: run snakemake only up to this many members.") var snakemakeLimit = 4000

    func validate() throws {
        guard firstRun.allSatisfy({ $0 >= 1 && $0 <= 1_000_000 }) else { throw ValidationError("--first-run takes 1…1,000,000 members") }
        guard jobs >= 1, repeats >= 1 else { throw ValidationError("--jobs and --repeats must be at least 1") }
    }

    func run() async throws {
        try await guarded {
            let dir = directory ?? NSTemporaryDirectory() + "trellis-bench-\(getpid())"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
            if !firstRun.isEmpty {
                let bench = SweepBenchmark(sizes: firstRun, jobs: jobs, directory: dir, trellis: RunCommand.executablePath,
                                           snakemakeLimit: snakemakeLimit, repeats: repeats)
                print(SweepBenchmark.table(try await bench.run(), jobs: jobs))
                return
            }
            let manifestPath = dir + "/bench.yaml"
            try SyntheticPipeline.write(stages: stages, width: width, to: manifestPath, inputDirectory: dir)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: manifestPath)[.size] as? Int) ?? 0
            print("synthetic pipeline: \(stages) stages in layers of \(width), manifest \(TerminalReporter.size(Int64(bytes)))")

            let registry = BuiltinKinds.registry
            let load = { () throws -> StageGraph in
                StageGraph(try MatrixExpander().expand(try ManifestLoader(knownKinds: registry.names).load(path: manifestPath)))
            }
            let loadTimes = try (0..<repeats).map { _ in try Self.time { _ = try load() } }
            let graph = try load()
            let workspace = try Workspace(storeRoot: dir + "/artifacts")
            let coldPlan = try Self.time { _ = try workspace.plan(graph, targets: [], kindIdentity: registry.identity(of:)) }

            var options = RunOptions()
            options.arguments = ["bench"]
            let scheduler = Scheduler(workspace: workspace, graph: graph, executor: LocalExecutor(builtins: registry), builtins: registry,
                                      reporter: CollectingReporter(), options: options, cancellation: Cancellation())
            var summary: RunSummary?
            let runTime = try await Self.timeAsync { summary = try await scheduler.run() }
            guard let summary, summary.succeeded, summary.executed.count == stages else {
                throw UsageError(message: "benchmark run failed: \(summary?.failed.first?.message ?? "?")")
            }

            // A no-op status as a fresh process sees it: open the store, load the manifest, plan.
            let statusTimes = try (0..<repeats).map { _ in
                try Self.time {
                    let ws = try Workspace(storeRoot: dir + "/artifacts")
                    let entries = try ws.plan(try load(), targets: [], kindIdentity: registry.identity(of:))
                    precondition(entries.allSatisfy { $0.state == .fresh })
                }
            }
            let planTimes = try (0..<repeats).map { _ in try Self.time { _ = try workspace.plan(graph, targets: [], kindIdentity: registry.identity(of:)) } }
            let cli = try Self.timeCLI(["status", "-f", manifestPath])

            print(String(format: "manifest load + expand   median %7.1f ms", Self.median(loadTimes) * 1000))
            print(String(format: "plan (cold store)        %14.1f ms", coldPlan * 1000))
            print(String(format: "full run (in-process)    %14.2f s   (%.0f stages/s)", runTime, Double(stages) / runTime))
            print(String(format: "plan only (warm)         median %7.1f ms", Self.median(planTimes) * 1000))
            print(String(format: "no-op status, in-process median %7.1f ms   (open store + load + plan)", Self.median(statusTimes) * 1000))
            print(String(format: "no-op `trellis status`   median %7.1f ms   (whole process, output to /dev/null)", Self.median(cli) * 1000))

            if hashMb > 0 {
                let path = dir + "/hash-input.bin"
                try Self.writeFile(path: path, megabytes: hashMb)
                let hashTimes = try (0..<3).map { _ in try Self.time { _ = try FileHasher.digest(ofFile: path) } }
                let gbps = Double(hashMb) / 1024 / Self.median(hashTimes)
                print(String(format: "SHA-256 of a %d MB file  median %7.3f s   (%.2f GB/s, page cache warm)", hashMb, Self.median(hashTimes), gbps))
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    static func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func timeAsync(_ body: () async throws -> Void) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func timeCLI(_ arguments: [String], repeats: Int = 5) throws -> [Double] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        return try (0..<repeats).map { _ in
            try time {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: executable)
                p.arguments = arguments
                p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
                try p.run()
                p.waitUntilExit()
            }
        }
    }

    static func writeFile(path: String, megabytes: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<megabytes {
            chunk.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for i in 0..<words.count { state = state &* 6364136223846793005 &+ 1442695040888963407; words[i] = state }
            }
            try handle.write(contentsOf: chunk)
        }
    }
}

/// Writes the benchmark manifest: layer 0 reads a shared input file; every later stage needs two
/// stages of the layer before and writes one small file with the builtin `write` kind.
enum SyntheticPipeline {
    static func write(stages: Int, width: Int, to path: String, inputDirectory: String) throws {
        try Data("seed\n".utf8).write(to: URL(fileURLWithPath: inputDirectory + "/seed.txt"))
        var text = "trellis: 1\nname: bench\nparams: {scale: 3, label: bench}\nstages:\n"
        for n in 0..<stages {
            let layer = n / width, position = n % width
            text += "  s\(n):\n    kind: write\n    with: {files: {out.txt: \"stage \(n) ${params.label}\"}}\n"
            if layer == 0 {
                text += "    deps: [seed.txt]\n"
            } else {
                let a = (layer - 1) * width + position, b = (layer - 1) * width + (position + 1) % width
                text += "    needs: [s\(a), s\(b)]\n"
            }
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
