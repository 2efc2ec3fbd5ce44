import Foundation
import Testing
@testable import ClusterPlanning

@Suite struct PlanConfigTests {
    private func resolve(_ json: String) throws -> PlanRequest {
        try PlanConfig.parse(Data(json.utf8)).resolve()
    }

    private func errorField(_ json: String) -> String? {
        do { _ = try TrainingPlanner.plan(try resolve(json)); return nil } catch let e as PlanError { return e.field } catch { return "\(error)" }
    }

    @Test func presetAloneIsTheBloom176BRequest() throws {
        #expect(try resolve(#"{"preset": "bloom-176b"}"#) == PlanRequest.bloom176B)
    }

    @Test func overridesLayOverThePresetAndDPIsRederived() throws {
        let r = try resolve(#"""
        {"preset": "bloom-176b", "cluster": {"nodes": 24},
         "layout": {"micro_batch": 1}, "budget": {"tokens": "341B", "achieved_tflops": 150}}
        """#)
        #expect(r.cluster.nodes == 24 && r.layout.dataParallel == 4 && r.layout.microBatch == 1)
        #expect(r.budget.tokens == 341e9)
        #expect(r.budget.throughput == .achieved(flopsPerGPU: 150e12))
        #expect(r.model == PlanRequest.bloom176B.model)
        #expect(try TrainingPlanner.plan(r).fits)
    }

    @Test func explicitConfigWithoutPreset() throws {
        let r = try resolve(#"""
        {"model": {"layers": 24, "hidden": 1024, "heads": 16, "vocab_size": 250680, "seq_length": 2048},
         "cluster": {"nodes": 1, "gpus_per_node": 8, "gpu_memory_gib": 80, "gpu_peak_tflops": 312},
         "layout": {"tensor_parallel": 1, "pipeline_parallel": 1, "micro_batch": 4, "global_batch": 256,
                    "precision": "fp16", "zero_stage": 0, "partition": "type:transformer"},
         "training": {"lr": 3e-4, "rampup": false},
         "budget": {"tokens": 1e9, "utilization": 0.4}}
        """#)
        #expect(r.layout.dataParallel == 8)
        #expect(abs(r.training.minLR - 3e-5) < 1e-12 && r.training.rampUp == nil)
        let plan = try TrainingPlanner.plan(r)
        #expect(plan.paddedVocab == 250_752)      // Megatron default padding at TP = 1
        #expect(plan.fits)
    }

    @Test func missingUnknownAndMalformedFieldsAreNamed() {
        #expect(errorField(#"{"preset": "bloom-9000"}"#) == "preset")
        #expect(errorField(#"{"preset": "bloom-176b", "layout": {"micro_bach": 1}}"#) == "layout.micro_bach")
        #expect(errorField(#"{"preset": "bloom-176b", "colour": 1}"#) == "colour")
        #expect(errorField(#"{"model": {"layers": 2}}"#) == "model.hidden")
        #expect(errorField(#"{"preset": "bloom-176b", "layout": {"precision": "fp8"}}"#) == "layout.precision")
        #expect(errorField(#"{"preset": "bloom-176b", "layout": {"tensor_parallel": "four"}}"#) == "layout.tensor_parallel")
        #expect(errorField(#"{"preset": "bloom-176b", "budget": {"tokens": "lots"}}"#) == "budget.tokens")
        #expect(errorField(#"{"preset": "bloom-176b", "model": {"pad_vocab_to": 250882}}"#) == "model.pad_vocab_to")
        #expect(errorField(#"{"preset": "bloom-176b", "layout": {"tensor_parallel": 5}}"#)
            == "cluster.nodes × cluster.gpus_per_node")
        #expect(errorField(#"{"preset": "bloom-176b", "budget": {"utilization": 0.5, "achieved_tflops": 150}}"#)
            == "budget.utilization")
    }

    @Test func outputsHaveEveryFileAndFlatMetrics() throws {
        let plan = try TrainingPlanner.plan(.bloom176B)
        let files = PlanOutputs.files(for: plan)
        #expect(Set(files.keys) == ["plan.json", "plan.md", "metrics.json", "launch/train.slurm", "launch/ds_config.json"])
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(files["metrics.json"]!.utf8)) as? [String: Double])
        #expect(metrics["params"] == 176_247_271_424)
        #expect(metrics["fits"] == 1)
        for key in ["gpu_hours", "days", "memory_per_gpu_gb", "energy_kwh", "co2_kg", "steps_with_rampup"] {
            #expect(metrics[key] != nil, "missing \(key)")
        }
        // plan.json round-trips through Codable
        let decoded = try JSONDecoder().decode(TrainingPlan.self, from: Data(files["plan.json"]!.utf8))
        #expect(decoded.totalParameters == plan.totalParameters && decoded.request == plan.request)
        let md = try #require(files["plan.md"])
        #expect(md.contains("# Training plan: bloom-176b") && md.contains("176,247,271,424") && md.contains("**fits**"))
        #expect(md.contains("| 0 | embedding + blocks 0–4 |") && md.contains("| 11 | blocks 65–69 + tied embedding + final LN |"))
    }
}
