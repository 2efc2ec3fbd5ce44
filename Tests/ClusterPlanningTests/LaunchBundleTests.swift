import Foundation
import Testing
@testable import ClusterPlanning

@Suite struct LaunchBundleTests {
    @Test func slurmScriptCarriesBloom176BFlags() throws {
        let files = LaunchBundle.files(for: try TrainingPlanner.plan(.bloom176B))
        let script = try #require(files["train.slurm"])
        for expected in [
            "#SBATCH --nodes=48", "#SBATCH --ntasks-per-node=1", "#SBATCH --gres=gpu:8",
            "#SBATCH --cpus-per-task=", "#SBATCH --partition=<PARTITION>", "#SBATCH --account=<ACCOUNT>",
            "#SBATCH --time=",
            "python -u -m torch.distributed.run", "pretrain_gpt.py", "srun ",
            "--tensor-model-parallel-size 4", "--pipeline-model-parallel-size 12",
            "--num-layers 70", "--hidden-size 14336", "--num-attention-heads 112",
            "--seq-length 2048", "--max-position-embeddings 2048",
            "--micro-batch-size 2", "--global-batch-size 2048", "--rampup-batch-size 192 16 9765625",
            "--train-samples 220000000", "--lr 6e-05", "--min-lr 6e-06", "--lr-decay-style cosine",
            "--lr-decay-samples 200000000", "--lr-warmup-samples 183105", "--clip-grad 1.0",
            "--weight-decay 0.1", "--adam-beta1 0.9", "--adam-beta2 0.95", "--adam-eps 1e-08",
            "--init-method-std 0.0048", "--embed-layernorm", "--position-embedding-type alibi",
            "--pad-vocab-size-to 250880", "--bf16", "--checkpoint-activations",
            "--pp-partition-method 'type:transformer|embedding'", "--seed 42", "--save-interval 100",
            "--eval-interval 1000", "--eval-iters 1",
            "--tokenizer-type PretrainedFromHF", "--tokenizer-name-or-path bigscience-catalogue-data-dev/",
            "--data-path <DATA_PATH>", "--sync-tp-duplicated-parameters",
            "--deepspeed", "--deepspeed_config ${DS_CONFIG}", "--zero-stage 0",
        ] {
            #expect(script.contains(expected), "missing \(expected)")
        }
        #expect(!script.contains("--fp16"))
        // every continuation line inside the argument strings ends with a backslash
        let argLines = script.split(separator: "\n").filter { $0.hasPrefix("    --") }
        #expect(argLines.count > 40)
        #expect(argLines.allSatisfy { $0.hasSuffix(" \\") })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
    func slurmScriptIsValidBash() throws {
        let script = try #require(LaunchBundle.files(for: try TrainingPlanner.plan(.bloom176B))["train.slurm"])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-plan-\(UUID().uuidString).slurm")
        try script.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-n", path.path]
        try bash.run()
        bash.waitUntilExit()
        #expect(bash.terminationStatus == 0)
        #expect(script.contains(#"*"<"*">"*) echo"#))     // refuses to run with placeholders left
    }

    @Test func bf16DeepSpeedConfigParsesWithBatchSizes() throws {
        let text = try #require(LaunchBundle.files(for: try TrainingPlanner.plan(.bloom176B))["ds_config.json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["train_micro_batch_size_per_gpu"] as? Int == 2)
        #expect(json["train_batch_size"] as? Int == 2048)
        #expect(json["gradient_clipping"] as? Double == 1.0)
        #expect((json["zero_optimization"] as? [String: Any])?["stage"] as? Int == 0)   // BF16_Optimizer path
        #expect((json["bf16"] as? [String: Any])?["enabled"] as? Bool == true)
        #expect(json["fp16"] == nil)
        #expect(json["wall_clock_breakdown"] as? Bool == false)
        #expect(json["steps_per_print"] as? Int != nil)
    }

    @Test func fp16ConfigUsesBloomLossScaling() throws {
        let plan = try TrainingPlanner.plan(.bloom1B7)
        let text = try #require(LaunchBundle.files(for: plan)["ds_config.json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let fp16 = try #require(json["fp16"] as? [String: Any])
        #expect(fp16["initial_scale_power"] as? Int == 12)
        #expect(fp16["loss_scale_window"] as? Int == 500)
        #expect(fp16["hysteresis"] as? Int == 2)
        #expect(fp16["min_loss_scale"] as? Int == 1)
        #expect(fp16["loss_scale"] as? Int == 0)
        #expect(json["train_batch_size"] as? Int == 512)
        #expect((json["zero_optimization"] as? [String: Any])?["stage"] as? Int == 0)
        let script = try #require(LaunchBundle.files(for: plan)["train.slurm"])
        #expect(script.contains("--fp16") && !script.contains("--bf16"))
        #expect(script.contains("--tensor-model-parallel-size 2") && script.contains("#SBATCH --nodes=16"))
    }

    @Test func explicitZeroStageIsWrittenForStagesAboveOne() throws {
        var r = PlanRequest.bloom176B
        r.layout.zeroStage = 2
        #expect(DeepSpeedConfig(r).zero_optimization.stage == 2)
        r.layout.precision = .fp16
        r.layout.zeroStage = 1
        #expect(DeepSpeedConfig(r).zero_optimization.stage == 1)
    }
}
