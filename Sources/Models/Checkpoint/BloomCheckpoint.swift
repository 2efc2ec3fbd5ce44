import FileIO
import Foundation
import TensorEngine

/// HF-format BLOOM checkpoints: a directory with `config.json` and `model.safetensors`.
///
/// Loading accepts tensor names with or without the `transformer.` prefix (HF `BloomModel`
/// vs `BloomForCausalLM` checkpoints), ignores a tied `lm_head.weight`, converts F16/BF16 to
/// Float32, and rejects missing, misnamed or mis-shaped tensors by name. Saving writes what
/// `BloomForCausalLM.from_pretrained` reads.
public enum BloomCheckpoint {
    /// Loads a model from `directory`.
    public static func load(from directory: URL) throws -> BloomModel {
        let configURL = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else { throw CheckpointError.fileNotFound(path: configURL.path) }
        let config = try BloomConfiguration.decode(Data(try FileContents.bytes(configURL.path)))
        let file = try SafeTensors(contentsOf: directory.appendingPathComponent("model.safetensors"))
        return try model(config: config, tensors: file)
    }

    /// Builds a model from a parsed safetensors file.
    public static func model(config: BloomConfiguration, tensors file: SafeTensors) throws -> BloomModel {
        let expected = expectedShapes(config)
        var tensors: [String: Tensor] = [:]
        for stored in file.names {
            // Check names and shapes before converting any data.
            let name = canonicalName(stored)
            if stored != "lm_head.weight" {
                guard let shape = expected[name] else { throw CheckpointError.unexpectedTensor(name: stored) }
                let actual = file.entries[stored]!.shape
                guard actual == shape else { throw CheckpointError.shapeMismatch(name: stored, expected: shape, actual: actual) }
            }
            tensors[stored] = try file.tensor(stored)
        }
        return try model(config: config, parameters: tensors)
    }

    /// Builds a model from tensors keyed by HF names (with or without `transformer.`).
    public static func model(config: BloomConfiguration, parameters: [String: Tensor]) throws -> BloomModel {
        try config.validate()
        let expected = expectedShapes(config)
        var found: [String: Tensor] = [:]
        for stored in parameters.keys.sorted() {
            let tensor = parameters[stored]!
            if stored == "lm_head.weight" {                         // tied to word_embeddings: check, then drop
                let shape = [config.vocabSize, config.hiddenSize]
                guard tensor.shape == shape else { throw CheckpointError.shapeMismatch(name: stored, expected: shape, actual: tensor.shape) }
                continue
            }
            let name = canonicalName(stored)
            guard let shape = expected[name], found[name] == nil else { throw CheckpointError.unexpectedTensor(name: stored) }
            guard tensor.shape == shape else { throw CheckpointError.shapeMismatch(name: stored, expected: shape, actual: tensor.shape) }
            found[name] = tensor.copy()
        }
        for name in expected.keys.sorted() where found[name] == nil { throw CheckpointError.missingTensor(name: name) }
        return BloomModel(config: config, parameters: found)
    }

    /// `transformer.`-prefixed form of a parameter name.
    static func canonicalName(_ name: String) -> String {
        name.hasPrefix("transformer.") || name == "lm_head.weight" ? name : "transformer." + name
    }

    /// HF name -> shape of every parameter the configuration needs.
    public static func expectedShapes(_ config: BloomConfiguration) -> [String: [Int]] {
        let c = config.hiddenSize
        var shapes: [String: [Int]] = ["transformer.word_embeddings.weight": [config.vocabSize, c],
                                       "transformer.ln_f.weight": [c], "transformer.ln_f.bias": [c]]
        if config.embeddingLayerNorm {
            shapes["transformer.word_embeddings_layernorm.weight"] = [c]
            shapes["transformer.word_embeddings_layernorm.bias"] = [c]
        }
        if config.positionEncoding == .learned { shapes["transformer.position_embeddings.weight"] = [config.maxPositions, c] }
        for i in 0..<config.layerCount {
            let h = "transformer.h.\(i)"
            for ln in ["input_layernorm", "post_attention_layernorm"] {
                shapes["\(h).\(ln).weight"] = [c]; shapes["\(h).\(ln).bias"] = [c]
            }
            let linears = [("self_attention.query_key_value", 3 * c, c), ("self_attention.dense", c, c),
                           ("mlp.dense_h_to_4h", 4 * c, c), ("mlp.dense_4h_to_h", c, 4 * c)]
            for (name, out, inF) in linears {
                shapes["\(h).\(name).weight"] = [out, inF]; shapes["\(h).\(name).bias"] = [out]
            }
        }
        return shapes
    }

    /// Writes `config.json` and `model.safetensors` (names with the `transformer.` prefix) into `directory`.
    public static func save(_ model: BloomModel, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try model.config.encode().write(to: directory.appendingPathComponent("config.json"), options: .atomic)
        var tensors: [String: Tensor] = [:]
        for p in model.namedParameters() { tensors[p.name] = p.tensor }
        try SafeTensors.write(tensors, to: directory.appendingPathComponent("model.safetensors"))
    }
}
