import Foundation
import Models

/// The outputs a finished run leaves in its folder:
/// - `model/`: an HF `BloomForCausalLM` directory (`config.json`, `model.safetensors`) with the
///   run's `tokenizer.json`, `tokenizer_config.json` and `special_tokens_map.json`, so
///   `AutoModelForCausalLM.from_pretrained` and `AutoTokenizer.from_pretrained` load it (for
///   ALiBi models; learned/rotary/no-position variants carry `trellis_*` keys transformers ignores);
/// - `checkpoints/step-NNNNNN/`: the weights (and config) of every checkpoint the run took.
public enum TrainingExport {
    public static func write(model: BloomModel, tokenizerFile: String, checkpointRoot: String, output: String) throws {
        let fm = FileManager.default
        let modelFolder = output + "/model"
        try BloomCheckpoint.save(model, to: URL(fileURLWithPath: modelFolder))
        try fm.copyItem(atPath: tokenizerFile, toPath: modelFolder + "/tokenizer.json")
        let tokenizerConfig: [String: Any] = [
            "tokenizer_class": "BloomTokenizerFast", "model_max_length": 1_000_000_000, "padding_side": "left",
            "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>", "add_prefix_space": false,
        ]
        let specialTokens: [String: Any] = ["bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"]
        try JSONSerialization.data(withJSONObject: tokenizerConfig, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: modelFolder + "/tokenizer_config.json"))
        try JSONSerialization.data(withJSONObject: specialTokens, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: modelFolder + "/special_tokens_map.json"))

        let names = ((try? fm.contentsOfDirectory(atPath: checkpointRoot)) ?? []).filter { $0.hasPrefix("step-") && !$0.hasSuffix(".partial") }.sorted()
        for name in names {
            let target = output + "/checkpoints/" + name
            try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
            for file in ["config.json", "model.safetensors", "state.json"] where fm.fileExists(atPath: checkpointRoot + "/" + name + "/" + file) {
                try fm.copyItem(atPath: checkpointRoot + "/" + name + "/" + file, toPath: target + "/" + file)
            }
        }
    }
}
