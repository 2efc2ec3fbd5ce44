import Foundation
import Testing

/// A `train` stage with `processes: 2` runs as an MPI job (`mpirun`) and ends with the weights of
/// the same stage trained by two threads, byte for byte.
@Suite struct MPITrainingTests {
    static func manifest(threadsOrProcesses: String) -> String {
        """
        trellis: 1
        name: mpi
        stages:
          fetch: {kind: fetch, with: {selection: fixtures, cache_dir: \(PipelineEndToEndTests.fixtureCache)}}
          corpus: {kind: corpus, needs: [fetch]}
          tokenizer: {kind: tokenizer, needs: [corpus], with: {vocab_size: 300, input: "shards/*/*.jsonl"}}
          threads:
            kind: train
            needs: [corpus, tokenizer]
            with: {model: {hidden: 16, layers: 1, heads: 2}, sequence_length: 32, batch_size: 4, tokens: 4096,
                   warmup_tokens: 256, checkpoint_every: 4, validation_every: 0, validation_percent: 5, validation_tokens: 64, \(threadsOrProcesses)}
        """
    }

    @Test func twoMPIProcessesTrainLikeTwoThreads() throws {
        let threads = CLI(), processes = CLI()
        threads.write("trellis.yaml", Self.manifest(threadsOrProcesses: "workers: 2"))
        processes.write("trellis.yaml", Self.manifest(threadsOrProcesses: "processes: 2"))
        let a = try threads.run("run"), b = try processes.run("run")
        #expect(a.status == 0, "\(a.output)")
        #expect(b.status == 0, "\(b.output)")
        func output(_ cli: CLI) throws -> String {
            let show = try cli.run("show", "threads").stdout
            return String(show.split(separator: "\n").first { $0.contains("output:") }!.split(separator: " ").last!)
        }
        let weights = { (cli: CLI) in try Data(contentsOf: URL(fileURLWithPath: try output(cli) + "/model/model.safetensors")) }
        #expect(try weights(threads) == weights(processes))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try output(processes) + "/summary.json"))) as? [String: Any]
        #expect(summary?["workers"] as? Int == 2)
        let log = try processes.run("show", "threads").stdout
        #expect(log.contains("2 worker(s) (MPI processes)") && log.contains("step 32/32"), "\(log)")
        #expect(FileManager.default.fileExists(atPath: try output(processes) + "/checkpoints"), "rank 0 wrote the checkpoints")
    }

    @Test func aMissingLauncherIsNamed() throws {
        let cli = CLI()
        cli.write("trellis.yaml", Self.manifest(threadsOrProcesses: "processes: 2, mpi_launcher: [no-such-mpirun, -np, \"{processes}\"]"))
        let result = try cli.run("run")
        #expect(result.status != 0)
        let log = try cli.run("show", "threads").stdout
        #expect(log.contains("'no-such-mpirun' was not found"), "\(log)")
    }

    @Test func processesAndWorkersTogetherAreRefused() throws {
        let cli = CLI()
        cli.write("trellis.yaml", Self.manifest(threadsOrProcesses: "workers: 2, processes: 2"))
        let result = try cli.run("run")
        #expect(result.status != 0 && result.output.contains("processes") && result.output.contains("not both"), "\(result.output)")
    }
}
