import Foundation
import Testing
import Models
import TensorEngine
import EngineTestSupport

@Suite("safetensors, config.json and the forward function")
struct CheckpointTests {
    static let hfTiny = Fixture.directory.appendingPathComponent("hf_tiny")

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func forwardOnHFCheckpointMatchesTransformers() throws {
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.hfTiny.appendingPathComponent("expected.json"))) as! [String: Any]
        let ids = expected["ids"] as! [Int]
        let result = try ModelForward.run(checkpoint: Self.hfTiny, ids: ids)
        let logits = (expected["last_logits"] as! [Double]).map(Float.init)
        #expect(TestData.maxAbsDiff(result.logits, logits) < 1e-4)
        #expect(abs(result.loss! - Float(expected["loss"] as! Double)) < 1e-4)
        let json = try ModelForward.json(result)
        #expect(json.contains("\"logits\"") && json.contains("\"loss\""))
    }

    @Test func loadsWithoutTransformerPrefixAndWithLMHead() throws {
        let file = try SafeTensors(contentsOf: Self.hfTiny.appendingPathComponent("model.safetensors"))
        var tensors: [String: Tensor] = [:]
        for name in file.names { tensors[String(name.dropFirst("transformer.".count))] = try file.tensor(name) }
        tensors["lm_head.weight"] = try file.tensor("transformer.word_embeddings.weight")
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(at: Self.hfTiny.appendingPathComponent("config.json"), to: dir.appendingPathComponent("config.json"))
        try SafeTensors.write(tensors, to: dir.appendingPathComponent("model.safetensors"))
        let a = try ModelForward.run(checkpoint: Self.hfTiny, ids: [1, 2, 3])
        let b = try ModelForward.run(checkpoint: dir, ids: [1, 2, 3])
        #expect(a == b)
    }

    @Test func saveLoadRoundTripIsExact() throws {
        let config = BloomConfiguration(vocabSize: 50, hiddenSize: 12, layerCount: 2, headCount: 3)
        let model = BloomModel(config: config, initialization: .bloom(), seed: 3)
        let dir = try temporaryDirectory()
        try BloomCheckpoint.save(model, to: dir)
        let loaded = try BloomCheckpoint.load(from: dir)
        #expect(loaded.config == config)
        for (a, b) in zip(model.namedParameters(), loaded.namedParameters()) {
            #expect(a.name == b.name && a.tensor.toArray() == b.tensor.toArray())
        }
    }

    @Test func configAliasesAndAblationKeysRoundTrip() throws {
        let json = #"{"n_embed": 8, "num_attention_heads": 2, "num_hidden_layers": 1, "vocab_size": 10, "trellis_position_encoding": "rotary", "trellis_embedding_layernorm": false}"#
        let config = try BloomConfiguration.decode(Data(json.utf8))
        #expect(config.hiddenSize == 8 && config.headCount == 2 && config.positionEncoding == .rotary && !config.embeddingLayerNorm)
        #expect(try BloomConfiguration.decode(config.encode()) == config)
    }

    @Test func badConfigsNameTheKey() throws {
        func error(_ json: String) -> CheckpointError? {
            do { _ = try BloomConfiguration.decode(Data(json.utf8)); return nil } catch { return error as? CheckpointError }
        }
        let base = #""vocab_size": 10, "hidden_size": 8, "n_layer": 1"#
        #expect(error("{\(base), \"n_head\": 2, \"n_heads\": 2}") == .unknownConfigKey(key: "n_heads"))
        #expect(error("{\(base)}") == .missingConfigKey(key: "n_head"))
        #expect(error("{\(base), \"n_head\": 3}") == .invalidConfigValue(key: "n_head", reason: "3 heads must divide hidden_size 8"))
        #expect(error("{\(base), \"n_head\": \"two\"}") == .invalidConfigValue(key: "n_head", reason: "expected an integer, got two"))
    }

    /// A checkpoint directory holding the tiny HF model's tensors after `edit`.
    func editedCheckpoint(_ edit: (inout [String: Tensor]) -> Void) throws -> URL {
        let file = try SafeTensors(contentsOf: Self.hfTiny.appendingPathComponent("model.safetensors"))
        var tensors: [String: Tensor] = [:]
        for name in file.names { tensors[name] = try file.tensor(name) }
        edit(&tensors)
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(at: Self.hfTiny.appendingPathComponent("config.json"), to: dir.appendingPathComponent("config.json"))
        try SafeTensors.write(tensors, to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    func loadError(_ dir: URL) -> CheckpointError? {
        do { _ = try BloomCheckpoint.load(from: dir); return nil } catch { return error as? CheckpointError }
    }

    @Test func missingMisnamedAndMisshapedTensorsAreNamed() throws {
        let ln = "transformer.h.0.input_layernorm.weight"
        #expect(loadError(try editedCheckpoint { $0[ln] = nil }) == .missingTensor(name: ln))
        #expect(loadError(try editedCheckpoint { $0["transformer.h.0.input_layernorm.weights"] = $0.removeValue(forKey: ln) })
                == .unexpectedTensor(name: "transformer.h.0.input_layernorm.weights"))
        #expect(loadError(try editedCheckpoint { $0[ln] = Tensor(shape: [13]) })
                == .shapeMismatch(name: ln, expected: [12], actual: [13]))
    }

    @Test func wrongDTypeAndTruncatedFilesAreRejected() throws {
        let dir = try editedCheckpoint { _ in }
        let url = dir.appendingPathComponent("model.safetensors")
        var data = try Data(contentsOf: url)
        // Truncate the data section.
        try data.prefix(data.count - 10).write(to: url)
        guard case .truncated? = loadError(dir) else { Issue.record("expected .truncated"); return }
        // Relabel the first tensor as I32 (same byte size as F32).
        let text = String(decoding: data, as: UTF8.self)
        let name = "transformer.h.0.input_layernorm.bias"
        #expect(text.contains(name))
        if let range = data.range(of: Data(#""dtype":"F32""#.utf8)) { data.replaceSubrange(range, with: Data(#""dtype":"I32""#.utf8)) }
        try data.write(to: url)
        guard case .unsupportedDType? = loadError(dir) else { Issue.record("expected .unsupportedDType"); return }
        #expect(throws: CheckpointError.self) { try SafeTensors(data: Data([1, 2, 3])) }
    }

    @Test func badIdsAreRejected() throws {
        #expect(throws: CheckpointError.invalidInput(reason: "id 40 outside the vocabulary 0..<40")) {
            try ModelForward.run(checkpoint: Self.hfTiny, ids: [1, 40])
        }
        #expect(throws: CheckpointError.self) { try ModelForward.run(checkpoint: Self.hfTiny, ids: []) }
        #expect(try ModelForward.run(checkpoint: Self.hfTiny, ids: [3]).loss == nil)
    }
}
